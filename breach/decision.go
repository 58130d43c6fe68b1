package breach

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The controller's decision on notifying the AP and informing the data
// subjects (GDPR Art. 33, 34).

// ActionDecided is the trail entry of the controller's decision.
const ActionDecided Action = "breach.decided"

// NoticeDecision is the mail saying that the controller decided.
const NoticeDecision NoticeKind = "decision"

// Decision is the controller's decision on notifying the AP and informing
// the data subjects, with its reasons (GDPR Art. 33(5), Art. 34).
type Decision struct {
	Seq                int            `json:"seq"`
	DecidedAt          time.Time      `json:"decided_at"`
	By                 string         `json:"by"`
	NotifyAuthority    bool           `json:"notify_authority"`
	AuthorityReasoning string         `json:"authority_reasoning,omitempty"`
	InformSubjects     InformSubjects `json:"inform_subjects"`
	SubjectsExemption  Exemption      `json:"subjects_exemption,omitempty"`
	SubjectsReasoning  string         `json:"subjects_reasoning,omitempty"`
}

// DecisionRequest is what the controller sends.
type DecisionRequest struct {
	NotifyAuthority    *bool          `json:"notify_authority"`
	AuthorityReasoning string         `json:"authority_reasoning,omitempty"`
	InformSubjects     InformSubjects `json:"inform_subjects"`
	SubjectsExemption  Exemption      `json:"subjects_exemption,omitempty"`
	SubjectsReasoning  string         `json:"subjects_reasoning,omitempty"`
}

// InformSubjects is the decision on informing the data subjects (Art. 34).
type InformSubjects string

const (
	InformYes     InformSubjects = "yes"
	InformPlanned InformSubjects = "planned"
	InformNo      InformSubjects = "no"
)

// Exemption is a ground of Art. 34(3) GDPR for not informing the data
// subjects of a high-risk breach.
type Exemption string

const (
	ExemptionUnintelligible         Exemption = "unintelligible"          // (a) e.g. encrypted
	ExemptionRiskRemoved            Exemption = "risk_removed"            // (b) later measures removed the high risk
	ExemptionDisproportionateEffort Exemption = "disproportionate_effort" // (c) a public communication instead
)

// The answers to informing the data subjects, and the Art. 34(3) exemptions.
var (
	InformSubjectsValues = []InformSubjects{InformYes, InformPlanned, InformNo}
	SubjectsExemptions   = []Exemption{ExemptionUnintelligible, ExemptionRiskRemoved, ExemptionDisproportionateEffort}
)

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

// Decide records the controller's decision. Notifying the AP or not needs
// reasoning, which the register keeps; when the adviser concluded high risk, not informing the data
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
			if d.AuthorityReasoning == "" { // the register shows why, either way (issue 9)
				p.Add("authority_reasoning", "is verplicht: waarom het datalek wel of niet wordt gemeld bij de Autoriteit Persoonsgegevens")
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
		if d.InformSubjects == InformNo {
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
		if b.communicationDue() { // the people affected are to be told from now on
			b.RestartAlerts(ClockSubjects, now, s.Schedule)
		}
		s.mailbox(b, NoticeDecision, now, a, nil)
		return nil
	})
}
