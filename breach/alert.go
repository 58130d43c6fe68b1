package breach

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Schedule says when each clock alerts: reminders before its deadline, an
// alert at the deadline, and the same alert again every Repeat until the clock
// stops.
type Schedule struct {
	ProcessorReminders []time.Duration // before the 24-hour deadline, to the reporter
	AuthorityReminders []time.Duration // before the 72-hour deadline, to the privacy mailbox
	QuestionReminders  []time.Duration // before a question's due time, to the reporter
	// SubjectsWithin is how long after a decision to inform the people
	// affected the privacy mailbox is alerted while no communication to them
	// is recorded.
	SubjectsWithin time.Duration
	Repeat         time.Duration // between alerts after a deadline
}

// DefaultSchedule is the schedule of the clocks issue: reminders 6 h and 1 h
// before the processor deadline, 48, 24, 12, 4 and 1 h before the authority
// deadline, and a daily alert once a deadline has passed.
func DefaultSchedule() Schedule {
	return Schedule{
		ProcessorReminders: []time.Duration{6 * time.Hour, time.Hour},
		AuthorityReminders: []time.Duration{48 * time.Hour, 24 * time.Hour, 12 * time.Hour, 4 * time.Hour, time.Hour},
		QuestionReminders:  []time.Duration{2 * time.Hour},
		SubjectsWithin:     72 * time.Hour,
		Repeat:             24 * time.Hour,
	}
}

// Validate checks that reminders are positive and the repeat is at least a
// minute, so that a schedule can never make the sweep spin.
func (s Schedule) Validate() error {
	for _, r := range slices.Concat(s.ProcessorReminders, s.AuthorityReminders, s.QuestionReminders) {
		if r <= 0 {
			return fmt.Errorf("reminder offset %s must be positive", r)
		}
	}
	if s.SubjectsWithin <= 0 {
		return fmt.Errorf("the time to inform the people affected %s must be positive", s.SubjectsWithin)
	}
	if s.Repeat < time.Minute {
		return fmt.Errorf("repeat %s must be at least a minute", s.Repeat)
	}
	return nil
}

// next returns the first alert instant of a clock due at due, with reminders
// before it, that lies strictly after after.
func (s Schedule) next(reminders []time.Duration, due, after time.Time) time.Time {
	var best time.Time
	for _, r := range reminders {
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

// Alerting holds the alert state of both clocks (a question keeps its own).
type Alerting struct {
	Processor AlertState `json:"processor"`
	Authority AlertState `json:"authority"`
	Subjects  AlertState `json:"subjects,omitzero"`
}

// AlertKind says what an alert is about.
type AlertKind string

const (
	AlertProcessorReminder AlertKind = "processor_reminder" // the complete report is due soon
	AlertProcessorOverdue  AlertKind = "processor_overdue"  // the complete report is late
	AlertAuthorityReminder AlertKind = "authority_reminder" // the AP must be notified soon
	AlertAuthorityOverdue  AlertKind = "authority_overdue"  // the 72 hours have passed
	AlertQuestionReminder  AlertKind = "question_reminder"  // a question is due soon
	AlertQuestionOverdue   AlertKind = "question_overdue"   // a question is not answered in time
	AlertSubjectsOverdue   AlertKind = "subjects_overdue"   // a decision to inform the people affected is not carried out
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
	Collapsed  int    `json:"collapsed,omitempty"`
	QuestionID string `json:"question_id,omitempty"`
}

// questionClock names the clock of a question in the alert index.
func questionClock(id string) Clock { return Clock(questionClockPrefix + id) }

const questionClockPrefix = "question:"

// question reports whether c is the clock of a question to the supplier.
func (c Clock) question() bool { return strings.HasPrefix(string(c), questionClockPrefix) }

// alertClock is a clock that alerts: its deadline, reminders and state.
type alertClock struct {
	clock     Clock
	due       time.Time
	reminders []time.Duration
	state     *AlertState
	running   bool
	question  *Question
}

// alertClocks lists every clock of the breach that can alert, and whether it
// does now: the processor clock until the report is complete; the authority
// clock until the AP is notified or the decision is not to notify, with its
// reminders only until a decision is in force (after a decision to notify,
// the overdue alert still comes if the notification is not recorded in
// time); a question's clock until it is answered; none once closed.
func (b *Breach) alertClocks(s Schedule) []alertClock {
	open := b.Status != StatusClosed
	fulfilled, stopped := b.authorityState()
	authorityReminders := s.AuthorityReminders
	if b.DecisionInForce() != nil {
		authorityReminders = nil
	}
	clocks := []alertClock{
		{ClockProcessor, b.ProcessorDue(), s.ProcessorReminders, &b.Alerting.Processor, open && b.CompletedAt == nil, nil},
		{ClockAuthority, b.AuthorityDue(), authorityReminders, &b.Alerting.Authority, open && fulfilled == nil && !stopped, nil},
	}
	clocks = append(clocks, alertClock{ClockSubjects, b.SubjectsDue(s), nil, &b.Alerting.Subjects,
		open && b.communicationDue() && len(b.SubjectCommunications) == 0, nil})
	for i := range b.Questions {
		q := &b.Questions[i]
		clocks = append(clocks, alertClock{questionClock(q.ID), q.DueAt, s.QuestionReminders, &q.Alerting, open && q.AnsweredAt == nil, q})
	}
	return clocks
}

// RestartAlerts starts (or restarts, after the deadline moved) a clock's
// alerts at now: alerts scheduled before now are not raised, except that a
// deadline already past raises its overdue alert at once, once, as the
// latest alert it would have had.
func (b *Breach) RestartAlerts(c Clock, now time.Time, s Schedule) {
	for _, ac := range b.alertClocks(s) {
		if ac.clock != c {
			continue
		}
		ac.state.AlertedUntil = now
		if !ac.due.After(now) {
			latest := ac.due
			if s.Repeat > 0 {
				latest = ac.due.Add(now.Sub(ac.due) / s.Repeat * s.Repeat)
			}
			ac.state.AlertedUntil = latest.Add(-time.Nanosecond)
		}
	}
}

// StartSubjectsClock starts the clock of a decision to inform the people
// affected at the decision, for a breach decided before that clock existed,
// and reports whether it did: a decision older than the period alerts at the
// first sweep, since no communication could be recorded then either.
func (b *Breach) StartSubjectsClock(s Schedule) bool {
	if b.Alerting.Subjects.NextAt != nil || !b.Alerting.Subjects.AlertedUntil.IsZero() {
		return false
	}
	for _, ac := range b.alertClocks(s) {
		if ac.clock == ClockSubjects && ac.running {
			b.RestartAlerts(ClockSubjects, b.DecisionInForce().DecidedAt, s)
			b.Reschedule(s)
			return true
		}
	}
	return false
}

// Reschedule sets when each clock alerts next, from its state; a stopped
// clock alerts no more.
func (b *Breach) Reschedule(s Schedule) {
	for _, ac := range b.alertClocks(s) {
		ac.state.NextAt = nil
		if ac.running {
			next := s.next(ac.reminders, ac.due, ac.state.AlertedUntil)
			ac.state.NextAt = &next
		}
	}
}

// NextAlerts returns the instants at which the breach's running clocks alert
// next; the store indexes them.
func (b *Breach) NextAlerts() []RunningDeadline {
	var out []RunningDeadline
	for _, ac := range b.alertClocks(Schedule{}) {
		if ac.state.NextAt != nil {
			out = append(out, RunningDeadline{Clock: ac.clock, DueAt: *ac.state.NextAt})
		}
	}
	return out
}

// alertsDue raises the alerts due at now, at most one per clock, and moves
// each clock's state past them. It changes nothing when nothing is due.
func (b *Breach) alertsDue(now time.Time, s Schedule) []Alert {
	var alerts []Alert
	for _, ac := range b.alertClocks(s) {
		st := ac.state
		if !ac.running || st.NextAt == nil || st.NextAt.After(now) {
			continue
		}
		at, collapsed := *st.NextAt, 0
		for {
			n := s.next(ac.reminders, ac.due, at)
			if n.After(now) {
				break
			}
			at, collapsed = n, collapsed+1
		}
		before := at.Before(ac.due)
		a := Alert{Clock: ac.clock, At: at, DueAt: ac.due, Collapsed: collapsed}
		switch {
		case ac.question != nil:
			a.Kind, a.QuestionID = pick(before, AlertQuestionReminder, AlertQuestionOverdue), ac.question.ID
		case ac.clock == ClockProcessor:
			a.Kind = pick(before, AlertProcessorReminder, AlertProcessorOverdue)
		case ac.clock == ClockSubjects:
			a.Kind = AlertSubjectsOverdue
		default:
			a.Kind = pick(before, AlertAuthorityReminder, AlertAuthorityOverdue)
		}
		alerts = append(alerts, a)
		st.AlertedUntil = at
	}
	b.Reschedule(s)
	return alerts
}

func pick(before bool, reminder, overdue AlertKind) AlertKind {
	if before {
		return reminder
	}
	return overdue
}

// remindsReporter reports whether the alert reminds the supplier of a
// deadline of its own (the complete report, an answer to a question).
func (a Alert) remindsReporter() bool {
	return a.Kind == AlertProcessorReminder || a.Kind == AlertQuestionReminder
}

// alertAudiences is who an alert is for: a reminder before a deadline of the
// supplier's own goes to the reporter, and the privacy mailbox gets its own
// copy, as of everything that goes to a reporter (for a reporter without
// e-mail, the mailbox gets the one mail, in the reporter's place);
// escalations and the 72-hour clock go to the privacy mailbox.
func (b *Breach) alertAudiences(a Alert) []Audience {
	switch {
	case !a.remindsReporter():
		return []Audience{AudienceMailbox}
	case b.reporterAudience() == AudienceReporter:
		return []Audience{AudienceReporter, AudienceMailbox}
	}
	return []Audience{AudienceMailboxForReporter}
}

// SubjectsDue is when the people affected are to have been told, after the
// decision in force to inform them; zero without one.
func (b *Breach) SubjectsDue(s Schedule) time.Time {
	if !b.communicationDue() {
		return time.Time{}
	}
	return b.DecisionInForce().DecidedAt.Add(s.SubjectsWithin)
}
