package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"datalek/breach"
	"datalek/breach/nl"
)

func (s *Server) registerTriageRoutes(g *echo.Group) {
	g.POST("/breaches/:id/triage", s.handleBreachTriage)
	g.POST("/breaches/:id/assessments", s.handleAssessmentCreate)
	g.GET("/breaches/:id/assessments", s.handleAssessmentIndex)
	g.POST("/breaches/:id/questions", s.handleQuestionCreate)
	g.GET("/breaches/:id/questions", s.handleQuestionIndex)
	g.POST("/breaches/:id/questions/:qid/answer", s.handleQuestionAnswer)
	g.PUT("/breaches/:id/decision", s.handleDecisionUpdate)
	g.POST("/breaches/:id/authority-notifications", s.handleAuthorityNotificationCreate)
	g.POST("/breaches/:id/close", s.handleBreachClose)
	g.PUT("/breaches/:id/other-controllers", s.handleOtherControllersUpdate)
	g.GET("/breaches/:id/authority-form", s.handleAuthorityForm)
	g.POST("/breaches/:id/subject-communications", s.handleSubjectCommunicationCreate)
	g.GET("/breaches/:id/subjects-letter", s.handleSubjectsLetter)
	g.GET("/register", s.handleRegister)
}

// decodeAndRun decodes a JSON body into T and runs the use case with it.
func decodeAndRun[T, R any](c echo.Context, run func(req T) (R, error)) (R, error) {
	var req T
	if err := decodeBody(c, &req); err != nil {
		var zero R
		return zero, err
	}
	return run(req)
}

// respond writes v with status, or the error.
func respond(c echo.Context, status int, v any, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(status, v)
}

// handleBreachTriage serves POST /api/v1/breaches/{id}/triage (adviser):
// take a new breach into handling.
func (s *Server) handleBreachTriage(c echo.Context) error {
	b, err := s.Service.StartTriage(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.breachResponse(c, b))
}

// handleAssessmentCreate serves POST /api/v1/breaches/{id}/assessments
// (adviser): the assessment with its computed severity and recommendation.
func (s *Server) handleAssessmentCreate(c echo.Context) error {
	b, err := decodeAndRun(c, func(req breach.AssessmentRequest) (*breach.Breach, error) {
		return s.Service.Assess(c.Request().Context(), actor(c), c.Param("id"), req)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, b.LatestAssessment())
}

// handleAssessmentIndex serves GET /api/v1/breaches/{id}/assessments
// (adviser, controller): every assessment, the latest last.
func (s *Server) handleAssessmentIndex(c echo.Context) error {
	b, err := s.Service.FindStaffBreach(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(orEmpty(b.Assessments)))
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// handleQuestionCreate serves POST /api/v1/breaches/{id}/questions (adviser).
func (s *Server) handleQuestionCreate(c echo.Context) error {
	q, err := decodeAndRun(c, func(req breach.QuestionRequest) (*breach.Question, error) {
		_, q, err := s.Service.Ask(c.Request().Context(), actor(c), c.Param("id"), req)
		return q, err
	})
	return respond(c, http.StatusCreated, q, err)
}

// handleQuestionIndex serves GET /api/v1/breaches/{id}/questions: the
// breach's questions; with ?open=true only those not answered yet.
func (s *Server) handleQuestionIndex(c echo.Context) error {
	open := c.QueryParam("open")
	if open != "" && open != "true" && open != "false" {
		return invalidParam("open", "moet true of false zijn")
	}
	qs, err := s.Service.ListQuestions(c.Request().Context(), actor(c), c.Param("id"), open == "true")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(orEmpty(qs)))
}

// handleQuestionAnswer serves POST /api/v1/breaches/{id}/questions/{qid}/answer
// (the supplier whose breach it is).
func (s *Server) handleQuestionAnswer(c echo.Context) error {
	q, err := decodeAndRun(c, func(req breach.AnswerRequest) (*breach.Question, error) {
		_, q, err := s.Service.Answer(c.Request().Context(), actor(c), c.Param("id"), c.Param("qid"), req)
		return q, err
	})
	return respond(c, http.StatusOK, q, err)
}

// handleDecisionUpdate serves PUT /api/v1/breaches/{id}/decision (controller).
func (s *Server) handleDecisionUpdate(c echo.Context) error {
	b, err := decodeAndRun(c, func(req breach.DecisionRequest) (*breach.Breach, error) {
		return s.Service.Decide(c.Request().Context(), actor(c), c.Param("id"), req)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b.LatestDecision())
}

// handleAuthorityNotificationCreate serves POST
// /api/v1/breaches/{id}/authority-notifications (controller).
func (s *Server) handleAuthorityNotificationCreate(c echo.Context) error {
	b, err := decodeAndRun(c, func(req breach.AuthorityNotificationRequest) (*breach.Breach, error) {
		return s.Service.RecordAuthorityNotification(c.Request().Context(), actor(c), c.Param("id"), req)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, b.AuthorityNotifications[len(b.AuthorityNotifications)-1])
}

// handleSubjectCommunicationCreate serves POST
// /api/v1/breaches/{id}/subject-communications (controller, adviser).
func (s *Server) handleSubjectCommunicationCreate(c echo.Context) error {
	b, err := decodeAndRun(c, func(req breach.SubjectCommunicationRequest) (*breach.Breach, error) {
		return s.Service.RecordSubjectCommunication(c.Request().Context(), actor(c), c.Param("id"), req)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, b.SubjectCommunications[len(b.SubjectCommunications)-1])
}

// handleBreachClose serves POST /api/v1/breaches/{id}/close (adviser,
// controller).
func (s *Server) handleBreachClose(c echo.Context) error {
	b, err := decodeAndRun(c, func(req breach.CloseRequest) (*breach.Breach, error) {
		return s.Service.Close(c.Request().Context(), actor(c), c.Param("id"), req)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.breachResponse(c, b))
}

// handleOtherControllersUpdate serves PUT
// /api/v1/breaches/{id}/other-controllers (adviser).
func (s *Server) handleOtherControllersUpdate(c echo.Context) error {
	b, err := decodeAndRun(c, func(req breach.OtherControllersRequest) (*breach.Breach, error) {
		return s.Service.SetOtherControllers(c.Request().Context(), actor(c), c.Param("id"), req)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"controllers": orEmpty(b.OtherControllers)})
}

// handleSubjectsLetter serves GET /api/v1/breaches/{id}/subjects-letter
// (adviser, controller): the draft letter to the people affected, as JSON
// or, with ?format=text, as text to copy from.
func (s *Server) handleSubjectsLetter(c echo.Context) error {
	return s.draft(c, func(b *breach.Breach, now time.Time) drafted {
		return nl.NewSubjectsLetter(b, now, s.Service.Controller)
	})
}

// drafted is a document drafted from a breach for staff: the AP form, the
// letter to the people affected.
type drafted interface{ Text() string }

// draft serves a drafted document as JSON or, with ?format=text, as text.
func (s *Server) draft(c echo.Context, compose func(b *breach.Breach, now time.Time) drafted) error {
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "text" {
		return invalidParam("format", "moet json of text zijn")
	}
	b, now, err := s.Service.DraftSource(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	doc := compose(b, now)
	if format == "text" {
		return c.String(http.StatusOK, doc.Text())
	}
	return c.JSON(http.StatusOK, doc)
}

// handleAuthorityForm serves GET /api/v1/breaches/{id}/authority-form
// (adviser, controller): the AP's form prefilled, as JSON or, with
// ?format=text, as text to copy from.
func (s *Server) handleAuthorityForm(c echo.Context) error {
	return s.draft(c, func(b *breach.Breach, now time.Time) drafted {
		return nl.NewAuthorityForm(b, now, s.Service.Controller)
	})
}

func invalidParam(field, message string) error {
	return &breach.Error{Code: breach.EINVALID, Message: "De zoekvraag is niet geldig.",
		Fields: []breach.FieldError{{Field: field, Message: message}}}
}

// timeParam reads an optional instant from the query: RFC 3339, or a date
// (YYYY-MM-DD) meaning its start in Europe/Amsterdam.
func timeParam(c echo.Context, name string, p *breach.Problems) *time.Time {
	v := c.QueryParam(name)
	if v == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, breach.Amsterdam); err == nil {
		return &t
	}
	p.Add(name, "moet een datum (2026-11-20) of tijdstip in RFC 3339 zijn")
	return nil
}

// registerFlushEvery is how many rows are written between flushes.
const registerFlushEvery = 100

// handleRegister serves GET /api/v1/register (adviser, controller): the
// breach register, every breach received in [from, to), streamed as JSON or,
// with ?format=csv, as CSV for a spreadsheet (UTF-8 with BOM, semicolons).
func (s *Server) handleRegister(c echo.Context) error {
	var p breach.Problems
	from, to := timeParam(c, "from", &p), timeParam(c, "to", &p)
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" {
		p.Add("format", "moet json of csv zijn")
	}
	if err := p.Err("De zoekvraag is niet geldig."); err != nil {
		return err
	}
	w := c.Response()
	rows, started := 0, false
	var (
		csvw   *csv.Writer
		encode = func(b *breach.Breach, now time.Time) error { return nil }
	)
	begin := func() error { // headers go out with the first byte, after every check passed
		started = true
		if format == "csv" {
			w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
			w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="datalekregister-`+s.now().In(breach.Amsterdam).Format(time.DateOnly)+`.csv"`)
			w.WriteHeader(http.StatusOK)
			if _, err := w.Write([]byte("\ufeff")); err != nil { // so that a spreadsheet reads UTF-8
				return err
			}
			csvw = csv.NewWriter(w)
			csvw.Comma, csvw.UseCRLF = ';', true
			headers := make([]string, len(nl.RegisterColumns))
			for i, col := range nl.RegisterColumns {
				headers[i] = col.Header
			}
			encode = func(b *breach.Breach, now time.Time) error {
				return csvw.Write(spreadsheetSafe(nl.RegisterText(b, now)))
			}
			return csvw.Write(headers)
		}
		w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		w.WriteHeader(http.StatusOK)
		if _, err := w.Write([]byte(`{"items":[`)); err != nil {
			return err
		}
		encode = func(b *breach.Breach, now time.Time) error {
			return writeRegisterObject(w, rows, nl.RegisterRow(b, now))
		}
		return nil
	}
	err := s.Service.Register(c.Request().Context(), actor(c), from, to, func(b *breach.Breach, now time.Time) error {
		if !started {
			if err := begin(); err != nil {
				return err
			}
		}
		if err := encode(b, now); err != nil {
			return err
		}
		if rows++; rows%registerFlushEvery == 0 {
			if csvw != nil {
				csvw.Flush()
			}
			w.Flush()
		}
		return nil
	})
	if err == nil && !started {
		err = begin()
	}
	if err != nil && !started {
		return err // nothing written yet: a proper problem
	}
	if err != nil { // the stream is cut: the client sees a broken document
		s.Logger.Error("register stream broken off", "err", err, "rows", rows)
		return nil
	}
	if csvw != nil {
		csvw.Flush()
		return csvw.Error()
	}
	_, err = w.Write([]byte("]}\n"))
	return err
}

// spreadsheetSafe keeps a spreadsheet from running a cell as a formula:
// text from a supplier that starts with =, +, -, @ or a control character
// gets a leading apostrophe, which spreadsheets show as plain text.
func spreadsheetSafe(row []string) []string {
	for i, v := range row {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			row[i] = "'" + v
		}
	}
	return row
}

// writeRegisterObject writes one register row as a JSON object whose keys
// come in column order.
func writeRegisterObject(w *echo.Response, n int, row []string) error {
	buf := make([]byte, 0, 2048)
	if n > 0 {
		buf = append(buf, ',')
	}
	buf = append(buf, '{')
	for i, col := range nl.RegisterColumns {
		if i > 0 {
			buf = append(buf, ',')
		}
		k, _ := json.Marshal(col.Key)
		v, _ := json.Marshal(row[i])
		buf = append(append(append(buf, k...), ':'), v...)
	}
	_, err := w.Write(append(buf, '}'))
	return err
}
