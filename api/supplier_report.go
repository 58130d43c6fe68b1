package api

// The report's fields on the supplier's forms: the filing form has every
// one, the completion of a preliminary report what is missing. They are
// named as the API names them, so that the domain's problems land next to
// them; reading them gives a ReportPatch (or a Filing), and the domain's
// problems are worded for the form.

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"datalek/breach"
	"datalek/breach/nl"
)

// reportForm is a form with the report's fields: the filing form (every
// field) or the completion of a preliminary report (what is missing).
type reportForm struct {
	P      page
	Name   string   // the form's name, and its element's id
	Action string   // where it is posted
	Fields []string // the report fields it asks; nil: every one
	Rows   []int    // the rows of sent items it shows
}

func newReportForm(p page, name, action string, fields []string) *reportForm {
	f := &reportForm{P: p, Name: name, Action: action, Fields: fields}
	for i := range rowsShown(p.values(name)) {
		f.Rows = append(f.Rows, i)
	}
	return f
}

// Asks reports whether the form asks field (a report field as the API
// names it).
func (f *reportForm) Asks(field string) bool {
	return f.Fields == nil || slices.Contains(f.Fields, field)
}

func (f *reportForm) V(name string) string           { return f.P.V(f.Name, name) }
func (f *reportForm) E(name string) string           { return f.P.E(f.Name, name) }
func (f *reportForm) Has(name, value string) bool    { return f.P.Has(f.Name, name, value) }
func (f *reportForm) Row(i int, field string) string { return rowName(i, field) }

// rowName is the name of a field of row i of the sent items, as the API
// names it: sent_items[1].channel.
func rowName(i int, field string) string { return fmt.Sprintf("sent_items[%d].%s", i, field) }

// Number is the number a person reads for row i.
func (f *reportForm) Number(i int) int { return i + 1 }

// Next is the number of the first row "Meer regels" adds.
func (f *reportForm) Next() int { return len(f.Rows) + 1 }

func (f *reportForm) Groups() []catalogueGroup { return catalogueGroups }
func (f *reportForm) Dispositions() []option   { return dispositions }
func (f *reportForm) Channels() []option       { return channels }

// Field is one input of the form for the template "veld": its kind is an
// input's type, "numeric" or "textarea"; auto its autocomplete token.
func (f *reportForm) Field(name, label, kind, auto string) reportField {
	return reportField{f, name, label, kind, auto}
}

type reportField struct {
	Form                    *reportForm
	Name, Label, Kind, Auto string
}

var (
	dispositions = optionsOf(breach.Dispositions, nl.Disposition)
	channels     = optionsOf(breach.Channels, nl.Channel)
)

// catalogueGroup is a group of Bijlage 1's categories of personal data,
// which the filing form shows as a fieldset with a legend.
type catalogueGroup struct {
	Legend     string
	Categories []breach.Category
}

// catalogueGroups are the catalogue's categories by group, in the
// catalogue's order within each; a category no group names (one added to
// the catalogue later) is among "Overige gegevens".
var catalogueGroups = groupCatalogue([]struct {
	legend string
	codes  []string
}{
	{"Naam en adres", []string{"naam", "naam_medewerker", "adres", "woonadres", "correspondentieadres", "adres_vertegenwoordiger",
		"woonplaats", "datum_verblijfplaats"}},
	{"Contact en inloggen", []string{"emailadres", "telefoonnummer", "inloggegevens"}},
	{"Nummers", []string{"bsn", "a_nummer", "relatienummer", "beschikkingnummer", "factuurnummer", "regelingskenmerk"}},
	{"Persoonlijke situatie", []string{"geboortedatum", "burgerlijke_staat", "relatiestatus", "samenstelling_huishouden",
		"overlijdensdatum", "huwelijksdatum", "datum_svb_gehuwd", "datum_scheiding", "duurzame_relatie", "datum_aow", "datum_meerderjarig"}},
	{"Geld", []string{"iban", "automatische_incasso", "inkomensgegevens", "vermogen", "bijdrageplichtig_inkomen", "openstaand_saldo",
		"schuldpositie", "factuur", "ieb", "inningsprofielen", "betalingsregeling", "storno"}},
	{"Eigen bijdrage en vrijstellingen", []string{"grondslag", "besluit_eigen_bijdrage", "eigen_bijdrage", "beschikking", "regeling",
		"zorgperiode", "gemeentelijke_vrijstelling", "vrijstelling_minimabeleid", "vrijstelling_samenloop_bw", "vrijstelling_samenloop_wlz",
		"vrijstelling_meerpersoonshuishouden", "vrijstelling_crisis", "vrijstelling_minderjarigen"}},
	{"Gezondheid, gesprekken en strafrechtelijke gegevens", []string{"gezondheidsgegevens", "spraakdata", "transcriptie_gesprek",
		"detentieverklaring"}},
})

func groupCatalogue(groups []struct {
	legend string
	codes  []string
}) []catalogueGroup {
	var out []catalogueGroup
	placed := map[string]bool{}
	for _, g := range groups {
		cg := catalogueGroup{Legend: g.legend}
		for _, c := range breach.Catalogue() {
			if slices.Contains(g.codes, c.Code) && !placed[c.Code] {
				cg.Categories, placed[c.Code] = append(cg.Categories, c), true
			}
		}
		out = append(out, cg)
	}
	rest := catalogueGroup{Legend: "Overige gegevens"}
	for _, c := range breach.Catalogue() {
		if !placed[c.Code] {
			rest.Categories = append(rest.Categories, c)
		}
	}
	if len(rest.Categories) > 0 {
		out = append(out, rest)
	}
	return out
}

// A row of sent items, and how many rows a form shows: three at first, more
// on "Meer regels", at most as many as the domain takes.
var rowField = regexp.MustCompile(`^sent_items\[(\d{1,3})\]\.(description|channel|count)$`)

const (
	firstRows = 3
	moreRows  = 3
	maxRows   = 100
)

// rowsShown is how many rows of sent items a form shows: those typed in,
// those asked for ("regels"), at least three.
func rowsShown(v url.Values) int {
	n := firstRows
	for key := range v {
		if m := rowField.FindStringSubmatch(key); m != nil {
			i, _ := strconv.Atoi(m[1])
			n = max(n, i+1)
		}
	}
	if r, err := strconv.Atoi(v.Get("regels")); err == nil {
		n = max(n, r)
	}
	return min(n, maxRows)
}

// withMoreRows is the form name again as typed, with more rows of sent
// items; nothing is read or stored.
func withMoreRows(f *form, name string) page {
	f.values.Set("regels", strconv.Itoa(rowsShown(f.values)+moreRows))
	return page{Active: name, Values: f.values}
}

// given reads a text that is given, or nil.
func (f *form) given(name string) *string {
	if v := f.text(name); v != "" {
		return &v
	}
	return nil
}

// moment reads a time that is given, or nil.
func (f *form) moment(name string) *time.Time {
	if t := f.instant(name); !t.IsZero() {
		return &t
	}
	return nil
}

// reportReading is a report form as read: the fields given, as a patch,
// and where its personal data came from, to place the domain's problems
// with them at the box or the line.
type reportReading struct {
	breach.ReportPatch
	boxes int   // the codes of the boxes, before the other categories
	lines []int // the line of each other category, as typed
}

func readReport(f *form) reportReading {
	var r reportReading
	pt := &r.ReportPatch
	pt.Title, pt.Cause, pt.Measures, pt.ContractReference = f.given("title"), f.given("cause"), f.given("measures"), f.given("contract_reference")
	pt.DetectedAt, pt.StartedAt, pt.Ongoing = f.moment("detected_at"), f.moment("started_at"), f.choice("ongoing")
	pt.SubjectsMin, pt.SubjectsMax = f.number("subjects_min"), f.number("subjects_max")
	if d := f.text("item_disposition"); d != "" {
		pt.ItemDisposition = new(breach.Disposition(d))
	}
	rep := breach.Reporter{Name: f.text("reporter.name"), Function: f.text("reporter.function"), Email: f.text("reporter.email"),
		Phone: f.text("reporter.phone")}
	if rep != (breach.Reporter{}) {
		pt.Reporter = &rep
	}
	codes := slices.Clone(f.values["personal_data"])
	r.boxes = len(codes)
	n := 0
	for line := range strings.Lines(f.values.Get("personal_data_other")) {
		n++
		if text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), breach.OtherPrefix)); text != "" {
			codes, r.lines = append(codes, breach.OtherPrefix+text), append(r.lines, n)
		}
	}
	if len(codes) > 0 {
		pt.PersonalData = &codes
	}
	pt.SentItems = sentItems(f)
	return r
}

// sentItems reads the rows of sent items typed in, in their order, and
// numbers them in f from 0 again, so that the domain's sent_items[i] is the
// i-th row shown again; an empty list when the person ticked that nothing
// was sent, nil when the form does not say.
func sentItems(f *form) *[]breach.SentItem {
	rows := map[int]map[string]string{}
	for key, vs := range f.values {
		if m := rowField.FindStringSubmatch(key); m != nil {
			i, _ := strconv.Atoi(m[1])
			if rows[i] == nil {
				rows[i] = map[string]string{}
			}
			rows[i][m[2]] = strings.TrimSpace(vs[0])
			f.values.Del(key)
		}
	}
	items := []breach.SentItem{}
	for _, i := range slices.Sorted(maps.Keys(rows)) {
		row := rows[i]
		if row["description"] == "" && row["channel"] == "" && row["count"] == "" {
			continue
		}
		k := len(items)
		for name, v := range row {
			f.values.Set(rowName(k, name), v)
		}
		items = append(items, breach.SentItem{Description: row["description"], Channel: breach.Channel(row["channel"]),
			Count: f.number(rowName(k, "count"))})
	}
	nothing := f.values.Get("sent_items") == "geen"
	switch {
	case nothing && len(items) > 0:
		f.p.Add("sent_items", "u noemt uitingen en kruist aan dat er niets is verstuurd: kies een van beide")
	case nothing, len(items) > 0:
		return &items
	}
	return nil
}

// filing is the report read, to file at stage.
func (r reportReading) filing(stage breach.Stage) breach.Filing {
	pt, v := r.ReportPatch, func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	rep := breach.Report{Title: v(pt.Title), StartedAt: pt.StartedAt, Ongoing: pt.Ongoing, Cause: v(pt.Cause),
		SubjectsMin: pt.SubjectsMin, SubjectsMax: pt.SubjectsMax, Measures: v(pt.Measures), ContractReference: v(pt.ContractReference)}
	if pt.DetectedAt != nil {
		rep.DetectedAt = *pt.DetectedAt
	}
	if pt.PersonalData != nil {
		rep.PersonalData = *pt.PersonalData
	}
	if pt.SentItems != nil {
		rep.SentItems = *pt.SentItems
	}
	if pt.ItemDisposition != nil {
		rep.ItemDisposition = *pt.ItemDisposition
	}
	if pt.Reporter != nil {
		rep.Reporter = *pt.Reporter
	}
	return breach.Filing{Report: rep, Stage: stage}
}

var (
	dispositionCode = regexp.MustCompile(`\b(` + strings.Join(codesOf(breach.Dispositions), "|") + `)\b`)
	reporterFields  = strings.NewReplacer(" (reporter.phone)", "", " (reporter.email)", "")
)

func codesOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// explain words the domain's problems for the form: a problem with the
// personal data at the box or the line it came from, a choice left open as
// such, the codes of the API by their Dutch names.
func (r reportReading) explain(f *form, err error) error {
	var de *breach.Error
	if !errors.As(err, &de) {
		return err
	}
	for i, fe := range de.Fields {
		var k int
		switch _, scan := fmt.Sscanf(fe.Field, "personal_data[%d]", &k); {
		case scan == nil && k >= r.boxes && k-r.boxes < len(r.lines):
			fe = breach.FieldError{Field: "personal_data_other",
				Message: fmt.Sprintf("regel %d: %s", r.lines[k-r.boxes], strings.ReplaceAll(fe.Message, breach.OtherPrefix, ""))}
		case scan == nil && k < r.boxes:
			fe = breach.FieldError{Field: "personal_data", Message: nl.CategoryLabel(f.values["personal_data"][k]) + ": " + fe.Message}
		case rowField.MatchString(fe.Field) && f.values.Get(fe.Field) == "" && strings.HasPrefix(fe.Message, "moet een van"):
			fe.Message = "kies er een"
		case fe.Field == "item_disposition":
			fe.Message = dispositionCode.ReplaceAllStringFunc(fe.Message, func(c string) string { return nl.Disposition(breach.Disposition(c)) })
		}
		fe.Message = reporterFields.Replace(fe.Message)
		de.Fields[i] = fe
	}
	return err
}

// reportLabels name the fields of the supplier's forms that breach/nl does
// not, in the list of problems above a form.
var reportLabels = map[string]string{"personal_data_other": "Andere persoonsgegevens", "reporter.name": "Naam van de melder",
	"reporter.function": "Functie van de melder", "reporter.email": "E-mailadres van de melder",
	"reporter.phone": "Telefoonnummer van de melder", "message": "Ontwikkeling", "answer": "Antwoord", "report": "Melding",
	"draft": "Concept"}

// groupTargets are the elements a problem with a group of boxes or buttons
// links to: its first.
var groupTargets = map[string]string{"stage": "stage-complete", "ongoing": "ongoing-ja",
	"personal_data": "personal_data-" + catalogueGroups[0].Categories[0].Code, "sent_items": "sent_items-0-description",
	"item_disposition": "item_disposition-" + dispositions[0].Value, "reporter": "reporter-email"}

var rowLabels = map[string]string{"description": "omschrijving", "channel": "hoe verstuurd", "count": "aantal"}

// reportProblem places a problem of form name in the list above it.
func reportProblem(name string) func(breach.FieldError) formProblem {
	return func(fe breach.FieldError) formProblem {
		label, target := nl.Field(fe.Field), fieldID(fe.Field)
		if m := rowField.FindStringSubmatch(fe.Field); m != nil {
			i, _ := strconv.Atoi(m[1])
			label = fmt.Sprintf("Uiting %d, %s", i+1, rowLabels[m[2]])
		}
		if l, ok := reportLabels[fe.Field]; ok {
			label = l
		}
		if t, ok := groupTargets[fe.Field]; ok {
			target = t
		}
		if fe.Field == "report" || fe.Field == "draft" {
			target = name
		}
		return formProblem{"#" + target, label + ": " + fe.Message}
	}
}
