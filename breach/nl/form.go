package nl

import (
	"fmt"
	"slices"
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

// NewAuthorityForm drafts the AP's notification form for b as it stands at
// now: from the report, the latest assessment, the latest decision and the
// notifications recorded so far. b must not be nil.
func NewAuthorityForm(b *breach.Breach, now time.Time, controller breach.ControllerProfile) *AuthorityForm {
	f := &AuthorityForm{BreachID: b.ID, Reference: b.Reference, Sections: make([]FormSection, 0, 10)}
	as, dec := b.LatestAssessment(), b.LatestDecision()
	facts := &breach.APFacts{}
	if as != nil && as.APFacts != nil {
		facts = as.APFacts
	}
	section := func(n int, title string, fill func(s *FormSection)) {
		s := FormSection{Number: n, Title: title, Fields: []FormField{}}
		fill(&s)
		f.Sections = append(f.Sections, s)
	}

	section(0, "Melding", func(s *FormSection) {
		s.add("Onder welke wet meldt u het datalek?", "de Algemene verordening gegevensbescherming (AVG)", SourceService)
		formNotification(s, b, now)
	})

	section(1, "Contactgegevens", func(s *FormSection) {
		organisation := controller.Name
		if organisation != "" {
			for _, more := range []string{controller.Address, controller.Registration} {
				if more != "" {
					organisation += "; " + more
				}
			}
		}
		s.add("Naam van de organisatie (verwerkingsverantwoordelijke)", organisation, SourceService)
		s.add("Wie meldt het datalek namens de organisatie? (naam, functie, telefoonnummer, e-mailadres)", controller.Notifier, SourceService)
		s.add("Contactpersoon voor de Autoriteit Persoonsgegevens (naam, functie, telefoonnummer, e-mailadres)", controller.DPO, SourceService)
		processor := ""
		if strings.TrimSpace(b.Organisation) != "" {
			processor = "ja: " + b.Organisation
		}
		s.add("Is er een verwerker bij het datalek betrokken? Zo ja, welke?", processor, SourceReport)
		s.add("Contactpersoon bij de verwerker (naam, functie, telefoonnummer, e-mailadres)", reporterText(b.Reporter), SourceReport)
		others := "geen bekend"
		if len(b.OtherControllers) > 0 {
			parts := make([]string, len(b.OtherControllers))
			for i, c := range b.OtherControllers {
				parts[i] = c.Name
				if c.Contact != "" {
					parts[i] += " (" + c.Contact + ")"
				}
			}
			others = strings.Join(parts, "; ")
		}
		s.add("Zijn er andere verwerkingsverantwoordelijken bij hetzelfde incident betrokken? Zo ja, welke?", others, SourceService)
	})

	section(2, "Tijdlijn", func(s *FormSection) {
		s.add("Wanneer heeft het datalek plaatsgevonden (of: vanaf wanneer)?", timeText(b.StartedAt), SourceReport)
		s.add("Wanneer is het datalek ontdekt?", timeText(&b.DetectedAt), SourceReport)
		aware := timeText(&b.AwareAt)
		if n := len(b.AwarenessMoves); n > 0 {
			aware += "; " + b.AwarenessMoves[n-1].Reason
		} else if aware != "" {
			aware += " (eerste melding door de verwerker)"
		}
		s.add("Wanneer is de organisatie op de hoogte geraakt van het datalek?", aware, SourceService)
		s.add("Is het datalek nog gaande?", YesNo(b.Ongoing), SourceReport)
		ended, source := timeText(facts.EndedAt), SourceAssessment
		if ended == "" && b.Ongoing != nil && *b.Ongoing {
			ended, source = "nog niet: het datalek is nog gaande", SourceReport
		}
		s.add("Wanneer is het datalek geëindigd?", ended, source)
	})

	section(3, "Aard van het datalek", func(s *FormSection) {
		types := ""
		if as != nil {
			labels := make([]string, len(as.BreachTypes))
			for i, t := range as.BreachTypes {
				labels[i] = BreachType(t)
			}
			types = strings.Join(labels, ", ")
		}
		s.add("Om welk soort inbreuk gaat het? (vertrouwelijkheid, integriteit, beschikbaarheid)", types, SourceAssessment)
		nature := ""
		if len(facts.Nature) > 0 {
			parts := make([]string, len(facts.Nature))
			for i, n := range facts.Nature {
				parts[i] = APNature(n)
			}
			nature = strings.Join(parts, ", ")
		} else if as != nil {
			var parts []string
			for _, t := range as.BreachTypes {
				parts = append(parts, apNature[t])
			}
			nature = strings.Join(parts, "; ")
		}
		s.add("Wat is de aard van het datalek? (lezen, kopiëren, veranderen, verwijderen of vernietigen, diefstal)", nature, SourceAssessment)
		s.add("Wat is de oorzaak of de soort van het incident?", CauseCategory(facts.CauseCategory), SourceAssessment)
		s.add("Wat is er gebeurd? (omschrijving en oorzaak)", b.Cause, SourceReport)
	})

	section(4, "Persoonsgegevens", func(s *FormSection) {
		s.add("Om welke soorten persoonsgegevens gaat het?", Categories(b.PersonalData), SourceReport)
		s.add("Welke categorieën van het meldformulier zijn dat?", APCategories(b.PersonalData), SourceReport)
		special := ""
		if len(b.PersonalData) > 0 {
			var codes []string
			for _, code := range b.PersonalData {
				if c, ok := breach.LookupCategory(code); ok && c.Special() {
					codes = append(codes, code)
				}
			}
			special = "nee"
			if len(codes) > 0 {
				special = "ja: " + Categories(codes)
			}
		}
		s.add("Gaat het om bijzondere persoonsgegevens of strafrechtelijke gegevens? Zo ja, welke?", special, SourceReport)
		if facts.RecordsMin != nil || facts.RecordsMax != nil {
			s.add("Om hoeveel persoonsgegevens (records) gaat het bij benadering?", Subjects(facts.RecordsMin, facts.RecordsMax), SourceAssessment)
		} else {
			s.add("Om hoeveel persoonsgegevens (records) gaat het bij benadering?", recordsText(b.SentItems), SourceReport)
		}
	})

	section(5, "Betrokkenen", func(s *FormSection) {
		groups, vulnerable := "", ""
		if len(facts.Groups) > 0 {
			parts := make([]string, len(facts.Groups))
			for i, g := range facts.Groups {
				parts[i] = SubjectGroup(g)
			}
			groups, vulnerable = strings.Join(parts, ", "), "nee"
			if facts.Vulnerable() {
				vulnerable = "ja"
			}
		}
		s.add("Om welke groepen betrokkenen gaat het?", groups, SourceAssessment)
		s.add("Gaat het om kwetsbare groepen (zoals minderjarigen of patiënten)?", vulnerable, SourceAssessment)
		s.add("Om hoeveel betrokkenen gaat het minimaal?", countText(b.SubjectsMin), SourceReport)
		s.add("Om hoeveel betrokkenen gaat het maximaal?", countText(b.SubjectsMax), SourceReport)
	})

	section(6, "Beveiliging vooraf", func(s *FormSection) {
		unintelligible, how := "", ""
		if as != nil {
			unintelligible = YesNo(&as.Unintelligible)
			if !as.Unintelligible {
				how = "niet van toepassing (de gegevens waren niet onbegrijpelijk gemaakt)"
			} else {
				how = facts.Protection
			}
		}
		s.add("Waren de persoonsgegevens versleuteld, gehasht of op een andere manier onbegrijpelijk of ontoegankelijk gemaakt voor onbevoegden?",
			unintelligible, SourceAssessment)
		s.add("Zo ja, op welke manier?", how, SourceAssessment)
	})

	section(7, "Gevolgen", func(s *FormSection) {
		// The controller's statement to the AP: the consequences and how
		// serious they are, not the internal working (the ENISA score, the
		// recommendation, the adviser's reasoning), which is the register's.
		var cb, consequences, seriousness string
		if as != nil {
			confidentiality := CB(as.CB.Confidentiality)
			if !slices.Contains(as.BreachTypes, breach.TypeConfidentiality) && as.CB.Confidentiality == breach.ConfidentialityNone {
				confidentiality = "geen" // not exposed at all: no loss of confidentiality was found
			}
			cb = fmt.Sprintf("vertrouwelijkheid: %s; integriteit: %s; beschikbaarheid: %s; kwade opzet: %s",
				confidentiality, CB(as.CB.Integrity), CB(as.CB.Availability), YesNo(&as.CB.Malicious))
			consequences = as.Consequences
			seriousness = seriousnessOf[as.Risk]
		}
		s.add("Wat zijn de gevolgen voor de vertrouwelijkheid, integriteit en beschikbaarheid van de gegevens?", cb, SourceAssessment)
		s.add("Wat zijn de mogelijke gevolgen (schade) voor de betrokkenen?", consequences, SourceAssessment)
		damage := make([]string, len(facts.Damage))
		for i, d := range facts.Damage {
			damage[i] = DamageKind(d)
		}
		s.add("Welke soorten schade kunnen de betrokkenen lijden? (lichamelijk, materieel, immaterieel)", strings.Join(damage, ", "), SourceAssessment)
		s.add("Hoe ernstig schat u de gevolgen voor de betrokkenen in?", seriousness, SourceAssessment)
	})

	section(8, "Vervolgacties", func(s *FormSection) {
		informed := ""
		if dec != nil {
			informed = InformSubjects(dec.InformSubjects)
			if dec.SubjectsExemption != "" {
				informed += "; uitzondering: " + Exemption(dec.SubjectsExemption)
			}
			if dec.SubjectsReasoning != "" {
				why := "toelichting"
				if dec.InformSubjects == "no" {
					why = "reden"
				}
				informed += "; " + why + ": " + dec.SubjectsReasoning
			}
		}
		s.add("Zijn de betrokkenen geïnformeerd? (ja, gepland, nee met reden)", informed, SourceDecision)
		if len(b.SubjectCommunications) > 0 {
			parts := make([]string, len(b.SubjectCommunications))
			for i, c := range b.SubjectCommunications {
				parts[i] = fmt.Sprintf("%s, %s, %s", Time(c.SentAt), SubjectChannel(c.Channel), People(c.Reached))
			}
			s.add("Wanneer, hoe en hoeveel betrokkenen zijn geïnformeerd?", strings.Join(parts, "; "), SourceDecision)
		} else if dec != nil && dec.InformSubjects != breach.InformNo {
			s.add("Wanneer, hoe en hoeveel betrokkenen zijn geïnformeerd?", "", "")
		}
		s.add("Welke maatregelen zijn genomen of worden voorgesteld om het datalek te verhelpen en de gevolgen te beperken?", b.Measures, SourceReport)
		s.add("Heeft het datalek grensoverschrijdende aspecten (betrokkenen of vestigingen in andere EU-lidstaten)?", YesNo(facts.CrossBorder), SourceAssessment)
	})

	section(9, "Overige informatie", func(s *FormSection) {
		notified := "geen"
		if len(b.AuthorityNotifications) > 0 {
			parts := make([]string, len(b.AuthorityNotifications))
			for i, n := range b.AuthorityNotifications {
				parts[i] = fmt.Sprintf("%s op %s, meldingsnummer %s", Phase(n.Phase), Time(n.SubmittedAt), n.Reference)
				if n.Reason != "" {
					parts[i] += ", reden: " + n.Reason
				}
			}
			notified = strings.Join(parts, "; ")
		}
		s.add("Eerdere meldingen van dit datalek bij de Autoriteit Persoonsgegevens", notified, SourceService)
		others := ""
		if facts.PoliceReported != nil {
			others = "politie: " + YesNo(facts.PoliceReported)
			if facts.OtherAuthorities != "" {
				others += "; andere instanties: " + facts.OtherAuthorities
			}
		}
		s.add("Is het datalek ook gemeld bij de politie of een andere instantie (zoals een sector-CSIRT of een andere toezichthouder in de EU)?", others, SourceAssessment)
		s.add("Eigen kenmerk van het datalek", b.Reference, SourceService)
	})

	f.Missing = []string{}
	for _, s := range f.Sections {
		for _, fl := range s.Fields {
			if fl.Missing {
				f.Missing = append(f.Missing, fmt.Sprintf("%d. %s: %s", s.Number, s.Title, fl.Question))
			}
		}
	}
	return f
}
