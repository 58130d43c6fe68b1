package breach

import (
	"fmt"
	"slices"
	"strings"
)

// The advice an assessment gives beside the adviser's own conclusion: the
// ENISA score's level, unless one of the EDPB's rules for breaches that are
// unlikely to result in a risk applies (Guidelines 9/2022 and 01/2021), and
// the factors ENISA weighs after the score. It names the rules it followed,
// so that an inspector can retrace it.

// DPCFactor is a reason the context of a breach moves its DPC away from the
// base score of its data (ENISA 2013 adjusts for volume, the context, the
// vulnerability of the people, and data that are invalid or public).
type DPCFactor string

const (
	FactorVolume     DPCFactor = "volume"       // much data about each person
	FactorContext    DPCFactor = "context"      // the controller's context reveals more (a client of the CAK receives long-term care)
	FactorVulnerable DPCFactor = "vulnerable"   // minors, patients, people in care
	FactorInvalid    DPCFactor = "invalid_data" // the data are wrong or out of date
	FactorPublic     DPCFactor = "public_data"  // the data were public already
)

// DPCFactors lists the factors.
var DPCFactors = []DPCFactor{FactorVolume, FactorContext, FactorVulnerable, FactorInvalid, FactorPublic}

// DPCAdjustment is one reasoned move of the DPC.
type DPCAdjustment struct {
	Factor DPCFactor `json:"factor"`
	Change int       `json:"change"` // -3 to 3, not 0
	Reason string    `json:"reason"`
}

// AdviceRule names a rule the advice followed.
type AdviceRule string

const (
	// RuleSeverity: the recommendation of the ENISA level of the score.
	RuleSeverity AdviceRule = "enisa_severity"
	// RuleUnintelligible: the data are unintelligible to the unauthorised
	// (state-of-the-art encryption, the key not compromised): the loss of
	// confidentiality is unlikely to result in a risk.
	RuleUnintelligible AdviceRule = "edpb_unintelligible"
	// RuleRestoredFromBackup: the data were restored from a backup in a
	// short time: a loss of availability that is not permanent is unlikely
	// to result in a risk (not with a loss of confidentiality, such as
	// exfiltration).
	RuleRestoredFromBackup AdviceRule = "edpb_restored_from_backup"
	// RuleTrustedRecipient: the data went to a known, trusted recipient who
	// returned or destroyed them; not for sensitive data (DPC 4), nor for
	// ManySubjects people or more, whose number weighs in (EDPB).
	RuleTrustedRecipient AdviceRule = "edpb_trusted_recipient"
)

// AdviceFlag is a factor ENISA weighs after the score: shown beside the
// recommendation, for the adviser to weigh; it does not change it.
type AdviceFlag string

const (
	// FlagManySubjects: ManySubjects or more people may be affected.
	FlagManySubjects AdviceFlag = "many_subjects"
	// FlagVulnerable: vulnerable people are affected (ap_facts.groups), or
	// the DPC was adjusted for them.
	FlagVulnerable AdviceFlag = "vulnerable_subjects"
)

// ManySubjects is the number of people affected from which the advice
// flags the number as a factor of its own.
const ManySubjects = 1000

// manySubjects reports whether ManySubjects or more people may be affected.
func manySubjects(r *Report) bool {
	n := r.SubjectsMax
	if n == nil {
		n = r.SubjectsMin
	}
	return n != nil && *n >= ManySubjects
}

// riskOf is the conclusion a recommendation corresponds to.
var riskOf = map[Recommendation]Risk{
	RecommendRegisterOnly:               RiskNone,
	RecommendNotifyAuthority:            RiskSome,
	RecommendNotifyAuthorityAndSubjects: RiskHigh,
}

// adjustedDPC validates adjustments and applies them to base; the sum must
// stay within 1 to 4.
func adjustedDPC(p *Problems, base int, adjustments []DPCAdjustment) int {
	dpc, valid := base, true
	for i, a := range adjustments {
		field := fmt.Sprintf("dpc_adjustments[%d]", i)
		switch {
		case !slices.Contains(DPCFactors, a.Factor):
			p.Add(field+".factor", "moet %s zijn", orList(DPCFactors))
		case slices.IndexFunc(adjustments, func(o DPCAdjustment) bool { return o.Factor == a.Factor }) != i:
			p.Add(field+".factor", "staat er dubbel in: geef per factor één aanpassing")
		}
		if a.Change == 0 || a.Change < -3 || a.Change > 3 {
			p.Add(field+".change", "moet -3 tot en met 3 zijn, niet 0")
			valid = false
		}
		text(p, field+".reason", a.Reason, maxText, true)
		dpc += a.Change
	}
	// Clamping would keep a change on record that did not apply: an
	// inspector adding them up would not find the DPC scored.
	if valid && (dpc < 1 || dpc > 4) {
		p.Add("dpc_adjustments", "brengen de DPC van %d op %d, buiten de schaal van 1 tot en met 4: geef de aanpassingen die werkelijk gelden", base, dpc)
	}
	return min(max(dpc, 1), 4)
}

// orList writes values as "a, b of c".
func orList[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s[:len(s)-1], ", ") + " of " + s[len(s)-1]
}

// advise sets the assessment's recommendation, the rules it followed and
// the flags, from its inputs, its severity and the report. The EDPB's rules
// apply when every kind of loss the breach has is answered by one of them;
// else the ENISA level decides.
func (as *Assessment) advise(r *Report) {
	has := func(t BreachType) bool { return slices.Contains(as.BreachTypes, t) }
	confidentiality := has(TypeConfidentiality) || as.CB.Confidentiality != ConfidentialityNone
	integrity := has(TypeIntegrity) || as.CB.Integrity != IntegrityNone
	availability := has(TypeAvailability) || as.CB.Availability != AvailabilityNone

	var rules []AdviceRule
	answered := !integrity
	if confidentiality && answered {
		switch {
		case as.Unintelligible:
			rules = append(rules, RuleUnintelligible)
		case as.RecipientTrusted && as.CB.Confidentiality != ConfidentialityWide && as.DPC < 4 && !manySubjects(r) &&
			slices.Contains([]Disposition{DispositionReturned, DispositionDestroyed}, r.ItemDisposition):
			rules = append(rules, RuleTrustedRecipient)
		default:
			answered = false
		}
	}
	if availability && answered {
		if as.RestoredFromBackup && as.CB.Availability != AvailabilityPermanent {
			rules = append(rules, RuleRestoredFromBackup)
		} else {
			answered = false
		}
	}
	if answered && len(rules) > 0 {
		as.Recommendation, as.Rules = RecommendRegisterOnly, rules
	} else {
		as.Recommendation, as.Rules = Recommend(as.Severity.Level), []AdviceRule{RuleSeverity}
	}

	as.Flags = nil
	if manySubjects(r) {
		as.Flags = append(as.Flags, FlagManySubjects)
	}
	if as.APFacts.Vulnerable() || slices.ContainsFunc(as.DPCAdjustments, func(a DPCAdjustment) bool { return a.Factor == FactorVulnerable && a.Change > 0 }) {
		as.Flags = append(as.Flags, FlagVulnerable)
	}
}

// Deviates reports whether the adviser's conclusion differs from the
// recommendation: it is then shown as such, and needs its reason.
func (as *Assessment) Deviates() bool { return riskOf[as.Recommendation] != as.Risk }
