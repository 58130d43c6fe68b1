package breachtest

import "datalek/breach"

// Enumeration is one of the domain's sets of codes.
type Enumeration struct {
	Kind  string
	Codes []string
}

// Enumerations lists every set of codes the API and the JSON register use,
// which text for people shows by its Dutch name instead. The test that
// every code has a Dutch label and the test that the CSV register shows no
// code both read it, so a set added here is checked by both.
func Enumerations() []Enumeration {
	return []Enumeration{
		{"status", codes(breach.Statuses...)},
		{"stage", codes(breach.StagePreliminary, breach.StageComplete)},
		{"role", codes(breach.Roles...)},
		{"disposition", codes(breach.Dispositions...)},
		{"channel", codes(breach.Channels...)},
		{"subject channel", codes(breach.SubjectChannels...)},
		{"breach type", codes(breach.BreachTypes...)},
		{"ease of identification", codes(breach.EINegligible, breach.EILimited, breach.EISignificant, breach.EIMaximum)},
		{"loss of confidentiality", codes(breach.ConfidentialityNone, breach.ConfidentialityLimited, breach.ConfidentialityWide)},
		{"loss of integrity", codes(breach.IntegrityNone, breach.IntegrityRecoverable, breach.IntegrityIrrecoverable)},
		{"loss of availability", codes(breach.AvailabilityNone, breach.AvailabilityTemporary, breach.AvailabilityPermanent)},
		{"severity", codes(breach.SeverityLow, breach.SeverityMedium, breach.SeverityHigh, breach.SeverityVeryHigh)},
		{"recommendation", codes(breach.RecommendRegisterOnly, breach.RecommendNotifyAuthority, breach.RecommendNotifyAuthorityAndSubjects)},
		{"risk", codes(breach.RiskNone, breach.RiskSome, breach.RiskHigh)},
		{"inform subjects", codes(breach.InformSubjectsValues...)},
		{"exemption", codes(breach.SubjectsExemptions...)},
		{"phase", codes(breach.PhaseInitial, breach.PhaseSupplement, breach.PhaseWithdrawal)},
		{"outcome", codes(breach.OutcomeHandled, breach.OutcomeNoBreach)},
		{"deadline state", codes(breach.DeadlineRunning, breach.DeadlineOverdue, breach.DeadlineMet, breach.DeadlineLate, breach.DeadlineStopped)},
		{"advice rule", codes(breach.RuleSeverity, breach.RuleUnintelligible, breach.RuleRestoredFromBackup, breach.RuleTrustedRecipient)},
		{"advice flag", codes(breach.FlagManySubjects, breach.FlagVulnerable)},
		{"DPC factor", codes(breach.DPCFactors...)},
		{"nature", codes(breach.APNatures...)},
		{"cause", codes(breach.CauseCategories...)},
		{"damage", codes(breach.DamageKinds...)},
		{"group", codes(breach.SubjectGroups...)},
		{"action", codes(breach.Actions...)},
		{"alert", codes(breach.AlertProcessorReminder, breach.AlertProcessorOverdue, breach.AlertAuthorityReminder,
			breach.AlertAuthorityOverdue, breach.AlertQuestionReminder, breach.AlertQuestionOverdue, breach.AlertSubjectsOverdue)},
	}
}

func codes[T ~string](values ...T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
