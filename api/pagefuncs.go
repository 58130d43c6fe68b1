package api

import (
	"html/template"
	"strings"
	"time"

	"datalek/breach"
	"datalek/breach/nl"
)

// option is a choice of a select or radio group: the code the domain
// takes, and its Dutch name.
type option struct{ Value, Label string }

func optionsOf[T ~string](values []T, label func(T) string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{string(v), label(v)}
	}
	return out
}

// choices are the options of the staff's forms, by field name.
var choices = map[string][]option{
	"status":       optionsOf(breach.Statuses[:len(breach.Statuses)-1], nl.Status), // the overview lists open ones
	"breach_types": optionsOf(breach.BreachTypes, nl.BreachType),
	"ei":           optionsOf([]breach.EI{breach.EINegligible, breach.EILimited, breach.EISignificant, breach.EIMaximum}, nl.EI),
	"cb.confidentiality": optionsOf([]breach.ConfidentialityLoss{breach.ConfidentialityNone, breach.ConfidentialityLimited,
		breach.ConfidentialityWide}, nl.CB),
	"cb.integrity":       optionsOf([]breach.IntegrityLoss{breach.IntegrityNone, breach.IntegrityRecoverable, breach.IntegrityIrrecoverable}, nl.CB),
	"cb.availability":    optionsOf([]breach.AvailabilityLoss{breach.AvailabilityNone, breach.AvailabilityTemporary, breach.AvailabilityPermanent}, nl.CB),
	"risk":               optionsOf([]breach.Risk{breach.RiskNone, breach.RiskSome, breach.RiskHigh}, nl.Risk),
	"inform_subjects":    optionsOf(breach.InformSubjectsValues, nl.InformSubjects),
	"subjects_exemption": optionsOf(breach.SubjectsExemptions, nl.Exemption),
	"phase":              optionsOf([]breach.Phase{breach.PhaseInitial, breach.PhaseSupplement, breach.PhaseWithdrawal}, nl.Phase),
	"channel":            optionsOf(breach.SubjectChannels, nl.SubjectChannel),
	"outcome":            optionsOf([]breach.Outcome{breach.OutcomeHandled, breach.OutcomeNoBreach}, nl.Outcome),
	"dpc": {{"1", "1: eenvoudige gegevens"}, {"2", "2: gedragsgegevens"}, {"3", "3: financiële gegevens"},
		{"4", "4: gevoelige gegevens"}},
}

// pageFuncs name the domain's values in Dutch in the templates.
var pageFuncs = template.FuncMap{
	"options":  func(field string) []option { return choices[field] },
	"time":     nl.Time,
	"count":    nl.Count,
	"score":    nl.Score,
	"status":   nl.Status,
	"stage":    nl.Stage,
	"risk":     nl.Risk,
	"severity": nl.Severity,
	"advice":   nl.Recommendation,
	"rule":     nl.AdviceRule,
	"flag":     nl.AdviceFlag,
	"types":    func(ts []breach.BreachType) string { return joinNL(ts, nl.BreachType) },
	"ei":       nl.EI,
	"cbC":      nl.CB[breach.ConfidentialityLoss],
	"cbI":      nl.CB[breach.IntegrityLoss],
	"cbA":      nl.CB[breach.AvailabilityLoss],
	"inform":   nl.InformSubjects,
	"exempt":   nl.Exemption,
	"phase":    nl.Phase,
	"channel":  nl.SubjectChannel,
	"outcome":  nl.Outcome,
	"by":       nl.By,
	"yesno":    func(v bool) string { return nl.YesNo(&v) },
	"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"args":     func(p page, form, name, label string) field { return field{p, form, name, label} },
	"checks":   func() map[string]string { return assessmentChecks },
	// id is a field's element id: its name without dots, which a CSS
	// selector would read as classes.
	"id": func(name string) string { return strings.ReplaceAll(name, ".", "-") },
}

// field is what the template of one select needs.
type field struct {
	Page              page
	Form, Name, Label string
}

// assessmentChecks are the assessment's yes-or-no circumstances.
var assessmentChecks = map[string]string{
	"cb.malicious":         "Met kwade opzet (bijvoorbeeld diefstal of een aanval)",
	"unintelligible":       "De gegevens zijn onbegrijpelijk voor onbevoegden (versleuteld, sleutel niet gelekt)",
	"restored_from_backup": "Verloren gegevens zijn snel hersteld uit een back-up",
	"recipient_trusted":    "De ontvanger is bekend en te vertrouwen (stuurt terug of vernietigt ongelezen)",
}

// pageMessage is a domain error's message for a person on a page: a field
// with options that was left open asks for a choice, and the codes the API
// names read as their Dutch names.
func pageMessage(field, value, message string) string {
	if _, ok := choices[field]; ok && value == "" {
		return "kies er een"
	}
	for _, opts := range choices {
		for _, o := range opts {
			message = strings.ReplaceAll(message, "("+o.Value+")", "("+o.Label+")")
		}
	}
	for _, r := range []breach.Recommendation{breach.RecommendRegisterOnly, breach.RecommendNotifyAuthority, breach.RecommendNotifyAuthorityAndSubjects} {
		message = strings.ReplaceAll(message, "("+string(r)+")", "("+nl.Recommendation(r)+")")
	}
	return message
}

func joinNL[T ~string](values []T, label func(T) string) string {
	s := ""
	for i, v := range values {
		if i > 0 {
			s += ", "
		}
		s += label(v)
	}
	return s
}
