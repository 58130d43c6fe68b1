package api

// The supplier's forms: filing a report, completing a preliminary one, a
// development and an answer. Their fields are named as the API names them
// (sent_items[1].channel), so that the domain's errors land next to them;
// each form is read, then the use case runs as the person signed in, and
// either the page of the report follows or the form again with the errors
// and what was typed. Nothing is stored from a form that cannot be read.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

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
		var buf bytes.Buffer // as typed: HTML escapes would count six times against the draft's bound
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(f.values)
		data := bytes.TrimSpace(buf.Bytes())
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
	ctx, a, msg := c.Request().Context(), actor(c), f.text("message")
	if !s.sentBefore(c, func(b *breach.Breach) bool {
		n := len(b.Updates)
		return n > 0 && b.Updates[n-1].Message == msg && b.Updates[n-1].By == a.Label() && s.now().Sub(b.Updates[n-1].ReceivedAt) < resendWindow
	}) {
		_, err = s.Service.AddUpdate(ctx, a, c.Param("id"), breach.UpdateRequest{Message: msg})
	}
	return s.reportFormEnd(c, f, "ontwikkeling", "ontwikkeling", "ontwikkelingen", err, reportProblem("ontwikkeling"))
}

// resendWindow is how long the same form sent again (a double click, a
// reload of the page the form's post answered) counts as sent once.
const resendWindow = 10 * time.Minute

// sentBefore reports whether what the form sends is on the breach already,
// sent by this person just now: then it is not stored twice.
func (s *Server) sentBefore(c echo.Context, done func(*breach.Breach) bool) bool {
	b, err := s.Service.FindBreach(c.Request().Context(), actor(c), c.Param("id"))
	return err == nil && done(b)
}

// postAnswer answers one of the questions; its form's field has an id of
// its own (answer-q1), as each question has a form.
func (s *Server) postAnswer(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	qid, answer, a := c.Param("qid"), f.text("answer"), actor(c)
	_, _, err = s.Service.Answer(c.Request().Context(), a, c.Param("id"), qid, breach.AnswerRequest{Answer: answer})
	if breach.ErrorCode(err) == breach.ECONFLICT && s.sentBefore(c, func(b *breach.Breach) bool {
		for _, q := range b.Questions {
			if q.ID == qid && q.Answer == answer && q.AnsweredBy == a.Label() {
				return true
			}
		}
		return false
	}) {
		err = nil // this very answer, sent again
	}
	place := func(fe breach.FieldError) formProblem {
		pr := reportProblem("antwoord-" + qid)(fe)
		if fe.Field == "answer" {
			pr.Target = "#answer-" + qid
		}
		return pr
	}
	return s.reportFormEnd(c, f, "antwoord-"+qid, "antwoord", "vraag-"+qid, err, place)
}
