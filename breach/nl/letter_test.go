package nl_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach/nl"
)

// The draft letter answers what Art. 34(2) asks in plain Dutch (what
// happened, the consequences, the measures, a contact point) with the
// EDPB's advice for the kinds of data involved, and lists what it cannot
// know.
func TestSubjectsLetter(t *testing.T) {
	l := nl.NewSubjectsLetter(completeBreach(t), formNow)
	text := l.Text()
	for _, want := range []string{
		"Kenmerk: DL-2026-0042",
		"Wat is er gebeurd?\nPrintbedrijf Noord B.V. werkt voor ons. Op woensdag 18 november 2026 ontdekte Printbedrijf Noord B.V. een probleem. Brieven naar verkeerd adres verstuurd. Adresbestand verkeerd gekoppeld in de printstraat.",
		"Het gaat om deze gegevens van u: Naam, Adres (woon- of correspondentieadres), Burgerservicenummer (BSN), Detentieverklaring.",
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
	l = nl.NewSubjectsLetter(b, formNow)
	assert.Contains(t, l.Missing, "welke gegevens van u het betreft", "a preliminary report names no data yet")
	assert.Contains(t, l.Missing, "wat de gevolgen voor u kunnen zijn", "nor has it been assessed")
}
