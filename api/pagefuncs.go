package api

import (
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"regexp"
	"slices"
	"strings"
	"time"

	"datalek/breach"
	"datalek/breach/nl"
)

// assetVersion changes with the style sheet and the script, so that a
// browser that keeps them an hour takes a new release's at once.
var assetVersion = func() string {
	sum := sha256.Sum256(slices.Concat(styleSheet, appScript, supplierScript))
	return hex.EncodeToString(sum[:4])
}()

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

// choices are the options of the pages' forms, by field name.
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
	"role":               optionsOf(breach.Roles, nl.Role),
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
	"types":    func(ts []breach.BreachType) string { return nl.JoinLabels(ts, nl.BreachType) },
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
	"asset":    func(path string) string { return path + "?v=" + assetVersion },
	// formKey marks one showing of a form, so that sending it twice (a
	// double click, a reload) does its work once.
	"formKey": breach.NewID,
	"args": func(p page, form, name, label string) field {
		return field{Page: p, Form: form, Name: name, Label: label}
	},
	"choose": func(f field, opts []option) field { f.Options = opts; return f },
	"checks": func() map[string]string { return assessmentChecks },
	// id is a field's element id (fieldID).
	"id": fieldID,
}

// fieldID is a field's element id: its name without dots and brackets,
// which a CSS selector would read as classes and attributes:
// "cb.malicious" is "cb-malicious", "sent_items[1].channel"
// "sent_items-1-channel".
func fieldID(name string) string { return idReplacer.Replace(name) }

var idReplacer = strings.NewReplacer(".", "-", "[", "-", "]", "")

// field is what the template of one select needs; Options when they are
// not the field's choices (say, the organisations there are).
type field struct {
	Page              page
	Form, Name, Label string
	Options           []option
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
// names read as their Dutch names, from the field's own options (and, for
// a deviation, the conclusion's and the recommendation's).
func pageMessage(field, value, message string) string {
	opts, ok := choices[field]
	if ok && value == "" && strings.HasPrefix(message, "moet ") {
		return "kies er een"
	}
	if field == "deviation_reason" {
		opts = slices.Concat(choices["risk"], optionsOf([]breach.Recommendation{breach.RecommendRegisterOnly,
			breach.RecommendNotifyAuthority, breach.RecommendNotifyAuthorityAndSubjects}, nl.Recommendation))
	}
	for _, o := range opts {
		message = strings.ReplaceAll(message, "("+o.Value+")", "("+o.Label+")")
	}
	return message
}

// formProblem is an error of a posted form in its summary: the field's name
// and the message, linking to the field.
type formProblem struct{ Target, Text string }

// formFields name the fields of the staff's forms, and the element a
// problem with one links to when it is not the field's own id (a group of
// boxes or buttons links to its first).
var formFields = map[string]struct{ Label, Target string }{
	"question": {"Vraag", ""}, "due_at": {"Antwoord uiterlijk", ""},
	"breach_types": {"Soort inbreuk", "type-confidentiality"}, "dpc": {"Ernst van de gegevens (DPC)", ""},
	"dpc_reason": {"Waarom een andere DPC", ""}, "ei": {"Identificeerbaarheid", ""},
	"cb.confidentiality": {"Verlies van vertrouwelijkheid", ""}, "cb.integrity": {"Verlies van integriteit", ""},
	"cb.availability": {"Verlies van beschikbaarheid", ""}, "cb.malicious": {"Met kwade opzet", ""},
	"unintelligible": {"Onbegrijpelijk voor onbevoegden", ""}, "restored_from_backup": {"Hersteld uit een back-up", ""},
	"recipient_trusted": {"Ontvanger te vertrouwen", ""}, "consequences": {"Mogelijke gevolgen", ""},
	"risk": {"Conclusie", "risk-none"}, "reasoning": {"Onderbouwing", ""}, "deviation_reason": {"Waarom afwijkend", ""},
	"notify_authority": {"Melden bij de AP", "notify-ja"}, "authority_reasoning": {"Onderbouwing", ""},
	"inform_subjects": {"Betrokkenen informeren", ""}, "subjects_exemption": {"Uitzondering", ""},
	"subjects_reasoning": {"Onderbouwing over de betrokkenen", ""}, "phase": {"Soort melding", ""},
	"submitted_at": {"Ingediend op", ""}, "reference": {"Meldingsnummer", ""}, "note": {"Toelichting", ""},
	"delay_reason": {"Reden van de vertraging", ""}, "early_reason": {"Reden van een melding vóór de melding van de verwerker", ""},
	"channel": {"Hoe", ""}, "sent_at": {"Verstuurd op", ""}, "reached": {"Aantal bereikte betrokkenen", ""},
	"text": {"Tekst van het bericht", ""}, "outcome": {"Uitkomst", "outcome-handled"}, "aware_at": {"Kennisgenomen op", ""},
	"controllers": {"Andere verwerkingsverantwoordelijken", ""},
}

// formReasons are the fields a form calls "reason", each with its own id.
var formReasons = map[string]string{"ap-melding": "reason", "afgesloten": "close-reason", "kennisname": "aware-reason"}

// problemOf places a problem of form: at its field, or, for a field the
// page does not show (the AP's facts an assessment carries over), at the
// form, named by the field.
func problemOf(form string, fe breach.FieldError) formProblem {
	if fe.Field == "reason" {
		return formProblem{"#" + formReasons[form], "Reden: " + fe.Message}
	}
	f, ok := formFields[fe.Field]
	switch {
	case !ok:
		return formProblem{"#" + form, nl.Field(fe.Field) + ": " + fe.Message}
	case f.Target != "":
		return formProblem{"#" + f.Target, f.Label + ": " + fe.Message}
	}
	return formProblem{"#" + fieldID(fe.Field), f.Label + ": " + fe.Message}
}

var (
	statusWord = `(new|triage|assessed|decided|closed)`
	quotedCode = regexp.MustCompile(`"` + statusWord + `"`)
	statusList = regexp.MustCompile(`status ` + statusWord + `((, ` + statusWord + `)*)`)
	rfc3339    = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)
	roleCode   = regexp.MustCompile(`\brol (supplier|adviser|controller|admin)\b`)
	fieldWord  = regexp.MustCompile(`\b(ap_facts\.[a-z_]+|[a-z]+(_[a-z]+)+|dpc)\b`)
)

// dutchText rewrites what the domain's messages name for integrators into
// words for a person: statuses and roles by their Dutch names, instants as
// Dutch times, and the API's field names by the form's labels.
func dutchText(msg string) string {
	msg = quotedCode.ReplaceAllStringFunc(msg, func(q string) string { return nl.Status(breach.Status(strings.Trim(q, `"`))) })
	msg = statusList.ReplaceAllStringFunc(msg, func(list string) string {
		codes := strings.Split(strings.TrimPrefix(list, "status "), ", ")
		return "status " + nl.JoinLabels(codes, func(c string) string { return nl.Status(breach.Status(c)) })
	})
	msg = roleCode.ReplaceAllStringFunc(msg, func(r string) string { return "rol " + nl.Role(breach.Role(strings.TrimPrefix(r, "rol "))) })
	msg = rfc3339.ReplaceAllStringFunc(msg, func(ts string) string {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			return ts
		}
		return nl.Time(t)
	})
	return fieldWord.ReplaceAllStringFunc(msg, func(name string) string {
		if f, ok := formFields[name]; ok {
			return strings.ToLower(f.Label)
		}
		if label := nl.Field(name); label != name {
			return strings.ToLower(label)
		}
		return name
	})
}
