package breach_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// completeFiling is the example report of API.md, received at now.
func completeFiling() breach.Filing { return breachtest.ExampleFiling(now) }

// fieldsOf returns the field names of a validation error, failing the test
// for any other error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *breach.Error
	require.True(t, errors.As(err, &e), "want *breach.Error, got %v", err)
	require.Equal(t, breach.EINVALID, e.Code)
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field
		assert.NotEmpty(t, f.Message, "field %s has no message", f.Field)
	}
	return names
}

func TestFilingValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *breach.Filing)
		want   []string // offending fields, in order; nil means valid
	}{
		{"complete report is valid", func(f *breach.Filing) {}, nil},
		{"nothing sent and not applicable", func(f *breach.Filing) {
			f.SentItems, f.ItemDisposition = []breach.SentItem{}, breach.DispositionNotApplicable
		}, nil},
		{"other category with text", func(f *breach.Filing) { f.PersonalData = []string{"other:kentekens"} }, nil},
		{"phone only", func(f *breach.Filing) { f.Reporter.Email = "" }, nil},
		{"detected a little in the future, within skew", func(f *breach.Filing) { f.DetectedAt = now.Add(4 * time.Minute) }, nil},
		{"started equals detected", func(f *breach.Filing) { f.StartedAt = ptr(f.DetectedAt) }, nil},
		{"min equals max, zero", func(f *breach.Filing) { f.SubjectsMin, f.SubjectsMax = ptr(0), ptr(0) }, nil},
		{"empty filing names every required field", func(f *breach.Filing) { *f = breach.Filing{} },
			[]string{"title", "detected_at", "reporter.name", "reporter", "cause", "started_at", "personal_data",
				"subjects_min", "subjects_max", "sent_items", "item_disposition", "measures"}},
		{"preliminary needs only title, detected_at, reporter", func(f *breach.Filing) {
			*f = breach.Filing{Stage: breach.StagePreliminary}
		}, []string{"title", "detected_at", "reporter.name", "reporter"}},
		{"unknown stage", func(f *breach.Filing) { f.Stage = "draft" }, []string{"stage"}},
		{"blank title after trimming", func(f *breach.Filing) { f.Title = "   " }, []string{"title"}},
		{"title too long", func(f *breach.Filing) { f.Title = strings.Repeat("x", 201) }, []string{"title"}},
		{"detected in the future", func(f *breach.Filing) { f.DetectedAt = now.Add(6 * time.Minute) }, []string{"detected_at"}},
		{"detected before 2000", func(f *breach.Filing) {
			f.DetectedAt, f.StartedAt = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), nil
		}, []string{"detected_at", "started_at"}},
		{"started after detected", func(f *breach.Filing) { f.StartedAt = ptr(f.DetectedAt.Add(time.Second)) }, []string{"started_at"}},
		{"unknown and duplicate categories", func(f *breach.Filing) {
			f.PersonalData = []string{"naam", "paspoort", "naam", "other:", "other:  "}
		}, []string{"personal_data[1]", "personal_data[2]", "personal_data[3]", "personal_data[4]"}},
		{"negative subjects", func(f *breach.Filing) { f.SubjectsMin = ptr(-1) }, []string{"subjects_min"}},
		{"min above max", func(f *breach.Filing) { f.SubjectsMin = ptr(151) }, []string{"subjects_max"}},
		{"absurd max", func(f *breach.Filing) { f.SubjectsMax = ptr(100_000_001) }, []string{"subjects_max"}},
		{"bad sent items", func(f *breach.Filing) {
			f.SentItems = []breach.SentItem{{Description: "ok", Channel: "post"}, {Channel: "duif", Count: ptr(0)}}
		}, []string{"sent_items[1].description", "sent_items[1].channel", "sent_items[1].count"}},
		{"not applicable while items were sent", func(f *breach.Filing) { f.ItemDisposition = breach.DispositionNotApplicable },
			[]string{"item_disposition"}},
		{"unknown disposition", func(f *breach.Filing) { f.ItemDisposition = "burned" }, []string{"item_disposition"}},
		{"reporter without contact", func(f *breach.Filing) { f.Reporter.Email, f.Reporter.Phone = "", "" }, []string{"reporter"}},
		{"reporter with bad email and phone", func(f *breach.Filing) {
			f.Reporter.Email, f.Reporter.Phone = "J. Jansen <j@x.example>", "call me"
		}, []string{"reporter.email", "reporter.phone"}},
		{"phone too short", func(f *breach.Filing) { f.Reporter.Phone = "12345" }, []string{"reporter.phone"}},
		{"missing cause in complete report", func(f *breach.Filing) { f.Cause = "" }, []string{"cause"}},
		{"nil sent items is missing", func(f *breach.Filing) { f.SentItems = nil }, []string{"sent_items"}},
		{"control characters and line breaks in a title", func(f *breach.Filing) { f.Title = "a\r\nBcc: x@evil.example" }, []string{"title"}},
		{"right-to-left override in a name", func(f *breach.Filing) { f.Reporter.Name = "J. \u202eJansen" }, []string{"reporter.name"}},
		{"only invisible characters is no title", func(f *breach.Filing) { f.Title = "\u200b" }, []string{"title"}},
		{"escape sequence in free text", func(f *breach.Filing) { f.Cause = "printstraat\x1b[31m" }, []string{"cause"}},
		{"line breaks in free text are fine", func(f *breach.Filing) { f.Measures = "1. Stilgezet\n2. Gebeld\n\tklaar" }, nil},
		{"phone number of absurd length", func(f *breach.Filing) { f.Reporter.Phone = "06 " + strings.Repeat("1 ", 40) }, []string{"reporter.phone"}},
		{"an encoded word in the reporter's address", func(f *breach.Filing) { f.Reporter.Email = "=?utf-8?q?=E2=80=AE?=gpj.exe@x.test" },
			[]string{"reporter.email"}},
		{"a flood of sent items is one problem", func(f *breach.Filing) { f.SentItems = make([]breach.SentItem, 5000) }, []string{"sent_items"}},
		{"a report of a megabyte, each field within its limit", func(f *breach.Filing) {
			f.SentItems = nil
			for range 100 {
				f.SentItems = append(f.SentItems, breach.SentItem{Description: strings.Repeat("brief ", 1650), Channel: breach.ChannelPost})
			}
		}, []string{"report"}},
		{"preliminary still checks what it gives", func(f *breach.Filing) {
			f.Stage, f.Cause, f.SubjectsMin = breach.StagePreliminary, "", ptr(200)
		}, []string{"subjects_max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := completeFiling()
			tt.change(&f)
			assert.Equal(t, tt.want, fieldsOf(t, f.Validate(now)))
		})
	}
}

func TestValidateNormalises(t *testing.T) {
	f := completeFiling()
	f.Title = "  Brieven  "
	require.NoError(t, f.Validate(now))
	assert.Equal(t, "Brieven", f.Title)
	assert.Equal(t, time.UTC, f.DetectedAt.Location())
	assert.Equal(t, now.Add(-time.Hour), f.DetectedAt)
	assert.Equal(t, time.UTC, f.StartedAt.Location())
}

func TestMissingFields(t *testing.T) {
	r := breach.Report{Title: "x", DetectedAt: now, Reporter: breach.Reporter{Name: "a", Phone: "0612345678"}}
	assert.Equal(t, []string{"cause", "started_at", "personal_data", "subjects_min", "subjects_max",
		"sent_items", "item_disposition", "measures"}, r.MissingFields())
	r.SentItems = []breach.SentItem{} // an empty list says "nothing was sent": given, not missing
	assert.NotContains(t, r.MissingFields(), "sent_items")
	full := completeFiling()
	assert.Empty(t, full.MissingFields())
}

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range breach.Catalogue() {
		assert.False(t, seen[c.Code], "duplicate code %s", c.Code)
		seen[c.Code] = true
		assert.NotEmpty(t, c.Label)
		assert.True(t, c.DPC >= 1 && c.DPC <= 4, "%s: DPC %d", c.Code, c.DPC)
		assert.Equal(t, c.DPC == 4, c.Special() || c.Class == breach.ClassDepends,
			"%s: only special and criminal categories, and those that may be special, score 4", c.Code)
	}
	for _, code := range []string{"naam", "adres", "bsn", "eigen_bijdrage", "iban", "detentieverklaring", "spraakdata"} {
		assert.True(t, seen[code], "Bijlage 1 category %s missing", code)
	}
	c, ok := breach.LookupCategory("detentieverklaring")
	require.True(t, ok)
	assert.Equal(t, breach.ClassCriminal, c.Class)
	c, ok = breach.LookupCategory("spraakdata")
	require.True(t, ok)
	assert.False(t, c.Special(), "a call recording is not special category data as such (issue 9)")
	assert.Equal(t, 4, c.DPC, "but scores as sensitive: it may be about someone's health")
	c, ok = breach.LookupCategory("other: kentekens")
	require.True(t, ok)
	assert.Equal(t, "Overig: kentekens", c.Label)
	_, ok = breach.LookupCategory("Naam")
	assert.False(t, ok, "codes are case-sensitive")
}

func TestProblemsAreBounded(t *testing.T) {
	f := completeFiling()
	f.PersonalData = make([]string, 100) // at the list limit, every entry wrong
	for i := range f.PersonalData {
		f.PersonalData[i] = fmt.Sprintf("x%d", i)
	}
	f.Title = ""
	assert.Len(t, fieldsOf(t, f.Validate(now)), breach.MaxProblems)
}
