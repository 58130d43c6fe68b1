package nl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"datalek/breach"
)

// The breach register of GDPR Art. 33(5): every breach, reported to the AP
// or not, with its facts, effects and remedial action, and the reasons for
// each decision. One row per breach; the columns are defined once here, for
// the JSON register and for the CSV one a person opens in a spreadsheet.
// breach.Service.Register decides who may read it and streams the breaches.

// RegisterColumn is one column: its JSON key, its Dutch header, its value.
type RegisterColumn struct {
	Key    string
	Header string
	value  func(b *breach.Breach, now time.Time) string
}

// registerTime writes an instant as RFC 3339 in Europe/Amsterdam: exact, and
// readable in a spreadsheet.
func registerTime(t time.Time) string { return t.In(breach.Amsterdam).Format(time.RFC3339) }

func optTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return registerTime(*t)
}

// optInt writes a number as plain digits, which every spreadsheet reads as
// a number; a count in running text is Count's.
func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func lateBy(d breach.Deadline) string {
	if d.LateBySeconds == 0 {
		return ""
	}
	return Duration(time.Duration(d.LateBySeconds) * time.Second)
}

// assessed and decided read a field of the latest assessment or decision,
// empty without one.
func assessed(f func(a *breach.Assessment) string) func(*breach.Breach, time.Time) string {
	return func(b *breach.Breach, _ time.Time) string {
		if a := b.LatestAssessment(); a != nil {
			return f(a)
		}
		return ""
	}
}

func decided(f func(d *breach.Decision) string) func(*breach.Breach, time.Time) string {
	return func(b *breach.Breach, _ time.Time) string {
		if d := b.LatestDecision(); d != nil {
			return f(d)
		}
		return ""
	}
}

// RegisterColumns are the register's columns, in order.
var RegisterColumns = []RegisterColumn{
	{"reference", "Kenmerk", func(b *breach.Breach, _ time.Time) string { return b.Reference }},
	{"id", "ID", func(b *breach.Breach, _ time.Time) string { return b.ID }},
	{"organisation", "Verwerker", func(b *breach.Breach, _ time.Time) string { return b.Organisation }},
	{"title", "Titel", func(b *breach.Breach, _ time.Time) string { return b.Title }},
	{"status", "Status", func(b *breach.Breach, _ time.Time) string { return Status(b.Status) }},
	{"stage", "Stand van de melding", func(b *breach.Breach, _ time.Time) string { return Stage(b.Stage) }},
	{"received_at", "Ontvangen op", func(b *breach.Breach, _ time.Time) string { return registerTime(b.ReceivedAt) }},
	{"started_at", "Ontstaan op", func(b *breach.Breach, _ time.Time) string { return optTime(b.StartedAt) }},
	{"detected_at", "Ontdekt op", func(b *breach.Breach, _ time.Time) string { return registerTime(b.DetectedAt) }},
	{"ongoing", "Nog gaande", func(b *breach.Breach, _ time.Time) string { return YesNo(b.Ongoing) }},
	{"cause", "Oorzaak", func(b *breach.Breach, _ time.Time) string { return b.Cause }},
	{"personal_data", "Persoonsgegevens", func(b *breach.Breach, _ time.Time) string { return Categories(b.PersonalData) }},
	{"special_categories", "Bijzondere of strafrechtelijke gegevens", func(b *breach.Breach, _ time.Time) string {
		var facts *breach.APFacts
		if a := b.LatestAssessment(); a != nil {
			facts = a.APFacts
		}
		return YesNo(new(facts.Special(&b.Report))) // as the adviser established it, else as the report says
	}},
	{"subjects_min", "Betrokkenen minimaal", func(b *breach.Breach, _ time.Time) string { return optInt(b.SubjectsMin) }},
	{"subjects_max", "Betrokkenen maximaal", func(b *breach.Breach, _ time.Time) string { return optInt(b.SubjectsMax) }},
	{"sent_items", "Verstuurde uitingen", func(b *breach.Breach, _ time.Time) string { return SentItems(b.SentItems) }},
	{"item_disposition", "Vernietigd of teruggestuurd", func(b *breach.Breach, _ time.Time) string { return Disposition(b.ItemDisposition) }},
	{"measures", "Maatregelen", func(b *breach.Breach, _ time.Time) string { return b.Measures }},
	{"updates", "Ontwikkelingen", func(b *breach.Breach, _ time.Time) string {
		msgs := make([]string, len(b.Updates))
		for i, u := range b.Updates {
			msgs[i] = registerTime(u.ReceivedAt) + ": " + u.Message
		}
		return strings.Join(msgs, " | ")
	}},
	{"processor_due_at", "Termijn verwerker (24 uur)", func(b *breach.Breach, _ time.Time) string { return registerTime(b.ProcessorDue()) }},
	{"informed_deadline", "Verwerker binnen 24 uur gemeld", func(b *breach.Breach, now time.Time) string { return string(b.DeadlinesAt(now).Informed.State) }},
	{"informed_late_by", "Verwerker gemeld te laat", func(b *breach.Breach, now time.Time) string { return lateBy(b.DeadlinesAt(now).Informed) }},
	{"processor_deadline", "Verwerker binnen 24 uur minimale gegevens volledig", func(b *breach.Breach, now time.Time) string { return string(b.DeadlinesAt(now).Processor.State) }},
	{"processor_late_by", "Verwerker minimale gegevens te laat", func(b *breach.Breach, now time.Time) string { return lateBy(b.DeadlinesAt(now).Processor) }},
	{"aware_at", "Moment van kennisname", func(b *breach.Breach, _ time.Time) string { return registerTime(b.AwareAt) }},
	{"awareness_moves", "Moment van kennisname verplaatst", func(b *breach.Breach, _ time.Time) string {
		parts := make([]string, len(b.AwarenessMoves))
		for i, m := range b.AwarenessMoves {
			parts[i] = fmt.Sprintf("%s: van %s naar %s door %s; reden: %s", registerTime(m.MovedAt), registerTime(m.From), registerTime(m.To), By(m.By), m.Reason)
		}
		return strings.Join(parts, " | ")
	}},
	{"authority_due_at", "Termijn Autoriteit Persoonsgegevens (72 uur)", func(b *breach.Breach, _ time.Time) string { return registerTime(b.AuthorityDue()) }},
	{"authority_deadline", "Termijn AP gehaald", func(b *breach.Breach, now time.Time) string { return string(b.DeadlinesAt(now).Authority.State) }},
	{"authority_late_by", "Termijn AP te laat", func(b *breach.Breach, now time.Time) string { return lateBy(b.DeadlinesAt(now).Authority) }},
	{"assessments", "Alle beoordelingen", func(b *breach.Breach, _ time.Time) string {
		parts := make([]string, len(b.Assessments))
		for i := range b.Assessments {
			parts[i] = assessmentLine(&b.Assessments[i])
		}
		return strings.Join(parts, " | ")
	}},
	{"breach_types", "Soort inbreuk", assessed(func(a *breach.Assessment) string {
		types := make([]string, len(a.BreachTypes))
		for i, t := range a.BreachTypes {
			types[i] = string(t)
		}
		return strings.Join(types, ", ")
	})},
	{"dpc", "DPC (gegevensverwerkingscontext)", assessed(func(a *breach.Assessment) string { return strconv.Itoa(a.DPC) })},
	{"dpc_reason", "Reden afwijkende DPC", assessed(func(a *breach.Assessment) string { return a.DPCReason })},
	{"dpc_adjustments", "DPC-aanpassingen", assessed(func(a *breach.Assessment) string { return DPCAdjustments(a.DPCAdjustments) })},
	{"severity_score", "Ernst (ENISA)", assessed(func(a *breach.Assessment) string { return strconv.FormatFloat(a.Severity.Score, 'f', 2, 64) })},
	{"severity_level", "Ernstniveau", assessed(func(a *breach.Assessment) string { return string(a.Severity.Level) })},
	{"recommendation", "Aanbeveling", assessed(func(a *breach.Assessment) string { return string(a.Recommendation) })},
	{"recommendation_rules", "Aanbeveling volgens", assessed(func(a *breach.Assessment) string {
		rules := make([]string, len(a.Rules))
		for i, r := range a.Rules {
			rules[i] = AdviceRule(r)
		}
		return strings.Join(rules, "; ")
	})},
	{"advice_flags", "Mee te wegen", assessed(func(a *breach.Assessment) string {
		flags := make([]string, len(a.Flags))
		for i, f := range a.Flags {
			flags[i] = AdviceFlag(f)
		}
		return strings.Join(flags, ", ")
	})},
	{"deviation_reason", "Reden afwijking van de aanbeveling", assessed(func(a *breach.Assessment) string { return a.DeviationReason })},
	{"risk", "Risico (conclusie Adviseur Privacy)", assessed(func(a *breach.Assessment) string { return string(a.Risk) })},
	{"risk_reasoning", "Onderbouwing risico", assessed(func(a *breach.Assessment) string { return a.Reasoning })},
	{"consequences", "Gevolgen", assessed(func(a *breach.Assessment) string { return a.Consequences })},
	{"unintelligible", "Onbegrijpelijk (versleuteld)", assessed(func(a *breach.Assessment) string { return YesNo(&a.Unintelligible) })},
	{"notify_authority", "Melden bij AP", decided(func(d *breach.Decision) string { return YesNo(&d.NotifyAuthority) })},
	{"authority_reasoning", "Onderbouwing melden AP", decided(func(d *breach.Decision) string { return d.AuthorityReasoning })},
	{"inform_subjects", "Betrokkenen informeren", decided(func(d *breach.Decision) string { return string(d.InformSubjects) })},
	{"subjects_exemption", "Uitzondering art. 34 lid 3", decided(func(d *breach.Decision) string { return string(d.SubjectsExemption) })},
	{"subjects_reasoning", "Onderbouwing betrokkenen", decided(func(d *breach.Decision) string { return d.SubjectsReasoning })},
	{"decisions", "Alle besluiten", func(b *breach.Breach, _ time.Time) string {
		return decisionLines(b, func(d *breach.Decision) (string, string) {
			return string(d.InformSubjects), string(d.SubjectsExemption)
		})
	}},
	{"subject_communications", "Berichten aan betrokkenen", func(b *breach.Breach, _ time.Time) string {
		parts := make([]string, len(b.SubjectCommunications))
		for i, c := range b.SubjectCommunications {
			parts[i] = fmt.Sprintf("%s: %s, %s, vastgelegd door %s%s", registerTime(c.SentAt), SubjectChannel(c.Channel), People(c.Reached),
				By(c.By), labelled("tekst", strings.ReplaceAll(c.Text, "\n", " ")))
		}
		return strings.Join(parts, " | ")
	}},
	{"authority_notifications", "Meldingen AP", func(b *breach.Breach, _ time.Time) string {
		return notificationLines(b, func(p breach.Phase) string { return string(p) })
	}},
	{"delay_reason", "Reden vertraging", func(b *breach.Breach, _ time.Time) string {
		if n := b.InitialNotification(); n != nil {
			return n.DelayReason
		}
		return ""
	}},
	{"other_controllers", "Andere verwerkingsverantwoordelijken", func(b *breach.Breach, _ time.Time) string {
		names := make([]string, len(b.OtherControllers))
		for i, c := range b.OtherControllers {
			names[i] = c.Name
		}
		return strings.Join(names, ", ")
	}},
	{"questions", "Vragen aan de verwerker", func(b *breach.Breach, _ time.Time) string {
		parts := make([]string, len(b.Questions))
		for i, q := range b.Questions {
			answer := "(nog geen antwoord)"
			if q.AnsweredAt != nil {
				answer = q.Answer
			}
			parts[i] = fmt.Sprintf("%s: %s → %s", q.ID, q.Question, answer)
		}
		return strings.Join(parts, " | ")
	}},
	{"open_questions", "Open vragen", func(b *breach.Breach, _ time.Time) string { return strconv.Itoa(len(b.OpenQuestions())) }},
	{"outcome", "Afgesloten als", func(b *breach.Breach, _ time.Time) string {
		if b.Closure == nil {
			return ""
		}
		return string(b.Closure.Outcome)
	}},
	{"close_reason", "Reden afsluiten", func(b *breach.Breach, _ time.Time) string {
		if b.Closure == nil {
			return ""
		}
		return b.Closure.Reason
	}},
	{"closed_at", "Afgesloten op", func(b *breach.Breach, _ time.Time) string {
		if b.Closure == nil {
			return ""
		}
		return registerTime(b.Closure.ClosedAt)
	}},
	{"closed_by", "Afgesloten door", func(b *breach.Breach, _ time.Time) string {
		if b.Closure == nil {
			return ""
		}
		return By(b.Closure.By)
	}},
}

// RegisterRow returns the JSON register's values for a breach at now, in
// column order.
func RegisterRow(b *breach.Breach, now time.Time) []string {
	row := make([]string, len(RegisterColumns))
	for i, c := range RegisterColumns {
		row[i] = c.value(b, now)
	}
	return row
}

// registerText holds, by column key, how a person reads a value in the CSV
// register where that differs from the JSON register's value: the score is
// 3.25 in the JSON register, as promised to clients, and 3,25 in a
// spreadsheet.
var registerText = map[string]func(b *breach.Breach, now time.Time) string{
	"processor_deadline": func(b *breach.Breach, now time.Time) string { return DeadlineState(b.DeadlinesAt(now).Processor.State) },
	"informed_deadline":  func(b *breach.Breach, now time.Time) string { return DeadlineState(b.DeadlinesAt(now).Informed.State) },
	"authority_deadline": func(b *breach.Breach, now time.Time) string { return DeadlineState(b.DeadlinesAt(now).Authority.State) },
	"breach_types": assessed(func(a *breach.Assessment) string {
		types := make([]string, len(a.BreachTypes))
		for i, t := range a.BreachTypes {
			types[i] = BreachType(t)
		}
		return strings.Join(types, ", ")
	}),
	"severity_score":     assessed(func(a *breach.Assessment) string { return Score(a.Severity.Score) }),
	"severity_level":     assessed(func(a *breach.Assessment) string { return Severity(a.Severity.Level) }),
	"recommendation":     assessed(func(a *breach.Assessment) string { return Recommendation(a.Recommendation) }),
	"risk":               assessed(func(a *breach.Assessment) string { return Risk(a.Risk) }),
	"inform_subjects":    decided(func(d *breach.Decision) string { return InformSubjects(d.InformSubjects) }),
	"subjects_exemption": decided(func(d *breach.Decision) string { return Exemption(d.SubjectsExemption) }),
	"decisions": func(b *breach.Breach, _ time.Time) string {
		return decisionLines(b, func(d *breach.Decision) (string, string) {
			return InformSubjects(d.InformSubjects), Exemption(d.SubjectsExemption)
		})
	},
	"authority_notifications": func(b *breach.Breach, _ time.Time) string { return notificationLines(b, Phase) },
	"outcome": func(b *breach.Breach, _ time.Time) string {
		if b.Closure == nil {
			return ""
		}
		return Outcome(b.Closure.Outcome)
	},
}

// RegisterText returns the CSV register's cells for a breach at now, in
// column order: the values of RegisterRow, with the score as a person reads
// it.
func RegisterText(b *breach.Breach, now time.Time) []string {
	row := make([]string, len(RegisterColumns))
	for i, c := range RegisterColumns {
		value := c.value
		if text, ok := registerText[c.Key]; ok {
			value = text
		}
		row[i] = value(b, now)
	}
	return row
}

// decisionLines lists every decision with who took it and its reasons,
// the choice about the people affected named by name.
func decisionLines(b *breach.Breach, name func(d *breach.Decision) (inform, exemption string)) string {
	parts := make([]string, len(b.Decisions))
	for i := range b.Decisions {
		d := &b.Decisions[i]
		inform, exemption := name(d)
		parts[i] = fmt.Sprintf("%s door %s: melden bij AP: %s%s; betrokkenen informeren: %s%s%s", registerTime(d.DecidedAt), By(d.By),
			YesNo(&d.NotifyAuthority), labelled("onderbouwing", d.AuthorityReasoning), inform,
			labelled("uitzondering", exemption), labelled("onderbouwing", d.SubjectsReasoning))
	}
	return strings.Join(parts, " | ")
}

// notificationLines lists every AP notification with who recorded it and
// its labelled note and reasons, the phase named by name.
func notificationLines(b *breach.Breach, name func(breach.Phase) string) string {
	parts := make([]string, len(b.AuthorityNotifications))
	for i, n := range b.AuthorityNotifications {
		parts[i] = fmt.Sprintf("%s %s, meldingsnummer %s, vastgelegd door %s%s%s%s", name(n.Phase), registerTime(n.SubmittedAt), n.Reference,
			By(n.By), labelled("toelichting", n.Note), labelled("reden", n.Reason), labelled("reden vroege melding", n.EarlyReason))
	}
	return strings.Join(parts, " | ")
}

// labelled writes "; label: value", or nothing for an empty value.
func labelled(label, value string) string {
	if value == "" {
		return ""
	}
	return "; " + label + ": " + value
}

// assessmentLine is one assessment with every input, for the register:
// an inspector recomputes the score and retraces the advice from it.
func assessmentLine(a *breach.Assessment) string {
	types := make([]string, len(a.BreachTypes))
	for i, t := range a.BreachTypes {
		types[i] = BreachType(t)
	}
	dpc := fmt.Sprintf("DPC %d, standaard %d%s", a.DPC, a.DPCDefault, labelled("reden", a.DPCReason))
	if len(a.DPCAdjustments) > 0 {
		dpc += labelled("aanpassingen", strings.ReplaceAll(DPCAdjustments(a.DPCAdjustments), "\n", "; "))
	}
	line := fmt.Sprintf("%s door %s: %s; %s; EI %s; vertrouwelijkheid %s; integriteit %s; beschikbaarheid %s; kwade opzet %s; "+
		"onbegrijpelijk %s; hersteld uit back-up %s; betrouwbare ontvanger %s; ernst %s, %s; aanbeveling: %s; conclusie: %s%s",
		registerTime(a.AssessedAt), By(a.By), strings.Join(types, ", "), dpc, EI(a.EI), Confidentiality(a), CB(a.CB.Integrity),
		CB(a.CB.Availability), YesNo(&a.CB.Malicious), YesNo(&a.Unintelligible), YesNo(&a.RestoredFromBackup), YesNo(&a.RecipientTrusted),
		Score(a.Severity.Score), Severity(a.Severity.Level), Advice(a), Risk(a.Risk), labelled("onderbouwing", a.Reasoning))
	if a.Deviates() {
		line += labelled("afwijking", a.DeviationReason)
	}
	return line + labelled("feiten voor de AP", APFacts(a.APFacts))
}
