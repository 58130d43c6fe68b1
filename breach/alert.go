package breach

import (
	"fmt"
	"slices"
	"time"
)

// Schedule says when each clock alerts: reminders before its deadline, an
// alert at the deadline, and the same alert again every Repeat until the clock
// stops.
type Schedule struct {
	ProcessorReminders []time.Duration // before the 24-hour deadline, to the reporter
	AuthorityReminders []time.Duration // before the 72-hour deadline, to the privacy mailbox
	Repeat             time.Duration   // between alerts after a deadline
}

// DefaultSchedule is the schedule of the clocks issue: reminders 6 h and 1 h
// before the processor deadline, 48, 24, 12, 4 and 1 h before the authority
// deadline, and a daily alert once a deadline has passed.
func DefaultSchedule() Schedule {
	return Schedule{
		ProcessorReminders: []time.Duration{6 * time.Hour, time.Hour},
		AuthorityReminders: []time.Duration{48 * time.Hour, 24 * time.Hour, 12 * time.Hour, 4 * time.Hour, time.Hour},
		Repeat:             24 * time.Hour,
	}
}

// Validate checks that reminders are positive and the repeat is at least a
// minute, so that a schedule can never make the sweep spin.
func (s Schedule) Validate() error {
	for _, r := range append(slices.Clone(s.ProcessorReminders), s.AuthorityReminders...) {
		if r <= 0 {
			return fmt.Errorf("reminder offset %s must be positive", r)
		}
	}
	if s.Repeat < time.Minute {
		return fmt.Errorf("repeat %s must be at least a minute", s.Repeat)
	}
	return nil
}

func (s Schedule) reminders(c Clock) []time.Duration {
	if c == ClockProcessor {
		return s.ProcessorReminders
	}
	return s.AuthorityReminders
}

// next returns the first alert instant of a clock due at due that lies
// strictly after after.
func (s Schedule) next(c Clock, due, after time.Time) time.Time {
	var best time.Time
	for _, r := range s.reminders(c) {
		if at := due.Add(-r); at.After(after) && (best.IsZero() || at.Before(best)) {
			best = at
		}
	}
	if !best.IsZero() {
		return best
	}
	if !due.After(after) {
		k := after.Sub(due)/s.Repeat + 1
		return due.Add(k * s.Repeat)
	}
	return due
}

// AlertState is where a clock's alerts stand: the instant of the last alert
// raised, and when the next one falls due (nil while the clock is stopped).
// The store indexes NextAt, so a sweep reads only breaches with an alert due.
type AlertState struct {
	AlertedUntil time.Time  `json:"alerted_until"`
	NextAt       *time.Time `json:"next_at,omitempty"`
}

// Alerting holds the alert state of both clocks.
type Alerting struct {
	Processor AlertState `json:"processor"`
	Authority AlertState `json:"authority"`
}

func (a *Alerting) of(c Clock) *AlertState {
	if c == ClockProcessor {
		return &a.Processor
	}
	return &a.Authority
}

// AlertKind says what an alert is about.
type AlertKind string

const (
	AlertProcessorReminder AlertKind = "processor_reminder" // the complete report is due soon
	AlertProcessorOverdue  AlertKind = "processor_overdue"  // the complete report is late
	AlertAuthorityReminder AlertKind = "authority_reminder" // the AP must be notified soon
	AlertAuthorityOverdue  AlertKind = "authority_overdue"  // the 72 hours have passed
)

// Alert is one alert raised by the sweep.
type Alert struct {
	Kind  AlertKind `json:"kind"`
	Clock Clock     `json:"clock"`
	// At is the scheduled instant the alert stands for; DueAt the deadline.
	At    time.Time `json:"at"`
	DueAt time.Time `json:"due_at"`
	// Collapsed counts earlier alerts of this clock that fell due while the
	// service was down and that this one replaces, so a person gets one mail
	// with the situation as it is, not a pile of stale ones.
	Collapsed int `json:"collapsed,omitempty"`
}

func (b *Breach) due(c Clock) time.Time {
	if c == ClockProcessor {
		return b.ProcessorDue()
	}
	return b.AuthorityDue()
}

// RestartAlerts starts (or restarts, after the deadline moved) a clock's
// alerts at now: alerts scheduled before now are not raised, except that a
// deadline already past raises its alert at once.
func (b *Breach) RestartAlerts(c Clock, now time.Time) {
	st := b.Alerting.of(c)
	st.AlertedUntil = now
	if due := b.due(c); !due.After(now) {
		st.AlertedUntil = due.Add(-time.Nanosecond)
	}
}

// Reschedule sets when each clock alerts next, from its state; a stopped
// clock alerts no more.
func (b *Breach) Reschedule(s Schedule) {
	running := map[Clock]bool{}
	for _, d := range b.RunningDeadlines() {
		running[d.Clock] = true
	}
	for _, c := range []Clock{ClockProcessor, ClockAuthority} {
		st := b.Alerting.of(c)
		st.NextAt = nil
		if running[c] {
			next := s.next(c, b.due(c), st.AlertedUntil)
			st.NextAt = &next
		}
	}
}

// NextAlerts returns the instants at which the breach's running clocks alert
// next; the store indexes them.
func (b *Breach) NextAlerts() []RunningDeadline {
	var out []RunningDeadline
	for _, c := range []Clock{ClockProcessor, ClockAuthority} {
		if at := b.Alerting.of(c).NextAt; at != nil {
			out = append(out, RunningDeadline{Clock: c, DueAt: *at})
		}
	}
	return out
}

// alertsDue raises the alerts due at now, at most one per clock, and moves
// each clock's state past them. It changes nothing when nothing is due.
func (b *Breach) alertsDue(now time.Time, s Schedule) []Alert {
	var alerts []Alert
	for _, d := range b.RunningDeadlines() {
		st := b.Alerting.of(d.Clock)
		if st.NextAt == nil || st.NextAt.After(now) {
			continue
		}
		at, collapsed := *st.NextAt, 0
		for {
			n := s.next(d.Clock, d.DueAt, at)
			if n.After(now) {
				break
			}
			at, collapsed = n, collapsed+1
		}
		kind := AlertProcessorReminder
		switch {
		case d.Clock == ClockProcessor && !at.Before(d.DueAt):
			kind = AlertProcessorOverdue
		case d.Clock == ClockAuthority && at.Before(d.DueAt):
			kind = AlertAuthorityReminder
		case d.Clock == ClockAuthority:
			kind = AlertAuthorityOverdue
		}
		alerts = append(alerts, Alert{Kind: kind, Clock: d.Clock, At: at, DueAt: d.DueAt, Collapsed: collapsed})
		st.AlertedUntil = at
	}
	b.Reschedule(s)
	return alerts
}
