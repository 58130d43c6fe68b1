package breach

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Actions of the clocks.
const (
	ActionAwarenessMoved = "breach.awareness_moved" // the start of the 72 hours was corrected
	ActionAlertRaised    = "alert.raised"           // a reminder or overdue alert was queued
)

// System is the actor of what the service does by itself (the sweep).
var System = Actor{TokenID: "system", Name: "datalek", Role: "system"}

// AwarenessRequest moves the start of the 72-hour clock.
type AwarenessRequest struct {
	AwareAt time.Time `json:"aware_at"`
	Reason  string    `json:"reason"`
}

// MoveAwareness records that the controller became aware at another moment
// than the first report (a phone call, say), which moves the 72-hour
// deadline. The reason is mandatory and goes into the audit trail. The clock
// can only start earlier than the first report, never later: the report
// itself makes the controller aware. Errors: EFORBIDDEN, ENOTFOUND, EINVALID,
// ECONFLICT (closed).
func (s *Service) MoveAwareness(ctx context.Context, a Actor, id string, req AwarenessRequest) (*Breach, error) {
	if err := requireRole(a, RoleAdviser); err != nil {
		return nil, err
	}
	now := s.now()
	req.Reason = strings.TrimSpace(req.Reason)
	return s.update(ctx, a, id, func(b *Breach) error {
		if b.Status == StatusClosed {
			return Errorf(ECONFLICT, "Datalek %s heeft status %q en kan niet meer worden gewijzigd.", b.Reference, b.Status)
		}
		if n := b.InitialNotification(); n != nil {
			return Errorf(ECONFLICT, "Datalek %s heeft status %q en is op %s gemeld bij de Autoriteit Persoonsgegevens: de 72-uurstermijn waaraan die melding is getoetst, kan niet meer worden verplaatst.",
				b.Reference, b.Status, n.SubmittedAt.Format(time.RFC3339))
		}
		var p Problems
		switch {
		case req.AwareAt.IsZero():
			p.Add("aware_at", "is verplicht")
		case req.AwareAt.Year() < earliestDetect:
			p.Add("aware_at", "ligt voor %d", earliestDetect)
		case req.AwareAt.After(b.ReceivedAt):
			p.Add("aware_at", "ligt na de eerste melding (%s): de melding zelf maakt de verwerkingsverantwoordelijke al bewust",
				b.ReceivedAt.Format(time.RFC3339))
		}
		text(&p, "reason", req.Reason, maxText, true)
		if err := p.Err("Het bewustzijnsmoment kan zo niet worden verplaatst."); err != nil {
			return err
		}
		awareAt := req.AwareAt.UTC()
		if awareAt.Equal(b.AwareAt) {
			return nil
		}
		old, _ := json.Marshal(b.AwareAt)
		moved, _ := json.Marshal(awareAt)
		b.AwareAt = awareAt
		b.record(now, a, ActionAwarenessMoved, req.Reason, []Change{{Field: "aware_at", Old: old, New: moved}})
		b.RestartAlerts(ClockAuthority, now, s.Schedule)
		b.queue(Notice{ID: b.noticeID(NoticeAwareness, ""), Kind: NoticeAwareness, To: s.MailTo,
			ThreadID: b.mailboxThread(), At: now, Actor: &a, Reason: req.Reason})
		return nil
	})
}

// Sweep raises every alert due now: for each, an event on the breach and a
// mail in the outbox, written together, so that across crashes and restarts
// no alert is raised twice and none is lost. It returns how many breaches had
// an alert due.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	n, err := s.Store.UpdateDue(ctx, now, func(b *Breach) error {
		for _, alert := range b.alertsDue(now, s.Schedule) {
			b.record(now, System, ActionAlertRaised, alertSummary(alert), nil)
			notice := Notice{ID: b.noticeID(NoticeAlert, "."+string(alert.Kind)), Kind: NoticeAlert, To: s.MailTo,
				ThreadID: b.mailboxThread(), At: now, Alert: &alert}
			toReporter := alert.Kind == AlertProcessorReminder || alert.Kind == AlertQuestionReminder
			if toReporter && b.Reporter.Email != "" {
				notice.To, notice.ThreadID = []string{b.Reporter.Email}, b.reporterThread()
			}
			if i := slices.IndexFunc(b.Questions, func(q Question) bool { return q.ID == alert.QuestionID }); i >= 0 {
				notice.Question = &b.Questions[i]
			}
			b.queue(notice)
		}
		return nil
	})
	if n > 0 {
		s.mailQueued()
	}
	return n, err
}

func alertSummary(a Alert) string {
	s := fmt.Sprintf("%s: termijn %s verloopt op %s", a.Kind, a.Clock, a.DueAt.Format(time.RFC3339))
	if a.Collapsed > 0 {
		s += fmt.Sprintf(" (vervangt %d eerdere, tijdens een onderbreking gemiste waarschuwingen)", a.Collapsed)
	}
	return s
}

// Reschedule brings every running clock's next alert in line with the
// current schedule, for a start-up after the schedule was changed.
func (s *Service) Reschedule(ctx context.Context) (int, error) {
	return s.Store.UpdateRunning(ctx, func(b *Breach) error {
		b.Reschedule(s.Schedule)
		return nil
	})
}

// Digest puts the daily overview of every open breach, nearest deadline
// first, in the outbox, once per day (Europe/Amsterdam). It returns false when
// today's was sent already.
func (s *Service) Digest(ctx context.Context) (bool, error) {
	now := s.now()
	var open []*Breach
	f := BreachFilter{Sort: SortDeadline, Limit: MaxPageSize}
	for {
		page, err := s.Store.ListBreaches(ctx, StaffScope(), f)
		if err != nil {
			return false, err
		}
		for _, b := range page.Breaches {
			if b.Status != StatusClosed {
				open = append(open, b)
			}
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	day := now.In(Amsterdam).Format(time.DateOnly)
	n := Notice{ID: "digest." + day, Kind: NoticeDigest, To: s.MailTo, At: now, Breaches: open}
	queued, err := s.Store.EnqueueNotice(ctx, n, "digest/"+day)
	if queued {
		s.mailQueued()
	}
	return queued, err
}
