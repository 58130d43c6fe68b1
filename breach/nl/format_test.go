package nl_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
	"datalek/breach/nl"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The expectations are written by hand: Amsterdam moved from CEST to CET at
// 01:00 UTC on Sunday 25 October 2026 and from CET to CEST at 01:00 UTC on
// Sunday 29 March 2026.
func TestTime(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"summer time", utc("2026-07-01T10:00:00Z"), "woensdag 1 juli 2026 12:00 (CEST)"},
		{"winter time", utc("2026-11-23T07:25:00Z"), "maandag 23 november 2026 08:25 (CET)"},
		{"a local date after UTC's", utc("2026-11-22T23:30:00Z"), "maandag 23 november 2026 00:30 (CET)"},
		{"the last minute of summer time", utc("2026-10-25T00:59:00Z"), "zondag 25 oktober 2026 02:59 (CEST)"},
		{"the repeated hour, first time", utc("2026-10-25T00:30:00Z"), "zondag 25 oktober 2026 02:30 (CEST)"},
		{"the repeated hour, second time", utc("2026-10-25T01:30:00Z"), "zondag 25 oktober 2026 02:30 (CET)"},
		{"the last minute of winter time", utc("2026-03-29T00:59:00Z"), "zondag 29 maart 2026 01:59 (CET)"},
		{"the skipped hour", utc("2026-03-29T01:00:00Z"), "zondag 29 maart 2026 03:00 (CEST)"},
		{"72 hours across the change: an hour earlier on the wall", utc("2026-10-23T08:00:00Z").Add(72 * time.Hour), "maandag 26 oktober 2026 09:00 (CET)"},
		{"any zone in, Amsterdam out", time.Date(2026, 12, 31, 23, 0, 0, 0, time.FixedZone("EST", -5*3600)), "vrijdag 1 januari 2027 05:00 (CET)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, nl.Time(tt.at), tt.name)
	}
}

func TestDay(t *testing.T) {
	assert.Equal(t, "zondag 25 oktober 2026", nl.Day(utc("2026-10-24T22:30:00Z")), "midnight in Amsterdam, still Saturday in UTC")
	assert.Equal(t, "zaterdag 24 oktober 2026", nl.Day(utc("2026-10-24T21:59:00Z")))
	assert.Equal(t, "dinsdag 1 december 2026", nl.Day(utc("2026-12-01T12:00:00Z")))
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "minder dan een minuut"},
		{29 * time.Second, "minder dan een minuut"},
		{30 * time.Second, "1 minuut"},
		{5 * time.Minute, "5 minuten"},
		{-5 * time.Minute, "5 minuten"},
		{time.Hour, "1 uur"},
		{2*time.Hour + 15*time.Minute, "2 uur en 15 minuten"},
		{24 * time.Hour, "1 dag"},
		{27 * time.Hour, "1 dag en 3 uur"},
		{27*time.Hour + 59*time.Minute + 30*time.Second, "1 dag en 4 uur"},
		{50*time.Hour + 30*time.Minute, "2 dagen en 2 uur"},
		{62 * time.Hour, "2 dagen en 14 uur"},
		{72 * time.Hour, "3 dagen"},
		{1500 * 24 * time.Hour, "1.500 dagen"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, nl.Duration(tt.d), "%v", tt.d)
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1.000"}, {1234, "1.234"}, {99999, "99.999"},
		{1234567, "1.234.567"}, {-999, "-999"}, {-1234, "-1.234"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, nl.Count(tt.n), "%d", tt.n)
	}
}

func TestScore(t *testing.T) {
	tests := []struct {
		s    float64
		want string
	}{
		{0.25, "0,25"}, {1.75, "1,75"}, {2.5, "2,50"}, {3.25, "3,25"}, {4, "4,00"}, {10.75, "10,75"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, nl.Score(tt.s), "%v", tt.s)
	}
}

// ENISA's lowest loss of confidentiality is data exposed without a sign of
// unlawful processing, not "geen" (issue 9); integrity and availability
// have a true "none".
func TestCBLabels(t *testing.T) {
	assert.Equal(t, "blootgesteld, zonder aanwijzing van onrechtmatige verwerking", nl.CB(breach.ConfidentialityNone))
	assert.Equal(t, "geen", nl.CB(breach.IntegrityNone))
	assert.Equal(t, "geen", nl.CB(breach.AvailabilityNone))
	assert.Equal(t, "tijdelijk", nl.CB(breach.AvailabilityTemporary))
}
