package nl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
	"datalek/breach/nl"
)

// Every value the API accepts reads as Dutch, not as its code.
func TestEveryCodeHasALabel(t *testing.T) {
	labelled := func(what, code, label string) {
		t.Helper()
		assert.NotEmpty(t, label, "%s %q", what, code)
		assert.NotEqual(t, code, label, "%s %q has no Dutch label", what, code)
	}
	for _, v := range breach.Statuses {
		labelled("status", string(v), nl.Status(v))
	}
	for _, v := range []breach.Stage{breach.StagePreliminary, breach.StageComplete} {
		labelled("stage", string(v), nl.Stage(v))
	}
	for _, v := range breach.Roles {
		labelled("role", string(v), nl.Role(v))
	}
	for _, v := range breach.Dispositions {
		labelled("disposition", string(v), nl.Disposition(v))
	}
	for _, v := range breach.Channels {
		labelled("channel", string(v), nl.Channel(v))
	}
	for _, v := range breach.BreachTypes {
		labelled("breach type", string(v), nl.BreachType(v))
	}
	for _, v := range []breach.SeverityLevel{breach.SeverityLow, breach.SeverityMedium, breach.SeverityHigh, breach.SeverityVeryHigh} {
		labelled("severity", string(v), nl.Severity(v))
		labelled("recommendation", string(breach.Recommend(v)), nl.Recommendation(breach.Recommend(v)))
	}
	for _, v := range []breach.Risk{breach.RiskNone, breach.RiskSome, breach.RiskHigh} {
		labelled("risk", string(v), nl.Risk(v))
	}
	for _, v := range []breach.EI{breach.EINegligible, breach.EILimited, breach.EISignificant, breach.EIMaximum} {
		labelled("EI", string(v), nl.EI(v))
	}
	for _, v := range []breach.ConfidentialityLoss{breach.ConfidentialityNone, breach.ConfidentialityLimited, breach.ConfidentialityWide} {
		labelled("confidentiality", string(v), nl.CB(v))
	}
	for _, v := range []breach.IntegrityLoss{breach.IntegrityNone, breach.IntegrityRecoverable, breach.IntegrityIrrecoverable} {
		labelled("integrity", string(v), nl.CB(v))
	}
	for _, v := range []breach.AvailabilityLoss{breach.AvailabilityNone, breach.AvailabilityTemporary, breach.AvailabilityPermanent} {
		labelled("availability", string(v), nl.CB(v))
	}
	for _, v := range breach.InformSubjectsValues {
		labelled("inform subjects", string(v), nl.InformSubjects(v))
	}
	for _, v := range breach.SubjectsExemptions {
		labelled("exemption", string(v), nl.Exemption(v))
	}
	for _, v := range []breach.Phase{breach.PhaseInitial, breach.PhaseSupplement, breach.PhaseWithdrawal} {
		labelled("phase", string(v), nl.Phase(v))
	}
	for _, v := range []breach.Outcome{breach.OutcomeHandled, breach.OutcomeNoBreach} {
		labelled("outcome", string(v), nl.Outcome(v))
	}
	for _, v := range []breach.NoticeKind{breach.NoticeFiled, breach.NoticeAcknowledged, breach.NoticeAmended, breach.NoticeUpdated,
		breach.NoticeAwareness, breach.NoticeDigest, breach.NoticeBounce, breach.NoticeStatus, breach.NoticeAssessment,
		breach.NoticeDecision, breach.NoticeNotification, breach.NoticeClosed, breach.NoticeQuestion, breach.NoticeAnswer} {
		labelled("mail", string(v), nl.Mail(v, ""))
	}
	for _, v := range []breach.AlertKind{breach.AlertProcessorReminder, breach.AlertProcessorOverdue, breach.AlertAuthorityReminder,
		breach.AlertAuthorityOverdue, breach.AlertQuestionReminder, breach.AlertQuestionOverdue} {
		labelled("alert", string(v), nl.Mail(breach.NoticeAlert, v))
	}
	assert.Equal(t, "Oorzaak", nl.Field("cause"))
}

// A code without a label shows as it is, and nothing stays nothing.
func TestUnknownCodeShowsAsItIs(t *testing.T) {
	assert.Equal(t, "carrier_pigeon", nl.Channel("carrier_pigeon"))
	assert.Equal(t, "archived", nl.Status("archived"))
	assert.Equal(t, "other_controllers", nl.Field("other_controllers"))
	assert.Empty(t, nl.Disposition(""))
}

func TestText(t *testing.T) {
	n := func(v int) *int { return &v }
	yes, no := true, false
	assert.Equal(t, "ja", nl.YesNo(&yes))
	assert.Equal(t, "nee", nl.YesNo(&no))
	assert.Empty(t, nl.YesNo(nil))

	assert.Equal(t, "Naam, Gezondheidsgegevens (bijzonder), Overig: kentekens, geheim",
		nl.Categories([]string{"naam", "gezondheidsgegevens", "other:kentekens", "geheim"}))
	assert.Empty(t, nl.Categories(nil))

	assert.Equal(t, "niets verstuurd", nl.SentItems([]breach.SentItem{}))
	assert.Empty(t, nl.SentItems(nil), "not given yet")
	assert.Equal(t, "Brief, per post, 1.500 stuks; Mail, per e-mail",
		nl.SentItems([]breach.SentItem{{Description: "Brief", Channel: "post", Count: n(1500)}, {Description: "Mail", Channel: "email"}}))

	assert.Equal(t, "120 tot 1.500", nl.Subjects(n(120), n(1500)))
	assert.Equal(t, "150", nl.Subjects(n(150), n(150)))
	assert.Equal(t, "minstens 120", nl.Subjects(n(120), nil))
	assert.Equal(t, "hoogstens 150", nl.Subjects(nil, n(150)))
	assert.Empty(t, nl.Subjects(nil, nil))
}
