package nl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/breach/nl"
)

// labelOf gives, per kind of code of breachtest.Enumerations, the function
// that names a code of it in Dutch.
var labelOf = map[string]func(string) string{
	"status":                  func(c string) string { return nl.Status(breach.Status(c)) },
	"action":                  func(c string) string { return nl.Action(breach.Action(c)) },
	"stage":                   func(c string) string { return nl.Stage(breach.Stage(c)) },
	"role":                    func(c string) string { return nl.Role(breach.Role(c)) },
	"disposition":             func(c string) string { return nl.Disposition(breach.Disposition(c)) },
	"channel":                 func(c string) string { return nl.Channel(breach.Channel(c)) },
	"subject channel":         func(c string) string { return nl.SubjectChannel(breach.SubjectChannel(c)) },
	"breach type":             func(c string) string { return nl.BreachType(breach.BreachType(c)) },
	"ease of identification":  func(c string) string { return nl.EI(breach.EI(c)) },
	"loss of confidentiality": func(c string) string { return nl.CB(breach.ConfidentialityLoss(c)) },
	"loss of integrity":       func(c string) string { return nl.CB(breach.IntegrityLoss(c)) },
	"loss of availability":    func(c string) string { return nl.CB(breach.AvailabilityLoss(c)) },
	"severity":                func(c string) string { return nl.Severity(breach.SeverityLevel(c)) },
	"recommendation":          func(c string) string { return nl.Recommendation(breach.Recommendation(c)) },
	"risk":                    func(c string) string { return nl.Risk(breach.Risk(c)) },
	"inform subjects":         func(c string) string { return nl.InformSubjects(breach.InformSubjects(c)) },
	"exemption":               func(c string) string { return nl.Exemption(breach.Exemption(c)) },
	"phase":                   func(c string) string { return nl.Phase(breach.Phase(c)) },
	"outcome":                 func(c string) string { return nl.Outcome(breach.Outcome(c)) },
	"deadline state":          func(c string) string { return nl.DeadlineState(breach.DeadlineState(c)) },
	"advice rule":             func(c string) string { return nl.AdviceRule(breach.AdviceRule(c)) },
	"advice flag":             func(c string) string { return nl.AdviceFlag(breach.AdviceFlag(c)) },
	"DPC factor":              func(c string) string { return nl.DPCFactor(breach.DPCFactor(c)) },
	"nature":                  func(c string) string { return nl.APNature(breach.APNature(c)) },
	"cause":                   func(c string) string { return nl.CauseCategory(breach.CauseCategory(c)) },
	"damage":                  func(c string) string { return nl.DamageKind(breach.DamageKind(c)) },
	"group":                   func(c string) string { return nl.SubjectGroup(breach.SubjectGroup(c)) },
	"alert":                   func(c string) string { return nl.Mail(breach.NoticeAlert, breach.AlertKind(c)) },
}

// Every code the domain has a Dutch name for the mails, the AP form, the
// letter and the register: a code without one would show as itself in
// Dutch text (issue 9: "no code leaks into Dutch text").
func TestEveryCodeHasADutchLabel(t *testing.T) {
	for _, e := range breachtest.Enumerations() {
		label, ok := labelOf[e.Kind]
		if !assert.True(t, ok, "%s: no Dutch labels", e.Kind) {
			continue
		}
		for _, code := range e.Codes {
			assert.NotEqual(t, code, label(code), "%s %q has no Dutch label", e.Kind, code)
			assert.NotEmpty(t, label(code), "%s %q", e.Kind, code)
		}
	}
}
