package nl

import (
	"fmt"
	"time"

	"datalek/breach"
)

// Row is one labelled fact, as mails and pages show a report.
type Row struct{ Label, Value string }

// Missing stands for a fact the supplier has not given yet.
const Missing = "(nog niet opgegeven)"

// OrMissing is s, or Missing when s is empty.
func OrMissing(s string) string {
	if s == "" {
		return Missing
	}
	return s
}

// ReportRows are the supplier's report (the facts of Bijlage 3), one row
// each, as both the mails and the breach's page show it.
func ReportRows(b *breach.Breach) []Row {
	r := b.Report
	started, ongoing := Missing, "niet opgegeven"
	if r.StartedAt != nil {
		started = Time(*r.StartedAt)
	}
	if r.Ongoing != nil {
		ongoing = YesNo(r.Ongoing)
	}
	rows := []Row{
		{"Kenmerk", b.Reference},
		{"Verwerker", b.Organisation},
		{"Titel", r.Title},
		{"Stand van de melding", Stage(b.Stage)},
		{"Ontdekt op", Time(r.DetectedAt)},
		{"Ontstaan op", started},
		{"Nog gaande", ongoing},
		{"Oorzaak", OrMissing(r.Cause)},
		{"Persoonsgegevens", OrMissing(Categories(r.PersonalData))},
		{"Vermoedelijk aantal betrokkenen", OrMissing(Subjects(r.SubjectsMin, r.SubjectsMax))},
		{"Verstuurde uitingen", OrMissing(SentItems(r.SentItems))},
		{"Vernietigd of teruggestuurd", OrMissing(Disposition(r.ItemDisposition))},
		{"Maatregelen", OrMissing(r.Measures)},
		{"Melder", OrMissing(reporterText(r.Reporter))},
	}
	if r.ContractReference != "" {
		rows = append(rows, Row{"Contractreferentie", r.ContractReference})
	}
	return rows
}

// DeadlineText says where a deadline stands at an instant, in a sentence
// fragment: "uiterlijk … (nog 5 uur en 12 minuten)", "verstreken op … (2
// uur geleden)".
func DeadlineText(d breach.Deadline, at time.Time) string {
	late := Duration(time.Duration(d.LateBySeconds) * time.Second)
	switch d.State {
	case breach.DeadlineMet:
		return "gehaald; uiterlijk " + Time(d.DueAt)
	case breach.DeadlineLate:
		return fmt.Sprintf("niet gehaald: %s te laat; uiterlijk %s", late, Time(d.DueAt))
	case breach.DeadlineOverdue:
		return fmt.Sprintf("verstreken op %s (%s geleden)", Time(d.DueAt), late)
	case breach.DeadlineStopped:
		return "niet meer van toepassing"
	}
	return fmt.Sprintf("uiterlijk %s (nog %s)", Time(d.DueAt), Duration(d.DueAt.Sub(at)))
}
