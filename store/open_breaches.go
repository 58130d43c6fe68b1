package store

// This file holds the index of open breaches: what the overview and the
// daily digest read, so that their cost grows with what is open, never with
// the closed history.

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// isOpen reports whether b belongs in open_breaches: every breach not closed.
func isOpen(b *breach.Breach) bool { return b.Status != breach.StatusClosed }

// markOpen keeps b's entry in open_breaches in step with its status, given
// whether it was open before the change: added when it opens (a new breach,
// or a closed one reopened), removed when it closes. An unchanged status
// writes nothing, so most changes do not touch the index's pages.
func markOpen(bkt *bolt.Bucket, b *breach.Breach, wasOpen bool) error {
	switch open := isOpen(b); {
	case open && !wasOpen:
		return bkt.Put([]byte(b.ID), nil)
	case !open && wasOpen:
		return bkt.Delete([]byte(b.ID))
	}
	return nil
}

// OpenBreaches implements breach.BreachStore. It reads open_breaches, so it
// costs what is open; a supplier's scope still reads every open breach's
// record (the index is not split by organisation) and skips the others'.
func (db *DB) OpenBreaches(ctx context.Context, scope breach.Scope) ([]*breach.Breach, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	open := []*breach.Breach{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		records := tx.Bucket(bucketBreaches)
		return tx.Bucket(bucketOpen).ForEach(func(k, _ []byte) error {
			if records.Get(k) == nil { // a damaged index, not a breach of another organisation
				return fmt.Errorf("%s: entry %s has no breach", bucketOpen, k)
			}
			b, err := getBreach(tx, scope, string(k))
			switch {
			case breach.ErrorCode(err) == breach.ENOTFOUND:
				return nil // another organisation's
			case err != nil:
				return err
			}
			open = append(open, b)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return open, nil
}
