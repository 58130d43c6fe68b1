package nl

import (
	"datalek/breach"
	"fmt"
	"slices"
	"strings"
)

// Sections 8 and 9 of the AP form: what was done and decided afterwards,
// and what else the AP is told.

// statedRisk is the risk the controller states to the AP: the adviser's
// conclusion, but never less than the decision implies, so that a
// notification never says there is no risk, nor a decision to tell the
// people affected that the risk is not high.
func statedRisk(concluded breach.Risk, dec *breach.Decision) breach.Risk {
	switch {
	case dec == nil:
		return concluded
	case dec.InformSubjects == breach.InformYes || dec.InformSubjects == breach.InformPlanned:
		return breach.RiskHigh
	case dec.NotifyAuthority && concluded == breach.RiskNone:
		return breach.RiskSome
	}
	return concluded
}

// Confidentiality names the loss of confidentiality an assessment found:
// ENISA's lowest level is "exposed, no sign of unlawful processing", but a
// breach of availability or integrity alone exposed nothing ("geen").
func Confidentiality(as *breach.Assessment) string {
	if !slices.Contains(as.BreachTypes, breach.TypeConfidentiality) && as.CB.Confidentiality == breach.ConfidentialityNone {
		return "geen"
	}
	return CB(as.CB.Confidentiality)
}

func formFollowUp(s *FormSection, in formInput) {
	b, dec, facts := in.b, in.dec, in.facts
	informed := ""
	if dec != nil {
		told := len(b.SubjectCommunications) > 0
		switch {
		case told && dec.InformSubjects == breach.InformNo:
			informed = "ja, met een openbare mededeling"
		case told:
			informed = "ja"
		case dec.InformSubjects == breach.InformNo:
			informed = "nee"
		case dec.InformSubjects == breach.InformPlanned:
			informed = "nog niet: dat is gepland"
		default:
			informed = "nog niet: besloten is ze te informeren"
		}
		if dec.SubjectsExemption != "" {
			informed += "; uitzondering: " + Exemption(dec.SubjectsExemption)
		}
		if dec.SubjectsReasoning != "" {
			why := "toelichting"
			if dec.InformSubjects == breach.InformNo {
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
	eu := facts.EUAuthorities
	if facts.CrossBorder != nil && !*facts.CrossBorder {
		eu = "niet van toepassing: geen grensoverschrijdende aspecten"
	}
	s.add("Is het datalek gemeld of wordt het gemeld bij toezichthouders in andere EU-lidstaten? Zo ja, welke?", eu, SourceAssessment)
}

func formOther(s *FormSection, in formInput) {
	b, facts := in.b, in.facts
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
	s.add("Is het datalek ook gemeld bij de politie of een andere instantie (zoals een sector-CSIRT)?", others, SourceAssessment)
	s.add("Eigen kenmerk van het datalek", b.Reference, SourceService)
}
