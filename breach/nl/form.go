package nl

import (
	"fmt"
	"strings"
	"time"

	"datalek/breach"
)

// AuthorityForm is a draft of the AP's notification form, by its sections
// 0 to 9, prefilled from the breach; what it cannot answer is listed.
type AuthorityForm struct {
	BreachID  string        `json:"breach_id"`
	Reference string        `json:"reference"`
	Sections  []FormSection `json:"sections"`
	Missing   []string      `json:"missing"` // "2. Tijdlijn: Wanneer is het datalek ontdekt?" etc., one per unanswered question
}

// FormSection is one numbered section of the AP's form.
type FormSection struct {
	Number int         `json:"number"`
	Title  string      `json:"title"`
	Fields []FormField `json:"fields"`
}

// FormField is one question of the form with its prefilled answer, or marked
// missing when the service cannot answer it (yet).
type FormField struct {
	Question string `json:"question"` // Dutch, as the AP form asks it
	Answer   string `json:"answer,omitempty"`
	Missing  bool   `json:"missing,omitempty"`
	Source   string `json:"source,omitempty"` // where the answer comes from: "melding", "beoordeling", "besluit", "dienst"; empty when missing
}

// Where an answer of the form comes from.
const (
	SourceReport     = "melding"     // the supplier's report
	SourceAssessment = "beoordeling" // the adviser's latest assessment
	SourceDecision   = "besluit"     // the controller's latest decision
	SourceService    = "dienst"      // derived or recorded by this service
)

// FormPlaceholder stands in Text for an answer that is still missing.
const FormPlaceholder = "[NOG IN TE VULLEN]"

// add appends a question; an empty (or blank) answer marks it missing.
func (s *FormSection) add(question, answer, source string) {
	answer = strings.TrimSpace(answer)
	if answer == "" {
		s.Fields = append(s.Fields, FormField{Question: question, Missing: true})
		return
	}
	s.Fields = append(s.Fields, FormField{Question: question, Answer: answer, Source: source})
}

// formInput is what the form is drafted from.
type formInput struct {
	b          *breach.Breach
	as         *breach.Assessment // the latest; nil before the first
	dec        *breach.Decision   // the latest; nil before the first
	facts      *breach.APFacts    // never nil: the empty facts before they are recorded
	now        time.Time
	controller breach.ControllerProfile
}

// formSections are the AP form's sections, in its order.
var formSections = []struct {
	number int
	title  string
	fill   func(s *FormSection, in formInput)
}{
	{0, "Melding", formNotification},
	{1, "Contactgegevens", formContacts},
	{2, "Tijdlijn", formTimeline},
	{3, "Aard van het datalek", formNature},
	{4, "Persoonsgegevens", formPersonalData},
	{5, "Betrokkenen", formSubjects},
	{6, "Beveiliging vooraf", formProtection},
	{7, "Gevolgen", formConsequences},
	{8, "Vervolgacties", formFollowUp},
	{9, "Overige informatie", formOther},
}

// NewAuthorityForm drafts the AP's notification form for b as it stands at
// now: from the report, the latest assessment, the latest decision and the
// notifications recorded so far. b must not be nil.
func NewAuthorityForm(b *breach.Breach, now time.Time, controller breach.ControllerProfile) *AuthorityForm {
	in := formInput{b: b, as: b.LatestAssessment(), dec: b.LatestDecision(), facts: &breach.APFacts{}, now: now, controller: controller}
	if in.as != nil && in.as.APFacts != nil {
		in.facts = in.as.APFacts
	}
	f := &AuthorityForm{BreachID: b.ID, Reference: b.Reference, Sections: make([]FormSection, 0, len(formSections)), Missing: []string{}}
	for _, fs := range formSections {
		s := FormSection{Number: fs.number, Title: fs.title, Fields: []FormField{}}
		fs.fill(&s, in)
		f.Sections = append(f.Sections, s)
		for _, fl := range s.Fields {
			if fl.Missing {
				f.Missing = append(f.Missing, fmt.Sprintf("%d. %s: %s", s.Number, s.Title, fl.Question))
			}
		}
	}
	return f
}

func formContacts(s *FormSection, in formInput) {
	c, b := in.controller, in.b
	organisation := c.Name
	if organisation != "" {
		for _, more := range []string{c.Address, c.Registration} {
			if more != "" {
				organisation += "; " + more
			}
		}
	}
	s.add("Naam van de organisatie (verwerkingsverantwoordelijke)", organisation, SourceService)
	s.add("Wie meldt het datalek namens de organisatie? (naam, functie, telefoonnummer, e-mailadres)", c.Notifier, SourceService)
	s.add("Contactpersoon voor de Autoriteit Persoonsgegevens (naam, functie, telefoonnummer, e-mailadres)", c.DPO, SourceService)
	processor := ""
	if strings.TrimSpace(b.Organisation) != "" {
		processor = "ja: " + b.Organisation
	}
	s.add("Is er een verwerker bij het datalek betrokken? Zo ja, welke?", processor, SourceReport)
	sub := YesNo(in.facts.SubProcessorInvolved)
	if sub == "ja" {
		sub += ": " + in.facts.SubProcessor
	}
	s.add("Is er een subverwerker van de verwerker bij het datalek betrokken? Zo ja, welke?", sub, SourceAssessment)
	s.add("Contactpersoon bij de verwerker (naam, functie, telefoonnummer, e-mailadres)", reporterText(b.Reporter), SourceReport)
	others := "geen bekend"
	if len(b.OtherControllers) > 0 {
		parts := make([]string, len(b.OtherControllers))
		for i, c := range b.OtherControllers {
			parts[i] = c.Name
			if c.Contact != "" {
				parts[i] += ", " + c.Contact
			}
		}
		others = strings.Join(parts, "; ")
	}
	s.add("Zijn er andere verwerkingsverantwoordelijken bij hetzelfde incident betrokken? Zo ja, welke?", others, SourceService)
}

func formTimeline(s *FormSection, in formInput) {
	b := in.b
	s.add("Wanneer heeft het datalek plaatsgevonden (of: vanaf wanneer)?", timeText(b.StartedAt), SourceReport)
	ended, source := timeText(in.facts.EndedAt), SourceAssessment
	if ended == "" && b.Ongoing != nil && *b.Ongoing {
		ended, source = "nog niet: het datalek is nog gaande", SourceReport
	}
	s.add("Wanneer is het datalek geëindigd?", ended, source)
	s.add("Is het datalek nog gaande?", YesNo(b.Ongoing), SourceReport)
	s.add("Wanneer is het datalek ontdekt?", timeText(&b.DetectedAt), SourceReport)
	aware := timeText(&b.AwareAt)
	if n := len(b.AwarenessMoves); n > 0 {
		aware += "; " + b.AwarenessMoves[n-1].Reason
	} else if aware != "" {
		aware += ", bij de eerste melding door de verwerker"
	}
	s.add("Wanneer is de organisatie op de hoogte geraakt van het datalek?", aware, SourceService)
	_, delay := authorityDeadline(b, in.dec, in.now)
	s.add("Waarom meldt u later dan 72 uur nadat de organisatie op de hoogte raakte?", delay, SourceService)
}

func formNature(s *FormSection, in formInput) {
	types, nature := "", ""
	if in.as != nil {
		labels := make([]string, len(in.as.BreachTypes))
		parts := make([]string, len(in.as.BreachTypes))
		for i, t := range in.as.BreachTypes {
			labels[i], parts[i] = BreachType(t), apNature[t]
		}
		types, nature = strings.Join(labels, ", "), strings.Join(parts, "; ")
	}
	if len(in.facts.Nature) > 0 {
		parts := make([]string, len(in.facts.Nature))
		for i, n := range in.facts.Nature {
			parts[i] = APNature(n)
		}
		nature = strings.Join(parts, ", ")
	}
	s.add("Wat is er gebeurd? (omschrijving en oorzaak)", in.b.Cause, SourceReport)
	s.add("Om welk soort inbreuk gaat het? (vertrouwelijkheid, integriteit, beschikbaarheid)", types, SourceAssessment)
	s.add("Wat is de aard van het datalek? (lezen, kopiëren, veranderen, verwijderen of vernietigen, diefstal)", nature, SourceAssessment)
	s.add("Wat is de oorzaak of de soort van het incident?", CauseCategory(in.facts.CauseCategory), SourceAssessment)
}

func formPersonalData(s *FormSection, in formInput) {
	b, facts := in.b, in.facts
	s.add("Om welke soorten persoonsgegevens gaat het?", Categories(b.PersonalData), SourceReport)
	s.add("Welke categorieën van het meldformulier zijn dat?", APCategories(b.PersonalData), SourceReport)
	special, source := specialText(in)
	s.add("Gaat het om bijzondere persoonsgegevens of strafrechtelijke gegevens? Zo ja, welke?", special, source)
	if facts.RecordsMin != nil || facts.RecordsMax != nil {
		s.add("Om hoeveel persoonsgegevens (records) gaat het bij benadering?", Subjects(facts.RecordsMin, facts.RecordsMax), SourceAssessment)
	} else {
		s.add("Om hoeveel persoonsgegevens (records) gaat het bij benadering?", recordsText(b.SentItems), SourceReport)
	}
}

// specialText answers whether special or criminal data were involved: as
// the adviser established it (ap_facts.special_data), else as the report's
// categories say; open while the report names only data that may be
// special, such as call recordings, and nobody established it.
func specialText(in formInput) (answer, source string) {
	var special, maybe []string
	for _, code := range in.b.PersonalData {
		if c, ok := breach.LookupCategory(code); ok && c.Special() {
			special = append(special, code)
		} else if ok && c.Class == breach.ClassDepends {
			maybe = append(maybe, code)
		}
	}
	if established := in.facts.SpecialData; established != nil {
		if !*established {
			return "nee", SourceAssessment
		}
		var what []string
		if all := append(special, maybe...); len(all) > 0 {
			what = append(what, Categories(all))
		}
		for _, a := range in.as.DPCAdjustments {
			if a.Factor == breach.FactorContext && a.Change > 0 {
				what = append(what, "af te leiden uit de context: "+a.Reason)
			}
		}
		if len(what) == 0 {
			return "ja", SourceAssessment
		}
		return "ja: " + strings.Join(what, "; "), SourceAssessment
	}
	switch {
	case len(special) > 0:
		return "ja: " + Categories(special), SourceReport
	case len(maybe) > 0 || len(in.b.PersonalData) == 0:
		return "", ""
	}
	return "nee", SourceReport
}

func formSubjects(s *FormSection, in formInput) {
	groups, vulnerable := "", ""
	if len(in.facts.Groups) > 0 {
		parts := make([]string, len(in.facts.Groups))
		for i, g := range in.facts.Groups {
			parts[i] = SubjectGroup(g)
		}
		groups, vulnerable = strings.Join(parts, ", "), "nee"
		if in.facts.Vulnerable() {
			vulnerable = "ja"
		}
	}
	s.add("Om hoeveel betrokkenen gaat het minimaal?", countText(in.b.SubjectsMin), SourceReport)
	s.add("Om hoeveel betrokkenen gaat het maximaal?", countText(in.b.SubjectsMax), SourceReport)
	s.add("Om welke groepen betrokkenen gaat het?", groups, SourceAssessment)
	s.add("Gaat het om kwetsbare groepen (zoals minderjarigen of patiënten)?", vulnerable, SourceAssessment)
}

func formProtection(s *FormSection, in formInput) {
	// Unintelligible is false unless the adviser says otherwise; that is
	// no statement to the AP that the data were unprotected until the
	// adviser has recorded how they were protected (ap_facts.protection).
	facts := in.facts
	unintelligible, how, key := "", facts.Protection, ""
	switch {
	case in.as != nil && in.as.Unintelligible:
		unintelligible = "ja"
	case in.as != nil && facts.Protection != "":
		unintelligible = "nee"
	}
	switch {
	case facts.KeyCompromised != nil && *facts.KeyCompromised:
		key = "nee: de sleutel is in verkeerde handen gekomen, dus de gegevens zijn niet onbegrijpelijk voor onbevoegden"
	case facts.KeyCompromised != nil:
		key = "ja"
	case unintelligible == "nee":
		key = "niet van toepassing: de gegevens waren niet onbegrijpelijk gemaakt"
	}
	s.add("Waren de persoonsgegevens versleuteld, gehasht of op een andere manier onbegrijpelijk of ontoegankelijk gemaakt voor onbevoegden?",
		unintelligible, SourceAssessment)
	s.add("Zo ja, op welke manier?", how, SourceAssessment)
	s.add("Is de sleutel (of het wachtwoord) buiten bereik van onbevoegden gebleven?", key, SourceAssessment)
}

func formConsequences(s *FormSection, in formInput) {
	// The controller's statement to the AP: the consequences and how
	// serious they are, not the internal working (the ENISA score, the
	// recommendation, the adviser's reasoning), which is the register's.
	var cb, consequences, seriousness string
	if as := in.as; as != nil {
		cb = fmt.Sprintf("vertrouwelijkheid: %s; integriteit: %s; beschikbaarheid: %s",
			Confidentiality(as), CB(as.CB.Integrity), CB(as.CB.Availability))
		consequences = as.Consequences
		seriousness = seriousnessOf[statedRisk(as.Risk, in.dec)]
	}
	s.add("Wat zijn de gevolgen voor de vertrouwelijkheid, integriteit en beschikbaarheid van de gegevens?", cb, SourceAssessment)
	s.add("Wat zijn de mogelijke gevolgen (schade) voor de betrokkenen?", consequences, SourceAssessment)
	damage := make([]string, len(in.facts.Damage))
	for i, d := range in.facts.Damage {
		damage[i] = DamageKind(d)
	}
	s.add("Welke soorten schade kunnen de betrokkenen lijden? (lichamelijk, materieel, immaterieel)", strings.Join(damage, ", "), SourceAssessment)
	s.add("Hoe ernstig schat u de gevolgen voor de betrokkenen in?", seriousness, SourceAssessment)
}
