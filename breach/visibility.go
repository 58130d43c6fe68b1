package breach

import "slices"

// What a supplier sees of its own breaches: the report, its clocks, its
// questions and the status; not the controller's deliberation (assessments,
// decisions, the notification to the AP), which is the controller's alone.

// supplierHiddenActions are the trail entries of that deliberation.
var supplierHiddenActions = []string{ActionAssessed, ActionDecided, ActionAuthorityNotification}

// visibleTo returns the breach as the actor may see it: whole for staff, a
// copy without the controller's deliberation for a supplier.
func visibleTo(a Actor, b *Breach) *Breach {
	if a.Role != RoleSupplier || b == nil {
		return b
	}
	c := *b
	c.Assessments, c.Decisions, c.AuthorityNotifications = nil, nil, nil
	return &c
}

// eventsVisibleTo returns the trail as the actor may see it.
func eventsVisibleTo(a Actor, events []Event) []Event {
	if a.Role != RoleSupplier {
		return events
	}
	return slices.DeleteFunc(events, func(e Event) bool { return slices.Contains(supplierHiddenActions, e.Action) })
}
