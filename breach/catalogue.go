package breach

import "strings"

// Class is how Bijlage 1 of the processor agreement types a category of
// personal data.
type Class string

const (
	ClassOrdinary  Class = "gewoon"          // ordinary personal data
	ClassSensitive Class = "gevoelig"        // sensitive, such as a national identification number
	ClassSpecial   Class = "bijzonder"       // special category, GDPR Art. 9 (health, biometrics)
	ClassCriminal  Class = "strafrechtelijk" // criminal-law data, GDPR Art. 10
	// ClassDepends is Bijlage 1's "Gewoon/bijzonder": ordinary or special by
	// what the data hold (a call recording is special only when it is about
	// someone's health). It scores as sensitive, since an assessment must not
	// start low, but is not called special: the adviser says whether it was.
	ClassDepends Class = "gewoon of bijzonder"
)

// Category is one kind of personal data a breach can involve.
//
// DPC is the ENISA data-processing-context base score the category brings to
// a severity assessment: simple 1, behavioural 2, financial 3, sensitive 4.
// Where Bijlage 1 says "Gewoon/Gevoelig" the category is classed by its worst
// reading, because a breach assessment must not start low; "Gewoon/bijzonder"
// is ClassDepends, scored by its worst reading.
type Category struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Class Class  `json:"class"`
	DPC   int    `json:"dpc"`
}

// Special reports whether the category is a special or criminal-law category
// (GDPR Art. 9 and 10), which the authority form asks about separately.
func (c Category) Special() bool { return c.Class == ClassSpecial || c.Class == ClassCriminal }

// OtherPrefix starts a free-text category that is not in the catalogue, such as
// "other:kentekens".
const OtherPrefix = "other:"

// catalogue is Bijlage 1's table of categories, in its order, plus two general
// codes ("adres", "gezondheidsgegevens") that suppliers outside the call-centre
// processing of Bijlage 1 need.
var catalogue = []Category{
	{"naam", "Naam", ClassOrdinary, 1},
	{"naam_medewerker", "Naam medewerker", ClassOrdinary, 1},
	{"inloggegevens", "Inloggegevens", ClassOrdinary, 2},
	{"adres", "Adres (woon- of correspondentieadres)", ClassOrdinary, 1},
	{"woonadres", "Woonadres", ClassOrdinary, 1},
	{"correspondentieadres", "Correspondentieadres", ClassOrdinary, 1},
	{"adres_vertegenwoordiger", "Adres (wettelijk) vertegenwoordiger", ClassOrdinary, 1},
	{"woonplaats", "Woonplaats", ClassOrdinary, 1},
	{"datum_verblijfplaats", "Datum verblijfplaats", ClassOrdinary, 1},
	{"bsn", "Burgerservicenummer (BSN)", ClassSensitive, 3},
	{"a_nummer", "A-nummer", ClassSensitive, 3},
	{"geboortedatum", "Geboortedatum", ClassOrdinary, 1},
	{"burgerlijke_staat", "Burgerlijke staat", ClassOrdinary, 1},
	{"relatiestatus", "Relatiestatus", ClassOrdinary, 1},
	{"samenstelling_huishouden", "Samenstelling huishouden", ClassOrdinary, 2},
	{"relatienummer", "Relatienummer", ClassOrdinary, 1},
	{"overlijdensdatum", "Overlijdensdatum", ClassOrdinary, 1},
	{"huwelijksdatum", "Huwelijksdatum", ClassOrdinary, 1},
	{"datum_svb_gehuwd", "Datum SVB gehuwd/ongehuwd", ClassOrdinary, 1},
	{"datum_scheiding", "Datum scheiding van tafel en bed", ClassOrdinary, 1},
	{"duurzame_relatie", "Duurzame relatie", ClassOrdinary, 1},
	{"datum_aow", "Datum AOW-gerechtigde leeftijd", ClassOrdinary, 1},
	{"datum_meerderjarig", "Datum meerderjarig", ClassOrdinary, 1},
	{"emailadres", "E-mailadres", ClassOrdinary, 1},
	{"telefoonnummer", "Telefoonnummer", ClassOrdinary, 1},
	{"iban", "IBAN", ClassOrdinary, 3},
	{"automatische_incasso", "Automatische incasso", ClassOrdinary, 3},
	{"inkomensgegevens", "Inkomensgegevens", ClassOrdinary, 3},
	{"vermogen", "Vermogen", ClassOrdinary, 3},
	{"bijdrageplichtig_inkomen", "Bijdrageplichtig inkomen", ClassOrdinary, 3},
	{"gemeentelijke_vrijstelling", "Gemeentelijke vrijstelling", ClassOrdinary, 3},
	{"vrijstelling_minimabeleid", "Vrijstelling minimabeleid", ClassOrdinary, 3},
	{"vrijstelling_samenloop_bw", "Vrijstelling samenloop BW", ClassOrdinary, 3},
	{"vrijstelling_samenloop_wlz", "Vrijstelling samenloop Wlz", ClassOrdinary, 3},
	{"vrijstelling_meerpersoonshuishouden", "Vrijstelling meerpersoonshuishouden niet AOW", ClassOrdinary, 3},
	{"vrijstelling_crisis", "Vrijstelling crisis", ClassOrdinary, 3},
	{"vrijstelling_minderjarigen", "Vrijstelling minderjarigen", ClassOrdinary, 3},
	{"grondslag", "Grondslag", ClassOrdinary, 3},
	{"besluit_eigen_bijdrage", "Besluit oplegging eigen bijdrage", ClassOrdinary, 3},
	{"eigen_bijdrage", "Eigen bijdrage", ClassOrdinary, 3},
	{"beschikking", "Beschikking", ClassOrdinary, 2},
	{"beschikkingnummer", "Beschikkingnummer", ClassOrdinary, 1},
	{"factuur", "Factuur", ClassOrdinary, 3},
	{"factuurnummer", "Factuurnummer", ClassOrdinary, 1},
	{"regelingskenmerk", "Omschrijving regelingskenmerk", ClassOrdinary, 1},
	{"openstaand_saldo", "Openstaand saldo", ClassOrdinary, 3},
	{"schuldpositie", "Schuldpositie", ClassOrdinary, 3},
	{"regeling", "Regeling", ClassOrdinary, 2},
	{"zorgperiode", "Zorgperiode", ClassOrdinary, 2},
	{"ieb", "iEB (inning eigen bijdrage)", ClassOrdinary, 3},
	{"detentieverklaring", "Detentieverklaring", ClassCriminal, 4},
	{"inningsprofielen", "Inningsprofielen", ClassOrdinary, 3},
	{"betalingsregeling", "Betalingsregeling", ClassOrdinary, 3},
	{"storno", "Storno", ClassOrdinary, 3},
	{"spraakdata", "Spraakdata (gespreksopnames)", ClassDepends, 4},
	{"transcriptie_gesprek", "Transcriptie gesprek", ClassDepends, 4},
	{"gezondheidsgegevens", "Gezondheidsgegevens", ClassSpecial, 4},
}

var catalogueByCode = func() map[string]Category {
	m := make(map[string]Category, len(catalogue))
	for _, c := range catalogue {
		m[c.Code] = c
	}
	return m
}()

// Catalogue returns every category in Bijlage 1's order. The slice is a copy.
func Catalogue() []Category { return append([]Category(nil), catalogue...) }

// LookupCategory returns the category for code. A free-text "other:…" code is
// an ordinary category with DPC 1 labelled by its own text; ok is false for
// any code that is neither in the catalogue nor a well-formed "other:…".
func LookupCategory(code string) (c Category, ok bool) {
	if c, ok := catalogueByCode[code]; ok {
		return c, true
	}
	if text, found := strings.CutPrefix(code, OtherPrefix); found && strings.TrimSpace(text) != "" {
		return Category{Code: code, Label: "Overig: " + strings.TrimSpace(text), Class: ClassOrdinary, DPC: 1}, true
	}
	return Category{}, false
}
