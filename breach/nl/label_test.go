package nl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
	"datalek/breach/nl"
)

// Every code the domain has a Dutch name for the mails, the AP form, the
// letter and the register: a code without one would show as itself in
// Dutch text (issue 9: "no code leaks into Dutch text").
func TestEveryCodeHasADutchLabel(t *testing.T) {
	check := func(kind string, code, label string) {
		t.Helper()
		assert.NotEqual(t, code, label, "%s %q has no Dutch label", kind, code)
		assert.NotEmpty(t, label, "%s %q", kind, code)
	}
	for _, v := range breach.Statuses {
		check("status", string(v), nl.Status(v))
	}
	for _, v := range []breach.Stage{breach.StagePreliminary, breach.StageComplete} {
		check("stage", string(v), nl.Stage(v))
	}
	for _, v := range breach.Roles {
		check("role", string(v), nl.Role(v))
	}
	for _, v := range breach.Dispositions {
		check("disposition", string(v), nl.Disposition(v))
	}
	for _, v := range breach.Channels {
		check("channel", string(v), nl.Channel(v))
	}
	for _, v := range breach.SubjectChannels {
		check("subject channel", string(v), nl.SubjectChannel(v))
	}
	for _, v := range breach.BreachTypes {
		check("breach type", string(v), nl.BreachType(v))
	}
	for _, v := range []breach.EI{breach.EINegligible, breach.EILimited, breach.EISignificant, breach.EIMaximum} {
		check("ease of identification", string(v), nl.EI(v))
	}
	for _, v := range []breach.ConfidentialityLoss{breach.ConfidentialityNone, breach.ConfidentialityLimited, breach.ConfidentialityWide} {
		check("loss of confidentiality", string(v), nl.CB(v))
	}
	for _, v := range []breach.IntegrityLoss{breach.IntegrityNone, breach.IntegrityRecoverable, breach.IntegrityIrrecoverable} {
		check("loss of integrity", string(v), nl.CB(v))
	}
	for _, v := range []breach.AvailabilityLoss{breach.AvailabilityNone, breach.AvailabilityTemporary, breach.AvailabilityPermanent} {
		check("loss of availability", string(v), nl.CB(v))
	}
	for _, v := range []breach.SeverityLevel{breach.SeverityLow, breach.SeverityMedium, breach.SeverityHigh, breach.SeverityVeryHigh} {
		check("severity", string(v), nl.Severity(v))
	}
	for _, v := range []breach.Recommendation{breach.RecommendRegisterOnly, breach.RecommendNotifyAuthority, breach.RecommendNotifyAuthorityAndSubjects} {
		check("recommendation", string(v), nl.Recommendation(v))
	}
	for _, v := range []breach.Risk{breach.RiskNone, breach.RiskSome, breach.RiskHigh} {
		check("risk", string(v), nl.Risk(v))
	}
	for _, v := range breach.InformSubjectsValues {
		check("inform subjects", string(v), nl.InformSubjects(v))
	}
	for _, v := range breach.SubjectsExemptions {
		check("exemption", string(v), nl.Exemption(v))
	}
	for _, v := range []breach.Phase{breach.PhaseInitial, breach.PhaseSupplement, breach.PhaseWithdrawal} {
		check("phase", string(v), nl.Phase(v))
	}
	for _, v := range []breach.Outcome{breach.OutcomeHandled, breach.OutcomeNoBreach} {
		check("outcome", string(v), nl.Outcome(v))
	}
	for _, v := range []breach.DeadlineState{breach.DeadlineRunning, breach.DeadlineOverdue, breach.DeadlineMet, breach.DeadlineLate, breach.DeadlineStopped} {
		check("deadline state", string(v), nl.DeadlineState(v))
	}
	for _, v := range []breach.AdviceRule{breach.RuleSeverity, breach.RuleUnintelligible, breach.RuleRestoredFromBackup, breach.RuleTrustedRecipient} {
		check("advice rule", string(v), nl.AdviceRule(v))
	}
	for _, v := range []breach.AdviceFlag{breach.FlagManySubjects, breach.FlagVulnerable} {
		check("advice flag", string(v), nl.AdviceFlag(v))
	}
	for _, v := range breach.DPCFactors {
		check("DPC factor", string(v), nl.DPCFactor(v))
	}
	for _, v := range breach.APNatures {
		check("nature", string(v), nl.APNature(v))
	}
	for _, v := range breach.CauseCategories {
		check("cause", string(v), nl.CauseCategory(v))
	}
	for _, v := range breach.DamageKinds {
		check("damage", string(v), nl.DamageKind(v))
	}
	for _, v := range breach.SubjectGroups {
		check("group", string(v), nl.SubjectGroup(v))
	}
	for _, v := range []breach.AlertKind{breach.AlertProcessorReminder, breach.AlertProcessorOverdue, breach.AlertAuthorityReminder,
		breach.AlertAuthorityOverdue, breach.AlertQuestionReminder, breach.AlertQuestionOverdue, breach.AlertSubjectsOverdue} {
		check("alert", string(v), nl.Mail(breach.NoticeAlert, v))
	}
}
