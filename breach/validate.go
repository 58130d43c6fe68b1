package breach

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
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

// validEmail reports whether s is one plain e-mail address. "=?" is
// refused: it would let a mail client decode an encoded word (RFC 2047)
// where the address is shown, as in a bounce's Subject.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= maxShort && !strings.Contains(s, "=?")
}

func (r *Report) reporterProblems(p *Problems) {
	rep := r.Reporter
	line(p, "reporter.name", rep.Name, maxShort, true)
	line(p, "reporter.function", rep.Function, maxShort, false)
	if rep.Email == "" && rep.Phone == "" {
		p.Add("reporter", "geef een telefoonnummer (reporter.phone) of e-mailadres (reporter.email)")
	}
	if rep.Email != "" {
		if !validEmail(rep.Email) {
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
