package store

// This file holds the writes of the deadline sweep: reading what is due from
// the alert index and writing each due breach in bounded transactions.

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// maxPerCommit bounds how many breaches one sweep transaction changes, so
// that a long catch-up does not build one huge transaction.
const maxPerCommit = 500

// updateAll applies fn to each breach in ids and writes it, maxPerCommit per
// transaction. It returns how many it wrote.
func (db *DB) updateAll(ctx context.Context, ids []string, fn func(*breach.Breach) error) (int, error) {
	done := 0
	for len(ids) > 0 {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		chunk := ids[:min(len(ids), maxPerCommit)]
		err := db.Commit(func(tx *bolt.Tx) error {
			for _, id := range chunk {
				if _, err := updateInTx(tx, breach.StaffScope(), id, fn, true); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done, ids = done+len(chunk), ids[len(chunk):]
	}
	return done, nil
}

// indexIDs reads the breach IDs of an index whose keys are
// <8 bytes><id>/<clock>, each once, up to the first 8 bytes until (all when
// until is nil), at most max of them.
func (db *DB) indexIDs(bucket, until []byte, max int) ([]string, error) {
	var ids []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		seen := map[string]bool{}
		c := tx.Bucket(bucket).Cursor()
		for k, _ := c.First(); k != nil && len(ids) < max; k, _ = c.Next() {
			if until != nil && bytes.Compare(k[:8], until) > 0 {
				break
			}
			id, _, ok := bytes.Cut(k[8:], []byte("/"))
			if !ok {
				return fmt.Errorf("%s: malformed key %x", bucket, k)
			}
			if !seen[string(id)] {
				seen[string(id)] = true
				ids = append(ids, string(id))
			}
		}
		return nil
	})
	return ids, err
}

// UpdateDue implements breach.BreachStore: it reads the alert index from its start
// up to now only, so a sweep costs what is due, not what is stored. Each due
// breach is written, so its alert entry moves past now.
func (db *DB) UpdateDue(ctx context.Context, now time.Time, fn func(*breach.Breach) error) (int, error) {
	total := 0
	seen := map[string]bool{}
	for {
		ids, err := db.indexIDs(bucketAlerts, timeKey(now), maxPerCommit)
		if err != nil || len(ids) == 0 {
			return total, err
		}
		for _, id := range ids {
			if seen[id] { // an entry that did not move would make the sweep spin
				return total, fmt.Errorf("sweep: breach %s is still due after its alert", id)
			}
			seen[id] = true
		}
		n, err := db.updateAll(ctx, ids, fn)
		total += n
		if err != nil {
			return total, err
		}
	}
}

// UpdateRunning implements breach.BreachStore: every breach with a clock that
// alerts (the alert index, questions included) is written, whether fn changed
// it or not.
func (db *DB) UpdateRunning(ctx context.Context, fn func(*breach.Breach) error) (int, error) {
	ids, err := db.indexIDs(bucketAlerts, nil, math.MaxInt)
	if err != nil {
		return 0, err
	}
	return db.updateAll(ctx, ids, fn)
}
