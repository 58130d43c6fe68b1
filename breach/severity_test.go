package breach_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
)

// Worked cases, computed by hand: SE = DPC × EI + CB.
func TestScore(t *testing.T) {
	none := breach.Circumstances{Confidentiality: "none", Integrity: "none", Availability: "none"}
	with := func(c breach.ConfidentialityLoss, i breach.IntegrityLoss, a breach.AvailabilityLoss, malicious bool) breach.Circumstances {
		return breach.Circumstances{Confidentiality: c, Integrity: i, Availability: a, Malicious: malicious}
	}
	tests := []struct {
		name  string
		dpc   int
		ei    breach.EI
		cb    breach.Circumstances
		score float64
		level breach.SeverityLevel
		rec   breach.Recommendation
	}{
		{"simple data, negligible identification: 1 × 0.25", 1, "negligible", none, 0.25, breach.SeverityLow, breach.RecommendRegisterOnly},
		{"under medium: 3 × 0.5 + 0.25 = 1.75", 3, "limited", with("limited", "none", "none", false), 1.75, breach.SeverityLow, breach.RecommendRegisterOnly},
		{"exactly 2 is medium: 4 × 0.5", 4, "limited", none, 2, breach.SeverityMedium, breach.RecommendNotifyAuthority},
		{"just under high: 2 × 1 + 0.5 + 0.25 = 2.75", 2, "maximum", with("wide", "recoverable", "none", false), 2.75, breach.SeverityMedium, breach.RecommendNotifyAuthority},
		{"exactly 3 is high: 3 × 1", 3, "maximum", none, 3, breach.SeverityHigh, breach.RecommendNotifyAuthorityAndSubjects},
		{"under very high: 3 × 0.75 + 0.5 + 0.5 = 3.25", 3, "significant", with("wide", "irrecoverable", "none", false), 3.25, breach.SeverityHigh, breach.RecommendNotifyAuthorityAndSubjects},
		{"exactly 4 is very high: 4 × 1", 4, "maximum", none, 4, breach.SeverityVeryHigh, breach.RecommendNotifyAuthorityAndSubjects},
		{"health data by letter to a known wrong address: 4 × 0.75 + 0.25", 4, "significant", with("limited", "none", "none", false), 3.25, breach.SeverityHigh, breach.RecommendNotifyAuthorityAndSubjects},
		{"everything: 4 × 1 + 0.5 + 0.5 + 0.5 + 0.5", 4, "maximum", with("wide", "irrecoverable", "permanent", true), 6, breach.SeverityVeryHigh, breach.RecommendNotifyAuthorityAndSubjects},
		{"ransomware with backup: 3 × 0.5 + 0.25 temporary + 0.5 malicious", 3, "limited", with("none", "none", "temporary", true), 2.25, breach.SeverityMedium, breach.RecommendNotifyAuthority},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := breach.Score(tt.dpc, tt.ei, tt.cb)
			require.NoError(t, err)
			assert.Equal(t, tt.score, s.Score)
			assert.Equal(t, tt.level, s.Level)
			assert.Equal(t, tt.rec, breach.Recommend(s.Level))
		})
	}
	for _, bad := range []struct {
		dpc int
		ei  breach.EI
		cb  breach.Circumstances
	}{{0, "limited", none}, {5, "limited", none}, {2, "some", none}, {2, "limited", with("all", "none", "none", false)}} {
		_, err := breach.Score(bad.dpc, bad.ei, bad.cb)
		assert.Error(t, err)
	}
}

func TestDefaultDPC(t *testing.T) {
	assert.Equal(t, 1, breach.DefaultDPC(&breach.Report{}))
	assert.Equal(t, 1, breach.DefaultDPC(&breach.Report{PersonalData: []string{"naam", "adres"}}))
	assert.Equal(t, 3, breach.DefaultDPC(&breach.Report{PersonalData: []string{"naam", "bsn", "iban"}}))
	assert.Equal(t, 4, breach.DefaultDPC(&breach.Report{PersonalData: []string{"naam", "gezondheidsgegevens"}}))
	assert.Equal(t, 4, breach.DefaultDPC(&breach.Report{PersonalData: []string{"detentieverklaring"}}))
}
