package breach

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on report fields. They keep a single report readable and bounded;
// the HTTP body limit bounds the request as a whole.
const (
	ClockSkew       = 5 * time.Minute // how far in the future a reported time may lie
	maxTitle        = 200
	maxText         = 10000
	maxShort        = 200
	maxListItems    = 100
	maxSubjects     = 100_000_000
	earliestStarted = 1990
	earliestDetect  = 2000
)

// Filing is what a supplier sends to report a breach: the report, the stage
// it claims, and, when staff file on a supplier's behalf, the organisation.
type Filing struct {
	Report
	Stage        Stage  `json:"stage,omitempty"`
	Organisation string `json:"organisation,omitempty"`
}

// MissingFields lists the Bijlage 3 facts the report does not give yet, in the
// order of Bijlage 3.
func (r *Report) MissingFields() []string {
	missing := []string{}
	add := func(field string, absent bool) {
		if absent {
			missing = append(missing, field)
		}
	}
	add("cause", strings.TrimSpace(r.Cause) == "")
	add("started_at", r.StartedAt == nil)
	add("personal_data", len(r.PersonalData) == 0)
	add("subjects_min", r.SubjectsMin == nil)
	add("subjects_max", r.SubjectsMax == nil)
	add("sent_items", r.SentItems == nil)
	add("item_disposition", r.ItemDisposition == "")
	add("measures", strings.TrimSpace(r.Measures) == "")
	return missing
}

// normalise trims text and stores times in UTC, so that what is kept does not
// depend on how the client wrote it.
func (r *Report) normalise() {
	r.Title = strings.TrimSpace(r.Title)
	r.Cause = strings.TrimSpace(r.Cause)
	r.Measures = strings.TrimSpace(r.Measures)
	r.ContractReference = strings.TrimSpace(r.ContractReference)
	r.Reporter.Name = strings.TrimSpace(r.Reporter.Name)
	r.Reporter.Function = strings.TrimSpace(r.Reporter.Function)
	r.Reporter.Email = strings.TrimSpace(r.Reporter.Email)
	r.Reporter.Phone = strings.TrimSpace(r.Reporter.Phone)
	r.DetectedAt = r.DetectedAt.UTC()
	if r.StartedAt != nil {
		t := r.StartedAt.UTC()
		r.StartedAt = &t
	}
	for i := range r.PersonalData {
		r.PersonalData[i] = strings.TrimSpace(r.PersonalData[i])
	}
	for i := range r.SentItems {
		r.SentItems[i].Description = strings.TrimSpace(r.SentItems[i].Description)
	}
}

// problems checks every given field of the report against its rules, and, when
// complete is true, that every Bijlage 3 fact is given.
func (r *Report) problems(now time.Time, complete bool) Problems {
	var p Problems
	line(&p, "title", r.Title, maxTitle, true)
	switch {
	case r.DetectedAt.IsZero():
		p.Add("detected_at", "is verplicht")
	case r.DetectedAt.Year() < earliestDetect:
		p.Add("detected_at", "ligt voor %d", earliestDetect)
	case r.DetectedAt.After(now.Add(ClockSkew)):
		p.Add("detected_at", "ligt in de toekomst")
	}
	if r.StartedAt != nil {
		switch {
		case r.StartedAt.Year() < earliestStarted:
			p.Add("started_at", "ligt voor %d", earliestStarted)
		case !r.DetectedAt.IsZero() && r.StartedAt.After(r.DetectedAt):
			p.Add("started_at", "ligt na detected_at: een datalek ontstaat voordat het wordt ontdekt")
		}
	}
	text(&p, "cause", r.Cause, maxText, false)
	text(&p, "measures", r.Measures, maxText, false)
	line(&p, "contract_reference", r.ContractReference, maxShort, false)
	r.personalDataProblems(&p)
	r.subjectsProblems(&p)
	r.sentItemsProblems(&p)
	r.reporterProblems(&p)
	if n := r.size(); n > MaxReportBytes && len(p) == 0 { // the whole, once its parts are right
		p.Add("report", "is te groot (%d bytes, hoogstens %d): vat lange teksten samen en stuur bijlagen apart aan de Adviseur Privacy", n, MaxReportBytes)
	}
	if complete {
		for _, f := range r.MissingFields() {
			if !p.Has(f) {
				p.Add(f, "is verplicht in een volledige melding (Bijlage 3)")
			}
		}
	}
	return p
}

// MaxReportBytes bounds a report as stored (its JSON). Each field has its
// own limit, but together they would allow a report of a megabyte, which
// every change of the breach stores again: a report of Bijlage 3 is a few
// kilobytes, and a long one still fits many times over.
const MaxReportBytes = 64 << 10

// size is the report's length as JSON, as it is stored.
func (r *Report) size() int {
	data, _ := json.Marshal(r)
	return len(data)
}

// text checks free text of several lines (a cause, measures, a message).
func text(p *Problems, field, s string, max int, required bool) {
	checkText(p, field, s, max, required, true)
}

// line checks text of one line (a title, a name): no line breaks and no
// RFC 2047 encoded words, since it may end up in a mail header.
func line(p *Problems, field, s string, max int, required bool) {
	checkText(p, field, s, max, required, false)
}

// encodedWord matches an RFC 2047 encoded word (=?charset?q?text?= or
// =?charset?b?text?=), as leniently as mail clients decode one.
var encodedWord = regexp.MustCompile(`=\?[^?]*\?[bBqQ]\?[^?]*\?=`)

// checkText refuses control characters (but LF, CRLF and tabs in multi-line
// text), invisible format characters such as right-to-left overrides, and
// the Unicode line and paragraph separators, which can make what a person
// reads differ from what is stored: a bare CR or U+2028 starts a new line in
// some viewers and not in others, and could forge a line of the AP form or
// a mail. Text of one line also may not hold an RFC 2047 encoded word: a
// mail client decodes it in a Subject into whatever it encodes (a
// right-to-left override, other words), while the API, the register and the
// form show it as it is. It is refused rather than neutralised when the mail
// is composed, so that every place shows the same text; nobody writes
// "=?utf-8?q?" in a title by accident. A required text needs at least one
// visible character.
func checkText(p *Problems, field, s string, max int, required, multiline bool) {
	visible := false
	for i, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case multiline && r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case r == '\r' && multiline:
			p.Add(field, "bevat een losse regelterugloop (CR, U+000D) zonder regelovergang; gebruik LF of CRLF")
			return
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp) || r == utf8.RuneError:
			p.Add(field, "bevat een teken dat niet is toegestaan (U+%04X)", r)
			return
		case !unicode.IsSpace(r):
			visible = true
		}
	}
	switch {
	case !multiline && encodedWord.MatchString(s):
		p.Add(field, "bevat een gecodeerd woord volgens RFC 2047 (%s) dat een mailprogramma anders toont dan het hier staat", encodedWord.FindString(s))
	case required && !visible:
		p.Add(field, "is verplicht")
	case utf8.RuneCountInString(s) > max:
		p.Add(field, "is te lang (hoogstens %d tekens)", max)
	}
}

func (r *Report) personalDataProblems(p *Problems) {
	if len(r.PersonalData) > maxListItems {
		p.Add("personal_data", "bevat meer dan %d categorieën", maxListItems)
		return
	}
	seen := map[string]bool{}
	for i, code := range r.PersonalData {
		field := fmt.Sprintf("personal_data[%d]", i)
		if _, ok := LookupCategory(code); !ok {
			p.Add(field, "onbekende categorie %q: gebruik een code uit GET /api/v1/catalogue/personal-data of %q", code, OtherPrefix+"<omschrijving>")
		} else if seen[code] {
			p.Add(field, "categorie %q staat er dubbel in", code)
		} else {
			line(p, field, code, maxShort, true)
		}
		seen[code] = true
	}
}

func (r *Report) subjectsProblems(p *Problems) {
	for _, f := range []struct {
		field string
		n     *int
	}{{"subjects_min", r.SubjectsMin}, {"subjects_max", r.SubjectsMax}} {
		if f.n != nil && (*f.n < 0 || *f.n > maxSubjects) {
			p.Add(f.field, "moet tussen 0 en %d liggen", maxSubjects)
		}
	}
	if r.SubjectsMin != nil && r.SubjectsMax != nil && !p.Has("subjects_min") && !p.Has("subjects_max") &&
		*r.SubjectsMin > *r.SubjectsMax {
		p.Add("subjects_max", "is kleiner dan subjects_min (%d)", *r.SubjectsMin)
	}
}

func (r *Report) sentItemsProblems(p *Problems) {
	if len(r.SentItems) > maxListItems {
		p.Add("sent_items", "bevat meer dan %d uitingen", maxListItems)
		return
	}
	for i, item := range r.SentItems {
		prefix := fmt.Sprintf("sent_items[%d].", i)
		text(p, prefix+"description", item.Description, maxText, true)
		if !slices.Contains(Channels, item.Channel) {
			p.Add(prefix+"channel", "moet een van %s zijn", joinCodes(Channels))
		}
		if item.Count != nil && (*item.Count < 1 || *item.Count > maxSubjects) {
			p.Add(prefix+"count", "moet tussen 1 en %d liggen", maxSubjects)
		}
	}
	switch d := r.ItemDisposition; {
	case d == "":
	case !slices.Contains(Dispositions, d):
		p.Add("item_disposition", "moet een van %s zijn", joinCodes(Dispositions))
	case d == DispositionNotApplicable && len(r.SentItems) > 0:
		p.Add("item_disposition", "not_applicable kan alleen als er niets is verstuurd (sent_items leeg)")
	}
}

// joinCodes lists the codes of an enum for a message: "a, b, c".
func joinCodes[T ~string](codes []T) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

func (r *Report) reporterProblems(p *Problems) {
	rep := r.Reporter
	line(p, "reporter.name", rep.Name, maxShort, true)
	line(p, "reporter.function", rep.Function, maxShort, false)
	if rep.Email == "" && rep.Phone == "" {
		p.Add("reporter", "geef een telefoonnummer (reporter.phone) of e-mailadres (reporter.email)")
	}
	if rep.Email != "" {
		// "=?" would let a mail client decode an encoded word (RFC 2047) where
		// the address is shown, as in a bounce's Subject.
		if a, err := mail.ParseAddress(rep.Email); err != nil || a.Address != rep.Email || len(rep.Email) > maxShort ||
			strings.Contains(rep.Email, "=?") {
			p.Add("reporter.email", "is geen geldig e-mailadres")
		}
	}
	if rep.Phone != "" && !validPhone(rep.Phone) {
		p.Add("reporter.phone", "is geen geldig telefoonnummer")
	}
}

// validPhone accepts the ways people write phone numbers: digits with spaces,
// dashes, dots, parentheses and a leading plus, 6 to 15 digits in all, at
// most 32 characters.
func validPhone(s string) bool {
	if len(s) > 32 {
		return false
	}
	digits := 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0, c == ' ', c == '-', c == '.', c == '(', c == ')':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15
}

// Validate checks a filing as received at now. A preliminary filing needs only
// title, detected_at and reporter; every field given is checked either way.
// It returns an EINVALID *Error naming every offending field.
func (f *Filing) Validate(now time.Time) error {
	f.normalise()
	return f.problems(now).Err("De melding is niet volledig of niet geldig.")
}

// ReportPatch changes report fields; a nil field is left as it is. A field
// cannot be removed, only corrected.
type ReportPatch struct {
	Title             *string      `json:"title,omitempty"`
	DetectedAt        *time.Time   `json:"detected_at,omitempty"`
	StartedAt         *time.Time   `json:"started_at,omitempty"`
	Ongoing           *bool        `json:"ongoing,omitempty"`
	Cause             *string      `json:"cause,omitempty"`
	PersonalData      *[]string    `json:"personal_data,omitempty"`
	SubjectsMin       *int         `json:"subjects_min,omitempty"`
	SubjectsMax       *int         `json:"subjects_max,omitempty"`
	SentItems         *[]SentItem  `json:"sent_items,omitempty"`
	ItemDisposition   *Disposition `json:"item_disposition,omitempty"`
	Measures          *string      `json:"measures,omitempty"`
	Reporter          *Reporter    `json:"reporter,omitempty"`
	ContractReference *string      `json:"contract_reference,omitempty"`
}

// Validate checks what a patch tells by itself: a field given empty (text
// of spaces only, no personal-data category) would remove what the report
// has, and a field can be corrected, not removed. It returns an EINVALID
// *Error naming every such field.
func (pt *ReportPatch) Validate() error { return pt.removals().Err("De wijziging is niet geldig.") }

func (pt *ReportPatch) removals() Problems {
	var p Problems
	for _, f := range []struct {
		field string
		empty bool
	}{
		{"title", givenBlank(pt.Title)},
		{"cause", givenBlank(pt.Cause)},
		{"personal_data", pt.PersonalData != nil && len(*pt.PersonalData) == 0},
		{"item_disposition", pt.ItemDisposition != nil && *pt.ItemDisposition == ""},
		{"measures", givenBlank(pt.Measures)},
		{"contract_reference", givenBlank(pt.ContractReference)},
	} {
		if f.empty {
			p.Add(f.field, "mag niet leeg zijn: een veld kan worden verbeterd, niet verwijderd; laat het weg om het te houden zoals het is")
		}
	}
	return p
}

// givenBlank reports whether a text was given with nothing in it.
func givenBlank(s *string) bool { return s != nil && strings.TrimSpace(*s) == "" }

// apply returns the report with the patch applied and normalised, and the
// changes it made: one per field whose normalised value differs, so that
// sending back a value with other spacing records nothing.
func (pt *ReportPatch) apply(r Report) (Report, []Change) {
	old := r
	if v := pt.Title; v != nil {
		r.Title = *v
	}
	if v := pt.StartedAt; v != nil {
		r.StartedAt = v
	}
	if v := pt.Ongoing; v != nil {
		r.Ongoing = v
	}
	if v := pt.Cause; v != nil {
		r.Cause = *v
	}
	if v := pt.PersonalData; v != nil {
		r.PersonalData = slices.Clone(*v)
	}
	if v := pt.SubjectsMin; v != nil {
		r.SubjectsMin = v
	}
	if v := pt.SubjectsMax; v != nil {
		r.SubjectsMax = v
	}
	if v := pt.SentItems; v != nil {
		r.SentItems = slices.Clone(*v)
	}
	if v := pt.ItemDisposition; v != nil {
		r.ItemDisposition = *v
	}
	if v := pt.Measures; v != nil {
		r.Measures = *v
	}
	if v := pt.Reporter; v != nil {
		r.Reporter = *v
	}
	if v := pt.ContractReference; v != nil {
		r.ContractReference = *v
	}
	r.normalise()
	return r, reportChanges(old, r)
}

// reportChanges lists the report fields whose JSON differs between old and
// new, in the order of the report.
func reportChanges(old, new Report) []Change {
	var changes []Change
	o, n := reportFields(old), reportFields(new)
	for _, f := range reportFieldOrder {
		if !bytes.Equal(o[f], n[f]) {
			changes = append(changes, Change{Field: f, Old: orNull(o[f]), New: orNull(n[f])})
		}
	}
	return changes
}

// reportFieldOrder is the report's fields as JSON names, in struct order.
var reportFieldOrder = func() []string {
	t := reflect.TypeOf(Report{})
	names := make([]string, t.NumField())
	for i := range names {
		names[i], _, _ = strings.Cut(t.Field(i).Tag.Get("json"), ",")
	}
	return names
}()

// reportFields is the report as a map from JSON field name to value.
func reportFields(r Report) map[string]json.RawMessage {
	data, _ := json.Marshal(r)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(data, &m)
	return m
}

func orNull(v json.RawMessage) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	return v
}
