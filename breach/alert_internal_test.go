package breach

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// started returns a breach received at received about a breach detected at
// detected, with both clocks started as filing starts them.
func started(detected, received time.Time, complete bool) *Breach {
	b := &Breach{ID: "b", Status: StatusNew, ReceivedAt: received, AwareAt: received, Report: Report{DetectedAt: detected}}
	if complete {
		b.CompletedAt = &received
	}
	b.RestartAlerts(ClockProcessor, received, DefaultSchedule())
	b.RestartAlerts(ClockAuthority, received, DefaultSchedule())
	b.Reschedule(DefaultSchedule())
	return b
}

// kinds runs alertsDue at each moment in turn and returns what it raised.
func raise(b *Breach, moments ...time.Time) []Alert {
	var all []Alert
	for _, now := range moments {
		all = append(all, b.alertsDue(now, DefaultSchedule())...)
	}
	return all
}

func TestProcessorClockAlerts(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	due := t0.Add(24 * time.Hour)
	tests := []struct {
		name    string
		moments []time.Time
		want    []Alert // only the processor clock's
	}{
		{"nothing before the first reminder", []time.Time{due.Add(-6*time.Hour - time.Nanosecond)}, nil},
		{"reminder exactly 6 h before", []time.Time{due.Add(-6 * time.Hour)},
			[]Alert{{Kind: AlertProcessorReminder, Clock: ClockProcessor, At: due.Add(-6 * time.Hour), DueAt: due}}},
		{"each reminder once, then the escalation, then daily", []time.Time{
			due.Add(-6 * time.Hour), due.Add(-5 * time.Hour), due.Add(-time.Hour), due.Add(-time.Minute), due, due.Add(time.Hour), due.Add(24 * time.Hour),
		}, []Alert{
			{Kind: AlertProcessorReminder, Clock: ClockProcessor, At: due.Add(-6 * time.Hour), DueAt: due},
			{Kind: AlertProcessorReminder, Clock: ClockProcessor, At: due.Add(-time.Hour), DueAt: due},
			{Kind: AlertProcessorOverdue, Clock: ClockProcessor, At: due, DueAt: due},
			{Kind: AlertProcessorOverdue, Clock: ClockProcessor, At: due.Add(24 * time.Hour), DueAt: due},
		}},
		{"a long downtime gives one alert for the situation now", []time.Time{due.Add(50 * time.Hour)},
			[]Alert{{Kind: AlertProcessorOverdue, Clock: ClockProcessor, At: due.Add(48 * time.Hour), DueAt: due, Collapsed: 4}}},
		{"a sweep twice at the same moment raises nothing twice", []time.Time{due, due},
			[]Alert{{Kind: AlertProcessorOverdue, Clock: ClockProcessor, At: due, DueAt: due, Collapsed: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := started(t0, t0.Add(time.Hour), false)
			var got []Alert
			for _, a := range raise(b, tt.moments...) {
				if a.Clock == ClockProcessor {
					got = append(got, a)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAuthorityClockAlerts(t *testing.T) {
	received := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	due := received.Add(72 * time.Hour)
	b := started(received.Add(-time.Hour), received, true)
	var moments []time.Time
	for h := 0; h <= 100; h++ {
		moments = append(moments, received.Add(time.Duration(h)*time.Hour))
	}
	var ats []time.Duration
	for _, a := range raise(b, moments...) {
		require.Equal(t, ClockAuthority, a.Clock, "a complete report has no processor alerts")
		assert.Equal(t, a.At.Before(due), a.Kind == AlertAuthorityReminder)
		ats = append(ats, due.Sub(a.At))
	}
	assert.Equal(t, []time.Duration{48 * time.Hour, 24 * time.Hour, 12 * time.Hour, 4 * time.Hour, time.Hour, 0, -24 * time.Hour},
		ats, "reminders 48, 24, 12, 4 and 1 h before, at the deadline, then daily")
}

func TestAlertsAcrossDaylightSaving(t *testing.T) {
	// Detected Saturday 24 October 2026 10:00 summer time: due Sunday 09:00
	// winter time, 24 clock hours later; the 1-hour reminder at 08:00 winter time.
	detected := time.Date(2026, 10, 24, 10, 0, 0, 0, Amsterdam)
	b := started(detected, detected.Add(time.Minute), false)
	due := time.Date(2026, 10, 25, 9, 0, 0, 0, Amsterdam)
	require.True(t, due.Equal(b.ProcessorDue()))
	got := raise(b, time.Date(2026, 10, 25, 3, 0, 0, 0, Amsterdam), time.Date(2026, 10, 25, 8, 0, 0, 0, Amsterdam), due)
	require.Len(t, got, 3)
	assert.True(t, got[0].At.Equal(due.Add(-6*time.Hour)))
	assert.Equal(t, "03:00 CET", got[0].At.In(Amsterdam).Format("15:04 MST"), "6 h before 09:00 CET is 03:00 CET, not 04:00")
	assert.True(t, got[1].At.Equal(time.Date(2026, 10, 25, 8, 0, 0, 0, Amsterdam)))
	assert.Equal(t, AlertProcessorOverdue, got[2].Kind)
}

func TestLateFilingAndMovedAwarenessAlertAtOnce(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	// A preliminary report filed 30 hours after detection: already overdue.
	b := started(now.Add(-30*time.Hour), now, false)
	got := raise(b, now)
	require.Len(t, got, 1)
	assert.Equal(t, AlertProcessorOverdue, got[0].Kind)

	// Awareness moved to 73 hours ago: the 72 hours are over, alert at once.
	b = started(now.Add(-time.Hour), now, true)
	b.AwareAt = now.Add(-73 * time.Hour)
	b.RestartAlerts(ClockAuthority, now, DefaultSchedule())
	b.Reschedule(DefaultSchedule())
	got = raise(b, now)
	require.Len(t, got, 1)
	assert.Equal(t, AlertAuthorityOverdue, got[0].Kind)
	assert.Empty(t, raise(b, now.Add(23*time.Hour-time.Minute)), "then daily: not before due + 24 h")
	assert.Len(t, raise(b, now.Add(23*time.Hour)), 1)

	// Awareness moved to 30 hours ago: no stale reminders, the next is 24 h before.
	b = started(now.Add(-time.Hour), now, true)
	b.AwareAt = now.Add(-30 * time.Hour)
	b.RestartAlerts(ClockAuthority, now, DefaultSchedule())
	b.Reschedule(DefaultSchedule())
	assert.Empty(t, raise(b, now))
	require.NotNil(t, b.Alerting.Authority.NextAt)
	assert.Equal(t, b.AuthorityDue().Add(-24*time.Hour), *b.Alerting.Authority.NextAt)
}

func TestStoppedClocksDoNotAlert(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	b := started(now.Add(-time.Hour), now, false)
	assert.Len(t, b.NextAlerts(), 2)

	b.CompletedAt = &now
	b.Reschedule(DefaultSchedule())
	require.Len(t, b.NextAlerts(), 1, "completing the report stops the processor clock")
	assert.Equal(t, ClockAuthority, b.NextAlerts()[0].Clock)

	b.Status = StatusClosed
	b.Reschedule(DefaultSchedule())
	assert.Empty(t, b.NextAlerts())
	assert.Empty(t, raise(b, now.Add(1000*time.Hour)))
}

func TestScheduleValidate(t *testing.T) {
	assert.NoError(t, DefaultSchedule().Validate())
	assert.Error(t, Schedule{ProcessorReminders: []time.Duration{-time.Hour}, Repeat: 24 * time.Hour}.Validate())
	assert.Error(t, Schedule{Repeat: time.Second}.Validate())
}

// A clock restarted long past its deadline gets one overdue alert, and does
// not claim that alerts were missed during an outage.
func TestRestartLongPastDueMakesNoFalseOutageClaim(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	b := started(now.Add(-time.Hour), now, true)
	b.AwareAt = now.Add(-100 * time.Hour) // due 28 hours ago
	b.RestartAlerts(ClockAuthority, now, DefaultSchedule())
	b.Reschedule(DefaultSchedule())
	got := raise(b, now)
	require.Len(t, got, 1)
	assert.Equal(t, AlertAuthorityOverdue, got[0].Kind)
	assert.Zero(t, got[0].Collapsed)
	assert.Equal(t, b.AuthorityDue().Add(24*time.Hour), got[0].At, "the latest daily alert it would have had")
}

// Issue 8, number 3: a reminder to the reporter has a copy for the privacy
// mailbox; without a reporter's e-mail address the mailbox gets the one mail
// in the reporter's place; escalations go to the mailbox only.
func TestAlertAudiences(t *testing.T) {
	withEmail := &Breach{Report: Report{Reporter: Reporter{Name: "J", Email: "j@acme.example"}}}
	without := &Breach{Report: Report{Reporter: Reporter{Name: "J", Phone: "0612345678"}}}
	for _, tc := range []struct {
		b    *Breach
		kind AlertKind
		want []Audience
	}{
		{withEmail, AlertProcessorReminder, []Audience{AudienceReporter, AudienceMailbox}},
		{withEmail, AlertQuestionReminder, []Audience{AudienceReporter, AudienceMailbox}},
		{without, AlertProcessorReminder, []Audience{AudienceMailboxForReporter}},
		{without, AlertQuestionReminder, []Audience{AudienceMailboxForReporter}},
		{withEmail, AlertProcessorOverdue, []Audience{AudienceMailbox}},
		{withEmail, AlertQuestionOverdue, []Audience{AudienceMailbox}},
		{withEmail, AlertAuthorityReminder, []Audience{AudienceMailbox}},
		{withEmail, AlertAuthorityOverdue, []Audience{AudienceMailbox}},
	} {
		if got := tc.b.alertAudiences(Alert{Kind: tc.kind}); !slices.Equal(got, tc.want) {
			t.Errorf("%s (e-mail %q): %v, want %v", tc.kind, tc.b.Reporter.Email, got, tc.want)
		}
	}
}
