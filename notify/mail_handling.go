package notify

import (
	"fmt"
	"slices"
	"strings"

	"datalek/breach"
	"datalek/breach/nl"
)

// The mails of triage and decision, the questions to the supplier, and
// what they show of the handling.

// handling covers the notices of triage and decision: what was recorded,
// with the breach's handling as it now stands. They are the controller's
// alone: for any other audience there is nothing to compose.
func (c *Composer) handling(n breach.Notice) (document, error) {
	if n.Side() != breach.SideController {
		return document{}, fmt.Errorf("notice %s (%s) is the controller's, not for audience %q", n.ID, n.Kind, n.Audience)
	}
	b := n.Breach
	d := document{Link: c.link(n)}
	switch n.Kind {
	case breach.NoticeStatus:
		d.Subject = subject(b, "In behandeling genomen")
		d.Intro = []string{fmt.Sprintf("%s heeft de melding van %s in behandeling genomen.", actorName(n), b.Organisation)}
	case breach.NoticeAssessment:
		a := b.LatestAssessment()
		d.Subject = subject(b, fmt.Sprintf("Beoordeling: %s, ernst %s (%s)", nl.Risk(a.Risk),
			nl.Severity(a.Severity.Level), nl.Score(a.Severity.Score)))
		d.Intro = []string{fmt.Sprintf("%s heeft een beoordeling vastgelegd.", actorName(n))}
		d.Sections = append(d.Sections, assessmentSection(a))
	case breach.NoticeDecision:
		dec := b.LatestDecision()
		d.Subject = subject(b, fmt.Sprintf("Besluit: %s; betrokkenen informeren: %s", notifyText(dec.NotifyAuthority),
			nl.InformSubjects(dec.InformSubjects)))
		d.Intro = []string{fmt.Sprintf("%s heeft een besluit vastgelegd.", actorName(n))}
		d.Sections = append(d.Sections, decisionSection(dec))
	case breach.NoticeNotification:
		x := n.Notification
		d.Subject = subject(b, fmt.Sprintf("Melding Autoriteit Persoonsgegevens: %s (meldingsnummer %s)", nl.Phase(x.Phase), x.Reference))
		d.Intro = []string{fmt.Sprintf("%s heeft vastgelegd dat op %s een %s is gedaan bij de Autoriteit Persoonsgegevens.",
			actorName(n), nl.Time(x.SubmittedAt), nl.Phase(x.Phase))}
		rows := []row{{"Meldingsnummer", x.Reference}, {"Ingediend op", nl.Time(x.SubmittedAt)}}
		for _, r := range []row{{"Toelichting", x.Note}, {"Reden van de vertraging", x.DelayReason}, {"Reden van intrekking", x.Reason}, {"Reden van de melding vóór die van de verwerker", x.EarlyReason}} {
			if r.Value != "" {
				rows = append(rows, r)
			}
		}
		d.Sections = append(d.Sections, section{Title: "Melding", Rows: rows})
	case breach.NoticeSubjectsInformed:
		x := n.Communication
		d.Subject = subject(b, fmt.Sprintf("Betrokkenen geïnformeerd: %s, %s bereikt", nl.SubjectChannel(x.Channel), nl.People(x.Reached)))
		d.Intro = []string{fmt.Sprintf("%s heeft vastgelegd dat de betrokkenen op %s zijn geïnformeerd (artikel 34 AVG).",
			actorName(n), nl.Time(x.SentAt))}
		d.Sections = append(d.Sections, section{Title: "Bericht aan de betrokkenen", Rows: []row{
			{"Verstuurd op", nl.Time(x.SentAt)}, {"Hoe", nl.SubjectChannel(x.Channel)}, {"Bereikt", nl.People(x.Reached)},
			{"Tekst", x.Text}}})
	case breach.NoticeClosed:
		d.Subject = subject(b, "Afgesloten: "+nl.Outcome(b.Closure.Outcome))
		d.Intro = []string{fmt.Sprintf("%s heeft het datalek afgehandeld en afgesloten. Het blijft in het register.", actorName(n))}
		if b.Closure.Outcome == breach.OutcomeNoBreach {
			d.Intro = []string{fmt.Sprintf("%s heeft de melding afgesloten: het is geen datalek. Ze blijft in het register.", actorName(n))}
		}
		if b.Closure.Reason != "" {
			d.Sections = append(d.Sections, section{Title: "Reden", Rows: []row{{"Toelichting", b.Closure.Reason}}})
		}
	}
	d.Sections = append(d.Sections, handlingSection(b), deadlineSection(n))
	return d, nil
}

// bounce tells the privacy mailbox that a mail to someone else was refused:
// which mail, to whom, when, and the receiving server's own reply as a
// detail.
func (c *Composer) bounce(n breach.Notice) (document, error) {
	b, lost := n.Breach, n.Bounced
	if b == nil || lost == nil {
		return document{}, fmt.Errorf("bounce notice %s has no breach or mail", n.ID)
	}
	to, what := strings.Join(lost.To, ", "), nl.Mail(lost.Kind, alertKind(lost))
	rows := []row{{"Mail", what}, {"Aan", to}, {"Geweigerd op", nl.Time(n.At)}}
	if n.Reason != "" {
		rows = append(rows, row{"Antwoord van de mailserver", n.Reason})
	}
	return document{
		Subject: subject(b, "Mail aan "+to+" niet afgeleverd"),
		Intro: []string{
			fmt.Sprintf("De mailserver van de ontvanger heeft %s aan %s geweigerd: het adres bestaat waarschijnlijk niet of neemt geen mail aan.", what, to),
			"De mail wordt niet opnieuw verstuurd. Neem op een andere manier contact op met de melder, en vraag zo nodig het juiste e-mailadres.",
		},
		Sections: []section{{Title: "Niet afgeleverd", Rows: rows}, {Title: "Melder", Rows: []row{{"Contact", reporter(b.Reporter)}}}, reportSection(b)},
		Link:     c.link(n),
	}, nil
}

// alertKind is the alert a notice is about, if any.
func alertKind(n *breach.Notice) breach.AlertKind {
	if n.Alert == nil {
		return ""
	}
	return n.Alert.Kind
}

func notifyText(notify bool) string {
	if notify {
		return "melden bij de Autoriteit Persoonsgegevens"
	}
	return "niet melden bij de Autoriteit Persoonsgegevens"
}

func assessmentSection(a *breach.Assessment) section {
	types := make([]string, len(a.BreachTypes))
	for i, t := range a.BreachTypes {
		types[i] = nl.BreachType(t)
	}
	dpc := fmt.Sprintf("%d", a.DPC)
	if a.DPC != a.DPCDefault && a.DPCReason != "" {
		dpc += fmt.Sprintf(" (standaard %d; %s)", a.DPCDefault, a.DPCReason)
	} else if a.DPC != a.DPCDefault {
		dpc += fmt.Sprintf(" (standaard %d)", a.DPCDefault)
	}
	cb := fmt.Sprintf("vertrouwelijkheid %s, integriteit %s, beschikbaarheid %s", nl.CB(a.CB.Confidentiality),
		nl.CB(a.CB.Integrity), nl.CB(a.CB.Availability))
	if a.CB.Malicious {
		cb += ", met kwade opzet"
	}
	rows := []row{
		{"Soort inbreuk", strings.Join(types, ", ")},
		{"Ernst (ENISA)", fmt.Sprintf("%s: %s (DPC %s × EI %s + CB)", nl.Score(a.Severity.Score), nl.Severity(a.Severity.Level), dpc, nl.EI(a.EI))},
		{"Omstandigheden", cb},
		{"Onbegrijpelijk voor anderen (versleuteld)", nl.YesNo(&a.Unintelligible)},
		{"Hersteld uit een back-up", nl.YesNo(&a.RestoredFromBackup)},
		{"Bekende, betrouwbare ontvanger", nl.YesNo(&a.RecipientTrusted)},
		{"Waarschijnlijke gevolgen", a.Consequences},
		{"Aanbeveling", nl.Advice(a)},
		{"Conclusie van de Adviseur Privacy", nl.Risk(a.Risk)},
		{"Onderbouwing", a.Reasoning},
	}
	if len(a.DPCAdjustments) > 0 {
		rows = slices.Insert(rows, 2, row{"DPC aangepast", nl.DPCAdjustments(a.DPCAdjustments)})
	}
	if a.Deviates() {
		rows = append(rows, row{"Wijkt af van de aanbeveling, omdat", a.DeviationReason})
	}
	return section{Title: "Beoordeling " + fmt.Sprint(a.Seq), Rows: rows}
}

func decisionSection(d *breach.Decision) section {
	rows := []row{{"Melden bij de Autoriteit Persoonsgegevens", nl.YesNo(&d.NotifyAuthority)}}
	if d.AuthorityReasoning != "" {
		rows = append(rows, row{"Onderbouwing", d.AuthorityReasoning})
	}
	rows = append(rows, row{"Betrokkenen informeren", nl.InformSubjects(d.InformSubjects)})
	if d.SubjectsExemption != "" {
		rows = append(rows, row{"Uitzondering", nl.Exemption(d.SubjectsExemption)})
	}
	if d.SubjectsReasoning != "" {
		rows = append(rows, row{"Onderbouwing betrokkenen", d.SubjectsReasoning})
	}
	return section{Title: "Besluit", Rows: rows}
}

// handlingSection is where the handling of a breach stands.
func handlingSection(b *breach.Breach) section {
	rows := []row{{"Status", nl.Status(b.Status)}}
	if a := b.LatestAssessment(); a != nil {
		rows = append(rows, row{"Beoordeling", fmt.Sprintf("%s; ernst %s (%s)", nl.Risk(a.Risk), nl.Severity(a.Severity.Level), nl.Score(a.Severity.Score))})
	}
	if d := b.LatestDecision(); d != nil {
		rows = append(rows, row{"Besluit", fmt.Sprintf("%s; betrokkenen informeren: %s", notifyText(d.NotifyAuthority), nl.InformSubjects(d.InformSubjects))})
	}
	for _, x := range b.AuthorityNotifications {
		rows = append(rows, row{"Autoriteit Persoonsgegevens", fmt.Sprintf("%s op %s, meldingsnummer %s", nl.Phase(x.Phase), nl.Time(x.SubmittedAt), x.Reference)})
	}
	if open := len(b.OpenQuestions()); open > 0 {
		rows = append(rows, row{"Open vragen", nl.Count(open)})
	}
	return section{Title: "Behandeling", Rows: rows}
}

// question covers a question to the supplier and its answer.
func (c *Composer) question(n breach.Notice) (document, error) {
	b, q := n.Breach, n.Question
	if q == nil {
		return document{}, fmt.Errorf("notice %s has no question", n.ID)
	}
	d := document{Sections: []section{questionSection(q)}, Link: c.link(n)}
	switch {
	case n.Kind == breach.NoticeQuestion && n.Audience == breach.AudienceReporter:
		d.Subject = subject(b, fmt.Sprintf("Vraag over uw melding (antwoord uiterlijk %s)", nl.Time(q.DueAt)))
		d.Intro = []string{fmt.Sprintf("Beste %s,", b.Reporter.Name),
			fmt.Sprintf("De Adviseur Privacy heeft een vraag over melding %s. Graag uw antwoord uiterlijk %s.", b.Reference, nl.Time(q.DueAt))}
		d.Do = passOn(n, "Beantwoord de vraag op", c.links().Question(b.ID, q.ID))
		return d, nil
	case n.Kind == breach.NoticeQuestion:
		d.Subject = subject(b, fmt.Sprintf("Vraag %s gesteld aan %s (antwoord uiterlijk %s)", questionNo(q), b.Organisation, nl.Time(q.DueAt)))
		d.Intro = []string{fmt.Sprintf("%s heeft %s een vraag gesteld.", actorName(n), b.Organisation)}
		if n.Audience == breach.AudienceMailboxForReporter {
			d.Intro = append(d.Intro, noEmail(b))
			d.Do = passOn(n, "Beantwoord de vraag op", c.links().Question(b.ID, q.ID))
		}
		return d, nil
	}
	d.Subject = subject(b, fmt.Sprintf("Antwoord van %s op vraag %s", b.Organisation, questionNo(q)))
	d.Intro = []string{fmt.Sprintf("%s heeft vraag %s beantwoord.", actorName(n), questionNo(q))}
	d.Sections = append(d.Sections, reportSection(b))
	return d, nil
}

func questionSection(q *breach.Question) section {
	rows := []row{{"Vraag", q.Question}, {"Gesteld op", nl.Time(q.AskedAt)}, {"Antwoord uiterlijk", nl.Time(q.DueAt)}}
	if q.AnsweredAt != nil {
		rows = append(rows, row{"Antwoord", q.Answer}, row{"Beantwoord op", nl.Time(*q.AnsweredAt)})
	}
	return section{Title: "Vraag " + questionNo(q), Rows: rows}
}

// questionNo is how a mail names a question: by its number ("vraag 2"),
// not by the code its ID is ("q2").
func questionNo(q *breach.Question) string { return strings.TrimPrefix(q.ID, "q") }
