package breach

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The adviser's assessment of a breach: the ENISA inputs, the score and the
// adviser's own conclusion.

// ActionAssessed is the trail entry of an assessment.
const ActionAssessed Action = "breach.assessed"

// NoticeAssessment is the mail saying that an assessment was recorded.
const NoticeAssessment NoticeKind = "assessment"

// Assessment is the adviser's triage of a breach: the ENISA inputs and score,
// and the adviser's own conclusion with its reasoning. Every assessment is
// kept; the latest counts.
type Assessment struct {
	Seq         int          `json:"seq"`
	AssessedAt  time.Time    `json:"assessed_at"`
	By          string       `json:"by"`
	BreachTypes []BreachType `json:"breach_types"`
	DPC         int          `json:"dpc"`
	DPCDefault  int          `json:"dpc_default"` // the highest base score of the report's categories
	DPCReason   string       `json:"dpc_reason,omitempty"`
	// DPCAdjustments are the reasoned moves from dpc_default to dpc, one per
	// factor (the other way to set dpc than dpc with dpc_reason).
	DPCAdjustments []DPCAdjustment `json:"dpc_adjustments,omitempty"`
	EI             EI              `json:"ei"`
	CB             Circumstances   `json:"cb"`
	// Unintelligible: the data are unintelligible to the unauthorised
	// (state-of-the-art encryption or hashing, the key not compromised).
	Unintelligible bool `json:"unintelligible"`
	// RestoredFromBackup: data lost or made unavailable were restored from a
	// backup in a short time.
	RestoredFromBackup bool `json:"restored_from_backup"`
	// RecipientTrusted: the data went to a known recipient that can be
	// trusted to return or destroy them unread.
	RecipientTrusted bool           `json:"recipient_trusted"`
	Consequences     string         `json:"consequences"`
	Risk             Risk           `json:"risk"`
	Reasoning        string         `json:"reasoning"`
	Severity         Severity       `json:"severity"`
	Recommendation   Recommendation `json:"recommendation"`
	// Rules are the rules the recommendation followed (advice.go); absent
	// from assessments recorded before they were named, which followed the
	// ENISA level.
	Rules []AdviceRule `json:"recommendation_rules,omitempty"`
	Flags []AdviceFlag `json:"flags,omitempty"`
	// DeviationReason is why the adviser's conclusion differs from the
	// recommendation; required when it does.
	DeviationReason string `json:"deviation_reason,omitempty"`
	// APFacts are the facts of the AP's form that nobody else records.
	APFacts *APFacts `json:"ap_facts,omitempty"`
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
	BreachTypes        []BreachType    `json:"breach_types"`
	DPC                *int            `json:"dpc,omitempty"`
	DPCReason          string          `json:"dpc_reason,omitempty"`
	DPCAdjustments     []DPCAdjustment `json:"dpc_adjustments,omitempty"`
	EI                 EI              `json:"ei"`
	CB                 Circumstances   `json:"cb"`
	Unintelligible     bool            `json:"unintelligible"`
	RestoredFromBackup bool            `json:"restored_from_backup"`
	RecipientTrusted   bool            `json:"recipient_trusted"`
	Consequences       string          `json:"consequences"`
	Risk               Risk            `json:"risk"`
	Reasoning          string          `json:"reasoning"`
	DeviationReason    string          `json:"deviation_reason,omitempty"`
	APFacts            *APFacts        `json:"ap_facts,omitempty"`
}

// LatestAssessment returns the assessment that counts, or nil.
func (b *Breach) LatestAssessment() *Assessment {
	if n := len(b.Assessments); n > 0 {
		return &b.Assessments[n-1]
	}
	return nil
}

// Assess records an assessment, computes its severity and recommendation,
// and moves the breach to assessed (a decided breach stays decided).
// Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) Assess(ctx context.Context, a Actor, id string, req AssessmentRequest) (*Breach, error) {
	return s.triage(ctx, a, id, actAssess, func(b *Breach, now time.Time) error {
		as, err := b.assessment(req, now)
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
func (b *Breach) assessment(req AssessmentRequest, now time.Time) (Assessment, error) {
	var p Problems
	if len(req.BreachTypes) == 0 {
		p.Add("breach_types", "noem ten minste een van confidentiality, integrity, availability")
	}
	codeList(&p, "breach_types", req.BreachTypes, BreachTypes)
	as := Assessment{BreachTypes: req.BreachTypes, DPCDefault: DefaultDPC(&b.Report), DPCReason: strings.TrimSpace(req.DPCReason),
		DPCAdjustments: req.DPCAdjustments, EI: req.EI, CB: req.CB, Unintelligible: req.Unintelligible,
		RestoredFromBackup: req.RestoredFromBackup, RecipientTrusted: req.RecipientTrusted,
		Consequences: strings.TrimSpace(req.Consequences), Risk: req.Risk, Reasoning: strings.TrimSpace(req.Reasoning),
		DeviationReason: strings.TrimSpace(req.DeviationReason), APFacts: req.APFacts}
	as.APFacts.validate(&p, b, now)
	if as.Unintelligible && as.APFacts != nil && as.APFacts.KeyCompromised != nil && *as.APFacts.KeyCompromised {
		p.Add("unintelligible", "kan niet true zijn: de sleutel is in verkeerde handen gekomen (ap_facts.key_compromised), "+
			"dus zijn de gegevens niet onbegrijpelijk voor onbevoegden")
	}
	for i := range as.DPCAdjustments {
		as.DPCAdjustments[i].Reason = strings.TrimSpace(as.DPCAdjustments[i].Reason)
	}
	as.DPC = adjustedDPC(&p, as.DPCDefault, as.DPCAdjustments)
	if req.DPC != nil && len(req.DPCAdjustments) > 0 {
		p.Add("dpc", "geef dpc (met dpc_reason) of dpc_adjustments, niet beide")
	} else if req.DPC != nil {
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
	text(&p, "deviation_reason", as.DeviationReason, maxText, false)
	// The score is computed as soon as its inputs are valid, so that a
	// preview shows it while the texts are still being written.
	if sev, err := Score(as.DPC, as.EI, as.CB); err == nil {
		as.Severity = sev
		as.advise(&b.Report)
	}
	if p.Err("") == nil && as.Deviates() && as.DeviationReason == "" {
		p.Add("deviation_reason", "is verplicht: de conclusie (%s) wijkt af van de aanbeveling (%s)", as.Risk, as.Recommendation)
	}
	return as, p.Err("De beoordeling is niet volledig of niet geldig.")
}

// PreviewAssessment computes the severity and the recommendation an
// assessment would get, without recording it: the page shows them as the
// adviser types, by the same rule as Assess. Only the inputs of the score
// need be valid. Errors: EFORBIDDEN, ENOTFOUND, EINVALID (no score yet).
func (s *Service) PreviewAssessment(ctx context.Context, a Actor, id string, req AssessmentRequest) (*Assessment, error) {
	if err := requireRole(a, RoleAdviser); err != nil {
		return nil, err
	}
	b, err := s.Breaches.FindBreach(ctx, a.Scope(), id)
	if err != nil {
		return nil, err
	}
	as, err := b.assessment(req, s.now())
	if as.Severity.Level == "" {
		return nil, err
	}
	return &as, nil
}
