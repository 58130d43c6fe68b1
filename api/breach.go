package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

func (s *Server) registerBreachRoutes(g *echo.Group) {
	g.POST("/breaches", s.handleBreachCreate)
	g.GET("/breaches", s.handleBreachIndex)
	g.GET("/breaches/:id", s.handleBreachView)
	g.PATCH("/breaches/:id", s.handleBreachPatch)
	g.POST("/breaches/:id/updates", s.handleBreachUpdateCreate)
	g.GET("/breaches/:id/events", s.handleBreachEventIndex)
	g.PUT("/breaches/:id/awareness", s.handleBreachAwarenessUpdate)
}

// breachResponse is a breach as the API shows it: stored state plus what is
// derived from it at the moment of the response.
type breachResponse struct {
	*breach.Breach
	MissingFields []string             `json:"missing_fields"`
	Deadlines     breach.SideDeadlines `json:"deadlines"`
}

// breachResponse shows b to the caller: b is already as the caller may see
// it, and so are the deadlines derived from it.
func (s *Server) breachResponse(c echo.Context, b *breach.Breach) breachResponse {
	return breachResponse{Breach: b, MissingFields: b.MissingFields(), Deadlines: actor(c).Side().Deadlines(b, s.now())}
}

// handleBreachCreate serves POST /api/v1/breaches: a supplier files a report.
func (s *Server) handleBreachCreate(c echo.Context) error {
	var f breach.Filing
	if err := decodeBody(c, &f); err != nil {
		if breach.ErrorCode(err) == breach.EINVALID {
			return withValidation(err, f.Validate(s.now()))
		}
		return err
	}
	b, replayed, err := s.Service.FileBreach(c.Request().Context(), actor(c), f, c.Request().Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/breaches/"+b.ID)
	return c.JSON(http.StatusCreated, s.breachResponse(c, b))
}

// handleBreachIndex serves GET /api/v1/breaches: the breaches the caller may
// see, filtered, sorted and paged.
func (s *Server) handleBreachIndex(c echo.Context) error {
	var p breach.Problems
	f := breach.BreachFilter{
		Status:       breach.Status(c.QueryParam("status")),
		Stage:        breach.Stage(c.QueryParam("stage")),
		Organisation: c.QueryParam("organisation"),
		Risk:         breach.Risk(c.QueryParam("risk")),
		Severity:     breach.SeverityLevel(c.QueryParam("severity")),
		From:         timeParam(c, "from", &p),
		To:           timeParam(c, "to", &p),
		Sort:         breach.Sort(c.QueryParam("sort")),
		Cursor:       c.QueryParam("cursor"),
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			n = -1 // out of range: validation names it with any other bad parameter
		}
		f.Limit = n
	}
	if err := p.Err("De zoekvraag is niet geldig."); err != nil {
		return withValidation(err, f.Validate(actor(c)))
	}
	page, err := s.Service.ListBreaches(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	out := list[breachResponse]{Items: make([]breachResponse, len(page.Breaches)), NextCursor: page.NextCursor}
	for i, b := range page.Breaches {
		out.Items[i] = s.breachResponse(c, b)
	}
	return c.JSON(http.StatusOK, out)
}

// handleBreachView serves GET /api/v1/breaches/{id}.
func (s *Server) handleBreachView(c echo.Context) error {
	b, err := s.Service.FindBreach(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.breachResponse(c, b))
}

// handleBreachPatch serves PATCH /api/v1/breaches/{id}: correct or complete
// the report.
func (s *Server) handleBreachPatch(c echo.Context) error {
	var p breach.ReportPatch
	if err := decodeBody(c, &p); err != nil {
		if breach.ErrorCode(err) == breach.EINVALID {
			return withValidation(err, p.Validate())
		}
		return err
	}
	b, err := s.Service.AmendBreach(c.Request().Context(), actor(c), c.Param("id"), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.breachResponse(c, b))
}

// handleBreachUpdateCreate serves POST /api/v1/breaches/{id}/updates: a
// development after the first report (Article 9.2).
func (s *Server) handleBreachUpdateCreate(c echo.Context) error {
	var u breach.UpdateRequest
	if err := decodeBody(c, &u); err != nil {
		if breach.ErrorCode(err) == breach.EINVALID {
			return withValidation(err, u.Validate())
		}
		return err
	}
	b, err := s.Service.AddUpdate(c.Request().Context(), actor(c), c.Param("id"), u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.breachResponse(c, b))
}

// handleBreachEventIndex serves GET /api/v1/breaches/{id}/events: the audit
// trail, oldest first.
func (s *Server) handleBreachEventIndex(c echo.Context) error {
	events, err := s.Service.ListEvents(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(events))
}

// handleBreachAwarenessUpdate serves PUT /api/v1/breaches/{id}/awareness
// (adviser): the controller knew earlier than the first report, which moves
// the 72-hour clock.
func (s *Server) handleBreachAwarenessUpdate(c echo.Context) error {
	var req breach.AwarenessRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	b, err := s.Service.MoveAwareness(c.Request().Context(), actor(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.breachResponse(c, b))
}
