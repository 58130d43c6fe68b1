package nl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach/nl"
)

func TestRegisterColumnsAreDistinct(t *testing.T) {
	keys, headers := map[string]bool{}, map[string]bool{}
	for _, c := range nl.RegisterColumns {
		assert.NotEmpty(t, c.Key)
		assert.NotEmpty(t, c.Header, c.Key)
		assert.False(t, keys[c.Key], "key %q twice", c.Key)
		assert.False(t, headers[c.Header], "header %q twice", c.Header)
		keys[c.Key], headers[c.Header] = true, true
	}
}

// The JSON register keeps the score with a decimal point, as its contract
// says; the CSV register, for people, reads it the Dutch way. Nothing else
// differs.
func TestRegisterRowAndText(t *testing.T) {
	cell := func(row []string, key string) string {
		t.Helper()
		for i, c := range nl.RegisterColumns {
			if c.Key == key {
				return row[i]
			}
		}
		require.Fail(t, "no column "+key)
		return ""
	}
	b := completeBreach(t)
	row, text := nl.RegisterRow(b, formNow), nl.RegisterText(b, formNow)
	require.Len(t, row, len(nl.RegisterColumns))
	require.Len(t, text, len(nl.RegisterColumns))
	assert.Equal(t, "4.25", cell(row, "severity_score"))
	assert.Equal(t, "4,25", cell(text, "severity_score"))
	for i, c := range nl.RegisterColumns {
		if c.Key != "severity_score" {
			assert.Equal(t, row[i], text[i], c.Key)
		}
	}
	assert.Equal(t, "150", cell(text, "subjects_max"), "a number for the spreadsheet")
	assert.Equal(t, "Beschikking eigen bijdrage 2027, per post, 150 stuks; Herinnering, per e-mail, 30 stuks", cell(text, "sent_items"))
	assert.Equal(t, "besloten", cell(text, "status"))
	assert.Equal(t, "2026-11-18T11:00:00+01:00", cell(text, "aware_at"), "RFC 3339 in Europe/Amsterdam")

	prelim := nl.RegisterText(preliminaryBreach(), formNow)
	assert.Empty(t, cell(prelim, "severity_score"), "no assessment yet")
	assert.Empty(t, cell(prelim, "sent_items"), "not given yet")
}
