package api

// The pages of a supplier's staff (UI.md, issue 11): filing a report, their
// organisation's reports, completing one, a development, answering a
// question. Only their own organisation's, as the API allows: the pages
// call the same use cases as the JSON API, as the person signed in, and
// show a breach as breach.Side says a supplier may see it.

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"datalek/breach"
	"datalek/breach/nl"
)

// SupplierHome is where a supplier's staff land after signing in.
const SupplierHome = "/meldingen"

// supplierScript counts the filing page's 24 hours down from the detection
// time typed; the page works without it.
var supplierScript, _ = webFS.ReadFile("web/supplier.js")

// registerSupplierRoutes adds the supplier's pages; p has a signed-in person.
func (s *Server) registerSupplierRoutes(p pageRoutes) {
	p.e.GET("/static/supplier.js", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "max-age=3600")
		return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", supplierScript)
	})
	sp := pageRoutes{p.e, append(slices.Clip(p.mw), s.only(breach.RoleSupplier))}
	sp.GET(SupplierHome, s.pageReports)
	sp.POST(SupplierHome, s.postReport)
	sp.GET("/meldingen/nieuw", func(c echo.Context) error {
		return s.renderNewReport(c, http.StatusOK, page{Notice: supplierNotice[c.QueryParam("opgeslagen")]})
	})
	sp.GET("/meldingen/termijn", s.deadlinePreview)
	sp.GET("/meldingen/:id", func(c echo.Context) error {
		return s.renderReport(c, http.StatusOK, page{Notice: supplierNotice[c.QueryParam("opgeslagen")]})
	})
	sp.POST("/meldingen/:id/aanvullen", s.postCompletion)
	sp.POST("/meldingen/:id/ontwikkelingen", s.postDevelopment)
	sp.POST("/meldingen/:id/vragen/:qid/antwoord", s.postAnswer)
}

// only lets a person of the role on; anyone else finds nothing, as for what
// they may not see anywhere (staff and operators have pages of their own).
func (s *Server) only(role breach.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if actor(c).Role != role {
				return s.notFound(c)
			}
			return next(c)
		}
	}
}

// supplierNotice confirms what a supplier's form stored, after its redirect.
var supplierNotice = map[string]string{
	"gemeld":       "Uw melding is ontvangen. De Adviseur Privacy heeft haar per e-mail gekregen.",
	"aangevuld":    "Uw aanvulling is ontvangen.",
	"ontwikkeling": "De ontwikkeling is doorgegeven aan de Adviseur Privacy.",
	"antwoord":     "Uw antwoord is doorgegeven aan de Adviseur Privacy.",
	"concept":      "Uw concept is bewaard; de melding is nog niet gedaan. U kunt hier later verder, ook vanaf een andere computer.",
	"weggegooid":   "Het concept is weggegooid.",
}

// reportsView is the list of the organisation's reports.
type reportsView struct {
	Rows []reportRow
	Next string // the cursor of the next (older) page
}

// reportRow is one report on the list, with what is still asked of the
// supplier.
type reportRow struct {
	ID, Reference, Title, Received, Status string
	Clock                                  deadlineView
	Missing                                string // the Bijlage 3 facts still to give, in words
	Asked                                  []questionView
}

// questionView is a question to the supplier, with its due time as a
// clock while it is open.
type questionView struct {
	breach.Question
	Clock deadlineView
	Form  string // the name of its answer form
}

// pageReports lists the organisation's reports, newest first, each with
// its status, the 24 hours and what is still asked: the facts a
// preliminary report lacks and the open questions.
func (s *Server) pageReports(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	list, err := s.Service.ListBreaches(ctx, a, breach.BreachFilter{Sort: breach.SortReceived, Cursor: c.QueryParam("verder")})
	if err != nil {
		return s.pageError(c, err, "meldingen", s.framed(c, page{}, "Mijn meldingen", reportsView{}))
	}
	now := s.now()
	v := reportsView{Next: list.NextCursor}
	for _, b := range list.Breaches {
		row := reportRow{ID: b.ID, Reference: b.Reference, Title: b.Report.Title, Received: nl.Time(b.ReceivedAt),
			Status: nl.Status(b.Status) + ", " + nl.Stage(b.Stage),
			Clock:  deadlineViewOf("24 uur na ontdekking", a.Side().Deadlines(b, now).Processor, now)}
		if b.Status != breach.StatusClosed {
			row.Missing = missingText(b)
			row.Asked = openQuestions(b, now)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(c, http.StatusOK, "meldingen", s.framed(c, page{}, "Mijn meldingen", v))
}

// missingText names the Bijlage 3 facts a report does not give yet.
func missingText(b *breach.Breach) string {
	var labels []string
	for _, f := range b.Report.MissingFields() {
		labels = append(labels, strings.ToLower(nl.Field(f)))
	}
	return strings.Join(labels, ", ")
}

// openQuestions are a breach's questions not answered yet, each with its
// due time.
func openQuestions(b *breach.Breach, now time.Time) []questionView {
	var out []questionView
	for _, q := range b.OpenQuestions() {
		out = append(out, questionOf(q, now))
	}
	return out
}

func questionOf(q breach.Question, now time.Time) questionView {
	d := breach.DeadlineAt(q.DueAt, nil, now) // open questions only: not answered yet
	return questionView{Question: q, Clock: deadlineViewOf("Antwoord", d, now), Form: "antwoord-" + q.ID}
}

// reportView is the page of one of the organisation's reports.
type reportView struct {
	View      string
	B         *breach.Breach
	Facts     []nl.Row
	Missing   string
	Deadlines []deadlineView
	Questions []questionView
	Open      bool
	Complete  *reportForm // the form to complete a preliminary report
}

// renderReport shows the page of a report as the supplier may see it; p
// carries what a form kept of what was typed, and its errors.
func (s *Server) renderReport(c echo.Context, status int, p page) error {
	ctx, a := c.Request().Context(), actor(c)
	b, err := s.Service.FindBreach(ctx, a, c.Param("id"))
	if err != nil {
		return s.pageProblem(c, err)
	}
	now := s.now()
	ds := a.Side().Deadlines(b, now)
	v := reportView{View: "melding", B: b, Facts: nl.ReportRows(b), Missing: missingText(b), Open: b.Status != breach.StatusClosed,
		Deadlines: []deadlineView{
			deadlineViewOf("Melding gedaan (binnen 24 uur na ontdekking)", ds.Informed, now),
			deadlineViewOf("Gegevens van Bijlage 3 volledig (binnen 24 uur na ontdekking)", ds.Processor, now),
		}}
	for _, q := range b.Questions {
		v.Questions = append(v.Questions, questionOf(q, now))
	}
	if v.Open && b.Stage == breach.StagePreliminary {
		v.Complete = newReportForm(p, "aanvullen", "/meldingen/"+url.PathEscape(b.ID)+"/aanvullen", b.Report.MissingFields())
	}
	return s.render(c, status, "melding", s.framed(c, p, b.Reference+": "+b.Report.Title, v))
}

// filingView is the page to file a report.
type filingView struct {
	View  string
	Form  *reportForm
	Clock *deadlineView // the 24 hours from the detection time typed
	Draft string        // when the draft resumed was saved
}

// Hint stands where the 24 hours will be, until a detection time is typed.
func (filingView) Hint() string { return detectionHint }

// renderNewReport shows the form to file a report: as typed when p was
// posted, else the person's draft when there is one, else an empty form
// with the person as the reporter.
func (s *Server) renderNewReport(c echo.Context, status int, p page) error {
	ctx, a := c.Request().Context(), actor(c)
	d, err := s.Service.Draft(ctx, a)
	if err != nil {
		return err
	}
	if p.Active == "" {
		own, err := s.Service.OwnAccount(ctx, a)
		if err != nil {
			return err
		}
		values := url.Values{"stage": {string(breach.StageComplete)}, "reporter.name": {a.Name},
			"reporter.function": {a.Function}, "reporter.email": {own.Email}, "filing_key": {breach.NewID()}}
		if d != nil {
			values = draftValues(d)
		}
		p.Prefill = map[string]url.Values{"nieuw": values}
	}
	v := filingView{View: "nieuw", Form: newReportForm(p, "nieuw", SupplierHome, nil)}
	if d != nil {
		v.Draft = nl.Time(d.SavedAt)
	}
	v.Clock, _ = s.detectionClock(v.Form.V("detected_at"))
	return s.render(c, status, "melding", s.framed(c, p, "Melding doen", v))
}

// detectionClock is the 24 hours from a detection time as typed, by the
// domain's rule; nil, with why, while none can be read.
func (s *Server) detectionClock(typed string) (*deadlineView, string) {
	f := &form{values: url.Values{"detected_at": {typed}}}
	detected := f.instant("detected_at")
	now := s.now()
	switch {
	case f.invalid():
		return nil, "Het moment van ontdekking " + f.p[0].Message + "."
	case detected.IsZero():
		return nil, detectionHint
	case detected.After(now):
		return nil, "Het moment van ontdekking ligt in de toekomst."
	}
	b := breach.Breach{Report: breach.Report{DetectedAt: detected}}
	v := deadlineViewOf("24 uur na ontdekking", b.DeadlinesAt(now).Processor, now)
	return &v, ""
}

// deadlinePreview answers the filing page's script with the 24 hours from
// the detection time typed, in the page's words, and their end for the
// script to count down to.
func (s *Server) deadlinePreview(c echo.Context) error {
	v, why := s.detectionClock(c.QueryParam("detected_at"))
	if v == nil {
		return c.JSON(http.StatusOK, map[string]string{"text": why})
	}
	return c.JSON(http.StatusOK, map[string]string{"text": "Uw melding moet binnen zijn " + v.Text + ": ",
		"countdown": v.Countdown, "due": v.Due, "state": string(v.State)})
}

const detectionHint = "Vul het moment van ontdekking in: de 24 uur voor uw melding lopen vanaf dat moment."
