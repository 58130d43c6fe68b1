package store

import "datalek/breach"

// CreateBreachWithTrail writes a new breach with the events and notices
// given, through the write path of CreateBreach. It is for the layout test,
// which needs a breach whose every field, ID and audit trail included, it
// chooses itself: the domain draws a breach's ID at random and records its
// events itself.
// The breach keeps the reference it has.
func (db *DB) CreateBreachWithTrail(b *breach.Breach, events []breach.Event, notices []breach.Notice, idem *breach.Idempotency) (*breach.Breach, error) {
	draw := db.drawReference
	defer func() { db.drawReference = draw }()
	ref := b.Reference
	db.drawReference = func(int) string { return ref }
	stored, _, err := db.createBreach(b, events, notices, idem)
	return stored, err
}

// DrawReferences makes the store draw refs, in turn, as breach references.
func (db *DB) DrawReferences(refs ...string) {
	db.drawReference = func(int) string {
		ref := refs[0]
		refs = refs[1:]
		return ref
	}
}
