package store

// This file holds the breach snapshots the outbox refers to: the breach
// record as a change left it, stored once for every mail that change caused.

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// snapshotRef is how a mail names the snapshot of the breach it is about: a
// mail shows the breach as the change that caused it left it, not as it is
// when the mail is sent. The breach's version identifies the change.
type snapshotRef struct {
	BreachID string `json:"breach_id"`
	Version  int    `json:"version"`
}

func (r snapshotRef) key() []byte { return snapshotKey(r.BreachID, r.Version) }

func (r snapshotRef) String() string { return fmt.Sprintf("%s version %d", r.BreachID, r.Version) }

// putSnapshot stores record, breach b as just stored in breaches/ (data, its
// JSON), as the snapshot of the change that brought b to its version, which
// its mails name. A version is a change, and every change adds an event, so
// a second snapshot under the same version with other content is a defect;
// it is refused rather than rewrite what sent mail showed.
func putSnapshot(tx *bolt.Tx, b *breach.Breach, data, record []byte) error {
	ref := snapshotRef{BreachID: b.ID, Version: b.Version}
	snapshots := tx.Bucket(bucketSnapshots)
	if stored := snapshots.Get(ref.key()); stored != nil {
		old, err := unpack(stored)
		if err != nil {
			return fmt.Errorf("snapshot of breach %s: %w", ref, err)
		}
		if bytes.Equal(old, data) {
			return nil
		}
		return fmt.Errorf("snapshot of breach %s: stored already with other content", ref)
	}
	return snapshots.Put(ref.key(), record)
}

// getSnapshot reads the breach a mail refers to.
func getSnapshot(tx *bolt.Tx, ref snapshotRef) (*breach.Breach, error) {
	data := tx.Bucket(bucketSnapshots).Get(ref.key())
	if data == nil {
		return nil, fmt.Errorf("snapshot of breach %s: missing", ref)
	}
	var b breach.Breach
	if err := getJSON(data, &b); err != nil {
		return nil, fmt.Errorf("snapshot of breach %s: %w", ref, err)
	}
	return &b, nil
}

// hold counts n more (n < 0: fewer) mails that need a snapshot: those
// pending, which are yet to be composed, and the dead ones, which an
// operator may resend and whose bounce shows it. When the last lets go (it
// was sent), the snapshot is deleted with its count; a sent mail keeps its
// reference, as the log of what it showed, not the breach.
func hold(tx *bolt.Tx, ref snapshotRef, n int) error {
	holds := tx.Bucket(bucketHolds)
	var count uint64
	if v := holds.Get(ref.key()); v != nil {
		count = binary.BigEndian.Uint64(v)
	}
	switch next := int64(count) + int64(n); {
	case next < 0:
		return fmt.Errorf("snapshot of breach %s: held by %d mails, %d let go", ref, count, -n)
	case next == 0:
		if err := holds.Delete(ref.key()); err != nil {
			return err
		}
		return tx.Bucket(bucketSnapshots).Delete(ref.key())
	default:
		return holds.Put(ref.key(), u64(uint64(next)))
	}
}
