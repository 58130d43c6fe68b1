package breach

import (
	"slices"
	"time"
)

// Side is whose side of the processor agreement a reader is on, which decides
// what of a breach they may see. The controller's side (its staff and its
// privacy mailbox) sees everything. The supplier's side (its tokens and its
// reporter) sees the report, its own 24-hour clock, its questions and the
// status; not the controller's deliberation (assessments, decisions, the
// notification to the AP and its 72-hour clock with its start and its
// alerts, the reasons for closing), which is the controller's alone, nor
// anything that would show when the controller recorded it. The zero Side is
// the supplier's, so a reader nobody placed sees the least.
//
// This file is the only place that decides it: adapters ask, never decide.
type Side int

const (
	// SideSupplier is a supplier's token, its reporter's mail, and a mail the
	// privacy mailbox is to pass on to a reporter without e-mail.
	SideSupplier Side = iota
	// SideController is the controller's staff and its privacy mailbox.
	SideController
)

// Side is the side of the actor: staff are the controller's.
func (a Actor) Side() Side {
	if a.Role.Staff() {
		return SideController
	}
	return SideSupplier
}

// Side is the side a scope reads for: a scope limited to one organisation is
// that supplier's.
func (s Scope) Side() Side {
	if s.all {
		return SideController
	}
	return SideSupplier
}

// Side is the side of the mail's audience: the privacy mailbox is the
// controller's; the reporter, a mail the mailbox is to pass on to the
// reporter, or an audience nobody set, the supplier's.
func (n Notice) Side() Side {
	if n.Audience == AudienceMailbox || n.Audience == AudienceContactOfficial {
		return SideController
	}
	return SideSupplier
}

// SeesDeliberation reports whether the side may see the controller's
// deliberation, and so filter or sort by it.
func (s Side) SeesDeliberation() bool { return s == SideController }

// supplierHiddenActions are the trail entries of the controller's deliberation.
var supplierHiddenActions = []Action{ActionAssessed, ActionDecided, ActionAuthorityNotification, ActionSubjectsInformed,
	ActionClosed, ActionAwarenessMoved}

// Visible returns the breach as the side may see it: whole for the
// controller, a copy without the deliberation for a supplier. The supplier's
// copy has no aware_at (the start of the 72 hours) and no updated_at, which
// moves with every entry of the trail, those hidden from the supplier too:
// the time of the last change a supplier may see is not kept apart, so it
// is left out rather than shown wrong.
func (s Side) Visible(b *Breach) *Breach {
	if s == SideController || b == nil {
		return b
	}
	c := *b
	c.Assessments, c.Decisions, c.AuthorityNotifications, c.SubjectCommunications, c.Closure = nil, nil, nil, nil, nil
	c.AwarenessMoves = nil
	c.Alerting = Alerting{}
	c.AwareAt, c.UpdatedAt = time.Time{}, time.Time{}
	c.Version, c.TrailHash = 0, "" // would count the entries hidden from the trail
	return &c
}

// VisibleEvents returns the trail as the side may see it.
func (s Side) VisibleEvents(events []Event) []Event {
	if s == SideController {
		return events
	}
	visible := slices.DeleteFunc(events, func(e Event) bool { return !s.seesEvent(e) })
	for i := range visible { // numbers and hashes would show where entries were left out
		visible[i].Seq, visible[i].PrevHash, visible[i].Hash = 0, "", ""
	}
	return visible
}

// seesEvent reports whether the side may see an entry of the trail: not the
// deliberation, nor an alert of a clock it may not see.
func (s Side) seesEvent(e Event) bool {
	switch {
	case s == SideController:
		return true
	case slices.Contains(supplierHiddenActions, e.Action):
		return false
	case e.Action == ActionAlertRaised:
		return s.SeesClock(alertClockOf(e))
	}
	return true
}

// SeesClock reports whether the side may see a clock: the supplier sees only
// its own clocks, the 24-hour one and its questions', not the controller's
// 72 hours nor any clock added later unless it is named here.
func (s Side) SeesClock(c Clock) bool {
	return s == SideController || c == ClockProcessor || c.question()
}

// SideDeadlines are the deadlines a side may see: the 72-hour one is nil
// for a supplier.
type SideDeadlines struct {
	Informed  Deadline  `json:"informed"`
	Processor Deadline  `json:"processor"`
	Authority *Deadline `json:"authority,omitempty"`
}

// Deadlines returns the deadlines of b at now that the side may see.
func (s Side) Deadlines(b *Breach, now time.Time) SideDeadlines {
	ds := b.DeadlinesAt(now)
	view := SideDeadlines{Informed: ds.Informed, Processor: ds.Processor}
	if s.SeesClock(ClockAuthority) {
		view.Authority = &ds.Authority
	}
	return view
}

// RunningDeadlines returns b's running deadlines the side may see, nearest
// first, for sorting a listing.
func (s Side) RunningDeadlines(b *Breach) []RunningDeadline {
	return slices.DeleteFunc(b.RunningDeadlines(), func(d RunningDeadline) bool { return !s.SeesClock(d.Clock) })
}
