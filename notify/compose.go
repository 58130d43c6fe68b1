// Package notify turns the notices the domain queues into Dutch mails and
// delivers them: the composer builds each message (plain text with an HTML
// alternative), the relay works through the outbox with back-off, and a
// transport hands messages to an SMTP server or writes them as .eml files.
package notify

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"datalek/breach"
	"datalek/breach/nl"
)

// Composer builds the message for a notice. It is deterministic: the same
// notice always gives the same message, so a resent mail is the same mail.
type Composer struct {
	From    string
	BaseURL string // links point at the breach under this URL
}

// messageIDDomain is the right-hand side of Message-IDs: the service's host.
func (c *Composer) messageIDDomain() string {
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "datalek.invalid"
}

// MessageID is the Message-ID (without angle brackets) of the notice with id.
func (c *Composer) MessageID(id string) string { return "datalek." + id + "@" + c.messageIDDomain() }

// Compose returns the message for a notice.
func (c *Composer) Compose(n breach.Notice) (*mail.Msg, error) {
	doc, err := c.document(n)
	if err != nil {
		return nil, err
	}
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := m.From(c.From); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := m.To(n.To...); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	m.Subject(doc.Subject)
	m.SetDateWithValue(n.At)
	m.SetMessageIDWithValue(c.MessageID(n.ID))
	if n.ThreadID != "" {
		ref := "<" + c.MessageID(n.ThreadID) + ">"
		m.SetGenHeader(mail.HeaderInReplyTo, ref)
		m.SetGenHeader(mail.HeaderReferences, ref)
	}
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	text, html, err := doc.render()
	if err != nil {
		return nil, err
	}
	m.SetBodyString(mail.TypeTextPlain, text)
	m.AddAlternativeString(mail.TypeTextHTML, html)
	return m, nil
}

// document is what a mail says, independent of plain text or HTML.
type document struct {
	Subject  string
	Intro    []string
	Sections []section
	Link     string
	Outro    []string
}

type section struct {
	Title string
	Rows  []row
	Table *table // instead of rows: the digest's overview
}

type row struct{ Label, Value string }

type table struct {
	Head []string
	Rows [][]string
}

func subject(b *breach.Breach, text string) string {
	return fmt.Sprintf("[Datalek %s] %s", b.Reference, text)
}

// links forms the addresses a mail carries.
func (c *Composer) links() breach.Links { return breach.Links{Base: c.BaseURL} }

func (c *Composer) link(b *breach.Breach) string { return c.links().Breach(b.ID) }

// document says what the notice says. The breach it shows is as the mail's
// audience may see it: a mail to the reporter never carries the
// controller's deliberation.
func (c *Composer) document(n breach.Notice) (document, error) {
	if n.Breach == nil && n.Kind != breach.NoticeDigest {
		return document{}, fmt.Errorf("notice %s (%s) has no breach", n.ID, n.Kind)
	}
	n.Breach = n.Side().Visible(n.Breach)
	switch n.Kind {
	case breach.NoticeFiled:
		return c.filed(n), nil
	case breach.NoticeAcknowledged:
		return c.acknowledged(n), nil
	case breach.NoticeAmended, breach.NoticeUpdated:
		return c.changed(n), nil
	case breach.NoticeAwareness:
		return c.awareness(n), nil
	case breach.NoticeAlert:
		return c.alert(n)
	case breach.NoticeDigest:
		return c.digest(n), nil
	case breach.NoticeStatus, breach.NoticeAssessment, breach.NoticeDecision, breach.NoticeNotification, breach.NoticeClosed:
		return c.handling(n), nil
	case breach.NoticeQuestion, breach.NoticeAnswer:
		return c.question(n)
	case breach.NoticeBounce:
		return c.bounce(n)
	}
	return document{}, fmt.Errorf("notice %s: unknown kind %q", n.ID, n.Kind)
}

func (c *Composer) filed(n breach.Notice) document {
	b := n.Breach
	title := fmt.Sprintf("Nieuwe melding van %s: %s", b.Organisation, b.Title)
	intro := []string{fmt.Sprintf("%s heeft een (vermoedelijk) datalek gemeld op %s.", b.Organisation, nl.Time(b.ReceivedAt))}
	if b.Stage == breach.StagePreliminary {
		title += " (voorlopig)"
		intro = append(intro, fmt.Sprintf("Dit is een voorlopige melding. Nog niet gegeven: %s. De verwerker moet de melding uiterlijk %s aanvullen.",
			fieldList(b.MissingFields()), nl.Time(b.ProcessorDue())))
	}
	intro = append(intro, processorVerdict(b, n.At))
	return document{
		Subject:  subject(b, title),
		Intro:    intro,
		Sections: []section{reportSection(b), deadlineSection(n)},
		Link:     c.link(b),
		Outro:    []string{"Beoordeel de melding en besluit of het datalek moet worden gemeld bij de Autoriteit Persoonsgegevens en aan de betrokkenen."},
	}
}

func (c *Composer) acknowledged(n breach.Notice) document {
	b := n.Breach
	intro := []string{
		fmt.Sprintf("Beste %s,", b.Reporter.Name),
		fmt.Sprintf("Uw melding van een (vermoedelijk) datalek is op %s ontvangen onder kenmerk %s. Vermeld dit kenmerk bij alle contact hierover.",
			nl.Time(b.ReceivedAt), b.Reference),
	}
	if b.Stage == breach.StagePreliminary {
		intro = append(intro, fmt.Sprintf("Uw melding is voorlopig. Vul uiterlijk %s de gegevens aan die Bijlage 3 van de verwerkersovereenkomst vraagt en nu nog ontbreken: %s.",
			nl.Time(b.ProcessorDue()), fieldList(b.MissingFields())))
	}
	return document{
		Subject:  subject(b, "Ontvangstbevestiging van uw melding"),
		Intro:    intro,
		Sections: []section{reportSection(b)},
		Link:     c.link(b),
		Outro: []string{
			"Wat er nu gebeurt: de Adviseur Privacy beoordeelt de melding en neemt contact met u op als er vragen zijn. De opdrachtgever besluit of het datalek wordt gemeld bij de Autoriteit Persoonsgegevens en aan de betrokkenen.",
			"Houd ons op de hoogte van nieuwe ontwikkelingen (artikel 9.2 van de verwerkersovereenkomst) via de API: POST " + c.links().Updates(b.ID) + ".",
		},
	}
}

func (c *Composer) changed(n breach.Notice) document {
	b := n.Breach
	title, intro := "Melding gewijzigd", fmt.Sprintf("%s heeft de melding gewijzigd op %s.", actorName(n), nl.Time(n.At))
	if n.Kind == breach.NoticeUpdated {
		title, intro = "Nieuwe ontwikkeling", fmt.Sprintf("%s meldt een ontwikkeling op %s.", actorName(n), nl.Time(n.At))
	}
	if completedBy(n.Changes) {
		title = "Melding aangevuld: nu volledig"
	}
	sections := []section{}
	if n.Update != nil {
		sections = append(sections, section{Title: "Ontwikkeling", Rows: []row{{"Bericht", n.Update.Message}}})
	}
	if len(n.Changes) > 0 {
		changes := section{Title: "Gewijzigde gegevens"}
		for _, ch := range n.Changes {
			changes.Rows = append(changes.Rows, row{nl.Field(ch.Field), fmt.Sprintf("%s → %s", changeValue(ch.Field, ch.Old), changeValue(ch.Field, ch.New))})
		}
		sections = append(sections, changes)
	}
	sections = append(sections, reportSection(b), deadlineSection(n))
	return document{Subject: subject(b, title), Intro: []string{intro, processorVerdict(b, n.At)}, Sections: sections, Link: c.link(b)}
}

func (c *Composer) awareness(n breach.Notice) document {
	b := n.Breach
	return document{
		Subject: subject(b, "Start van de 72-uurstermijn verplaatst"),
		Intro: []string{
			fmt.Sprintf("%s heeft vastgelegd dat de verwerkingsverantwoordelijke op %s op de hoogte was van dit datalek.", actorName(n), nl.Time(b.AwareAt)),
			fmt.Sprintf("De melding bij de Autoriteit Persoonsgegevens moet daardoor uiterlijk %s gedaan zijn.", nl.Time(b.AuthorityDue())),
		},
		Sections: []section{{Title: "Reden", Rows: []row{{"Toelichting", n.Reason}}}, deadlineSection(n)},
		Link:     c.link(b),
	}
}

func (c *Composer) alert(n breach.Notice) (document, error) {
	b, a := n.Breach, n.Alert
	if a == nil {
		return document{}, fmt.Errorf("alert notice %s has no alert", n.ID)
	}
	left, late := a.DueAt.Sub(n.At), n.At.Sub(a.DueAt)
	var d document
	if q := n.Question; q != nil && (a.Kind == breach.AlertQuestionReminder || a.Kind == breach.AlertQuestionOverdue) {
		if a.Kind == breach.AlertQuestionReminder && n.Audience == breach.AudienceMailboxForReporter {
			d.Subject = subject(b, fmt.Sprintf("Vraag %s aan %s nog niet beantwoord (uiterlijk %s)", q.ID, b.Organisation, nl.Time(q.DueAt)))
			d.Intro = []string{fmt.Sprintf("%s heeft vraag %s nog niet beantwoord; het antwoord wordt uiterlijk %s verwacht.", b.Organisation, q.ID, nl.Time(q.DueAt)), noEmail(b)}
		} else if a.Kind == breach.AlertQuestionReminder {
			d.Subject = subject(b, fmt.Sprintf("Herinnering: antwoord op vraag %s uiterlijk %s", q.ID, nl.Time(q.DueAt)))
			d.Intro = []string{fmt.Sprintf("Beste %s,", b.Reporter.Name),
				fmt.Sprintf("De Adviseur Privacy wacht op uw antwoord op vraag %s, uiterlijk %s (over %s).", q.ID, nl.Time(q.DueAt), nl.Duration(left))}
		} else {
			d.Subject = subject(b, fmt.Sprintf("Vraag %s aan %s niet op tijd beantwoord (%s te laat)", q.ID, b.Organisation, nl.Duration(late)))
			d.Intro = []string{fmt.Sprintf("%s heeft vraag %s niet beantwoord; het antwoord was uiterlijk %s verwacht.", b.Organisation, q.ID, nl.Time(q.DueAt))}
		}
		d.Sections = []section{questionSection(q)}
		if n.Audience == breach.AudienceReporter {
			d.Outro = []string{"Beantwoorden via de API: POST " + c.links().Answer(b.ID, q.ID) + "."}
		}
		d.Link = c.link(b)
		return d, nil
	}
	switch a.Kind {
	case breach.AlertProcessorReminder:
		if n.Audience == breach.AudienceMailboxForReporter {
			d.Subject = subject(b, fmt.Sprintf("Volledige melding van %s nog niet binnen (uiterlijk %s)", b.Organisation, nl.Time(a.DueAt)))
			d.Intro = []string{fmt.Sprintf("De melding van %s is nog voorlopig; de volledige melding moet uiterlijk %s binnen zijn, over %s.",
				b.Organisation, nl.Time(a.DueAt), nl.Duration(left)), "Nog niet gegeven: " + fieldList(b.MissingFields()) + ".", noEmail(b)}
			break
		}
		d.Subject = subject(b, fmt.Sprintf("Herinnering: volledige melding uiterlijk %s", nl.Time(a.DueAt)))
		d.Intro = []string{
			fmt.Sprintf("Beste %s,", b.Reporter.Name),
			fmt.Sprintf("Uw melding %s is nog voorlopig. Volgens Bijlage 3 van de verwerkersovereenkomst moet de volledige melding binnen 24 uur na ontdekking binnen zijn: uiterlijk %s, over %s.",
				b.Reference, nl.Time(a.DueAt), nl.Duration(left)),
			"Nog niet gegeven: " + fieldList(b.MissingFields()) + ".",
		}
		d.Outro = []string{"Vul de melding aan via de API: PATCH " + c.link(b) + "."}
	case breach.AlertProcessorOverdue:
		d.Subject = subject(b, fmt.Sprintf("Termijn verwerker verstreken: volledige melding ontbreekt (%s te laat)", nl.Duration(late)))
		d.Intro = []string{
			fmt.Sprintf("%s had de volledige melding uiterlijk %s moeten doen; die termijn is %s verstreken.", b.Organisation, nl.Time(a.DueAt), nl.Duration(late)),
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
	default:
		return d, fmt.Errorf("alert notice %s: unknown alert %q", n.ID, a.Kind)
	}
	if a.Collapsed > 0 {
		d.Intro = append(d.Intro, fmt.Sprintf("Deze waarschuwing vervangt %s eerdere die tijdens een onderbreking van de dienst niet zijn verstuurd.", nl.Count(a.Collapsed)))
	}
	d.Sections = []section{deadlineSection(n), reportSection(b)}
	d.Link = c.link(b)
	return d, nil
}

func (c *Composer) digest(n breach.Notice) document {
	d := document{
		Subject: fmt.Sprintf("[Datalek] Overzicht open datalekken %s", nl.Day(n.At)),
		Intro:   []string{fmt.Sprintf("Er staan %s datalekken open, de dichtstbijzijnde termijn eerst.", nl.Count(len(n.Breaches)))},
	}
	if len(n.Breaches) == 0 {
		d.Intro = []string{"Er staan geen datalekken open."}
		return d
	}
	t := &table{Head: []string{"Kenmerk", "Verwerker", "Titel", "Stand", "Eerstvolgende termijn"}}
	for _, b := range n.Breaches {
		t.Rows = append(t.Rows, []string{b.Reference, b.Organisation, b.Title, nl.Status(b.Status) + ", " + nl.Stage(b.Stage), nearestDeadline(b, n.At)})
	}
	d.Sections = []section{{Title: "Open datalekken", Table: t}}
	d.Link = c.links().OpenBreaches()
	return d
}

// handling covers the notices of triage and decision: what was recorded,
// with the breach's handling as it now stands.
func (c *Composer) handling(n breach.Notice) document {
	b := n.Breach
	d := document{Link: c.link(b)}
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
		for _, r := range []row{{"Toelichting", x.Note}, {"Reden van de vertraging", x.DelayReason}, {"Reden van intrekking", x.Reason}} {
			if r.Value != "" {
				rows = append(rows, r)
			}
		}
		d.Sections = append(d.Sections, section{Title: "Melding", Rows: rows})
	case breach.NoticeClosed:
		d.Subject = subject(b, "Afgesloten: "+nl.Outcome(b.Closure.Outcome))
		d.Intro = []string{fmt.Sprintf("%s heeft het datalek afgesloten als %s. Het blijft in het register.",
			actorName(n), nl.Outcome(b.Closure.Outcome))}
		if b.Closure.Reason != "" {
			d.Sections = append(d.Sections, section{Title: "Reden", Rows: []row{{"Toelichting", b.Closure.Reason}}})
		}
	}
	d.Sections = append(d.Sections, handlingSection(b), deadlineSection(n))
	return d
}

// bounce tells the privacy mailbox that a mail to someone else was refused.
func (c *Composer) bounce(n breach.Notice) (document, error) {
	b, lost := n.Breach, n.Bounced
	if b == nil || lost == nil {
		return document{}, fmt.Errorf("bounce notice %s has no breach or mail", n.ID)
	}
	return document{
		Subject: subject(b, "Mail aan "+strings.Join(lost.To, ", ")+" niet afgeleverd"),
		Intro: []string{
			fmt.Sprintf("De mailserver van de ontvanger weigert de mail (%s) aan %s voorgoed: %s.", lost.Kind, strings.Join(lost.To, ", "), n.Reason),
			"Er wordt niet opnieuw geprobeerd. Neem op een andere manier contact op met de melder.",
		},
		Sections: []section{{Title: "Melder", Rows: []row{{"Contact", reporter(b.Reporter)}}}, reportSection(b)},
		Link:     c.link(b),
	}, nil
}

// noEmail is the line that tells the mailbox why it gets a mail meant for the
// reporter.
func noEmail(b *breach.Breach) string {
	return fmt.Sprintf("De melder heeft geen e-mailadres opgegeven; neem contact op: %s.", reporter(b.Reporter))
}

// question covers a question to the supplier and its answer.
func (c *Composer) question(n breach.Notice) (document, error) {
	b, q := n.Breach, n.Question
	if q == nil {
		return document{}, fmt.Errorf("notice %s has no question", n.ID)
	}
	d := document{Sections: []section{questionSection(q)}, Link: c.link(b)}
	switch {
	case n.Kind == breach.NoticeQuestion && n.Audience == breach.AudienceReporter:
		d.Subject = subject(b, fmt.Sprintf("Vraag over uw melding (antwoord uiterlijk %s)", nl.Time(q.DueAt)))
		d.Intro = []string{fmt.Sprintf("Beste %s,", b.Reporter.Name),
			fmt.Sprintf("De Adviseur Privacy heeft een vraag over melding %s. Graag uw antwoord uiterlijk %s.", b.Reference, nl.Time(q.DueAt))}
		d.Outro = []string{"Beantwoorden via de API: POST " + c.links().Answer(b.ID, q.ID) + " met {\"answer\": \"…\"}."}
		return d, nil
	case n.Kind == breach.NoticeQuestion:
		d.Subject = subject(b, fmt.Sprintf("Vraag %s gesteld aan %s (antwoord uiterlijk %s)", q.ID, b.Organisation, nl.Time(q.DueAt)))
		d.Intro = []string{fmt.Sprintf("%s heeft %s een vraag gesteld.", actorName(n), b.Organisation)}
		if b.Reporter.Email == "" {
			d.Intro = append(d.Intro, noEmail(b))
		}
		return d, nil
	}
	d.Subject = subject(b, fmt.Sprintf("Antwoord van %s op vraag %s", b.Organisation, q.ID))
	d.Intro = []string{fmt.Sprintf("%s heeft vraag %s beantwoord.", actorName(n), q.ID)}
	d.Sections = append(d.Sections, reportSection(b))
	return d, nil
}

func questionSection(q *breach.Question) section {
	rows := []row{{"Vraag", q.Question}, {"Gesteld op", nl.Time(q.AskedAt)}, {"Antwoord uiterlijk", nl.Time(q.DueAt)}}
	if q.AnsweredAt != nil {
		rows = append(rows, row{"Antwoord", q.Answer}, row{"Beantwoord op", nl.Time(*q.AnsweredAt)})
	}
	return section{Title: "Vraag " + q.ID, Rows: rows}
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
	if a.DPC != a.DPCDefault {
		dpc += fmt.Sprintf(" (standaard %d; %s)", a.DPCDefault, a.DPCReason)
	}
	cb := fmt.Sprintf("vertrouwelijkheid %s, integriteit %s, beschikbaarheid %s", nl.CB(a.CB.Confidentiality),
		nl.CB(a.CB.Integrity), nl.CB(a.CB.Availability))
	if a.CB.Malicious {
		cb += ", met kwade opzet"
	}
	return section{Title: "Beoordeling " + fmt.Sprint(a.Seq), Rows: []row{
		{"Soort inbreuk", strings.Join(types, ", ")},
		{"Ernst (ENISA)", fmt.Sprintf("%s: %s (DPC %s × EI %s + CB)", nl.Score(a.Severity.Score), nl.Severity(a.Severity.Level), dpc, nl.EI(a.EI))},
		{"Omstandigheden", cb},
		{"Onbegrijpelijk voor anderen (versleuteld)", nl.YesNo(&a.Unintelligible)},
		{"Waarschijnlijke gevolgen", a.Consequences},
		{"Aanbeveling volgens de ernst", nl.Recommendation(a.Recommendation)},
		{"Conclusie van de Adviseur Privacy", nl.Risk(a.Risk)},
		{"Onderbouwing", a.Reasoning},
	}}
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

func actorName(n breach.Notice) string {
	if n.Actor == nil {
		return "De dienst"
	}
	if n.Actor.Organisation != "" {
		return fmt.Sprintf("%s (%s)", n.Actor.Organisation, n.Actor.Name)
	}
	return fmt.Sprintf("%s (%s)", n.Actor.Name, nl.Role(n.Actor.Role))
}

func completedBy(changes []breach.Change) bool {
	for _, c := range changes {
		if c.Field == "stage" && string(c.New) == `"complete"` {
			return true
		}
	}
	return false
}

// processorVerdict says in one sentence where the 24-hour deadline stands.
func processorVerdict(b *breach.Breach, at time.Time) string {
	d := b.DeadlinesAt(at).Processor
	switch d.State {
	case breach.DeadlineMet:
		return fmt.Sprintf("De 24-uurstermijn van de verwerker is gehaald (uiterlijk %s).", nl.Time(d.DueAt))
	case breach.DeadlineLate:
		return fmt.Sprintf("De 24-uurstermijn van de verwerker is NIET gehaald: de volledige melding kwam %s te laat.", nl.Duration(time.Duration(d.LateBySeconds)*time.Second))
	case breach.DeadlineOverdue:
		return fmt.Sprintf("De 24-uurstermijn van de verwerker is NIET gehaald: de volledige melding ontbreekt nog, %s na %s.", nl.Duration(time.Duration(d.LateBySeconds)*time.Second), nl.Time(d.DueAt))
	}
	return fmt.Sprintf("De volledige melding moet uiterlijk %s binnen zijn (nog %s).", nl.Time(d.DueAt), nl.Duration(d.DueAt.Sub(at)))
}

// deadlineSection shows the deadlines of the notice's breach at the time of
// the notice, those its audience may see.
func deadlineSection(n breach.Notice) section {
	b, at := n.Breach, n.At
	processor, authority := n.Side().Deadlines(b, at)
	rows := []row{{"Verwerker: volledige melding (24 uur na ontdekking)", deadlineText(processor, at)}}
	if authority != nil {
		rows = append(rows, row{"Melding Autoriteit Persoonsgegevens (72 uur na bewustwording)", "bewust sinds " + nl.Time(b.AwareAt) + "; " + deadlineText(*authority, at)})
	}
	return section{Title: "Termijnen", Rows: rows}
}

func deadlineText(d breach.Deadline, at time.Time) string {
	late := nl.Duration(time.Duration(d.LateBySeconds) * time.Second)
	switch d.State {
	case breach.DeadlineMet:
		return "gehaald; uiterlijk " + nl.Time(d.DueAt)
	case breach.DeadlineLate:
		return fmt.Sprintf("niet gehaald: %s te laat; uiterlijk %s", late, nl.Time(d.DueAt))
	case breach.DeadlineOverdue:
		return fmt.Sprintf("verstreken op %s (%s geleden)", nl.Time(d.DueAt), late)
	case breach.DeadlineStopped:
		return "niet meer van toepassing"
	}
	return fmt.Sprintf("uiterlijk %s (nog %s)", nl.Time(d.DueAt), nl.Duration(d.DueAt.Sub(at)))
}

func nearestDeadline(b *breach.Breach, at time.Time) string {
	running := b.RunningDeadlines()
	if len(running) == 0 {
		return "geen lopende termijn"
	}
	ds := b.DeadlinesAt(at)
	if running[0].Clock == breach.ClockProcessor {
		return "verwerker: " + deadlineText(ds.Processor, at)
	}
	return "AP: " + deadlineText(ds.Authority, at)
}

func reportSection(b *breach.Breach) section {
	r := b.Report
	started, ongoing := missing, "niet opgegeven"
	if r.StartedAt != nil {
		started = nl.Time(*r.StartedAt)
	}
	if r.Ongoing != nil {
		ongoing = nl.YesNo(r.Ongoing)
	}
	rows := []row{
		{"Kenmerk", b.Reference},
		{"Verwerker", b.Organisation},
		{"Titel", r.Title},
		{"Stand van de melding", nl.Stage(b.Stage)},
		{"Ontdekt op", nl.Time(r.DetectedAt)},
		{"Ontstaan op", started},
		{"Nog gaande", ongoing},
		{"Oorzaak", orMissing(r.Cause)},
		{"Persoonsgegevens", orMissing(nl.Categories(r.PersonalData))},
		{"Vermoedelijk aantal betrokkenen", orMissing(nl.Subjects(r.SubjectsMin, r.SubjectsMax))},
		{"Verstuurde uitingen", orMissing(nl.SentItems(r.SentItems))},
		{"Vernietigd of teruggestuurd", orMissing(nl.Disposition(r.ItemDisposition))},
		{"Maatregelen", orMissing(r.Measures)},
		{"Melder", reporter(r.Reporter)},
	}
	if r.ContractReference != "" {
		rows = append(rows, row{"Contractreferentie", r.ContractReference})
	}
	if n := len(b.Updates); n > 0 {
		rows = append(rows, row{"Ontwikkelingen", fmt.Sprintf("%s, laatste op %s: %s", nl.Count(n), nl.Time(b.Updates[n-1].ReceivedAt), b.Updates[n-1].Message)})
	}
	return section{Title: "Melding (Bijlage 3)", Rows: rows}
}
