package breach_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
)

func TestDeadlinesAcrossDaylightSaving(t *testing.T) {
	ams := breach.Amsterdam
	tests := []struct {
		name           string
		detected, want time.Time
		window         func(b *breach.Breach) time.Time
	}{
		{"processor clock over the October change: 24 clock hours, not one calendar day",
			time.Date(2026, 10, 24, 10, 0, 0, 0, ams), time.Date(2026, 10, 25, 9, 0, 0, 0, ams),
			(*breach.Breach).ProcessorDue},
		{"processor clock over the March change",
			time.Date(2026, 3, 28, 10, 0, 0, 0, ams), time.Date(2026, 3, 29, 11, 0, 0, 0, ams),
			(*breach.Breach).ProcessorDue},
		{"authority clock over the October change",
			time.Date(2026, 10, 24, 10, 0, 0, 0, ams), time.Date(2026, 10, 27, 9, 0, 0, 0, ams),
			(*breach.Breach).AuthorityDue},
		{"authority clock over the March change",
			time.Date(2026, 3, 27, 12, 0, 0, 0, ams), time.Date(2026, 3, 30, 13, 0, 0, 0, ams),
			(*breach.Breach).AuthorityDue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &breach.Breach{Report: breach.Report{DetectedAt: tt.detected.UTC()}, AwareAt: tt.detected.UTC()}
			got := tt.window(b)
			assert.True(t, tt.want.Equal(got), "want %s, got %s", tt.want, got.In(ams))
		})
	}
	// The example of the clocks issue, written with explicit offsets.
	b := &breach.Breach{Report: breach.Report{DetectedAt: mustTime(t, "2026-10-24T10:00:00+02:00")}}
	assert.True(t, mustTime(t, "2026-10-25T09:00:00+01:00").Equal(b.ProcessorDue()))
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDeadlineStates(t *testing.T) {
	detected := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	due := detected.Add(24 * time.Hour)
	tests := []struct {
		name      string
		completed *time.Time
		now       time.Time
		state     breach.DeadlineState
		met       bool
		lateBy    int64
	}{
		{"open, before due", nil, due.Add(-time.Second), breach.DeadlineRunning, false, 0},
		{"open, exactly at due is overdue: the time was up", nil, due, breach.DeadlineOverdue, false, 0},
		{"open, one second past due", nil, due.Add(time.Second), breach.DeadlineOverdue, false, 1},
		{"open, two days past due", nil, due.Add(48 * time.Hour), breach.DeadlineOverdue, false, 48 * 3600},
		{"completed exactly at due", &due, due.Add(time.Hour), breach.DeadlineMet, true, 0},
		{"completed early", ptr(detected.Add(time.Hour)), due.Add(time.Hour), breach.DeadlineMet, true, 0},
		{"completed 3h15m late", ptr(due.Add(3*time.Hour + 15*time.Minute)), due.Add(100 * time.Hour), breach.DeadlineLate, false, 3*3600 + 15*60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &breach.Breach{Report: breach.Report{DetectedAt: detected}, AwareAt: detected, CompletedAt: tt.completed}
			d := b.DeadlinesAt(tt.now).Processor
			assert.Equal(t, tt.state, d.State)
			assert.Equal(t, tt.met, d.Met)
			assert.Equal(t, tt.lateBy, d.LateBySeconds)
			assert.True(t, due.Equal(d.DueAt))
		})
	}
}

func TestAuthorityDeadlineStartsAtAwareness(t *testing.T) {
	received := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	b := &breach.Breach{Report: breach.Report{DetectedAt: received.Add(-30 * time.Hour)}, ReceivedAt: received, AwareAt: received}
	d := b.DeadlinesAt(received).Authority
	assert.True(t, received.Add(72*time.Hour).Equal(d.DueAt), "72 h from the first report, not from detection")
	assert.True(t, received.Equal(*d.AwareAt))
	assert.Equal(t, breach.DeadlineRunning, d.State)
	assert.Equal(t, breach.DeadlineOverdue, b.DeadlinesAt(received.Add(73*time.Hour)).Authority.State)
}

func TestRunningDeadlines(t *testing.T) {
	detected := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	b := &breach.Breach{Report: breach.Report{DetectedAt: detected}, AwareAt: detected.Add(2 * time.Hour), Status: breach.StatusNew}
	assert.Equal(t, []breach.RunningDeadline{
		{Clock: breach.ClockProcessor, DueAt: detected.Add(24 * time.Hour)},
		{Clock: breach.ClockAuthority, DueAt: detected.Add(74 * time.Hour)},
	}, b.RunningDeadlines())

	b.CompletedAt = ptr(detected.Add(time.Hour))
	assert.Equal(t, []breach.RunningDeadline{{Clock: breach.ClockAuthority, DueAt: detected.Add(74 * time.Hour)}},
		b.RunningDeadlines(), "a complete report stops the processor clock")

	b.CompletedAt, b.AwareAt = nil, detected.Add(-60*time.Hour)
	assert.Equal(t, breach.ClockAuthority, b.RunningDeadlines()[0].Clock, "nearest first")

	b.Status = breach.StatusClosed
	b.CompletedAt = ptr(detected)
	assert.Empty(t, b.RunningDeadlines())
}

// Bijlage 3 has two duties within the 24 hours: to inform (any report, a
// preliminary one too) and to give the minimum facts (a complete report).
// A preliminary report in time meets the first and not yet the second
// (issue 9: it used to show as late altogether).
func TestBothDutiesOfBijlage3(t *testing.T) {
	detected := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	due := detected.Add(24 * time.Hour)
	prelim := &breach.Breach{Report: breach.Report{DetectedAt: detected}, ReceivedAt: detected.Add(2 * time.Hour),
		AwareAt: detected.Add(2 * time.Hour), Stage: breach.StagePreliminary, Status: breach.StatusNew}
	ds := prelim.DeadlinesAt(due.Add(3 * time.Hour))
	assert.Equal(t, breach.DeadlineMet, ds.Informed.State, "informed in time, by the preliminary report")
	assert.Equal(t, breach.DeadlineOverdue, ds.Processor.State, "the minimum facts are still missing")
	assert.EqualValues(t, 3*3600, ds.Processor.LateBySeconds)

	late := &breach.Breach{Report: breach.Report{DetectedAt: detected}, ReceivedAt: due.Add(90 * time.Minute),
		AwareAt: due.Add(90 * time.Minute), Stage: breach.StageComplete, Status: breach.StatusNew}
	completed := late.ReceivedAt
	late.CompletedAt = &completed
	ds = late.DeadlinesAt(due.Add(5 * time.Hour))
	assert.Equal(t, breach.DeadlineLate, ds.Informed.State)
	assert.EqualValues(t, 90*60, ds.Informed.LateBySeconds)
	assert.Equal(t, breach.DeadlineLate, ds.Processor.State)
}
