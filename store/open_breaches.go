package store

// This file holds the index of open breaches: what the overview and the
// daily digest read, so that their cost grows with what is open, never with
// the closed history.

import (
	"context"
	"fmt"
	"runtime"
	"sync"

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
// The records are decoded on every core: decoding, not reading, is what an
// overview of hundreds of open breaches waits for.
func (db *DB) OpenBreaches(ctx context.Context, scope breach.Scope) ([]*breach.Breach, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	open := []*breach.Breach{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		records := tx.Bucket(bucketBreaches)
		var ids []string
		var data [][]byte // valid while the transaction is open
		err := tx.Bucket(bucketOpen).ForEach(func(k, _ []byte) error {
			v := records.Get(k)
			if v == nil { // a damaged index, not a breach of another organisation
				return fmt.Errorf("%s: entry %s has no breach", bucketOpen, k)
			}
			ids, data = append(ids, string(k)), append(data, v)
			return nil
		})
		if err != nil {
			return err
		}
		decoded, errs := make([]*breach.Breach, len(ids)), make([]error, len(ids))
		workers := min(runtime.GOMAXPROCS(0), len(ids))
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(ids); i += workers {
					decoded[i], errs[i] = decodeBreach(scope, ids[i], data[i])
				}
			})
		}
		wg.Wait()
		for i, b := range decoded {
			switch {
			case breach.ErrorCode(errs[i]) == breach.ENOTFOUND:
				continue // another organisation's
			case errs[i] != nil:
				return errs[i]
			}
			open = append(open, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return open, nil
}
