package breach

import "fmt"

// BreachType is what a breach did to the data (confidentiality, integrity,
// availability); one breach can be several.
type BreachType string

const (
	TypeConfidentiality BreachType = "confidentiality"
	TypeIntegrity       BreachType = "integrity"
	TypeAvailability    BreachType = "availability"
)

// BreachTypes lists the breach types.
var BreachTypes = []BreachType{TypeConfidentiality, TypeIntegrity, TypeAvailability}

// EI is the ENISA ease of identification: how easily the people affected
// can be identified from the data.
type EI string

const (
	EINegligible  EI = "negligible"
	EILimited     EI = "limited"
	EISignificant EI = "significant"
	EIMaximum     EI = "maximum"
)

// Loss of confidentiality, integrity and availability: the ENISA
// circumstances of the breach.
type (
	ConfidentialityLoss string
	IntegrityLoss       string
	AvailabilityLoss    string
)

const (
	ConfidentialityNone    ConfidentialityLoss = "none"
	ConfidentialityLimited ConfidentialityLoss = "limited" // known, limited recipients
	ConfidentialityWide    ConfidentialityLoss = "wide"    // unknown recipients, or public

	IntegrityNone          IntegrityLoss = "none"
	IntegrityRecoverable   IntegrityLoss = "recoverable"
	IntegrityIrrecoverable IntegrityLoss = "irrecoverable"

	AvailabilityNone      AvailabilityLoss = "none"
	AvailabilityTemporary AvailabilityLoss = "temporary"
	AvailabilityPermanent AvailabilityLoss = "permanent"
)

// The ENISA (2013) inputs. Scores are kept in quarter points so that every
// sum is exact and the level boundaries compare without rounding.
var (
	// eiQuarters is ease of identification: negligible 0.25 ... maximum 1.
	eiQuarters = map[EI]int{EINegligible: 1, EILimited: 2, EISignificant: 3, EIMaximum: 4}
	// The circumstances of the breach, added to DPC × EI.
	confidentialityQuarters = map[ConfidentialityLoss]int{ConfidentialityNone: 0, ConfidentialityLimited: 1, ConfidentialityWide: 2}
	integrityQuarters       = map[IntegrityLoss]int{IntegrityNone: 0, IntegrityRecoverable: 1, IntegrityIrrecoverable: 2}
	availabilityQuarters    = map[AvailabilityLoss]int{AvailabilityNone: 0, AvailabilityTemporary: 1, AvailabilityPermanent: 2}
	maliciousQuarters       = 2
)

// Circumstances are the CB elements of the ENISA method.
type Circumstances struct {
	Confidentiality ConfidentialityLoss `json:"confidentiality"`
	Integrity       IntegrityLoss       `json:"integrity"`
	Availability    AvailabilityLoss    `json:"availability"`
	Malicious       bool                `json:"malicious"`
}

// SeverityLevel is the ENISA level of a score.
type SeverityLevel string

const (
	SeverityLow      SeverityLevel = "low"       // SE < 2
	SeverityMedium   SeverityLevel = "medium"    // 2 ≤ SE < 3
	SeverityHigh     SeverityLevel = "high"      // 3 ≤ SE < 4
	SeverityVeryHigh SeverityLevel = "very_high" // SE ≥ 4
)

// Severity is a computed ENISA score: SE = DPC × EI + CB.
type Severity struct {
	Score float64       `json:"score"`
	Level SeverityLevel `json:"level"`
}

// Recommendation is what common practice does with a severity level. It is
// evidence for the human decision, never the decision itself.
type Recommendation string

const (
	RecommendRegisterOnly               Recommendation = "register_only"
	RecommendNotifyAuthority            Recommendation = "notify_authority"
	RecommendNotifyAuthorityAndSubjects Recommendation = "notify_authority_and_subjects"
)

// Score computes the ENISA severity. dpc is 1 to 4, ei one of negligible,
// limited, significant, maximum, and the circumstances as in Circumstances;
// it returns an error for any value outside those.
func Score(dpc int, ei EI, cb Circumstances) (Severity, error) {
	e, okE := eiQuarters[ei]
	c, okC := confidentialityQuarters[cb.Confidentiality]
	i, okI := integrityQuarters[cb.Integrity]
	a, okA := availabilityQuarters[cb.Availability]
	if dpc < 1 || dpc > 4 || !okE || !okC || !okI || !okA {
		return Severity{}, fmt.Errorf("severity: invalid inputs dpc=%d ei=%q cb=%+v", dpc, ei, cb)
	}
	q := dpc*e + c + i + a
	if cb.Malicious {
		q += maliciousQuarters
	}
	level := SeverityVeryHigh
	switch {
	case q < 8:
		level = SeverityLow
	case q < 12:
		level = SeverityMedium
	case q < 16:
		level = SeverityHigh
	}
	return Severity{Score: float64(q) / 4, Level: level}, nil
}

// Recommend returns the recommendation that goes with a level.
func Recommend(level SeverityLevel) Recommendation {
	switch level {
	case SeverityLow:
		return RecommendRegisterOnly
	case SeverityMedium:
		return RecommendNotifyAuthority
	}
	return RecommendNotifyAuthorityAndSubjects
}

// DefaultDPC is the base score of a report's data: the highest of its
// categories (1 when it names none yet).
func DefaultDPC(r *Report) int {
	dpc := 1
	for _, code := range r.PersonalData {
		if c, ok := LookupCategory(code); ok && c.DPC > dpc {
			dpc = c.DPC
		}
	}
	return dpc
}
