package notify

import (
	"fmt"
	"time"

	"datalek/breach"
	"datalek/breach/nl"
)

// The mails of the clocks: reminders and overdue alerts, and the digest.

func (c *Composer) alert(n breach.Notice) (document, error) {
	b, a := n.Breach, n.Alert
	if a == nil {
		return document{}, fmt.Errorf("alert notice %s has no alert", n.ID)
	}
	left, late := a.DueAt.Sub(n.At), n.At.Sub(a.DueAt)
	var d document
	if q := n.Question; q != nil && (a.Kind == breach.AlertQuestionReminder || a.Kind == breach.AlertQuestionOverdue) {
		if a.Kind == breach.AlertQuestionReminder && n.Audience == breach.AudienceMailboxForReporter {
			d.Subject = subject(b, fmt.Sprintf("Vraag %s aan %s nog niet beantwoord (uiterlijk %s)", questionNo(q), b.Organisation, nl.Time(q.DueAt)))
			d.Intro = []string{fmt.Sprintf("%s heeft vraag %s nog niet beantwoord; het antwoord wordt uiterlijk %s verwacht.", b.Organisation, questionNo(q), nl.Time(q.DueAt)), noEmail(b)}
		} else if a.Kind == breach.AlertQuestionReminder && n.Audience == breach.AudienceMailbox {
			d.Subject = subject(b, fmt.Sprintf("Herinnering aan de melder: antwoord op vraag %s uiterlijk %s", questionNo(q), nl.Time(q.DueAt)))
			d.Intro = []string{fmt.Sprintf("%s heeft vraag %s nog niet beantwoord; het antwoord wordt uiterlijk %s verwacht, over %s.",
				b.Organisation, questionNo(q), nl.Time(q.DueAt), nl.Duration(left)), remindedReporter(b)}
		} else if a.Kind == breach.AlertQuestionReminder {
			d.Subject = subject(b, fmt.Sprintf("Herinnering: antwoord op vraag %s uiterlijk %s", questionNo(q), nl.Time(q.DueAt)))
			d.Intro = []string{fmt.Sprintf("Beste %s,", b.Reporter.Name),
				fmt.Sprintf("De Adviseur Privacy wacht op uw antwoord op vraag %s, uiterlijk %s (over %s).", questionNo(q), nl.Time(q.DueAt), nl.Duration(left))}
		} else {
			d.Subject = subject(b, fmt.Sprintf("Vraag %s aan %s niet op tijd beantwoord (%s te laat)", questionNo(q), b.Organisation, nl.Duration(late)))
			d.Intro = []string{fmt.Sprintf("%s heeft vraag %s niet beantwoord; het antwoord was uiterlijk %s verwacht.", b.Organisation, questionNo(q), nl.Time(q.DueAt))}
		}
		d.Sections = []section{questionSection(q)}
		if a.Kind == breach.AlertQuestionReminder {
			d.Do = passOn(n, "Beantwoord de vraag op", c.links().Question(b.ID, q.ID))
		}
		d.Link = c.link(n)
		return d, nil
	}
	switch a.Kind {
	case breach.AlertProcessorReminder:
		d.Do = passOn(n, "Vul de melding aan op", c.links().SupplierPage(b.ID))
		if n.Audience.Mailbox() {
			d.Subject = subject(b, fmt.Sprintf("Volledige melding van %s nog niet binnen (uiterlijk %s)", b.Organisation, nl.Time(a.DueAt)))
			d.Intro = []string{fmt.Sprintf("De melding van %s is nog voorlopig; de volledige melding moet uiterlijk %s binnen zijn, over %s.",
				b.Organisation, nl.Time(a.DueAt), nl.Duration(left)), "Nog niet gegeven: " + fieldList(b.MissingFields()) + ".", noEmail(b)}
			if n.Audience == breach.AudienceMailbox {
				d.Subject = subject(b, fmt.Sprintf("Herinnering aan de melder: volledige melding uiterlijk %s", nl.Time(a.DueAt)))
				d.Intro[2] = remindedReporter(b)
			}
			break
		}
		d.Subject = subject(b, fmt.Sprintf("Herinnering: volledige melding uiterlijk %s", nl.Time(a.DueAt)))
		d.Intro = []string{
			fmt.Sprintf("Beste %s,", b.Reporter.Name),
			fmt.Sprintf("Uw melding %s is nog voorlopig. Volgens Bijlage 3 van de verwerkersovereenkomst moet de volledige melding binnen 24 uur na ontdekking binnen zijn: uiterlijk %s, over %s.",
				b.Reference, nl.Time(a.DueAt), nl.Duration(left)),
			"Nog niet gegeven: " + fieldList(b.MissingFields()) + ".",
		}
	case breach.AlertProcessorOverdue:
		d.Subject = subject(b, fmt.Sprintf("Termijn verwerker verstreken: volledige melding ontbreekt (%s te laat)", nl.Duration(late)))
		d.Intro = []string{
			fmt.Sprintf("%s had de volledige melding uiterlijk %s moeten doen; die termijn is %s geleden verstreken.", b.Organisation, nl.Time(a.DueAt), nl.Duration(late)),
			"Nog niet gegeven: " + fieldList(b.MissingFields()) + ". Neem contact op met de melder.",
		}
	case breach.AlertAuthorityReminder:
		d.Subject = subject(b, fmt.Sprintf("Nog %s om te melden bij de Autoriteit Persoonsgegevens", nl.Duration(left)))
		d.Intro = []string{fmt.Sprintf("Een melding bij de Autoriteit Persoonsgegevens moet uiterlijk %s gedaan zijn (72 uur na %s). Er is nog geen besluit vastgelegd.",
			nl.Time(a.DueAt), nl.Time(b.AwareAt))}
	case breach.AlertAuthorityOverdue:
		d.Subject = subject(b, fmt.Sprintf("72-uurstermijn Autoriteit Persoonsgegevens verstreken (%s te laat)", nl.Duration(late)))
		d.Intro = []string{
			fmt.Sprintf("De termijn om dit datalek te melden bij de Autoriteit Persoonsgegevens is op %s verstreken, %s geleden, en er is nog geen besluit vastgelegd.", nl.Time(a.DueAt), nl.Duration(late)),
			"Een melding na 72 uur moet de redenen voor de vertraging vermelden (artikel 33, eerste lid, AVG).",
		}
	case breach.AlertSubjectsOverdue:
		decided := a.DueAt
		if dec := b.DecisionInForce(); dec != nil {
			decided = dec.DecidedAt
		}
		d.Subject = subject(b, "Betrokkenen nog niet geïnformeerd")
		d.Intro = []string{
			fmt.Sprintf("Op %s is besloten de betrokkenen te informeren, maar er is %s later nog geen bericht aan hen vastgelegd.",
				nl.Time(decided), nl.Duration(n.At.Sub(decided))),
			"De AVG vraagt hen zonder onredelijke vertraging te informeren (artikel 34). Leg het bericht vast zodra het verstuurd is; een concept staat klaar bij het datalek.",
		}
	default:
		return d, fmt.Errorf("alert notice %s: unknown alert %q", n.ID, a.Kind)
	}
	if a.Collapsed > 0 {
		d.Intro = append(d.Intro, fmt.Sprintf("Deze waarschuwing vervangt %s eerdere die tijdens een onderbreking van de dienst niet zijn verstuurd.", nl.Count(a.Collapsed)))
	}
	d.Sections = []section{deadlineSection(n), reportSection(b)}
	d.Link = c.link(n)
	return d, nil
}

func (c *Composer) digest(n breach.Notice) document {
	d := document{
		Subject: fmt.Sprintf("[Datalek] Overzicht open datalekken %s", nl.Day(n.At)),
		Intro:   []string{fmt.Sprintf("Er staan %s datalekken open, de dichtstbijzijnde termijn eerst.", nl.Count(len(n.Breaches)))},
	}
	if len(n.Breaches) == 1 {
		d.Intro = []string{"Er staat 1 datalek open."}
	}
	if len(n.Breaches) == 0 {
		d.Intro = []string{"Er staan geen datalekken open."}
		return d
	}
	t := &table{Head: []string{"Kenmerk", "Verwerker", "Titel", "Stand", "Gemeld", "Eerstvolgende termijn"}}
	for _, b := range n.Breaches {
		informed := "binnen 24 uur gemeld" // Bijlage 3's first duty; the second is the processor's clock
		if d := b.DeadlinesAt(n.At).Informed; d.State == breach.DeadlineLate {
			informed = "te laat gemeld (" + nl.Duration(time.Duration(d.LateBySeconds)*time.Second) + ")"
		}
		t.Rows = append(t.Rows, []string{b.Reference, b.Organisation, b.Title, nl.Status(b.Status) + ", " + nl.Stage(b.Stage), informed,
			nearestDeadline(b, n.At)})
	}
	d.Sections = []section{{Title: "Open datalekken", Table: t}}
	d.Link = c.links().OpenBreaches()
	d.Outro = digestHeads(n)
	return d
}

// digestHeads are the lines of the digest that anchor each open breach's
// audit trail outside the service (breach/audit.go): kenmerk, number of
// events, anchor, which datalekd verify -heads reads back from a saved mail.
func digestHeads(n breach.Notice) []string {
	if len(n.Heads) == 0 { // with a key every open breach has its head
		return []string{"De audit trails zijn niet verankerd: DATALEK_AUDIT_KEY is niet ingesteld."}
	}
	lines := []string{"Verankering van de audit trails (bewaar deze mail; datalekd verify -heads controleert er een opslag of back-up mee):"}
	for _, h := range n.Heads {
		lines = append(lines, h.String())
	}
	return lines
}

// remindedReporter is the line that tells the mailbox, in its copy of a
// reminder, whom the reminder went to.
func remindedReporter(b *breach.Breach) string {
	return fmt.Sprintf("De melder heeft hierover een herinnering gekregen: %s.", reporter(b.Reporter))
}
