package nl_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
	"datalek/breach/nl"
)

// The draft letter answers what Art. 34(2) asks in plain Dutch (what
// happened, the consequences, the measures, a contact point) with the
// EDPB's advice for the kinds of data involved, and lists what it cannot
// know.
func TestSubjectsLetter(t *testing.T) {
	l := nl.NewSubjectsLetter(completeBreach(t), formNow, breach.ControllerProfile{})
	text := l.Text()
	for _, want := range []string{
		"Kenmerk: DL-2026-0042",
		"Wat is er gebeurd?\nPrintbedrijf Noord B.V. werkt voor ons. Op woensdag 18 november 2026 ontdekte Printbedrijf Noord B.V. een probleem. Brieven naar verkeerd adres verstuurd. Adresbestand verkeerd gekoppeld in de printstraat.",
		"Het gaat om deze gegevens van u: naam, adres (woon- of correspondentieadres), burgerservicenummer (BSN), detentieverklaring.",
		"Wat kan dit voor u betekenen?\nOntvangers kennen BSN en detentiegegevens van een ander; risico op identiteitsfraude en stigmatisering.",
		"Wat hebben wij gedaan?\nPrintstraat stilgezet; ontvangers gebeld met verzoek te vernietigen.",
		"Wees alert op misbruik van uw gegevens, zoals identiteitsfraude.", // the BSN
		"Neem dan contact op met [NOG IN TE VULLEN: naam, telefoonnummer en e-mailadres van het contactpunt of de functionaris gegevensbescherming]. Noem daarbij dit kenmerk: DL-2026-0042.",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "bankafschriften", "no bank details in this breach")
	assert.Equal(t, []string{"naam, telefoonnummer en e-mailadres van het contactpunt of de functionaris gegevensbescherming",
		"naam en functie van de ondertekenaar"}, l.Missing)
	assert.True(t, strings.HasSuffix(text, "- naam en functie van de ondertekenaar\n"))

	b := preliminaryBreach()
	l = nl.NewSubjectsLetter(b, formNow, breach.ControllerProfile{})
	assert.Contains(t, l.Missing, "welke gegevens van u het betreft", "a preliminary report names no data yet")
	assert.Contains(t, l.Missing, "wat de gevolgen voor u kunnen zijn", "nor has it been assessed")
}

// The controller's profile, configured once, fills what the form and the
// letter would otherwise leave open.
func TestControllerProfileFillsFormAndLetter(t *testing.T) {
	profile := breach.ControllerProfile{Name: "CAK", Address: "Prinses Beatrixlaan 7, 2595 AK Den Haag", Registration: "KvK 12345678",
		DPO:      "M. Jansen, functionaris gegevensbescherming, 070 123 4567, fg@hetcak.example",
		Notifier: "A. de Boer, Adviseur Privacy, 070 765 4321, datalekken@hetcak.example"}
	b := completeBreach(t)
	form := nl.NewAuthorityForm(b, formNow, profile)
	answers := map[string]string{}
	for _, f := range form.Sections[1].Fields {
		answers[f.Question] = f.Answer
	}
	assert.Equal(t, "CAK; Prinses Beatrixlaan 7, 2595 AK Den Haag; KvK 12345678", answers["Naam van de organisatie (verwerkingsverantwoordelijke)"])
	assert.Equal(t, profile.Notifier, answers["Wie meldt het datalek namens de organisatie? (naam, functie, telefoonnummer, e-mailadres)"])
	assert.Equal(t, profile.DPO, answers["Contactpersoon voor de Autoriteit Persoonsgegevens (naam, functie, telefoonnummer, e-mailadres)"])

	l := nl.NewSubjectsLetter(b, formNow, profile)
	assert.Contains(t, l.Text(), "Neem dan contact op met M. Jansen, functionaris gegevensbescherming, 070 123 4567, fg@hetcak.example.")
	assert.Equal(t, []string{"naam en functie van de ondertekenaar"}, l.Missing)
	profile.SubjectsContact = "het Klantcontactcentrum, 0800 0087"
	assert.Contains(t, nl.NewSubjectsLetter(b, formNow, profile).Text(), "Neem dan contact op met het Klantcontactcentrum, 0800 0087.")
}

// The subject line says what happened to the data, by the kind of breach:
// a ransomware attack that exposed nothing is not "bij iemand anders
// terechtgekomen".
func TestSubjectsLetterSubjectFollowsTheBreach(t *testing.T) {
	b := completeBreach(t)
	subject := func(types []breach.BreachType, cb breach.Circumstances) string {
		b.Assessments[0].BreachTypes, b.Assessments[0].CB = types, cb
		return nl.NewSubjectsLetter(b, formNow, breach.ControllerProfile{}).Subject
	}
	none := breach.Circumstances{Confidentiality: "none", Integrity: "none", Availability: "none"}
	tests := []struct {
		types []breach.BreachType
		cb    breach.Circumstances
		want  string
	}{
		{[]breach.BreachType{breach.TypeConfidentiality}, breach.Circumstances{Confidentiality: "wide", Integrity: "none", Availability: "none"},
			"Uw persoonsgegevens zijn mogelijk bij iemand anders terechtgekomen"},
		{[]breach.BreachType{breach.TypeAvailability}, breach.Circumstances{Confidentiality: "limited", Integrity: "none", Availability: "temporary"},
			"Uw persoonsgegevens zijn mogelijk bij iemand anders terechtgekomen"}, // exfiltration found: a loss of confidentiality too
		{[]breach.BreachType{breach.TypeIntegrity, breach.TypeAvailability}, none, "Uw persoonsgegevens zijn mogelijk veranderd"},
		{[]breach.BreachType{breach.TypeAvailability}, breach.Circumstances{Confidentiality: "none", Integrity: "none", Availability: "temporary"},
			"Uw persoonsgegevens waren een tijd niet beschikbaar"},
		{[]breach.BreachType{breach.TypeAvailability}, breach.Circumstances{Confidentiality: "none", Integrity: "none", Availability: "permanent"},
			"Uw persoonsgegevens zijn verloren gegaan"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, subject(tt.types, tt.cb), "%v %+v", tt.types, tt.cb)
	}
	b.Assessments = nil
	assert.Equal(t, "Er is iets misgegaan met uw persoonsgegevens", nl.NewSubjectsLetter(b, formNow, breach.ControllerProfile{}).Subject)
}

// Advice against misuse is for data others may have seen: a letter about
// data that were only unavailable gives none; the supplier's title and
// cause read as sentences, not twice.
func TestSubjectsLetterFitsTheKindOfBreach(t *testing.T) {
	b := completeBreach(t)
	b.PersonalData = []string{"naam", "iban", "bsn"}
	b.Title, b.Cause = "ransomware op de server", "Ransomware op de server"
	b.Assessments[0].Consequences = "U kon een dag uw gegevens niet inzien"
	b.Assessments[0].BreachTypes = []breach.BreachType{breach.TypeAvailability}
	b.Assessments[0].CB = breach.Circumstances{Confidentiality: "none", Integrity: "none", Availability: "temporary"}
	text := nl.NewSubjectsLetter(b, formNow, breach.ControllerProfile{}).Text()
	assert.NotContains(t, text, "bankafschriften")
	assert.NotContains(t, text, "identiteitsfraude")
	assert.Contains(t, text, "een probleem. Ransomware op de server.\n", "capitalised, and the cause that repeats the title not again")
	b.Assessments[0].CB.Confidentiality = "limited" // data were taken as well
	assert.Contains(t, nl.NewSubjectsLetter(b, formNow, breach.ControllerProfile{}).Text(), "bankafschriften")
}
