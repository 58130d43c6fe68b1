package api

// The supplier's forms: filing a report, completing a preliminary one, a
// development and an answer. Their fields are named as the API names them
// (sent_items[1].channel), so that the domain's errors land next to them;
// each form is read, then the use case runs as the person signed in, and
// either the page of the report follows or the form again with the errors
// and what was typed. Nothing is stored from a form that cannot be read.

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

// filedBefore says why a form posted again after its report was filed is
// refused: the same form with other contents would be a second report.
const filedBefore = "Deze melding is al gedaan met dit formulier; u vindt haar onder Mijn meldingen. Geef een wijziging daar door als ontwikkeling."

// postReport files a report; "Meer regels" shows the form again with more
// rows of sent items, "Opslaan als concept" keeps it as typed for later,
// and "Concept weggooien" throws the draft away.
func (s *Server) postReport(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	end := formEnding{show: func(status int, p page) error { return s.renderNewReport(c, status, p) }, place: reportProblem("nieuw")}
	saved := func(notice string) func() error {
		return func() error { return c.Redirect(http.StatusSeeOther, "/meldingen/nieuw?opgeslagen="+notice) }
	}
	switch f.values.Get("actie") {
	case "meer":
		return s.renderNewReport(c, http.StatusOK, withMoreRows(f, "nieuw"))
	case "concept":
		f.values.Del("actie")
		data, _ := json.Marshal(f.values)
		_, err := s.Service.SaveDraft(ctx, a, data)
		end.stored = saved("concept")
		return s.formEnd(c, f, "nieuw", err, end)
	case "weggooien":
		if err := s.Service.DropDraft(ctx, a); err != nil {
			return err
		}
		return saved("weggegooid")()
	}
	r := readReport(f)
	var b *breach.Breach
	if !f.invalid() {
		b, _, err = s.Service.FileBreach(ctx, a, r.filing(breach.Stage(f.text("stage"))), f.text("filing_key"))
		if err = r.explain(f, err); breach.ErrorCode(err) == breach.ECONFLICT {
			err = breach.Errorf(breach.ECONFLICT, filedBefore)
		}
	}
	end.stored = func() error {
		if err := s.Service.DropDraft(ctx, a); err != nil { // filed all the same: a draft left over harms nobody
			s.Logger.Error("dropping a draft", "error", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		}
		return c.Redirect(http.StatusSeeOther, "/meldingen/"+url.PathEscape(b.ID)+"?opgeslagen=gemeld")
	}
	return s.formEnd(c, f, "nieuw", err, end)
}

// draftValues are a draft's form as typed.
func draftValues(d *breach.Draft) url.Values {
	var v url.Values
	if json.Unmarshal(d.Form, &v) != nil || v == nil {
		v = url.Values{}
	}
	return v
}

// reportFormEnd ends a form on a report's page: back to the page at anchor
// with notice, or the page again with the errors.
func (s *Server) reportFormEnd(c echo.Context, f *form, name, notice, anchor string, err error,
	place func(breach.FieldError) formProblem) error {
	return s.formEnd(c, f, name, err, formEnding{
		stored: func() error {
			return c.Redirect(http.StatusSeeOther, "/meldingen/"+url.PathEscape(c.Param("id"))+"?opgeslagen="+notice+"#"+anchor)
		},
		show:  func(status int, p page) error { return s.renderReport(c, status, p) },
		place: place,
	})
}

// postCompletion completes a preliminary report with what it lacked; when
// the last fact arrives it is complete.
func (s *Server) postCompletion(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	if f.values.Get("actie") == "meer" {
		return s.renderReport(c, http.StatusOK, withMoreRows(f, "aanvullen"))
	}
	r := readReport(f)
	if r.ReportPatch == (breach.ReportPatch{}) && !f.invalid() {
		f.p.Add("report", "vul ten minste een van de gegevens in")
	}
	if !f.invalid() {
		_, err = s.Service.AmendBreach(c.Request().Context(), actor(c), c.Param("id"), r.ReportPatch)
		err = r.explain(f, err)
	}
	return s.reportFormEnd(c, f, "aanvullen", "aangevuld", "melding", err, reportProblem("aanvullen"))
}

// postDevelopment reports a development (Article 9.2).
func (s *Server) postDevelopment(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	_, err = s.Service.AddUpdate(c.Request().Context(), actor(c), c.Param("id"), breach.UpdateRequest{Message: f.text("message")})
	return s.reportFormEnd(c, f, "ontwikkeling", "ontwikkeling", "ontwikkelingen", err, reportProblem("ontwikkeling"))
}

// postAnswer answers one of the questions; its form's field has an id of
// its own (answer-q1), as each question has a form.
func (s *Server) postAnswer(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	qid := c.Param("qid")
	_, _, err = s.Service.Answer(c.Request().Context(), actor(c), c.Param("id"), qid, breach.AnswerRequest{Answer: f.text("answer")})
	place := func(fe breach.FieldError) formProblem {
		pr := reportProblem("antwoord-" + qid)(fe)
		if fe.Field == "answer" {
			pr.Target = "#answer-" + qid
		}
		return pr
	}
	return s.reportFormEnd(c, f, "antwoord-"+qid, "antwoord", "vraag-"+qid, err, place)
}
