package breach

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Who may do what to a breach in which status: the workflow checks that
// every triage and decision use case runs through.

// ActionStatusChanged is the trail entry of a move in the workflow.
const ActionStatusChanged Action = "breach.status_changed"

// NoticeStatus is the mail saying that triage started.
const NoticeStatus NoticeKind = "status"

// action describes who may do what, in which statuses, for the workflow
// checks and their messages.
type action struct {
	name     string // in Dutch, for messages
	roles    []Role
	statuses []Status
}

var (
	actTriage     = action{"de behandeling starten", []Role{RoleAdviser}, []Status{StatusNew}}
	actAssess     = action{"een beoordeling vastleggen", []Role{RoleAdviser}, []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided}}
	actAsk        = action{"een vraag stellen", []Role{RoleAdviser}, []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided}}
	actAnswer     = action{"een vraag beantwoorden", []Role{RoleSupplier}, []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided}}
	actDecide     = action{"een besluit vastleggen", []Role{RoleController}, []Status{StatusAssessed, StatusDecided}}
	actNotify     = action{"een melding aan de Autoriteit Persoonsgegevens vastleggen", []Role{RoleController}, []Status{StatusDecided, StatusClosed}}
	actCloseDone  = action{"afsluiten als afgehandeld", []Role{RoleAdviser, RoleController}, []Status{StatusDecided}}
	actCloseNone  = action{"afsluiten als geen datalek", []Role{RoleAdviser, RoleController}, []Status{StatusNew, StatusTriage, StatusAssessed}}
	actControlers = action{"andere verwerkingsverantwoordelijken vastleggen", []Role{RoleAdviser}, []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided}}
)

// allowed returns ECONFLICT naming the current status unless the action may
// be taken in it.
func (act action) allowed(b *Breach) error {
	if slices.Contains(act.statuses, b.Status) {
		return nil
	}
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("Datalek %s heeft status %q: %s kan alleen bij status %s.",
		b.Reference, b.Status, act.name, joinCodes(act.statuses))}
}

// recordAdded records that something was added to the breach (an
// assessment, a question, a decision…), with its whole content as the
// change, so that the trail alone tells what was recorded.
func (b *Breach) recordAdded(now time.Time, a Actor, action Action, message, field string, added any) {
	data, _ := json.Marshal(added)
	b.record(now, a, action, message, []Change{{Field: field, Old: json.RawMessage("null"), New: data}})
}

// setStatus moves the breach and records the move.
func (b *Breach) setStatus(now time.Time, a Actor, to Status) {
	if b.Status == to {
		return
	}
	old, _ := json.Marshal(b.Status)
	next, _ := json.Marshal(to)
	b.Status = to
	b.record(now, a, ActionStatusChanged, "", []Change{{Field: "status", Old: old, New: next}})
}

// triage runs one workflow action on a breach: role and status checks, then
// fn, then the alerts are rescheduled (through update).
func (s *Service) triage(ctx context.Context, a Actor, id string, act action, fn func(b *Breach, now time.Time) error) (*Breach, error) {
	if err := requireRole(a, act.roles...); err != nil {
		return nil, err
	}
	now := s.now()
	return s.update(ctx, a, id, func(b *Breach) error {
		if err := act.allowed(b); err != nil {
			return err
		}
		return fn(b, now)
	})
}

// mailbox queues a notice to the privacy mailbox in the breach's thread.
func (s *Service) mailbox(b *Breach, kind NoticeKind, now time.Time, a Actor, fill func(*Notice)) {
	n := Notice{ID: b.noticeID(kind, ""), Kind: kind, At: now, Actor: &a}
	if fill != nil {
		fill(&n)
	}
	b.queue(AudienceMailbox, s.MailTo, n)
}

// StartTriage takes a new breach into handling. Errors: EFORBIDDEN,
// ENOTFOUND, ECONFLICT.
func (s *Service) StartTriage(ctx context.Context, a Actor, id string) (*Breach, error) {
	return s.triage(ctx, a, id, actTriage, func(b *Breach, now time.Time) error {
		b.setStatus(now, a, StatusTriage)
		s.mailbox(b, NoticeStatus, now, a, nil)
		return nil
	})
}
