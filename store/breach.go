package store

// This file holds the breach record and what is written with it in the same
// transaction: its audit events, its index entries, its outbox notices, its
// reference and its idempotency key.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// notFound is the error of a breach that does not exist, or that the scope
// may not see: the two must be indistinguishable to a supplier.
func notFound(id string) error {
	return breach.Errorf(breach.ENOTFOUND, "Datalek %q bestaat niet.", id)
}

// getBreach reads a breach the scope may see. Every read of a breach goes
// through it, so that tenancy is checked in one place.
func getBreach(tx *bolt.Tx, scope breach.Scope, id string) (*breach.Breach, error) {
	data := tx.Bucket(bucketBreaches).Get([]byte(id))
	if data == nil {
		return nil, notFound(id)
	}
	return decodeBreach(scope, id, data)
}

// decodeBreach decodes a stored breach, if the scope may see it. It touches
// no transaction, so that records can be decoded on several cores.
func decodeBreach(scope breach.Scope, id string, data []byte) (*breach.Breach, error) {
	var b breach.Breach
	if err := getJSON(data, &b); err != nil {
		return nil, fmt.Errorf("breach %s: decode: %w", id, err)
	}
	if !scope.Allows(b.Organisation) {
		return nil, notFound(id) // exactly as if it did not exist
	}
	return &b, nil
}

// encodedEvent is an audit event ready to be put.
type encodedEvent struct{ key, value []byte }

// encodeEvents encodes events before a transaction where it can, so that the
// single writer spends its time writing, not encoding.
func encodeEvents(events []breach.Event) ([]encodedEvent, error) {
	out := make([]encodedEvent, len(events))
	for i, e := range events {
		data, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		out[i] = encodedEvent{eventKey(e.BreachID, e.Seq), pack(data)}
	}
	return out, nil
}

// indexed is what a breach's index entries that can move were before a
// change: its running clocks, its next alerts, and whether it was open.
type indexed struct {
	deadlines, alerts []breach.RunningDeadline
	open              bool
}

// indexedOf takes what a breach is indexed by, before a change moves it.
func indexedOf(b *breach.Breach) indexed {
	return indexed{deadlines: b.RunningDeadlines(), alerts: b.NextAlerts(), open: isOpen(b)}
}

// moveEntries replaces a breach's entries old by current in an index.
func moveEntries(bkt *bolt.Bucket, id string, old, current []breach.RunningDeadline) error {
	for _, d := range old {
		if err := bkt.Delete(deadlineKey(id, d)); err != nil {
			return err
		}
	}
	for _, d := range current {
		if err := bkt.Put(deadlineKey(id, d), nil); err != nil {
			return err
		}
	}
	return nil
}

// encodedBreach is a breach and the mails of its change, encoded (and
// compressed) for storing: before the transaction where it can, so that the
// single writer spends its time writing, not encoding.
type encodedBreach struct {
	data, record []byte // its JSON, and as stored
	mails        []preparedMail
}

// encodeBreach encodes b and the deliveries of its notices, which share one
// snapshot of b, the very bytes of its record.
func encodeBreach(b *breach.Breach, notices []breach.Notice) (encodedBreach, error) {
	data, err := json.Marshal(b)
	if err != nil {
		return encodedBreach{}, err
	}
	enc := encodedBreach{data: data, record: pack(data)}
	snapshot := &snapshotRef{BreachID: b.ID, Version: b.Version}
	for _, n := range notices {
		mails, err := prepareMails(n, snapshot)
		if err != nil {
			return enc, err
		}
		enc.mails = append(enc.mails, mails...)
	}
	return enc, nil
}

// writeBreach stores b as encoded (enc), its new events and its mails, and
// moves its deadline, alert and open entries from what they were (old) to
// what they are. Events and notices are taken from the breach by the caller,
// once: a commit that runs again must write them again.
func writeBreach(tx *bolt.Tx, b *breach.Breach, enc encodedBreach, events []encodedEvent, old indexed) error {
	if err := tx.Bucket(bucketBreaches).Put([]byte(b.ID), enc.record); err != nil {
		return err
	}
	evs := tx.Bucket(bucketEvents)
	for _, e := range events {
		if err := evs.Put(e.key, e.value); err != nil {
			return err
		}
	}
	if len(enc.mails) > 0 {
		if err := putSnapshot(tx, b, enc.data, enc.record); err != nil {
			return err
		}
		if err := putMails(tx, enc.mails); err != nil {
			return err
		}
	}
	if err := moveEntries(tx.Bucket(bucketByDeadline), b.ID, old.deadlines, b.RunningDeadlines()); err != nil {
		return err
	}
	orgDeadlines, err := tx.Bucket(bucketOrgDeadline).CreateBucketIfNotExists([]byte(b.Organisation))
	if err != nil {
		return err
	}
	if err := moveEntries(orgDeadlines, b.ID, old.deadlines, b.RunningDeadlines()); err != nil {
		return err
	}
	if err := moveEntries(tx.Bucket(bucketAlerts), b.ID, old.alerts, b.NextAlerts()); err != nil {
		return err
	}
	return markOpen(tx.Bucket(bucketOpen), b, old.open)
}

// CreateBreach implements breach.BreachStore.
func (db *DB) CreateBreach(ctx context.Context, b *breach.Breach, idem *breach.Idempotency) (*breach.Breach, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if idem != nil { // a retry is answered from a read, without holding up the writer
		var prev *breach.Breach
		if err := db.bolt.View(func(tx *bolt.Tx) (err error) {
			prev, err = findIdempotent(tx, idem)
			return err
		}); err != nil || prev != nil {
			return prev, prev != nil, err
		}
	}
	return db.createBreach(b, b.PendingEvents(), b.PendingNotices(), idem)
}

// createBreach writes a new breach with its events and notices, its reference
// and its index entries, and its idempotency key unless a retry raced it.
func (db *DB) createBreach(b *breach.Breach, pending []breach.Event, notices []breach.Notice, idem *breach.Idempotency) (*breach.Breach, bool, error) {
	events, err := encodeEvents(pending)
	if err != nil {
		return nil, false, err
	}
	year := b.ReceivedAt.In(breach.Amsterdam).Year()
	drawn := db.drawReference(year) // nearly always free: the transaction checks, and draws again if not
	b.Reference = drawn
	enc, err := encodeBreach(b, notices)
	if err != nil {
		return nil, false, err
	}
	var (
		stored   *breach.Breach
		replayed bool
	)
	// Commit may run fn more than once; it only ever sets its results.
	err = db.Commit(func(tx *bolt.Tx) error {
		stored, replayed = nil, false
		if idem != nil { // again, for a retry that raced the first request
			prev, err := findIdempotent(tx, idem)
			if err != nil || prev != nil {
				stored, replayed = prev, prev != nil
				return err
			}
		}
		ref, err := newReference(tx, drawn, db.drawReference, year, b.ID)
		if err != nil {
			return err
		}
		b.Reference = ref
		enc := enc
		if ref != drawn { // taken: the record carries another one
			if enc, err = encodeBreach(b, notices); err != nil {
				return err
			}
		}
		if err := writeBreach(tx, b, enc, events, indexed{}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketByReceived).Put(receivedKey(b), nil); err != nil {
			return err
		}
		orgs, err := tx.Bucket(bucketByOrg).CreateBucketIfNotExists([]byte(b.Organisation))
		if err != nil {
			return err
		}
		if err := orgs.Put(receivedKey(b), nil); err != nil {
			return err
		}
		if idem != nil {
			if err := putJSON(tx.Bucket(bucketIdempotency), idempotencyKey(idem), idem); err != nil {
				return err
			}
		}
		stored = b
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return stored, replayed, nil
}

// idempotencyKey is the key of an Idempotency-Key in its scope (the
// supplier's organisation), so suppliers cannot collide.
func idempotencyKey(idem *breach.Idempotency) []byte { return []byte(idem.Scope + "\x00" + idem.Key) }

// findIdempotent returns the breach filed earlier under the same key, nil if
// the key is new, or ECONFLICT if the key was used for another request.
func findIdempotent(tx *bolt.Tx, idem *breach.Idempotency) (*breach.Breach, error) {
	data := tx.Bucket(bucketIdempotency).Get(idempotencyKey(idem))
	if data == nil {
		return nil, nil
	}
	var prev breach.Idempotency
	if err := getJSON(data, &prev); err != nil {
		return nil, err
	}
	if prev.Fingerprint != idem.Fingerprint {
		return nil, breach.Errorf(breach.ECONFLICT, "Deze Idempotency-Key is al gebruikt voor een andere melding.")
	}
	return getBreach(tx, breach.StaffScope(), prev.BreachID)
}

// maxReferenceDraws bounds the draws for a free reference. With millions of
// references per year a draw is taken only when the store already holds a
// sizeable share of them; a hundred taken ones in a row mean something is
// wrong with the drawing.
const maxReferenceDraws = 100

// newReference records a reference for breach id, received in year, that
// no other breach has: ref, drawn before, or else one drawn anew (draw is
// breach.NewReference). It runs in the filing's transaction, so a
// reference is never given twice, not even across a crash, and the counted
// references of before layout 4 are in the index too.
func newReference(tx *bolt.Tx, ref string, draw func(year int) string, year int, id string) (string, error) {
	refs := tx.Bucket(bucketReferences)
	for i := 1; ; i++ {
		if refs.Get([]byte(ref)) == nil {
			return ref, refs.Put([]byte(ref), []byte(id))
		}
		if i == maxReferenceDraws {
			break
		}
		ref = draw(year)
	}
	return "", fmt.Errorf("references %d: no free one in %d draws", year, maxReferenceDraws)
}

// FindBreach implements breach.BreachStore.
func (db *DB) FindBreach(ctx context.Context, scope breach.Scope, id string) (*breach.Breach, error) {
	var b *breach.Breach
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		b, err = getBreach(tx, scope, id)
		return err
	})
	return b, err
}

// UpdateBreach implements breach.BreachStore.
func (db *DB) UpdateBreach(ctx context.Context, scope breach.Scope, id string, fn func(*breach.Breach) error) (*breach.Breach, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A change that fails on the current state (not found, invalid, in
	// conflict) is refused from a read, so that it never rolls back the
	// group commit it would have shared with other writers.
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := getBreach(tx, scope, id)
		if err != nil {
			return err
		}
		return fn(b) // on a copy that is thrown away
	}); err != nil {
		return nil, err
	}
	var result *breach.Breach
	err := db.Commit(func(tx *bolt.Tx) (err error) {
		result, err = updateInTx(tx, scope, id, fn, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// updateInTx loads a breach, applies fn and writes what changed. Without
// always, a breach on which fn recorded no event is not written.
func updateInTx(tx *bolt.Tx, scope breach.Scope, id string, fn func(*breach.Breach) error, always bool) (*breach.Breach, error) {
	b, err := getBreach(tx, scope, id)
	if err != nil {
		return nil, err
	}
	old := indexedOf(b)
	if err := fn(b); err != nil {
		return nil, err
	}
	events, err := encodeEvents(b.PendingEvents())
	if err != nil || (len(events) == 0 && !always) {
		return b, err
	}
	enc, err := encodeBreach(b, b.PendingNotices())
	if err != nil {
		return nil, err
	}
	return b, writeBreach(tx, b, enc, events, old)
}

// ListEvents implements breach.BreachStore.
func (db *DB) ListEvents(ctx context.Context, scope breach.Scope, id string) ([]breach.Event, error) {
	var events []breach.Event
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if _, err := getBreach(tx, scope, id); err != nil {
			return err
		}
		var err error
		events, err = readEvents(tx, id)
		return err
	})
	return events, err
}

// readEvents reads a breach's whole audit trail in order; it does not check
// the scope, its callers have.
func readEvents(tx *bolt.Tx, id string) ([]breach.Event, error) {
	events := []breach.Event{}
	prefix := []byte(id + "/")
	c := tx.Bucket(bucketEvents).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e breach.Event
		if err := getJSON(v, &e); err != nil {
			return nil, fmt.Errorf("breach %s: event %x: %w", id, k[len(prefix):], err)
		}
		events = append(events, e)
	}
	return events, nil
}
