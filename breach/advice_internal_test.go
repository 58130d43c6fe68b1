package breach

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// adviceBreach is a breach with a report of the given data, people and
// disposition of what was sent.
func adviceBreach(data []string, people int, disposition Disposition) *Breach {
	return &Breach{Report: Report{PersonalData: data, SubjectsMin: &people, SubjectsMax: &people, ItemDisposition: disposition}}
}

// The EDPB's rules for breaches unlikely to result in a risk (Guidelines
// 9/2022, and the cases of 01/2021), each against the ENISA score that would
// otherwise decide, and the rule the advice names.
func TestAdviceFollowsTheEDPB(t *testing.T) {
	noLoss := Circumstances{Confidentiality: ConfidentialityNone, Integrity: IntegrityNone, Availability: AvailabilityNone}
	with := func(f func(*Circumstances)) Circumstances { c := noLoss; f(&c); return c }
	income := []string{"naam", "adres", "inkomensgegevens"} // DPC 3
	health := []string{"naam", "gezondheidsgegevens"}       // DPC 4
	tests := []struct {
		name   string
		b      *Breach
		req    AssessmentRequest
		advice Recommendation
		rules  []AdviceRule
	}{
		{"ransomware, restored from a backup, no exfiltration (case 1)", adviceBreach(income, 200, DispositionNotApplicable),
			AssessmentRequest{BreachTypes: []BreachType{TypeAvailability}, EI: EILimited, RestoredFromBackup: true,
				CB: with(func(c *Circumstances) { c.Availability, c.Malicious = AvailabilityTemporary, true })},
			RecommendRegisterOnly, []AdviceRule{RuleRestoredFromBackup}},
		{"ransomware without a backup (case 2)", adviceBreach(income, 200, DispositionNotApplicable),
			AssessmentRequest{BreachTypes: []BreachType{TypeAvailability}, EI: EILimited,
				CB: with(func(c *Circumstances) { c.Availability, c.Malicious = AvailabilityPermanent, true })},
			RecommendNotifyAuthority, []AdviceRule{RuleSeverity}},
		{"ransomware restored from a backup, with exfiltration (case 4)", adviceBreach(income, 200, DispositionNotApplicable),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality, TypeAvailability}, EI: EISignificant, RestoredFromBackup: true,
				CB: with(func(c *Circumstances) {
					c.Confidentiality, c.Availability, c.Malicious = ConfidentialityWide, AvailabilityTemporary, true
				})},
			RecommendNotifyAuthorityAndSubjects, []AdviceRule{RuleSeverity}},
		{"stolen laptop, encrypted with the key safe, a backup (case 10)", adviceBreach(health, 900, DispositionNotApplicable),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality, TypeAvailability}, EI: EIMaximum, Unintelligible: true, RestoredFromBackup: true,
				CB: with(func(c *Circumstances) {
					c.Confidentiality, c.Availability, c.Malicious = ConfidentialityWide, AvailabilityTemporary, true
				})},
			RecommendRegisterOnly, []AdviceRule{RuleUnintelligible, RuleRestoredFromBackup}},
		{"stolen laptop, not encrypted (case 11)", adviceBreach(health, 900, DispositionNotApplicable),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality, TypeAvailability}, EI: EIMaximum, RestoredFromBackup: true,
				CB: with(func(c *Circumstances) {
					c.Confidentiality, c.Availability, c.Malicious = ConfidentialityWide, AvailabilityTemporary, true
				})},
			RecommendNotifyAuthorityAndSubjects, []AdviceRule{RuleSeverity}},
		{"stolen laptop, encrypted, no backup", adviceBreach(health, 900, DispositionNotApplicable),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality, TypeAvailability}, EI: EIMaximum, Unintelligible: true,
				CB: with(func(c *Circumstances) {
					c.Confidentiality, c.Availability, c.Malicious = ConfidentialityWide, AvailabilityPermanent, true
				})},
			RecommendNotifyAuthorityAndSubjects, []AdviceRule{RuleSeverity}},
		{"two invoices to a trusted wrong address, returned (case 13)", adviceBreach(income, 2, DispositionReturned),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality}, EI: EIMaximum, RecipientTrusted: true,
				CB: with(func(c *Circumstances) { c.Confidentiality = ConfidentialityLimited })},
			RecommendRegisterOnly, []AdviceRule{RuleTrustedRecipient}},
		{"5,000 invoices to a trusted wrong address, returned: the number weighs in", adviceBreach(income, 5000, DispositionReturned),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality}, EI: EIMaximum, RecipientTrusted: true,
				CB: with(func(c *Circumstances) { c.Confidentiality = ConfidentialityLimited })},
			RecommendNotifyAuthorityAndSubjects, []AdviceRule{RuleSeverity}},
		{"the same, not returned", adviceBreach(income, 2, DispositionNotReturned),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality}, EI: EIMaximum, RecipientTrusted: true,
				CB: with(func(c *Circumstances) { c.Confidentiality = ConfidentialityLimited })},
			RecommendNotifyAuthorityAndSubjects, []AdviceRule{RuleSeverity}}, // 3 × 1 + 0.25 = 3.25: high
		{"health data to a trusted wrong address, returned: sensitivity weighs in", adviceBreach(health, 2, DispositionReturned),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality}, EI: EIMaximum, RecipientTrusted: true,
				CB: with(func(c *Circumstances) { c.Confidentiality = ConfidentialityLimited })},
			RecommendNotifyAuthorityAndSubjects, []AdviceRule{RuleSeverity}},
		{"encrypted data altered: integrity is not answered by encryption", adviceBreach(income, 50, DispositionNotApplicable),
			AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality, TypeIntegrity}, EI: EISignificant, Unintelligible: true,
				CB: with(func(c *Circumstances) {
					c.Confidentiality, c.Integrity = ConfidentialityLimited, IntegrityIrrecoverable
				})},
			RecommendNotifyAuthorityAndSubjects, []AdviceRule{RuleSeverity}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Consequences, tt.req.Reasoning, tt.req.DeviationReason = "x", "x", "x"
			tt.req.Risk = RiskNone
			as, err := tt.b.assessment(tt.req, adviceNow)
			require.NoError(t, err)
			assert.Equal(t, tt.advice, as.Recommendation, "score %v (%s)", as.Severity.Score, as.Severity.Level)
			assert.Equal(t, tt.rules, as.Rules)
		})
	}
}

// The number of people and their vulnerability are flagged beside the
// recommendation, for the adviser to weigh; they do not change it.
func TestAdviceFlags(t *testing.T) {
	req := AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality}, EI: EILimited, Consequences: "x", Reasoning: "x",
		Risk: RiskSome, DeviationReason: "x", CB: Circumstances{Confidentiality: ConfidentialityLimited, Integrity: IntegrityNone, Availability: AvailabilityNone}}
	as, err := adviceBreach([]string{"naam"}, 999, DispositionNotReturned).assessment(req, adviceNow)
	require.NoError(t, err)
	assert.Empty(t, as.Flags)
	req.DPCAdjustments = []DPCAdjustment{{Factor: FactorVulnerable, Change: 1, Reason: "Cliënten in de langdurige zorg"}}
	as, err = adviceBreach([]string{"naam"}, 1000, DispositionNotReturned).assessment(req, adviceNow)
	require.NoError(t, err)
	assert.Equal(t, []AdviceFlag{FlagManySubjects, FlagVulnerable}, as.Flags)
	assert.Equal(t, 2, as.DPC, "the base score 1, raised by one")
	req.DPCAdjustments = nil
	req.APFacts = &APFacts{Groups: []SubjectGroup{GroupClients, GroupMinors}}
	as, err = adviceBreach([]string{"naam"}, 10, DispositionNotReturned).assessment(req, adviceNow)
	require.NoError(t, err)
	assert.Equal(t, []AdviceFlag{FlagVulnerable}, as.Flags, "minors among the groups affected, without a DPC adjustment")
}

// Whether special data were involved is the report's to say, unless the
// adviser establishes it: a call recording may or may not be about health;
// the adviser cannot deny what the report names.
func TestSpecialData(t *testing.T) {
	no, yes := false, true
	req := AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality}, EI: EIMaximum, Consequences: "x", Reasoning: "x",
		Risk: RiskHigh, DeviationReason: "x", CB: Circumstances{Confidentiality: ConfidentialityWide, Integrity: IntegrityNone, Availability: AvailabilityNone}}
	recording := adviceBreach([]string{"naam", "spraakdata"}, 10, DispositionNotReturned)
	assert.False(t, (*APFacts)(nil).Special(&recording.Report), "a call recording is not special as such")
	for _, established := range []bool{no, yes} {
		req.APFacts = &APFacts{SpecialData: &established}
		as, err := recording.assessment(req, adviceNow)
		require.NoError(t, err)
		assert.Equal(t, established, as.APFacts.Special(&recording.Report))
	}
	health := adviceBreach([]string{"naam", "gezondheidsgegevens"}, 10, DispositionNotReturned)
	assert.True(t, (*APFacts)(nil).Special(&health.Report))
	req.APFacts = &APFacts{SpecialData: &no}
	_, err := health.assessment(req, adviceNow)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Len(t, e.Fields, 1)
	assert.Equal(t, "ap_facts.special_data", e.Fields[0].Field)
	assert.Contains(t, e.Fields[0].Message, "gezondheidsgegevens")
}

// The DPC moves from the base score of the data by reasoned adjustments,
// one per factor, adding up to 1 to 4; or, as before, by dpc with dpc_reason; not
// both. A conclusion that differs from the recommendation needs its reason.
func TestAssessmentInputs(t *testing.T) {
	base := AssessmentRequest{BreachTypes: []BreachType{TypeConfidentiality}, EI: EIMaximum, Consequences: "x", Reasoning: "x",
		Risk: RiskHigh, CB: Circumstances{Confidentiality: ConfidentialityWide, Integrity: IntegrityNone, Availability: AvailabilityNone}}
	b := adviceBreach([]string{"naam", "inkomensgegevens"}, 10, DispositionNotReturned) // base score 3
	fields := func(req AssessmentRequest) []string {
		t.Helper()
		_, err := b.assessment(req, adviceNow)
		var e *Error
		require.ErrorAs(t, err, &e)
		var names []string
		for _, p := range e.Fields {
			names = append(names, p.Field)
		}
		return names
	}
	as, err := b.assessment(base, adviceNow)
	require.NoError(t, err)
	assert.Equal(t, RecommendNotifyAuthorityAndSubjects, as.Recommendation, "3 × 1 + 0.5 = 3.5: high")
	assert.False(t, as.Deviates())

	req := base
	req.DPCAdjustments = []DPCAdjustment{{Factor: FactorContext, Change: 1, Reason: "CAK-cliënt: langdurige zorg"}}
	as, err = b.assessment(req, adviceNow)
	require.NoError(t, err)
	assert.Equal(t, 4, as.DPC, "3 + 1")
	assert.Equal(t, 3, as.DPCDefault)
	req.DPCAdjustments = append(req.DPCAdjustments, DPCAdjustment{Factor: FactorVolume, Change: 3, Reason: "Volledige dossiers"})
	assert.Equal(t, []string{"dpc_adjustments"}, fields(req), "3 + 1 + 3 is off the scale: refused, not clamped, so that the changes add up")
	req.DPCAdjustments = []DPCAdjustment{{Factor: FactorPublic, Change: -3, Reason: "Stond al online"}}
	assert.Equal(t, []string{"dpc_adjustments"}, fields(req), "3 − 3")

	req.DPCAdjustments = []DPCAdjustment{{Factor: FactorContext, Change: 1, Reason: "a"}, {Factor: FactorContext, Change: 0, Reason: " "},
		{Factor: "mood", Change: 9, Reason: "b"}}
	assert.Equal(t, []string{"dpc_adjustments[1].factor", "dpc_adjustments[1].change", "dpc_adjustments[1].reason",
		"dpc_adjustments[2].factor", "dpc_adjustments[2].change"}, fields(req))
	req.DPCAdjustments, req.DPC = []DPCAdjustment{{Factor: FactorPublic, Change: -1, Reason: "Stond al online"}}, ptrInt(2)
	assert.Equal(t, []string{"dpc"}, fields(req), "not both")

	req = base
	req.Risk = RiskNone
	assert.Equal(t, []string{"deviation_reason"}, fields(req))
	req.DeviationReason = "  "
	assert.Equal(t, []string{"deviation_reason"}, fields(req))
	req.DeviationReason = "De ontvanger is een collega-overheid met geheimhoudingsplicht"
	as, err = b.assessment(req, adviceNow)
	require.NoError(t, err)
	assert.True(t, as.Deviates())
	assert.True(t, strings.HasPrefix(as.DeviationReason, "De ontvanger"))
}

func ptrInt(v int) *int { return &v }

// adviceNow is the moment the advice tests assess at.
var adviceNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
