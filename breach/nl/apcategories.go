package nl

import (
	"slices"
	"strings"

	"datalek/breach"
)

// The AP's categories of personal data (section 4 of its form), and which
// categories of Bijlage 1 fall under each: the form asks in its own words,
// and a BSN or an income is a box of its own there.

// apCategories are the AP's categories, in the form's order, with the
// catalogue codes under each.
var apCategories = []struct {
	name  string
	codes []string
}{
	{"naam, adres en woonplaats", []string{"naam", "naam_medewerker", "adres", "woonadres", "correspondentieadres", "adres_vertegenwoordiger", "woonplaats", "datum_verblijfplaats"}},
	{"telefoonnummers", []string{"telefoonnummer"}},
	{"e-mailadressen of andere adressen voor elektronische communicatie", []string{"emailadres"}},
	{"toegangs- of identificatiegegevens", []string{"inloggegevens", "a_nummer", "relatienummer", "beschikkingnummer", "factuurnummer", "regelingskenmerk"}},
	{"financiële gegevens", []string{"iban", "automatische_incasso", "inkomensgegevens", "vermogen", "bijdrageplichtig_inkomen", "eigen_bijdrage",
		"besluit_eigen_bijdrage", "beschikking", "factuur", "openstaand_saldo", "schuldpositie", "regeling", "ieb", "inningsprofielen",
		"betalingsregeling", "storno", "gemeentelijke_vrijstelling", "vrijstelling_minimabeleid", "vrijstelling_samenloop_bw",
		"vrijstelling_samenloop_wlz", "vrijstelling_meerpersoonshuishouden", "vrijstelling_crisis", "vrijstelling_minderjarigen", "grondslag"}},
	{"geslacht, geboortedatum en/of leeftijd", []string{"geboortedatum", "datum_aow", "datum_meerderjarig", "overlijdensdatum"}},
	{"burgerservicenummer (BSN)", []string{"bsn"}},
	{"gezondheid", []string{"gezondheidsgegevens", "zorgperiode"}},
	{"strafrechtelijke gegevens", []string{"detentieverklaring"}},
}

// APCategories names the AP's categories of personal data the codes fall
// under, in the form's order; a code under none is named "overige
// persoonsgegevens" with its label ("burgerlijke staat"), and a call
// recording as what it may be ("mogelijk ook gezondheid: spraakdata").
func APCategories(codes []string) string {
	var names []string
	placed := map[string]bool{}
	for _, c := range apCategories {
		if slices.ContainsFunc(codes, func(code string) bool { return slices.Contains(c.codes, code) }) {
			names = append(names, c.name)
			for _, code := range c.codes {
				placed[code] = true
			}
		}
	}
	var other, maybe []string
	for _, code := range codes {
		switch c, ok := breach.LookupCategory(code); {
		case placed[code]:
		case ok && c.Class == breach.ClassDepends:
			maybe = append(maybe, CategoryLabel(code))
		default:
			other = append(other, CategoryLabel(code))
		}
	}
	if len(other) > 0 {
		names = append(names, "overige persoonsgegevens: "+strings.Join(other, ", "))
	}
	if len(maybe) > 0 {
		names = append(names, "mogelijk ook gezondheid: "+strings.Join(maybe, ", "))
	}
	return strings.Join(names, "; ")
}
