package breach

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// What the service does by itself on its clocks: the sweep that raises due
// alerts, and the daily digest.

// ActionAlertRaised is the trail entry of a reminder or overdue alert.
const ActionAlertRaised Action = "alert.raised"

// System is the actor of what the service does by itself (the sweep).
var System = Actor{TokenID: "system", Name: "datalek", Role: "system"}

// Sweep raises every alert due now: for each, an event on the breach and a
// mail in the outbox, written together, so that across crashes and restarts
// no alert is raised twice and none is lost. It returns how many breaches had
// an alert due.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	n, err := s.Breaches.UpdateDue(ctx, now, func(b *Breach) error {
		for _, alert := range b.alertsDue(now, s.Schedule) {
			b.record(now, System, ActionAlertRaised, alertSummary(alert), nil)
			for _, aud := range b.alertAudiences(alert) {
				id := b.noticeID(NoticeAlert, "."+string(alert.Kind))
				if aud == AudienceMailbox && alert.remindsReporter() {
					id += ".mailbox" // the mailbox's copy of the reporter's reminder
				}
				notice := Notice{ID: id, Kind: NoticeAlert, At: now, Alert: &alert}
				if i := slices.IndexFunc(b.Questions, func(q Question) bool { return q.ID == alert.QuestionID }); i >= 0 {
					notice.Question = &b.Questions[i]
				}
				b.queue(aud, s.MailTo, notice)
			}
		}
		return nil
	})
	if n > 0 {
		s.mailQueued()
	}
	return n, err
}

// alertSummary is the message of an alert.raised entry of the trail: it
// starts with the alert's kind, which alertClockOf reads back.
func alertSummary(a Alert) string {
	s := fmt.Sprintf("%s: termijn %s verloopt op %s", a.Kind, a.Clock, a.DueAt.Format(time.RFC3339))
	if a.Collapsed > 0 {
		s += fmt.Sprintf(" (vervangt %d eerdere, tijdens een onderbreking gemiste waarschuwingen)", a.Collapsed)
	}
	return s
}

// alertClockOf is the clock an alert.raised entry is about, read from the
// kind its message starts with, as every trail has it; an entry whose kind
// it cannot read counts as the 72 hours', so that a supplier sees the least.
// A question's clock is named without its question.
func alertClockOf(e Event) Clock {
	kind, _, _ := strings.Cut(e.Message, ":")
	switch AlertKind(kind) {
	case AlertProcessorReminder, AlertProcessorOverdue:
		return ClockProcessor
	case AlertQuestionReminder, AlertQuestionOverdue:
		return questionClock("")
	case AlertSubjectsOverdue:
		return ClockSubjects
	}
	return ClockAuthority
}

// Reschedule brings every running clock's next alert in line with the
// current schedule, for a start-up after the schedule was changed.
func (s *Service) Reschedule(ctx context.Context) (int, error) {
	return s.Breaches.UpdateRunning(ctx, func(b *Breach) error {
		b.Reschedule(s.Schedule)
		return nil
	})
}

// Digest puts the daily overview of every open breach, nearest deadline
// first, in the outbox, once per day (Europe/Amsterdam). It returns false when
// today's was sent already, or when no breach was ever filed.
//
// Before the first breach there is nothing to give an overview of: a fresh
// install mails no digest, not even at its first start. From the first
// breach on, the digest comes every working day, also when nothing is open:
// "no open breaches" is itself what the privacy adviser wants to read, and a
// digest that stops coming is how the adviser notices that the service or
// its mail stopped.
func (s *Service) Digest(ctx context.Context) (bool, error) {
	now := s.now()
	if filed, err := s.Breaches.ListBreaches(ctx, StaffScope(), BreachFilter{Limit: 1}); err != nil || len(filed.Breaches) == 0 {
		return false, err
	}
	open, err := s.Breaches.OpenBreaches(ctx, StaffScope()) // not the whole history
	if err != nil {
		return false, err
	}
	sortByDeadline(SideController, open)
	day := now.In(Amsterdam).Format(time.DateOnly)
	n := Notice{ID: "digest." + day, Kind: NoticeDigest, Audience: AudienceMailbox, To: s.MailTo, At: now, Breaches: open}
	for _, b := range open { // each trail's head, anchored, so that a copy exists outside the service (audit.go)
		if len(s.AuditKey) > 0 {
			n.Heads = append(n.Heads, Head(s.AuditKey, b))
		}
	}
	queued, err := s.Outbox.EnqueueNotice(ctx, n, "digest/"+day)
	if queued {
		s.mailQueued()
	}
	return queued, err
}
