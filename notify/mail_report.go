package notify

import (
	"fmt"
	"time"

	"datalek/breach"
	"datalek/breach/nl"
)

// The mails about the report itself: filed, acknowledged, changed, the
// moved start of the 72 hours; with the sections that show a report and its
// deadlines.

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
		Link:     c.link(n),
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
	do := "Meld nieuwe ontwikkelingen (artikel 9.2 van de verwerkersovereenkomst) op"
	if b.Stage == breach.StagePreliminary {
		intro = append(intro, fmt.Sprintf("Uw melding is voorlopig. Vul uiterlijk %s de gegevens aan die Bijlage 3 van de verwerkersovereenkomst vraagt en nu nog ontbreken: %s.",
			nl.Time(b.ProcessorDue()), fieldList(b.MissingFields())))
		do = "Vul de melding aan, en meld nieuwe ontwikkelingen (artikel 9.2 van de verwerkersovereenkomst), op"
	}
	return document{
		Subject:  subject(b, "Ontvangstbevestiging van uw melding"),
		Intro:    intro,
		Sections: []section{reportSection(b)},
		Outro: []string{
			"Wat er nu gebeurt: de Adviseur Privacy beoordeelt de melding en neemt contact met u op als er vragen zijn. De opdrachtgever besluit of het datalek wordt gemeld bij de Autoriteit Persoonsgegevens en aan de betrokkenen.",
		},
		Do:   passOn(n, do, c.links().SupplierPage(b.ID)),
		Link: c.link(n),
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
	return document{Subject: subject(b, title), Intro: []string{intro, processorVerdict(b, n.At)}, Sections: sections, Link: c.link(n)}
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
		Link:     c.link(n),
	}
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
	ds := n.Side().Deadlines(b, at)
	rows := []row{
		{"Verwerker: gemeld (24 uur na ontdekking)", nl.DeadlineText(ds.Informed, at)},
		{"Verwerker: minimale gegevens volledig (24 uur na ontdekking)", nl.DeadlineText(ds.Processor, at)},
	}
	if ds.Authority != nil {
		rows = append(rows, row{"Melding Autoriteit Persoonsgegevens (72 uur na kennisname)", "kennisname " + nl.Time(b.AwareAt) + "; " + nl.DeadlineText(*ds.Authority, at)})
	}
	return section{Title: "Termijnen", Rows: rows}
}

func nearestDeadline(b *breach.Breach, at time.Time) string {
	running := b.RunningDeadlines()
	if len(running) == 0 {
		return "geen lopende termijn"
	}
	ds := b.DeadlinesAt(at)
	if running[0].Clock == breach.ClockProcessor {
		return "verwerker: " + nl.DeadlineText(ds.Processor, at)
	}
	return "AP: " + nl.DeadlineText(ds.Authority, at)
}

func reportSection(b *breach.Breach) section {
	var rows []row
	for _, r := range nl.ReportRows(b) {
		rows = append(rows, row(r))
	}
	if n := len(b.Updates); n > 0 {
		rows = append(rows, row{"Ontwikkelingen", fmt.Sprintf("%s, laatste op %s: %s", nl.Count(n), nl.Time(b.Updates[n-1].ReceivedAt), b.Updates[n-1].Message)})
	}
	return section{Title: "Melding (Bijlage 3)", Rows: rows}
}
