package api

// The register's page: every breach of a period, with filters, and its
// downloads (CSV and JSON, by the API's handler) and printout
// (print_pages.go).

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"datalek/breach"
	"datalek/breach/nl"
)

// registerView is the register page: the breaches of a period.
type registerView struct {
	Rows  []registerRow
	Query string // the period, for the download links
}

type registerRow struct {
	B        *breach.Breach
	Received string
	Status   string
	Outcome  string
}

// pageRegister serves the register: every breach received in the period
// (default: this year), with links to download it as CSV and JSON.
func (s *Server) pageRegister(c echo.Context) error {
	p := s.personPage(c, "Datalekregister")
	q := c.QueryParams()
	now := s.now().In(breach.Amsterdam)
	if q.Get("van") == "" && q.Get("tot") == "" {
		q = url.Values{"van": {time.Date(now.Year(), 1, 1, 0, 0, 0, 0, breach.Amsterdam).Format(time.DateOnly)}}
	}
	p.Active, p.Values = "filter", q
	var fe breach.Problems
	from, to := dateParam(q, "van", false, &fe), dateParam(q, "tot", true, &fe)
	registerStatus(q, &fe)
	p.FieldErrors = fieldErrors(fe)
	v := registerView{Query: periodQuery(from, to)}
	err := s.Service.Register(c.Request().Context(), actor(c), from, to, func(b *breach.Breach, _ time.Time) error {
		if st := q.Get("status"); st == "open" && b.Status == breach.StatusClosed || st == "gesloten" && b.Status != breach.StatusClosed {
			return nil
		}
		r := registerRow{B: b, Received: nl.Time(b.ReceivedAt), Status: nl.Status(b.Status)}
		if b.Closure != nil {
			r.Outcome = nl.Outcome(b.Closure.Outcome)
		}
		v.Rows = append(v.Rows, r)
		return nil
	})
	if err != nil {
		return s.pageProblem(c, err)
	}
	p.Data = v
	return s.render(c, http.StatusOK, "register", p)
}

// registerStatus checks the register's status filter: all, open or
// closed ("gesloten").
func registerStatus(q url.Values, p *breach.Problems) {
	if st := q.Get("status"); st != "" && st != "open" && st != "gesloten" {
		p.Add("status", "moet alle, open of afgesloten zijn")
	}
}

// periodQuery is the period as the register's download takes it.
func periodQuery(from, to *time.Time) string {
	q := url.Values{}
	if from != nil {
		q.Set("from", from.Format(time.RFC3339))
	}
	if to != nil {
		q.Set("to", to.Format(time.RFC3339))
	}
	return q.Encode()
}
