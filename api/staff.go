package api

// The pages of the privacy adviser and the controller (UI.md): the overview
// of open breaches, the page of one breach with its forms, the AP form draft
// and the register. They call the same use cases as the JSON API, as the
// person signed in, so that the trail names the person.

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"datalek/breach"
	"datalek/breach/nl"
)

// registerStaffRoutes adds the staff's pages; p has a signed-in person.
func (s *Server) registerStaffRoutes(g, p pageRoutes) {
	g.GET("/static/app.js", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "max-age=3600")
		return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", appScript)
	})
	p.GET("/overzicht", s.pageOverview)
	p.GET("/datalekken/:id", s.pageBreach)
	p.GET("/datalekken/:id/ap-formulier", s.pageAuthorityForm)
	p.POST("/datalekken/:id/behandeling", s.postTriage)
	p.POST("/datalekken/:id/beoordeling", s.postAssessment)
	p.POST("/datalekken/:id/ernst", s.postSeverityPreview)
	p.POST("/datalekken/:id/vragen", s.postQuestion)
	p.POST("/datalekken/:id/besluit", s.postDecision)
	p.POST("/datalekken/:id/ap-meldingen", s.postAuthorityNotification)
	p.POST("/datalekken/:id/betrokkenen", s.postSubjectCommunication)
	p.POST("/datalekken/:id/afsluiten", s.postClose)
	p.POST("/datalekken/:id/kennisname", s.postAwareness)
	p.POST("/datalekken/:id/andere-verantwoordelijken", s.postOtherControllers)
	p.GET("/datalekken/:id/brief", s.pageLetter)
	p.GET("/register", s.pageRegister)
	// sessie keeps a session alive while its person types: a long form
	// makes no request until it is sent (app.js asks at most every 5 min).
	p.GET("/sessie", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	s.registerPrintRoutes(p)
	p.GET("/register/download", func(c echo.Context) error {
		if !actor(c).Role.Staff() {
			return s.notFound(c)
		}
		return s.handleRegister(c)
	})
}

// person resolves the session cookie to the person signed in and keeps it
// as the request's actor; without a session the browser goes to sign in.
// Pages that show personal data are never kept by a browser or proxy.
func (s *Server) person(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.Service.SessionActor(c.Request().Context(), cookieValue(c))
		if err != nil {
			// Back here after signing in, so that a mail's link works: a page
			// a browser asked for, not a script's request behind one.
			if r := c.Request(); r.Method == http.MethodGet && strings.Contains(r.Header.Get(echo.HeaderAccept), echo.MIMETextHTML) {
				c.SetCookie(&http.Cookie{Name: returnCookie, Value: c.Request().URL.RequestURI(), Path: "/", HttpOnly: true,
					Secure: !s.InsecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 900})
			}
			return c.Redirect(http.StatusSeeOther, "/aanmelden")
		}
		c.Set(actorKey, a)
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// questionID is the form of a question's ID in a link (q1, q2, …).
var questionID = regexp.MustCompile(`^q[0-9]+$`)

// returnCookie keeps the page a person was sent to sign in from.
const returnCookie = "datalek_terug"

// signedIn ends a sign-in: on to the page the person came for, if it is
// one of the service's own, else home.
func (s *Server) signedIn(c echo.Context) error {
	to := "/"
	if ck, err := c.Cookie(returnCookie); err == nil && strings.HasPrefix(ck.Value, "/") &&
		!strings.HasPrefix(ck.Value, "//") && !strings.ContainsAny(ck.Value, "\\\r\n") {
		to = ck.Value
		if u, err := url.Parse(to); err == nil && questionID.MatchString(u.Query().Get("vraag")) {
			to += "#vraag-" + u.Query().Get("vraag") // the anchor a mail's link had, which the service never saw
		}
	}
	c.SetCookie(&http.Cookie{Name: returnCookie, Path: "/", MaxAge: -1})
	return c.Redirect(http.StatusSeeOther, to)
}

// personPage is the frame of a page of a person signed in: who, and the
// navigation of their role.
func (s *Server) personPage(c echo.Context, title string) page {
	a := actor(c)
	return page{Title: title, Actor: a.Label(), Staff: a.Role.Staff(), Role: a.Role, Now: s.now().Format(time.RFC3339)}
}

// deadlineView is a clock as a page shows it: in words that read without
// colour, and the instant a script counts down to.
type deadlineView struct {
	Label, Text, Countdown string
	State                  breach.DeadlineState
	Due                    string // RFC 3339, for the live countdown
}

func deadlineViewOf(label string, d breach.Deadline, now time.Time) deadlineView {
	v := deadlineView{Label: label, Text: nl.DeadlineText(d, now), Countdown: nl.Countdown(d, now), State: d.State,
		Due: d.DueAt.UTC().Format(time.RFC3339)}
	if d.State == breach.DeadlineRunning || d.State == breach.DeadlineOverdue {
		v.Text = "uiterlijk " + nl.Time(d.DueAt) // the countdown says how long
	}
	return v
}

// overviewRow is one open breach on the overview.
// Its fields are plain strings: the overview lists hundreds, and a
// template reads a flat row fastest.
type overviewRow struct {
	ID, Reference, Title, Organisation, Status string
	Processor, Authority                       deadlineView
	Severity, Waiting                          string
}

// overviewView is the overview with its filters.
type overviewView struct {
	Rows          []overviewRow
	Organisations []string
	Total         int
}

// pageOverview serves the open breaches, the nearest deadline first, with
// filters on status, supplier, period of receipt and reference.
func (s *Server) pageOverview(c echo.Context) error {
	p := s.personPage(c, "Open datalekken")
	if !p.Staff {
		return s.notFound(c)
	}
	open, err := s.Service.OpenBreaches(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	q := c.QueryParams()
	p.Active, p.Values = "filter", q
	var fe breach.Problems
	from, to := dateParam(q, "van", false, &fe), dateParam(q, "tot", true, &fe)
	p.FieldErrors = fieldErrors(fe)
	now := s.now()
	v := overviewView{Total: len(open)}
	ref := strings.ToUpper(strings.TrimSpace(q.Get("kenmerk")))
	for _, b := range open {
		if !slices.Contains(v.Organisations, b.Organisation) {
			v.Organisations = append(v.Organisations, b.Organisation)
		}
		if (q.Get("status") != "" && string(b.Status) != q.Get("status")) ||
			(q.Get("verwerker") != "" && b.Organisation != q.Get("verwerker")) ||
			(from != nil && b.ReceivedAt.Before(*from)) || (to != nil && !b.ReceivedAt.Before(*to)) ||
			(ref != "" && !strings.Contains(b.Reference, ref)) {
			continue
		}
		ds := b.DeadlinesAt(now)
		row := overviewRow{ID: b.ID, Reference: b.Reference, Title: b.Report.Title, Organisation: b.Organisation, Status: nl.Status(b.Status),
			Processor: deadlineViewOf("Verwerker (24 uur)", ds.Processor, now),
			Authority: deadlineViewOf("AP (72 uur)", ds.Authority, now), Severity: "nog niet beoordeeld", Waiting: nl.Waiting(b, now)}
		if as := b.LatestAssessment(); as != nil {
			row.Severity = nl.Severity(as.Severity.Level) + " (" + nl.Score(as.Severity.Score) + ")"
		}
		v.Rows = append(v.Rows, row)
	}
	slices.Sort(v.Organisations)
	p.Data = v
	return s.render(c, http.StatusOK, "overview", p)
}

// dateParam reads a date (YYYY-MM-DD) of a filter as the start of that day
// in Europe/Amsterdam, or of the next day for the end of a period.
func dateParam(q url.Values, name string, end bool, p *breach.Problems) *time.Time {
	v := q.Get(name)
	if v == "" {
		return nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, breach.Amsterdam)
	if err != nil {
		p.Add(name, "is geen datum; gebruik bijvoorbeeld 2026-11-20")
		return nil
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return &t
}

// breachView is everything the page of one breach shows.
type breachView struct {
	B          *breach.Breach
	Facts      []nl.Row
	Missing    []string
	Deadlines  []deadlineView
	Waiting    string
	Events     []eventView
	Assessment *breach.Assessment
	Decision   *breach.Decision // the latest
	InForce    *breach.Decision // nil once a later assessment calls for a new decision
	DefaultDPC int
	Open       bool
	Adviser    bool // may assess, ask and triage
	Controller bool // may decide and record the AP notification
	Form       *nl.AuthorityForm
}

// eventView is an entry of the trail, in words.
type eventView struct {
	At, By, What, Message string
}

// pageBreach serves the page of one breach.
func (s *Server) pageBreach(c echo.Context) error {
	return s.renderBreach(c, http.StatusOK, page{Notice: savedNotice[c.QueryParam("opgeslagen")]})
}

// savedNotice confirms what a form stored, after its redirect.
var savedNotice = map[string]string{
	"behandeling": "De melding is in behandeling genomen.",
	"beoordeling": "De beoordeling is vastgelegd.",
	"vraag":       "De vraag is aan de verwerker gestuurd.",
	"besluit":     "Het besluit is vastgelegd.",
	"ap-melding":  "De melding bij de Autoriteit Persoonsgegevens is vastgelegd.",
	"betrokkenen": "Het bericht aan de betrokkenen is vastgelegd.",
	"afgesloten":  "Het datalek is afgesloten.",
	"kennisname":  "De start van de 72-uurstermijn is verplaatst.",
	"andere":      "De andere verwerkingsverantwoordelijken zijn vastgelegd.",
}

// renderBreach shows the page of a breach; p carries what a form kept of
// what was typed, and its errors.
func (s *Server) renderBreach(c echo.Context, status int, p page) error {
	ctx, a := c.Request().Context(), actor(c)
	b, err := s.Service.FindStaffBreach(ctx, a, c.Param("id"))
	if err != nil {
		return s.pageProblem(c, err)
	}
	events, err := s.Service.ListEvents(ctx, a, b.ID)
	if err != nil {
		return err
	}
	now := s.now()
	ds := b.DeadlinesAt(now)
	v := breachView{B: b, Facts: nl.ReportRows(b), Waiting: nl.Waiting(b, now), Assessment: b.LatestAssessment(),
		Decision: b.LatestDecision(), InForce: b.DecisionInForce(), DefaultDPC: breach.DefaultDPC(&b.Report), Open: b.Status != breach.StatusClosed,
		Adviser: a.Role == breach.RoleAdviser, Controller: a.Role == breach.RoleController,
		Deadlines: []deadlineView{
			deadlineViewOf("Verwerker: minimale gegevens volledig (24 uur na ontdekking)", ds.Processor, now),
			deadlineViewOf("Melding Autoriteit Persoonsgegevens (72 uur na kennisname op "+nl.Time(b.AwareAt)+")", ds.Authority, now),
		}}
	for _, f := range b.Report.MissingFields() {
		v.Missing = append(v.Missing, nl.Field(f))
	}
	for i := len(events) - 1; i >= 0; i-- { // newest first
		e := events[i]
		v.Events = append(v.Events, eventView{At: nl.Time(e.At), By: nl.By(e.Actor.Label()), What: eventWhat(e), Message: e.Message})
	}
	p.Prefill = map[string]url.Values{"beoordeling": assessmentValues(v.Assessment), "besluit": decisionValues(v.Decision)}
	return s.render(c, status, "breach", s.framed(c, p, b.Reference+": "+b.Report.Title, v))
}

// eventWhat says what an entry of the trail did; a change of status from
// what to what.
func eventWhat(e breach.Event) string {
	what := nl.Action(e.Action)
	for _, ch := range e.Changes {
		var from, to breach.Status
		if ch.Field == "status" && json.Unmarshal(ch.Old, &from) == nil && json.Unmarshal(ch.New, &to) == nil {
			what += ": van " + nl.Status(from) + " naar " + nl.Status(to)
		}
	}
	return what
}

// pageAuthorityForm serves the AP form's draft, per question, with a copy
// button beside each answer; it prints as a document.
func (s *Server) pageAuthorityForm(c echo.Context) error {
	return s.draftPage(c, "apform", "Concept melding Autoriteit Persoonsgegevens: ", func(b *breach.Breach, now time.Time) any {
		return breachView{B: b, Form: nl.NewAuthorityForm(b, now, s.Service.Controller)}
	})
}

// pageLetter serves the draft letter to the people affected, to copy or
// print.
func (s *Server) pageLetter(c echo.Context) error {
	return s.draftPage(c, "letter", "Concept brief aan de betrokkenen: ", func(b *breach.Breach, now time.Time) any {
		return letterView{B: b, Letter: nl.NewSubjectsLetter(b, now, s.Service.Controller)}
	})
}

// draftPage serves a document drafted from a breach (the pages' side of
// the API's draft), titled with the breach's reference.
func (s *Server) draftPage(c echo.Context, name, title string, view func(b *breach.Breach, now time.Time) any) error {
	b, now, err := s.Service.DraftSource(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return s.pageProblem(c, err)
	}
	p := s.personPage(c, title+b.Reference)
	p.Data = view(b, now)
	return s.render(c, http.StatusOK, name, p)
}

type letterView struct {
	B      *breach.Breach
	Letter nl.SubjectsLetter
}

// pageProblem shows a refusal as a page: what a person may not see is not
// found, as the API says of another organisation's breach.
func (s *Server) pageProblem(c echo.Context, err error) error {
	switch breach.ErrorCode(err) {
	case breach.ENOTFOUND, breach.EFORBIDDEN:
		return s.notFound(c)
	}
	return err
}

func (s *Server) notFound(c echo.Context) error {
	p := page{Title: "Niet gevonden", Error: "Deze pagina bestaat niet, of u heeft er geen toegang toe."}
	if a, ok := c.Get(actorKey).(breach.Actor); ok {
		p.Actor, p.Staff, p.Role = a.Label(), a.Role.Staff(), a.Role // the navigation of the role
	}
	return s.render(c, http.StatusNotFound, "notfound", p)
}

// fieldErrors are the problems by field, as the templates show them.
func fieldErrors(p breach.Problems) map[string]string {
	if len(p) == 0 {
		return nil
	}
	m := map[string]string{}
	for _, f := range p {
		if m[f.Field] != "" { // several problems with one field: all of them
			m[f.Field] += "; " + f.Message
			continue
		}
		m[f.Field] = f.Message
	}
	return m
}
