package breach

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Corrections of a report after it was filed: what a patch may change, and
// the changes it records.

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
