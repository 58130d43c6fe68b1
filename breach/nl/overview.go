package nl

import (
	"fmt"
	"strings"
	"time"

	"datalek/breach"
)

// The words of the staff's overview and a breach's page: what an entry of
// the trail did, how far a clock has run, and what a breach waits for.

var actions = map[breach.Action]string{
	breach.ActionFiled:                 "melding gedaan",
	breach.ActionAmended:               "melding aangevuld of gewijzigd",
	breach.ActionUpdated:               "ontwikkeling gemeld",
	breach.ActionStatusChanged:         "status gewijzigd",
	breach.ActionAssessed:              "beoordeling vastgelegd",
	breach.ActionAwarenessMoved:        "start van de 72-uurstermijn verplaatst",
	breach.ActionQuestionAsked:         "vraag gesteld aan de verwerker",
	breach.ActionQuestionAnswered:      "vraag beantwoord",
	breach.ActionDecided:               "besluit vastgelegd",
	breach.ActionAuthorityNotification: "melding bij de Autoriteit Persoonsgegevens vastgelegd",
	breach.ActionSubjectsInformed:      "informeren van betrokkenen vastgelegd",
	breach.ActionOtherControllers:      "andere verwerkingsverantwoordelijken vastgelegd",
	breach.ActionAlertRaised:           "waarschuwing verstuurd",
	breach.ActionClosed:                "afgesloten",
	breach.ActionPurged:                "persoonsgegevens verwijderd na de bewaartermijn",
}

// Action says what an entry of a breach's trail did.
func Action(a breach.Action) string { return label(actions, a) }

// Short says a duration briefly, for a countdown: "1 dag 3 uur", "5 uur 12
// min", "12 min"; a negative duration reads as its length.
func Short(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute) // as Duration, so that both read the same on one page
	days, hours, minutes := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return strings.TrimSpace(plural(days, "dag", "dagen") + fmt.Sprintf(" %d uur", hours))
	case hours > 0:
		return fmt.Sprintf("%d uur %d min", hours, minutes)
	}
	return fmt.Sprintf("%d min", minutes)
}

// Countdown says how a clock stands in a few words that read without
// colour: "nog 5 uur 12 min", "2 uur 0 min te laat", "gehaald".
func Countdown(d breach.Deadline, now time.Time) string {
	switch d.State {
	case breach.DeadlineRunning:
		return "nog " + Short(d.DueAt.Sub(now))
	case breach.DeadlineOverdue:
		return Short(now.Sub(d.DueAt)) + " te laat"
	case breach.DeadlineMet:
		return "gehaald"
	case breach.DeadlineLate:
		return "te laat gehaald (" + Short(time.Duration(d.LateBySeconds)*time.Second) + ")"
	}
	return "n.v.t."
}

// Waiting says what a breach waits for, most urgent first: "AP-melding te
// laat", "besluit nodig", "wacht op beoordeling".
func Waiting(b *breach.Breach, now time.Time) string {
	ds := b.DeadlinesAt(now)
	var waits []string
	if ds.Authority.State == breach.DeadlineOverdue {
		waits = append(waits, "AP-melding te laat")
	}
	if ds.Processor.State == breach.DeadlineOverdue {
		waits = append(waits, "volledige melding te laat")
	} else if b.Stage == breach.StagePreliminary {
		waits = append(waits, "wacht op volledige melding")
	}
	switch b.Status {
	case breach.StatusNew:
		waits = append(waits, "wacht op behandeling")
	case breach.StatusTriage:
		waits = append(waits, "wacht op beoordeling")
	case breach.StatusAssessed:
		waits = append(waits, "besluit nodig")
	case breach.StatusDecided:
		if d := b.DecisionInForce(); d != nil && d.NotifyAuthority && b.InitialNotification() == nil &&
			ds.Authority.State != breach.DeadlineOverdue {
			waits = append(waits, "AP-melding nodig")
		} else {
			waits = append(waits, "wacht op afronding")
		}
	}
	if d := b.DecisionInForce(); d != nil && (d.InformSubjects == breach.InformYes || d.InformSubjects == breach.InformPlanned) &&
		len(b.SubjectCommunications) == 0 {
		waits = append(waits, "betrokkenen informeren")
	}
	if n := len(b.OpenQuestions()); n > 0 {
		waits = append(waits, plural(n, "open vraag", "open vragen")+" aan de verwerker")
	}
	return strings.Join(waits, "; ")
}
