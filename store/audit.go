package store

// This file holds the access log (access_log/, breach/audit.go): who issued
// or revoked a token, changed an account or read a breach's content, each
// entry chained onto the one before; and the check of a store against the
// chain heads the digest mailed.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// RecordAccess appends e to the access log, chained onto the last entry,
// unless within > 0 and an entry of the same actor, kind and subject was
// recorded less than within before e.At. It reads first, so that a read
// already recorded costs no write.
func (db *DB) RecordAccess(ctx context.Context, e breach.AccessEntry, within time.Duration) (bool, error) {
	if within > 0 {
		var seen bool
		if err := db.bolt.View(func(tx *bolt.Tx) (err error) { seen, err = recentAccess(tx, e, within); return err }); err != nil || seen {
			return false, err
		}
	}
	var wrote bool
	err := db.Commit(func(tx *bolt.Tx) error {
		wrote = false
		if within > 0 {
			if seen, err := recentAccess(tx, e, within); err != nil || seen {
				return err
			}
		}
		bkt := tx.Bucket(bucketAccessLog)
		var prev *breach.AccessEntry
		if k, v := bkt.Cursor().Last(); k != nil {
			prev = new(breach.AccessEntry)
			if err := getJSON(v, prev); err != nil {
				return fmt.Errorf("access log entry %x: %w", k, err)
			}
		}
		entry := e
		entry.Chain(prev)
		wrote = true
		return putJSON(bkt, u64(entry.Seq), entry)
	})
	return wrote, err
}

// recentAccess walks the log back from its end while entries are younger
// than within, looking for one like e: at most the entries of one interval.
func recentAccess(tx *bolt.Tx, e breach.AccessEntry, within time.Duration) (bool, error) {
	c := tx.Bucket(bucketAccessLog).Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var old breach.AccessEntry
		if err := getJSON(v, &old); err != nil {
			return false, fmt.Errorf("access log entry %x: %w", k, err)
		}
		if !old.At.After(e.At.Add(-within)) {
			return false, nil
		}
		if old.ActorID == e.ActorID && old.Kind == e.Kind && old.Subject == e.Subject {
			return true, nil
		}
	}
	return false, nil
}

// AccessEntries returns the access log, oldest first.
func (db *DB) AccessEntries(ctx context.Context) ([]breach.AccessEntry, error) {
	var entries []breach.AccessEntry
	err := db.bolt.View(func(tx *bolt.Tx) (err error) { entries, err = readAccessLog(tx); return err })
	return entries, err
}

func readAccessLog(tx *bolt.Tx) ([]breach.AccessEntry, error) {
	var entries []breach.AccessEntry
	bkt := tx.Bucket(bucketAccessLog)
	if bkt == nil { // a store of an older layout, before its migration
		return nil, nil
	}
	err := bkt.ForEach(func(k, v []byte) error {
		var e breach.AccessEntry
		if err := getJSON(v, &e); err != nil {
			return fmt.Errorf("access log entry %x: %w", k, err)
		}
		entries = append(entries, e)
		return nil
	})
	return entries, err
}

// AccessProblems checks the access log's chain and returns a line per
// problem: an entry altered, removed or out of sequence.
func (db *DB) AccessProblems() []string {
	var problems []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		entries, err := readAccessLog(tx)
		if err != nil {
			return err
		}
		for _, p := range breach.VerifyAccessLog(entries) {
			problems = append(problems, p.Error())
		}
		return nil
	})
	if err != nil {
		problems = append(problems, err.Error())
	}
	return problems
}

// headLine is one chain head of a digest mail: "DL-2026-K7QM4 12 9f3a…".
var headLine = regexp.MustCompile(`^[\s>]*(DL-\S+) (\d+) ([0-9a-f]{32})\s*$`)

// ReadHeads reads the chain heads from r, a saved digest mail or lines
// copied from several: every line of the form "reference events anchor";
// other lines are ignored, and so is the "> " of a quoted mail.
func ReadHeads(r io.Reader) ([]breach.ChainHead, error) {
	var heads []breach.ChainHead
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := headLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[2])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("head %q: %s is not a number of events", sc.Text(), m[2])
		}
		heads = append(heads, breach.ChainHead{Reference: m[1], Events: n, Anchor: m[3]})
	}
	return heads, sc.Err()
}

// HeadProblems checks the store against chain heads the digest mailed: for
// each, the breach of that reference has at least that many events and the
// hash of the event with that number, anchored with key, is the head's
// anchor. Since each event's hash covers the one before, that pins the whole
// trail up to it: a trail rewritten end to end, consistent in itself, does
// not match. It returns a line per head that does not match.
func (db *DB) HeadProblems(key []byte, heads []breach.ChainHead) []string {
	var problems []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		deleted := deletedReferences(tx) // after their retention period: retention.go
		for _, h := range heads {
			id := tx.Bucket(bucketReferences).Get([]byte(h.Reference))
			if id == nil && deleted[h.Reference] {
				continue
			}
			if id == nil {
				problems = append(problems, fmt.Sprintf("breach %s: not in the store, though a digest anchored %d events of it", h.Reference, h.Events))
				continue
			}
			v := tx.Bucket(bucketEvents).Get(eventKey(string(id), h.Events))
			if v == nil {
				problems = append(problems, fmt.Sprintf("breach %s (%s): has fewer events than the %d a digest anchored", h.Reference, id, h.Events))
				continue
			}
			var e breach.Event
			if err := getJSON(v, &e); err != nil {
				problems = append(problems, fmt.Sprintf("breach %s (%s): event %d: %v", h.Reference, id, h.Events, err))
				continue
			}
			if breach.Anchor(key, e.Hash) != h.Anchor {
				problems = append(problems, fmt.Sprintf("breach %s (%s): its trail up to event %d does not match the head a digest anchored: rewritten", h.Reference, id, h.Events))
			}
		}
		return nil
	})
	if err != nil {
		problems = append(problems, err.Error())
	}
	return problems
}
