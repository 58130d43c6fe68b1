package breach

import "slices"

// What a supplier sees of its own breaches: the report, its own 24-hour
// clock, its questions and the status; not the controller's deliberation
// (assessments, decisions, the notification to the AP and its 72-hour
// clock, the reasons for closing), which is the controller's alone.

// supplierHiddenActions are the trail entries of that deliberation.
var supplierHiddenActions = []string{ActionAssessed, ActionDecided, ActionAuthorityNotification, ActionClosed, ActionAwarenessMoved}

// visibleTo returns the breach as the actor may see it: whole for staff, a
// copy without the controller's deliberation for a supplier.
func visibleTo(a Actor, b *Breach) *Breach {
	if a.Role != RoleSupplier || b == nil {
		return b
	}
	c := *b
	c.Assessments, c.Decisions, c.AuthorityNotifications, c.Closure = nil, nil, nil, nil
	c.Alerting = Alerting{}
	c.Version, c.TrailHash = 0, "" // would count the entries hidden from the trail
	return &c
}

// eventsVisibleTo returns the trail as the actor may see it.
func eventsVisibleTo(a Actor, events []Event) []Event {
	if a.Role != RoleSupplier {
		return events
	}
	visible := slices.DeleteFunc(events, func(e Event) bool { return slices.Contains(supplierHiddenActions, e.Action) })
	for i := range visible { // numbers and hashes would show where entries were left out
		visible[i].Seq, visible[i].PrevHash, visible[i].Hash = 0, "", ""
	}
	return visible
}

// SeesAuthorityClock reports whether the actor may see the 72-hour clock.
func (a Actor) SeesAuthorityClock() bool { return a.Role != RoleSupplier }
