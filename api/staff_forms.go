package api

// The staff's forms: each reads its fields (named as the API names them, so
// that the domain's errors land next to them), calls the use case as the
// person signed in, and either goes back to the breach's page or shows the
// page again with the errors and what was typed.

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"datalek/breach"
	"datalek/breach/nl"
)

// form reads a posted form; what cannot be read into the request's types
// is collected as problems, next to the domain's.
type form struct {
	values url.Values
	p      breach.Problems
}

func readForm(c echo.Context) (*form, error) {
	values, err := c.FormParams()
	if err != nil {
		return nil, err
	}
	return &form{values: values}, nil
}

func (f *form) text(name string) string { return strings.TrimSpace(f.values.Get(name)) }

// invalid reports whether a field could not be read: then the use case is
// not run, so that nothing is stored behind an error page.
func (f *form) invalid() bool { return len(f.p) > 0 }

// yes reads a checkbox.
func (f *form) yes(name string) bool { return f.values.Get(name) == "ja" }

// choice reads a yes/no radio group; nil when neither was chosen.
func (f *form) choice(name string) *bool {
	switch f.values.Get(name) {
	case "ja":
		return new(true)
	case "nee":
		return new(false)
	}
	return nil
}

func (f *form) number(name string) *int {
	v := f.text(name)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.p.Add(name, "is geen geheel getal")
		return nil
	}
	return &n
}

// instant reads a datetime-local field as a time in Europe/Amsterdam; the
// zero time when empty, which the domain calls missing where it is required.
func (f *form) instant(name string) time.Time {
	v := f.text(name)
	if v == "" {
		return time.Time{}
	}
	const layout = "2006-01-02T15:04"
	t, err := time.ParseInLocation(layout, v, breach.Amsterdam)
	switch {
	case err != nil:
		f.p.Add(name, "is geen datum met tijd; gebruik bijvoorbeeld 2026-11-20 14:30")
	case t.In(breach.Amsterdam).Format(layout) != v:
		f.p.Add(name, "bestaat niet in Nederlandse tijd: de klok gaat die nacht van 2:00 naar 3:00")
	case t.Add(-time.Hour).In(breach.Amsterdam).Format(layout) == v || t.Add(time.Hour).In(breach.Amsterdam).Format(layout) == v:
		f.p.Add(name, "komt twee keer voor: de klok gaat die nacht van 3:00 terug naar 2:00; vul 1:59 in, het vroegste dat het kan zijn, zodat geen termijn te laat begint")
	}
	return t
}

// done ends a staff form: back to the breach's page with a confirmation, or
// the page again with the errors next to the fields and what was typed.
func (s *Server) done(c echo.Context, f *form, name string, err error) error {
	return s.formEnd(c, f, name, err, formEnding{
		stored: func() error {
			anchor := name
			if name == "behandeling" { // taken into handling: on to the assessment
				anchor = "beoordeling"
			}
			return c.Redirect(http.StatusSeeOther, "/datalekken/"+url.PathEscape(c.Param("id"))+"?opgeslagen="+name+"#"+anchor)
		},
		show:  func(status int, p page) error { return s.renderBreach(c, status, p) },
		place: func(fe breach.FieldError) formProblem { return problemOf(name, fe) },
	})
}

// formEnding is where a form of a page goes: on when it was stored, or back
// to its page with the errors, each placed in the list above the form.
type formEnding struct {
	stored func() error
	show   func(status int, p page) error
	place  func(breach.FieldError) formProblem
}

// formEnd ends the form name after its use case returned err: stored when
// every field was read and the use case took it; else its page again with
// the errors in Dutch next to their fields and listed above, and what was
// typed. What the person may not see is not found.
func (s *Server) formEnd(c echo.Context, f *form, name string, err error, end formEnding) error {
	var de *breach.Error
	switch {
	case err == nil && len(f.p) == 0:
		return end.stored()
	case err == nil:
		de = &breach.Error{Code: breach.EINVALID, Message: "Het formulier is niet volledig of niet geldig."}
	case !errors.As(err, &de) || statusOf[de.Code] == 0:
		return err
	case de.Code == breach.ENOTFOUND || de.Code == breach.EFORBIDDEN:
		return s.notFound(c)
	}
	problems := append(f.p, de.Fields...)
	p := page{Active: name, Values: f.values, Error: dutchText(de.Message)}
	for i, fe := range problems {
		problems[i].Message = dutchText(pageMessage(fe.Field, f.values.Get(fe.Field), fe.Message))
		p.Problems = append(p.Problems, end.place(problems[i]))
	}
	p.FieldErrors = fieldErrors(problems)
	return end.show(statusOf[de.Code], p)
}

// formRoute is a staff form: read it, run the use case, end as done says.
func (s *Server) formRoute(name string, run func(c echo.Context, f *form, id string) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := readForm(c)
		if err != nil {
			return err
		}
		return s.done(c, f, name, run(c, f, c.Param("id")))
	}
}

func (s *Server) postTriage(c echo.Context) error {
	return s.formRoute("behandeling", func(c echo.Context, f *form, id string) error {
		_, err := s.Service.StartTriage(c.Request().Context(), actor(c), id)
		return err
	})(c)
}

// assessmentRequest reads the assessment form. The AP's facts are not on
// it: those recorded with the assessment before are kept.
func assessmentRequest(f *form, latest *breach.Assessment) breach.AssessmentRequest {
	req := breach.AssessmentRequest{DPC: f.number("dpc"), DPCReason: f.text("dpc_reason"), EI: breach.EI(f.text("ei")),
		CB: breach.Circumstances{Confidentiality: breach.ConfidentialityLoss(f.text("cb.confidentiality")),
			Integrity: breach.IntegrityLoss(f.text("cb.integrity")), Availability: breach.AvailabilityLoss(f.text("cb.availability")),
			Malicious: f.yes("cb.malicious")},
		Unintelligible: f.yes("unintelligible"), RestoredFromBackup: f.yes("restored_from_backup"), RecipientTrusted: f.yes("recipient_trusted"),
		Consequences: f.text("consequences"), Risk: breach.Risk(f.text("risk")), Reasoning: f.text("reasoning"),
		DeviationReason: f.text("deviation_reason")}
	for _, t := range f.values["breach_types"] {
		req.BreachTypes = append(req.BreachTypes, breach.BreachType(t))
	}
	if latest != nil {
		req.APFacts = latest.APFacts
	}
	return req
}

// assessmentValues fill the assessment form with the latest assessment, as
// the start of the next.
func assessmentValues(as *breach.Assessment) url.Values {
	if as == nil {
		return nil
	}
	v := url.Values{"dpc": {strconv.Itoa(as.DPC)}, "dpc_reason": {as.DPCReason}, "ei": {string(as.EI)},
		"cb.confidentiality": {string(as.CB.Confidentiality)}, "cb.integrity": {string(as.CB.Integrity)},
		"cb.availability": {string(as.CB.Availability)}, "consequences": {as.Consequences}, "risk": {string(as.Risk)},
		"reasoning": {as.Reasoning}, "deviation_reason": {as.DeviationReason}}
	for _, t := range as.BreachTypes {
		v.Add("breach_types", string(t))
	}
	for name, on := range map[string]bool{"cb.malicious": as.CB.Malicious, "unintelligible": as.Unintelligible,
		"restored_from_backup": as.RestoredFromBackup, "recipient_trusted": as.RecipientTrusted} {
		if on {
			v.Set(name, "ja")
		}
	}
	return v
}

// decisionValues fill the decision form with the latest decision.
func decisionValues(d *breach.Decision) url.Values {
	if d == nil {
		return nil
	}
	return url.Values{"notify_authority": {nl.YesNo(&d.NotifyAuthority)}, "authority_reasoning": {d.AuthorityReasoning},
		"inform_subjects": {string(d.InformSubjects)}, "subjects_exemption": {string(d.SubjectsExemption)},
		"subjects_reasoning": {d.SubjectsReasoning}}
}

func (s *Server) postAssessment(c echo.Context) error {
	return s.formRoute("beoordeling", func(c echo.Context, f *form, id string) error {
		b, err := s.Service.FindStaffBreach(c.Request().Context(), actor(c), id)
		if err != nil {
			return err
		}
		req := assessmentRequest(f, b.LatestAssessment())
		if f.invalid() {
			return nil
		}
		_, err = s.Service.Assess(c.Request().Context(), actor(c), id, req)
		return err
	})(c)
}

// severityPreview is what the assessment form shows as the adviser types.
type severityPreview struct {
	Severity       string   `json:"severity"`
	Recommendation string   `json:"recommendation"`
	Rules          []string `json:"rules"`
	Flags          []string `json:"flags"`
}

// postSeverityPreview answers the assessment form's script with the
// severity and recommendation of what is typed so far, computed by the
// domain's rule; 422 until the inputs of the score are chosen.
func (s *Server) postSeverityPreview(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	b, err := s.Service.FindStaffBreach(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	// With the AP's facts the assessment carries over, as when it is recorded.
	as, err := s.Service.PreviewAssessment(c.Request().Context(), actor(c), b.ID, assessmentRequest(f, b.LatestAssessment()))
	if err != nil {
		return err
	}
	out := severityPreview{Severity: nl.Severity(as.Severity.Level) + " (score " + nl.Score(as.Severity.Score) + ")",
		Recommendation: nl.Recommendation(as.Recommendation), Rules: []string{}, Flags: []string{}}
	for _, r := range as.Rules {
		out.Rules = append(out.Rules, nl.AdviceRule(r))
	}
	for _, fl := range as.Flags {
		out.Flags = append(out.Flags, nl.AdviceFlag(fl))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) postQuestion(c echo.Context) error {
	return s.formRoute("vraag", func(c echo.Context, f *form, id string) error {
		req := breach.QuestionRequest{Question: f.text("question")}
		if due := f.instant("due_at"); !due.IsZero() {
			req.DueAt = &due
		}
		if f.invalid() {
			return nil
		}
		_, _, err := s.Service.Ask(c.Request().Context(), actor(c), id, req)
		return err
	})(c)
}

func (s *Server) postDecision(c echo.Context) error {
	return s.formRoute("besluit", func(c echo.Context, f *form, id string) error {
		_, err := s.Service.Decide(c.Request().Context(), actor(c), id, breach.DecisionRequest{
			NotifyAuthority: f.choice("notify_authority"), AuthorityReasoning: f.text("authority_reasoning"),
			InformSubjects: breach.InformSubjects(f.text("inform_subjects")), SubjectsExemption: breach.Exemption(f.text("subjects_exemption")),
			SubjectsReasoning: f.text("subjects_reasoning")})
		return err
	})(c)
}

func (s *Server) postAuthorityNotification(c echo.Context) error {
	return s.formRoute("ap-melding", func(c echo.Context, f *form, id string) error {
		req := breach.AuthorityNotificationRequest{
			Phase: breach.Phase(f.text("phase")), SubmittedAt: f.instant("submitted_at"), Reference: f.text("reference"),
			Note: f.text("note"), DelayReason: f.text("delay_reason"), Reason: f.text("reason"), EarlyReason: f.text("early_reason")}
		if f.invalid() {
			return nil
		}
		_, err := s.Service.RecordAuthorityNotification(c.Request().Context(), actor(c), id, req)
		return err
	})(c)
}

func (s *Server) postSubjectCommunication(c echo.Context) error {
	return s.formRoute("betrokkenen", func(c echo.Context, f *form, id string) error {
		req := breach.SubjectCommunicationRequest{
			SentAt: f.instant("sent_at"), Channel: breach.SubjectChannel(f.text("channel")), Reached: f.number("reached"), Text: f.text("text")}
		if f.invalid() {
			return nil
		}
		_, err := s.Service.RecordSubjectCommunication(c.Request().Context(), actor(c), id, req)
		return err
	})(c)
}

func (s *Server) postClose(c echo.Context) error {
	return s.formRoute("afgesloten", func(c echo.Context, f *form, id string) error {
		_, err := s.Service.Close(c.Request().Context(), actor(c), id, breach.CloseRequest{
			Outcome: breach.Outcome(f.text("outcome")), Reason: f.text("reason")})
		return err
	})(c)
}

func (s *Server) postAwareness(c echo.Context) error {
	return s.formRoute("kennisname", func(c echo.Context, f *form, id string) error {
		req := breach.AwarenessRequest{AwareAt: f.instant("aware_at"), Reason: f.text("reason")}
		if f.invalid() {
			return nil
		}
		_, err := s.Service.MoveAwareness(c.Request().Context(), actor(c), id, req)
		return err
	})(c)
}

// postOtherControllers reads one controller per line, "name; contact", and
// names a problem by its line.
func (s *Server) postOtherControllers(c echo.Context) error {
	return s.formRoute("andere", func(c echo.Context, f *form, id string) error {
		var req breach.OtherControllersRequest
		var lines []int // the line of each controller, as typed
		n := 0
		for line := range strings.Lines(f.values.Get("controllers")) {
			n++
			if strings.TrimSpace(line) == "" {
				continue
			}
			name, contact, _ := strings.Cut(line, ";")
			req.Controllers = append(req.Controllers, breach.OtherController{Name: name, Contact: contact})
			lines = append(lines, n)
		}
		_, err := s.Service.SetOtherControllers(c.Request().Context(), actor(c), id, req)
		var de *breach.Error
		if errors.As(err, &de) {
			for i, fe := range de.Fields {
				if at, ok := strings.CutPrefix(fe.Field, "controllers["); ok {
					k, _ := strconv.Atoi(at[:strings.IndexByte(at, ']')])
					de.Fields[i] = breach.FieldError{Field: "controllers", Message: fmt.Sprintf("regel %d: %s", lines[k], fe.Message)}
				}
			}
		}
		return err
	})(c)
}
