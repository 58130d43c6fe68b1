package store

import "datalek/breach"

// CreateBreachWithTrail writes a new breach with the events and notices
// given, through the write path of CreateBreach. It is for the layout test,
// which needs a breach whose every field, ID and audit trail included, it
// chooses itself: the domain draws a breach's ID at random and records its
// events itself.
func (db *DB) CreateBreachWithTrail(b *breach.Breach, events []breach.Event, notices []breach.Notice, idem *breach.Idempotency) (*breach.Breach, error) {
	stored, _, err := db.createBreach(b, events, notices, idem)
	return stored, err
}
