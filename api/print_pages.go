package api

// The register as a document on paper (issue 11), besides its CSV and JSON
// downloads: the breaches of a period in a table that fits a landscape A4
// (api/web/print.css). The AP form draft and the letter to the people
// affected print from their own pages.

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"datalek/breach"
	"datalek/breach/nl"
)

// registerPrintRoutes adds the printable pages; p has a signed-in person.
func (s *Server) registerPrintRoutes(p pageRoutes) {
	p.GET("/register/afdruk", s.pageRegisterPrint)
}

// printColumn is a column of the printed register: of the register's many
// columns (CSV and JSON have them all), what a reader of the paper needs,
// in words.
type printColumn struct {
	Header string
	value  func(b *breach.Breach) string
}

var registerPrintColumns = []printColumn{
	{"Kenmerk", func(b *breach.Breach) string { return b.Reference }},
	{"Verwerker", func(b *breach.Breach) string { return b.Organisation }},
	{"Titel", func(b *breach.Breach) string { return b.Title }},
	{"Ontdekt, ontvangen", func(b *breach.Breach) string { return shortTime(b.DetectedAt) + ", " + shortTime(b.ReceivedAt) }},
	{"Persoonsgegevens", func(b *breach.Breach) string { return nl.Categories(b.PersonalData) }},
	{"Betrokkenen", func(b *breach.Breach) string { return nl.Subjects(b.SubjectsMin, b.SubjectsMax) }},
	{"Beoordeling", func(b *breach.Breach) string {
		a := b.LatestAssessment()
		if a == nil {
			return "nog niet beoordeeld"
		}
		return nl.Risk(a.Risk) + "; ernst " + nl.Severity(a.Severity.Level) + " (" + nl.Score(a.Severity.Score) + ")"
	}},
	{"Autoriteit Persoonsgegevens", func(b *breach.Breach) string {
		d := b.LatestDecision()
		if d == nil {
			return "geen besluit"
		}
		parts := []string{"niet melden"}
		if d.NotifyAuthority {
			parts[0] = "melden"
		}
		for _, x := range b.AuthorityNotifications {
			parts = append(parts, nl.Phase(x.Phase)+" "+shortTime(x.SubmittedAt)+", meldingsnummer "+x.Reference)
		}
		return strings.Join(parts, "; ")
	}},
	{"Betrokkenen informeren", func(b *breach.Breach) string {
		d := b.LatestDecision()
		if d == nil {
			return ""
		}
		text := nl.InformSubjects(d.InformSubjects)
		for _, x := range b.SubjectCommunications {
			text += "; " + nl.SubjectChannel(x.Channel) + " " + shortTime(x.SentAt)
		}
		return text
	}},
	{"Status", func(b *breach.Breach) string {
		if b.Closure != nil {
			return nl.Status(b.Status) + ": " + nl.Outcome(b.Closure.Outcome)
		}
		return nl.Status(b.Status)
	}},
}

// shortTime is an instant in a cell of the printed register: the date and
// time in Europe/Amsterdam, without the weekday and zone a mail spells out.
func shortTime(t time.Time) string { return t.In(breach.Amsterdam).Format("02-01-2006 15:04") }

// registerPrintView is the printed register: the period, when it was
// printed, and the rows.
type registerPrintView struct {
	Period, Printed string
	Back            string // the register's page with the same filters
	Head            []string
	Rows            [][]string
}

// pageRegisterPrint serves the register of a period as a page to print,
// with the filters of the register's page (van, tot, status); without a
// period, this year.
func (s *Server) pageRegisterPrint(c echo.Context) error {
	if !actor(c).Role.Staff() {
		return s.notFound(c)
	}
	p := s.personPage(c, "Datalekregister")
	q := c.QueryParams()
	now := s.now().In(breach.Amsterdam)
	if q.Get("van") == "" && q.Get("tot") == "" {
		q.Set("van", time.Date(now.Year(), 1, 1, 0, 0, 0, 0, breach.Amsterdam).Format(time.DateOnly))
	}
	var fe breach.Problems
	from, to := dateParam(q, "van", false, &fe), dateParam(q, "tot", true, &fe)
	registerStatus(q, &fe)
	status := q.Get("status")
	back := url.Values{"van": {q.Get("van")}, "tot": {q.Get("tot")}, "status": {status}}
	v := registerPrintView{Period: periodText(from, to, status), Printed: nl.Time(now), Back: "/register?" + back.Encode()}
	if len(fe) > 0 { // on paper, a period other than the one asked for would mislead: nothing
		p.Data, p.Error = v, "De periode is niet geldig: "+filterLabels[fe[0].Field]+" "+fe[0].Message+"."
		return s.render(c, http.StatusUnprocessableEntity, "register-print", p)
	}
	for _, col := range registerPrintColumns {
		v.Head = append(v.Head, col.Header)
	}
	if err := s.Service.Register(c.Request().Context(), actor(c), from, to, func(b *breach.Breach, _ time.Time) error {
		if status != "open" && status != "gesloten" || (b.Status == breach.StatusClosed) == (status == "gesloten") {
			v.Rows = append(v.Rows, registerPrintRow(b))
		}
		return nil
	}); err != nil {
		return s.pageProblem(c, err)
	}
	p.Data = v
	return s.render(c, http.StatusOK, "register-print", p)
}

// registerPrintRow is a breach's row of the printed register.
func registerPrintRow(b *breach.Breach) []string {
	row := make([]string, len(registerPrintColumns))
	for i, col := range registerPrintColumns {
		row[i] = col.value(b)
	}
	return row
}

// filterLabels name the register's filters in an error.
var filterLabels = map[string]string{"van": "ontvangen vanaf", "tot": "ontvangen tot en met", "status": "de status"}

// periodText says which breaches the printed register lists, e.g.
// "ontvangen vanaf donderdag 1 januari 2026, alleen open"; to is the start
// of the day after the last.
func periodText(from, to *time.Time, status string) string {
	text := "ontvangen"
	if from != nil {
		text += " vanaf " + nl.Day(*from)
	}
	if to != nil {
		text += " tot en met " + nl.Day(to.AddDate(0, 0, -1))
	}
	switch status {
	case "open":
		text += ", alleen open"
	case "gesloten":
		text += ", alleen afgesloten"
	}
	return text
}
