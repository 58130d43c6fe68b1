package breach

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Actions of triage and decision in the audit trail.
const (
	ActionStatusChanged         = "breach.status_changed"
	ActionAssessed              = "breach.assessed"
	ActionQuestionAsked         = "question.asked"
	ActionQuestionAnswered      = "question.answered"
	ActionDecided               = "breach.decided"
	ActionAuthorityNotification = "authority.notification"
	ActionClosed                = "breach.closed"
	ActionOtherControllers      = "breach.other_controllers"
)

// Notices of triage and decision.
const (
	NoticeStatus       NoticeKind = "status"       // triage started
	NoticeAssessment   NoticeKind = "assessment"   // an assessment was recorded
	NoticeQuestion     NoticeKind = "question"     // a question to the supplier
	NoticeAnswer       NoticeKind = "answer"       // the supplier's answer
	NoticeDecision     NoticeKind = "decision"     // the controller's decision
	NoticeNotification NoticeKind = "notification" // a notification to the AP was recorded
	NoticeClosed       NoticeKind = "closed"       // the breach was closed
)

// Assessment is the adviser's triage of a breach: the ENISA inputs and score,
// and the adviser's own conclusion with its reasoning. Every assessment is
// kept; the latest counts.
type Assessment struct {
	Seq            int            `json:"seq"`
	AssessedAt     time.Time      `json:"assessed_at"`
	By             string         `json:"by"`
	BreachTypes    []BreachType   `json:"breach_types"`
	DPC            int            `json:"dpc"`
	DPCDefault     int            `json:"dpc_default"` // the highest base score of the report's categories
	DPCReason      string         `json:"dpc_reason,omitempty"`
	EI             string         `json:"ei"`
	CB             Circumstances  `json:"cb"`
	Unintelligible bool           `json:"unintelligible"`
	Consequences   string         `json:"consequences"`
	Risk           Risk           `json:"risk"`
	Reasoning      string         `json:"reasoning"`
	Severity       Severity       `json:"severity"`
	Recommendation Recommendation `json:"recommendation"`
}

// Risk is the adviser's conclusion: no risk (register only), a risk (notify
// the AP) or a high risk (also inform the data subjects).
type Risk string

const (
	RiskNone Risk = "none"
	RiskSome Risk = "risk"
	RiskHigh Risk = "high"
)

// AssessmentRequest is what the adviser sends.
type AssessmentRequest struct {
	BreachTypes    []BreachType  `json:"breach_types"`
	DPC            *int          `json:"dpc,omitempty"`
	DPCReason      string        `json:"dpc_reason,omitempty"`
	EI             string        `json:"ei"`
	CB             Circumstances `json:"cb"`
	Unintelligible bool          `json:"unintelligible"`
	Consequences   string        `json:"consequences"`
	Risk           Risk          `json:"risk"`
	Reasoning      string        `json:"reasoning"`
}

// Question is a question of the adviser to the supplier, with its answer.
type Question struct {
	ID         string     `json:"id"`
	Question   string     `json:"question"`
	AskedAt    time.Time  `json:"asked_at"`
	AskedBy    string     `json:"asked_by"`
	DueAt      time.Time  `json:"due_at"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	AnsweredBy string     `json:"answered_by,omitempty"`
	Alerting   AlertState `json:"alerting"`
}

// QuestionRequest asks the supplier something; DueAt defaults to 24 hours.
type QuestionRequest struct {
	Question string     `json:"question"`
	DueAt    *time.Time `json:"due_at,omitempty"`
}

// AnswerRequest is the supplier's answer.
type AnswerRequest struct {
	Answer string `json:"answer"`
}

// How long a supplier has to answer: by default, and at most.
const (
	DefaultQuestionWindow = 24 * time.Hour
	MaxQuestionWindow     = 90 * 24 * time.Hour
)

// Decision is the controller's decision on notifying the AP and informing
// the data subjects, with its reasons (GDPR Art. 33(5), Art. 34).
type Decision struct {
	Seq                int       `json:"seq"`
	DecidedAt          time.Time `json:"decided_at"`
	By                 string    `json:"by"`
	NotifyAuthority    bool      `json:"notify_authority"`
	AuthorityReasoning string    `json:"authority_reasoning,omitempty"`
	InformSubjects     string    `json:"inform_subjects"`
	SubjectsExemption  string    `json:"subjects_exemption,omitempty"`
	SubjectsReasoning  string    `json:"subjects_reasoning,omitempty"`
}

// DecisionRequest is what the controller sends.
type DecisionRequest struct {
	NotifyAuthority    *bool  `json:"notify_authority"`
	AuthorityReasoning string `json:"authority_reasoning,omitempty"`
	InformSubjects     string `json:"inform_subjects"`
	SubjectsExemption  string `json:"subjects_exemption,omitempty"`
	SubjectsReasoning  string `json:"subjects_reasoning,omitempty"`
}

// The answers to informing the data subjects, and the Art. 34(3) exemptions.
var (
	InformSubjectsValues = []string{"yes", "planned", "no"}
	SubjectsExemptions   = []string{"unintelligible", "risk_removed", "disproportionate_effort"}
)

// AuthorityNotification is one phase of the notification to the Autoriteit
// Persoonsgegevens, as submitted through its form.
type AuthorityNotification struct {
	Seq         int       `json:"seq"`
	Phase       string    `json:"phase"` // initial, supplement, withdrawal
	SubmittedAt time.Time `json:"submitted_at"`
	Reference   string    `json:"reference"` // the AP's meldingsnummer
	Note        string    `json:"note,omitempty"`
	DelayReason string    `json:"delay_reason,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	RecordedAt  time.Time `json:"recorded_at"`
	By          string    `json:"by"`
}

// AuthorityNotificationRequest is what the controller sends.
type AuthorityNotificationRequest struct {
	Phase       string    `json:"phase"`
	SubmittedAt time.Time `json:"submitted_at"`
	Reference   string    `json:"reference"`
	Note        string    `json:"note,omitempty"`
	DelayReason string    `json:"delay_reason,omitempty"`
	Reason      string    `json:"reason,omitempty"`
}

// Notification phases.
const (
	PhaseInitial    = "initial"
	PhaseSupplement = "supplement"
	PhaseWithdrawal = "withdrawal"
)

// Closure is how a breach was closed.
type Closure struct {
	Outcome  string    `json:"outcome"` // handled, no_breach
	Reason   string    `json:"reason,omitempty"`
	ClosedAt time.Time `json:"closed_at"`
	By       string    `json:"by"`
}

// CloseRequest closes a breach.
type CloseRequest struct {
	Outcome string `json:"outcome"`
	Reason  string `json:"reason,omitempty"`
}

// Close outcomes.
const (
	OutcomeHandled  = "handled"
	OutcomeNoBreach = "no_breach"
)

// OtherController is another controller hit by the same incident
// (Bijlage 3 §5).
type OtherController struct {
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"`
}

// OtherControllersRequest replaces the list of other controllers.
type OtherControllersRequest struct {
	Controllers []OtherController `json:"controllers"`
}

// LatestAssessment returns the assessment that counts, or nil.
func (b *Breach) LatestAssessment() *Assessment {
	if n := len(b.Assessments); n > 0 {
		return &b.Assessments[n-1]
	}
	return nil
}

// DecisionInForce returns the controller's decision while it stands: the
// latest, once the breach is decided or closed. A new assessment reopens the
// question and sends the breach back to assessed.
func (b *Breach) DecisionInForce() *Decision {
	if b.Status == StatusDecided || b.Status == StatusClosed {
		return b.LatestDecision()
	}
	return nil
}

// LatestDecision returns the decision that counts, or nil.
func (b *Breach) LatestDecision() *Decision {
	if n := len(b.Decisions); n > 0 {
		return &b.Decisions[n-1]
	}
	return nil
}

// InitialNotification returns the initial notification to the AP, or nil.
func (b *Breach) InitialNotification() *AuthorityNotification {
	for i := range b.AuthorityNotifications {
		if b.AuthorityNotifications[i].Phase == PhaseInitial {
			return &b.AuthorityNotifications[i]
		}
	}
	return nil
}

// OpenQuestions returns the questions not answered yet.
func (b *Breach) OpenQuestions() []Question {
	var open []Question
	for _, q := range b.Questions {
		if q.AnsweredAt == nil {
			open = append(open, q)
		}
	}
	return open
}

// action describes who may do what, in which statuses, for the workflow
// checks and their messages.
type action struct {
	name     string // in Dutch, for messages
	roles    []Role
	statuses []Status
}

var (
	actTriage     = action{"de behandeling starten", []Role{RoleAdviser}, []Status{StatusNew}}
	actAssess     = action{"een beoordeling vastleggen", []Role{RoleAdviser}, []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided}}
	actAsk        = action{"een vraag stellen", []Role{RoleAdviser}, []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided}}
	actAnswer     = action{"een vraag beantwoorden", []Role{RoleSupplier}, []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided}}
	actDecide     = action{"een besluit vastleggen", []Role{RoleController}, []Status{StatusAssessed, StatusDecided}}
	actNotify     = action{"een melding aan de Autoriteit Persoonsgegevens vastleggen", []Role{RoleController}, []Status{StatusDecided, StatusClosed}}
	actCloseDone  = action{"afsluiten als afgehandeld", []Role{RoleAdviser, RoleController}, []Status{StatusDecided}}
	actCloseNone  = action{"afsluiten als geen datalek", []Role{RoleAdviser, RoleController}, []Status{StatusNew, StatusTriage, StatusAssessed}}
	actControlers = action{"andere verwerkingsverantwoordelijken vastleggen", []Role{RoleAdviser}, []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided}}
)

// allowed returns ECONFLICT naming the current status unless the action may
// be taken in it.
func (act action) allowed(b *Breach) error {
	if slices.Contains(act.statuses, b.Status) {
		return nil
	}
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("Datalek %s heeft status %q: %s kan alleen bij status %s.",
		b.Reference, b.Status, act.name, joinStatuses(act.statuses))}
}

func joinStatuses(ss []Status) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// recordAdded records that something was added to the breach (an
// assessment, a question, a decision…), with its whole content as the
// change, so that the trail alone tells what was recorded.
func (b *Breach) recordAdded(now time.Time, a Actor, action, message, field string, added any) {
	data, _ := json.Marshal(added)
	b.record(now, a, action, message, []Change{{Field: field, Old: json.RawMessage("null"), New: data}})
}

// setStatus moves the breach and records the move.
func (b *Breach) setStatus(now time.Time, a Actor, to Status) {
	if b.Status == to {
		return
	}
	old, _ := json.Marshal(b.Status)
	next, _ := json.Marshal(to)
	b.Status = to
	b.record(now, a, ActionStatusChanged, "", []Change{{Field: "status", Old: old, New: next}})
}

// triage runs one workflow action on a breach: role and status checks, then
// fn, then the alerts are rescheduled (through update).
func (s *Service) triage(ctx context.Context, a Actor, id string, act action, fn func(b *Breach, now time.Time) error) (*Breach, error) {
	if err := requireRole(a, act.roles...); err != nil {
		return nil, err
	}
	now := s.now()
	return s.update(ctx, a, id, func(b *Breach) error {
		if err := act.allowed(b); err != nil {
			return err
		}
		return fn(b, now)
	})
}

// mailbox queues a notice to the privacy mailbox in the breach's thread.
func (s *Service) mailbox(b *Breach, kind NoticeKind, now time.Time, a Actor, fill func(*Notice)) {
	n := Notice{ID: b.noticeID(kind, ""), Kind: kind, To: s.MailTo, ThreadID: b.mailboxThread(), At: now, Actor: &a}
	if fill != nil {
		fill(&n)
	}
	b.queue(n)
}

// StartTriage takes a new breach into handling. Errors: EFORBIDDEN,
// ENOTFOUND, ECONFLICT.
func (s *Service) StartTriage(ctx context.Context, a Actor, id string) (*Breach, error) {
	return s.triage(ctx, a, id, actTriage, func(b *Breach, now time.Time) error {
		b.setStatus(now, a, StatusTriage)
		s.mailbox(b, NoticeStatus, now, a, nil)
		return nil
	})
}

// Assess records an assessment, computes its severity and recommendation,
// and moves the breach to assessed (a decided breach stays decided).
// Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) Assess(ctx context.Context, a Actor, id string, req AssessmentRequest) (*Breach, error) {
	return s.triage(ctx, a, id, actAssess, func(b *Breach, now time.Time) error {
		as, err := b.assessment(req)
		if err != nil {
			return err
		}
		as.Seq, as.AssessedAt, as.By = len(b.Assessments)+1, now, a.Label()
		b.Assessments = append(b.Assessments, as)
		b.recordAdded(now, a, ActionAssessed, as.Reasoning, "assessment", as)
		b.setStatus(now, a, StatusAssessed) // a decided breach needs a new decision on the new assessment
		s.mailbox(b, NoticeAssessment, now, a, nil)
		return nil
	})
}

// assessment validates a request against the breach and computes the score.
func (b *Breach) assessment(req AssessmentRequest) (Assessment, error) {
	var p Problems
	if len(req.BreachTypes) == 0 {
		p.Add("breach_types", "noem ten minste een van confidentiality, integrity, availability")
	}
	for i, t := range req.BreachTypes {
		if !slices.Contains(BreachTypes, t) {
			p.Add(fmt.Sprintf("breach_types[%d]", i), "moet confidentiality, integrity of availability zijn")
		} else if slices.Index(req.BreachTypes, t) != i {
			p.Add(fmt.Sprintf("breach_types[%d]", i), "staat er dubbel in")
		}
	}
	as := Assessment{BreachTypes: req.BreachTypes, DPCDefault: DefaultDPC(&b.Report), DPCReason: strings.TrimSpace(req.DPCReason),
		EI: req.EI, CB: req.CB, Unintelligible: req.Unintelligible, Consequences: strings.TrimSpace(req.Consequences),
		Risk: req.Risk, Reasoning: strings.TrimSpace(req.Reasoning)}
	as.DPC = as.DPCDefault
	if req.DPC != nil {
		as.DPC = *req.DPC
		switch {
		case as.DPC < 1 || as.DPC > 4:
			p.Add("dpc", "moet 1 (eenvoudig), 2 (gedrag), 3 (financieel) of 4 (gevoelig) zijn")
		case as.DPC != as.DPCDefault && as.DPCReason == "":
			p.Add("dpc_reason", "is verplicht als dpc afwijkt van %d, de hoogste basisscore van de gemelde persoonsgegevens", as.DPCDefault)
		}
	}
	text(&p, "dpc_reason", as.DPCReason, maxText, false)
	if _, ok := eiQuarters[req.EI]; !ok {
		p.Add("ei", "moet negligible, limited, significant of maximum zijn")
	}
	if _, ok := confidentialityQuarters[req.CB.Confidentiality]; !ok {
		p.Add("cb.confidentiality", "moet none, limited of wide zijn")
	}
	if _, ok := integrityQuarters[req.CB.Integrity]; !ok {
		p.Add("cb.integrity", "moet none, recoverable of irrecoverable zijn")
	}
	if _, ok := availabilityQuarters[req.CB.Availability]; !ok {
		p.Add("cb.availability", "moet none, temporary of permanent zijn")
	}
	text(&p, "consequences", as.Consequences, maxText, true)
	if !slices.Contains([]Risk{RiskNone, RiskSome, RiskHigh}, req.Risk) {
		p.Add("risk", "moet none, risk of high zijn")
	}
	text(&p, "reasoning", as.Reasoning, maxText, true)
	if err := p.Err("De beoordeling is niet volledig of niet geldig."); err != nil {
		return as, err
	}
	sev, err := Score(as.DPC, as.EI, as.CB)
	if err != nil {
		return as, err
	}
	as.Severity, as.Recommendation = sev, Recommend(sev.Level)
	return as, nil
}

// Ask puts a question to the supplier, due in 24 hours unless given; a new
// breach is taken into triage. The question goes to the reporter (the
// mailbox too). Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) Ask(ctx context.Context, a Actor, id string, req QuestionRequest) (*Breach, *Question, error) {
	var asked *Question
	b, err := s.triage(ctx, a, id, actAsk, func(b *Breach, now time.Time) error {
		var p Problems
		q := Question{ID: fmt.Sprintf("q%d", len(b.Questions)+1), Question: strings.TrimSpace(req.Question), AskedAt: now,
			AskedBy: a.Label(), DueAt: now.Add(DefaultQuestionWindow)}
		text(&p, "question", q.Question, maxText, true)
		if req.DueAt != nil {
			q.DueAt = req.DueAt.UTC()
			switch {
			case !q.DueAt.After(now):
				p.Add("due_at", "moet in de toekomst liggen")
			case q.DueAt.After(now.Add(MaxQuestionWindow)):
				p.Add("due_at", "ligt te ver weg (hoogstens %d dagen)", int(MaxQuestionWindow/(24*time.Hour)))
			}
		}
		if err := p.Err("De vraag is niet geldig."); err != nil {
			return err
		}
		q.Alerting.AlertedUntil = now
		b.Questions = append(b.Questions, q)
		b.recordAdded(now, a, ActionQuestionAsked, q.Question, "questions."+q.ID, q)
		if b.Status == StatusNew {
			b.setStatus(now, a, StatusTriage)
		}
		asked = &b.Questions[len(b.Questions)-1]
		s.mailbox(b, NoticeQuestion, now, a, func(n *Notice) { n.Question = asked })
		if b.Reporter.Email != "" { // a mail of its own: a refused address must not hold up the mailbox's
			b.queue(Notice{ID: b.noticeID(NoticeQuestion, ".reporter"), Kind: NoticeQuestion, To: []string{b.Reporter.Email},
				ThreadID: b.reporterThread(), At: now, Actor: &a, Question: asked})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return b, asked, nil
}

// Answer records the supplier's answer to one of its breach's questions.
// Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT (answered already, or closed),
// EINVALID.
func (s *Service) Answer(ctx context.Context, a Actor, id, qid string, req AnswerRequest) (*Breach, *Question, error) {
	var answered *Question
	b, err := s.triage(ctx, a, id, actAnswer, func(b *Breach, now time.Time) error {
		i := slices.IndexFunc(b.Questions, func(q Question) bool { return q.ID == qid })
		if i < 0 {
			return Errorf(ENOTFOUND, "Vraag %q bestaat niet bij datalek %s.", qid, b.Reference)
		}
		q := &b.Questions[i]
		if q.AnsweredAt != nil {
			return Errorf(ECONFLICT, "Vraag %q is al beantwoord op %s; stuur aanvullingen als ontwikkeling.", qid, q.AnsweredAt.Format(time.RFC3339))
		}
		var p Problems
		answer := strings.TrimSpace(req.Answer)
		text(&p, "answer", answer, maxText, true)
		if err := p.Err("Het antwoord is niet geldig."); err != nil {
			return err
		}
		q.Answer, q.AnsweredAt, q.AnsweredBy = answer, &now, a.Label()
		b.recordAdded(now, a, ActionQuestionAnswered, "", "questions."+qid+".answer", answer)
		s.mailbox(b, NoticeAnswer, now, a, func(n *Notice) { n.Question = q })
		answered = q
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return b, answered, nil
}

// ListQuestions returns a breach's questions, or only those not answered
// yet. Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) ListQuestions(ctx context.Context, a Actor, id string, openOnly bool) ([]Question, error) {
	b, err := s.FindBreach(ctx, a, id)
	switch {
	case err != nil:
		return nil, err
	case openOnly:
		return b.OpenQuestions(), nil
	}
	return b.Questions, nil
}

// Decide records the controller's decision. Not notifying the AP needs
// reasoning; when the adviser concluded high risk, not informing the data
// subjects needs an Art. 34(3) exemption; "no" always needs reasoning. The
// decision stops the 72-hour reminders. Errors: EFORBIDDEN, ENOTFOUND,
// ECONFLICT, EINVALID.
func (s *Service) Decide(ctx context.Context, a Actor, id string, req DecisionRequest) (*Breach, error) {
	return s.triage(ctx, a, id, actDecide, func(b *Breach, now time.Time) error {
		d := Decision{AuthorityReasoning: strings.TrimSpace(req.AuthorityReasoning), InformSubjects: req.InformSubjects,
			SubjectsExemption: req.SubjectsExemption, SubjectsReasoning: strings.TrimSpace(req.SubjectsReasoning)}
		var p Problems
		if req.NotifyAuthority == nil {
			p.Add("notify_authority", "is verplicht: true of false")
		} else {
			d.NotifyAuthority = *req.NotifyAuthority
			if !d.NotifyAuthority && d.AuthorityReasoning == "" {
				p.Add("authority_reasoning", "is verplicht als het datalek niet wordt gemeld bij de Autoriteit Persoonsgegevens")
			}
		}
		text(&p, "authority_reasoning", d.AuthorityReasoning, maxText, false)
		if !slices.Contains(InformSubjectsValues, d.InformSubjects) {
			p.Add("inform_subjects", "moet yes, planned of no zijn")
		}
		if d.SubjectsExemption != "" && !slices.Contains(SubjectsExemptions, d.SubjectsExemption) {
			p.Add("subjects_exemption", "moet unintelligible, risk_removed of disproportionate_effort zijn")
		}
		high := b.LatestAssessment() != nil && b.LatestAssessment().Risk == RiskHigh
		if d.InformSubjects == "no" {
			if high && d.SubjectsExemption == "" {
				p.Add("subjects_exemption", "is verplicht: het risico is beoordeeld als hoog, dus de betrokkenen worden geïnformeerd tenzij een uitzondering van artikel 34, derde lid, AVG geldt")
			}
			if d.SubjectsReasoning == "" {
				p.Add("subjects_reasoning", "is verplicht als de betrokkenen niet worden geïnformeerd")
			}
		} else if d.SubjectsExemption != "" {
			p.Add("subjects_exemption", "hoort alleen bij inform_subjects no")
		}
		text(&p, "subjects_reasoning", d.SubjectsReasoning, maxText, false)
		if err := p.Err("Het besluit is niet volledig of niet geldig."); err != nil {
			return err
		}
		d.Seq, d.DecidedAt, d.By = len(b.Decisions)+1, now, a.Label()
		b.Decisions = append(b.Decisions, d)
		b.recordAdded(now, a, ActionDecided, d.AuthorityReasoning, "decision", d)
		b.setStatus(now, a, StatusDecided)
		s.mailbox(b, NoticeDecision, now, a, nil)
		return nil
	})
}

// RecordAuthorityNotification records a phase of the notification to the
// AP. An initial notification needs a decision to notify, and after the
// 72-hour deadline a reason for the delay (Art. 33(1)); a supplement or
// withdrawal needs an initial one before it; a withdrawal needs a reason and
// ends the phases. Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) RecordAuthorityNotification(ctx context.Context, a Actor, id string, req AuthorityNotificationRequest) (*Breach, error) {
	return s.triage(ctx, a, id, actNotify, func(b *Breach, now time.Time) error {
		n := AuthorityNotification{Phase: req.Phase, SubmittedAt: req.SubmittedAt.UTC(), Reference: strings.TrimSpace(req.Reference),
			Note: strings.TrimSpace(req.Note), DelayReason: strings.TrimSpace(req.DelayReason), Reason: strings.TrimSpace(req.Reason)}
		initial := b.InitialNotification()
		withdrawn := slices.ContainsFunc(b.AuthorityNotifications, func(x AuthorityNotification) bool { return x.Phase == PhaseWithdrawal })
		switch {
		case withdrawn:
			return Errorf(ECONFLICT, "De melding van datalek %s bij de Autoriteit Persoonsgegevens is ingetrokken.", b.Reference)
		case n.Phase == PhaseInitial && initial != nil:
			return Errorf(ECONFLICT, "Datalek %s is al gemeld (meldingsnummer %s); leg een aanvulling vast.", b.Reference, initial.Reference)
		case n.Phase == PhaseInitial && (b.DecisionInForce() == nil || !b.DecisionInForce().NotifyAuthority):
			return Errorf(ECONFLICT, "Het besluit over datalek %s is niet melden; leg eerst een besluit tot melden vast.", b.Reference)
		case (n.Phase == PhaseSupplement || n.Phase == PhaseWithdrawal) && initial == nil:
			return Errorf(ECONFLICT, "Datalek %s is nog niet gemeld bij de Autoriteit Persoonsgegevens.", b.Reference)
		}
		var p Problems
		switch {
		case !slices.Contains([]string{PhaseInitial, PhaseSupplement, PhaseWithdrawal}, n.Phase):
			p.Add("phase", "moet initial, supplement of withdrawal zijn")
		case n.Phase == PhaseInitial && n.SubmittedAt.After(b.AuthorityDue()) && n.DelayReason == "":
			p.Add("delay_reason", "is verplicht: de melding is gedaan na de 72-uurstermijn (%s); art. 33, eerste lid, AVG vraagt de redenen voor de vertraging",
				b.AuthorityDue().Format(time.RFC3339))
		case n.Phase == PhaseWithdrawal && n.Reason == "":
			p.Add("reason", "is verplicht bij een intrekking")
		}
		switch {
		case req.SubmittedAt.IsZero():
			p.Add("submitted_at", "is verplicht")
		case n.SubmittedAt.After(now.Add(ClockSkew)):
			p.Add("submitted_at", "ligt in de toekomst")
		case n.SubmittedAt.Before(b.ReceivedAt.Add(-365 * 24 * time.Hour)):
			p.Add("submitted_at", "ligt te ver voor de melding van het datalek")
		}
		line(&p, "reference", n.Reference, maxShort, true)
		text(&p, "note", n.Note, maxText, false)
		text(&p, "delay_reason", n.DelayReason, maxText, false)
		text(&p, "reason", n.Reason, maxText, false)
		if err := p.Err("De melding aan de Autoriteit Persoonsgegevens is niet volledig of niet geldig."); err != nil {
			return err
		}
		n.Seq, n.RecordedAt, n.By = len(b.AuthorityNotifications)+1, now, a.Label()
		b.AuthorityNotifications = append(b.AuthorityNotifications, n)
		b.recordAdded(now, a, ActionAuthorityNotification, n.Note, "authority_notifications", n)
		s.mailbox(b, NoticeNotification, now, a, func(x *Notice) { x.Notification = &n })
		return nil
	})
}

// Close closes a breach: as handled once decided, or as no breach at all
// before a decision, with a reason. It stays in the register either way.
// Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) Close(ctx context.Context, a Actor, id string, req CloseRequest) (*Breach, error) {
	// The role first (triage checks it again): a wrong role is 403 whatever the body.
	if err := requireRole(a, actCloseDone.roles...); err != nil {
		return nil, err
	}
	act := actCloseDone
	var p Problems
	switch req.Outcome {
	case OutcomeHandled:
	case OutcomeNoBreach:
		act = actCloseNone
	default:
		p.Add("outcome", "moet handled of no_breach zijn")
	}
	reason := strings.TrimSpace(req.Reason)
	text(&p, "reason", reason, maxText, req.Outcome == OutcomeNoBreach)
	if err := p.Err("Het afsluiten is niet geldig."); err != nil {
		return nil, err
	}
	if req.Outcome == OutcomeNoBreach { // a notification withdrawn because it was no breach after all
		act.statuses = append(slices.Clone(act.statuses), StatusDecided)
	}
	return s.triage(ctx, a, id, act, func(b *Breach, now time.Time) error {
		withdrawn := slices.ContainsFunc(b.AuthorityNotifications, func(x AuthorityNotification) bool { return x.Phase == PhaseWithdrawal })
		switch d := b.DecisionInForce(); {
		case req.Outcome == OutcomeNoBreach && b.Status == StatusDecided && !withdrawn:
			return Errorf(ECONFLICT, "Datalek %s heeft status %q: afsluiten als geen datalek kan na een besluit alleen als de melding bij de Autoriteit Persoonsgegevens is ingetrokken.", b.Reference, b.Status)
		case req.Outcome == OutcomeHandled && d != nil && d.NotifyAuthority && b.InitialNotification() == nil:
			return Errorf(ECONFLICT, "Datalek %s heeft status %q: het besluit is melden bij de Autoriteit Persoonsgegevens, maar er is geen melding vastgelegd; leg die eerst vast of wijzig het besluit.", b.Reference, b.Status)
		}
		b.Closure = &Closure{Outcome: req.Outcome, Reason: reason, ClosedAt: now, By: a.Label()}
		b.recordAdded(now, a, ActionClosed, reason, "closure", b.Closure)
		b.setStatus(now, a, StatusClosed)
		s.mailbox(b, NoticeClosed, now, a, nil)
		return nil
	})
}

// SetOtherControllers records the other controllers hit by the same
// incident. Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) SetOtherControllers(ctx context.Context, a Actor, id string, req OtherControllersRequest) (*Breach, error) {
	return s.triage(ctx, a, id, actControlers, func(b *Breach, now time.Time) error {
		var p Problems
		if len(req.Controllers) > maxListItems {
			p.Add("controllers", "bevat meer dan %d verwerkingsverantwoordelijken", maxListItems)
		}
		list := make([]OtherController, len(req.Controllers))
		for i, c := range req.Controllers {
			list[i] = OtherController{Name: strings.TrimSpace(c.Name), Contact: strings.TrimSpace(c.Contact)}
			line(&p, fmt.Sprintf("controllers[%d].name", i), list[i].Name, maxShort, true)
			line(&p, fmt.Sprintf("controllers[%d].contact", i), list[i].Contact, maxShort, false)
		}
		if err := p.Err("De lijst is niet geldig."); err != nil {
			return err
		}
		old, _ := json.Marshal(b.OtherControllers)
		next, _ := json.Marshal(list)
		if string(old) == string(next) {
			return nil
		}
		b.OtherControllers = list
		b.record(now, a, ActionOtherControllers, "", []Change{{Field: "other_controllers", Old: old, New: next}})
		return nil
	})
}

// FindStaffBreach returns a breach with its deliberation, for staff only.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) FindStaffBreach(ctx context.Context, a Actor, id string) (*Breach, error) {
	if err := requireRole(a, RoleAdviser, RoleController); err != nil {
		return nil, err
	}
	return s.Store.FindBreach(ctx, a.Scope(), id)
}

// AuthorityForm returns what the AP's notification form is drafted from: the
// breach with its deliberation, for staff, and the moment to draft it at.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) AuthorityForm(ctx context.Context, a Actor, id string) (*Breach, time.Time, error) {
	b, err := s.FindStaffBreach(ctx, a, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	return b, s.now(), nil
}
