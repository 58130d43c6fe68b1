package store

// This file holds the listings of breaches: pages read in index order, in
// the caller's scope, resumable by cursor.

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// ListBreaches implements breach.BreachStore. It reads index entries in order and
// stops as soon as a page (plus one, to know whether more follow) is full.
func (db *DB) ListBreaches(ctx context.Context, scope breach.Scope, f breach.BreachFilter) (*breach.BreachPage, error) {
	phase, after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, err
	}
	page := &breach.BreachPage{Breaches: []*breach.Breach{}}
	var keys []string
	err = db.bolt.View(func(tx *bolt.Tx) error {
		full := func(ph byte, key []byte, b *breach.Breach) bool {
			page.Breaches = append(page.Breaches, b)
			keys = append(keys, encodeCursor(ph, key))
			return len(page.Breaches) > f.Limit
		}
		if f.Sort == breach.SortDeadline && phase != phaseReceived {
			done, err := scanDeadlines(tx, scope, &f, after, full)
			if err != nil || done {
				return err
			}
			after = nil
		}
		withoutDeadline := f.Sort == breach.SortDeadline
		return scanReceived(tx, scope, &f, after, withoutDeadline, full)
	})
	if err != nil {
		return nil, err
	}
	if len(page.Breaches) > f.Limit {
		page.Breaches = page.Breaches[:f.Limit]
		page.NextCursor = keys[f.Limit-1]
	}
	return page, nil
}

// visitFunc receives each breach a scan finds, with the index key that a
// cursor resumes after; it returns true once the page is full, to stop the
// scan.
type visitFunc func(phase byte, key []byte, b *breach.Breach) (full bool)

// listOrganisation is the one organisation a listing reads, if any: the
// supplier's own, or the one staff filter on. A supplier filtering on
// another organisation gets none (single false with f.Organisation set).
func listOrganisation(scope breach.Scope, f *breach.BreachFilter) (org string, single bool) {
	org, single = scope.Organisation()
	switch {
	case f.Organisation == "":
		return org, single
	case single && f.Organisation != org:
		return "", false
	}
	return f.Organisation, true
}

// scanDeadlines visits breaches by their nearest running deadline, from the
// organisation's own index when the scope or the filter names one. A breach
// with two running clocks has two entries; only the nearest one is visited.
func scanDeadlines(tx *bolt.Tx, scope breach.Scope, f *breach.BreachFilter, after []byte, visit visitFunc) (bool, error) {
	bkt := tx.Bucket(bucketByDeadline)
	if org, single := listOrganisation(scope, f); single {
		if bkt = tx.Bucket(bucketOrgDeadline).Bucket([]byte(org)); bkt == nil {
			return false, nil
		}
	} else if f.Organisation != "" {
		return false, nil // a supplier asking for another organisation
	}
	c := bkt.Cursor()
	k, _ := c.First()
	if after != nil {
		if k, _ = c.Seek(after); k != nil && bytes.Equal(k, after) {
			k, _ = c.Next()
		}
	}
	for ; k != nil; k, _ = c.Next() {
		id, clock, ok := bytes.Cut(k[8:], []byte("/"))
		if !ok {
			return false, fmt.Errorf("by_deadline: malformed key %x", k)
		}
		b, err := getBreach(tx, scope, string(id))
		if breach.ErrorCode(err) == breach.ENOTFOUND {
			continue // another organisation's
		} else if err != nil {
			return false, err
		}
		running := scope.Side().RunningDeadlines(b) // a supplier sorts by its own clock only
		if !f.Match(b) || len(running) == 0 || string(running[0].Clock) != string(clock) {
			continue
		}
		if visit(phaseDeadline, k, b) {
			return true, nil
		}
	}
	return false, nil
}

// scanReceived visits breaches newest first, from the organisation's own index
// when the scope or the filter names one.
func scanReceived(tx *bolt.Tx, scope breach.Scope, f *breach.BreachFilter, after []byte, withoutDeadline bool, visit visitFunc) error {
	org, single := listOrganisation(scope, f)
	if f.Organisation != "" && !single {
		return nil // a supplier asking for another organisation
	}
	bkt := tx.Bucket(bucketByReceived)
	if single {
		if bkt = tx.Bucket(bucketByOrg).Bucket([]byte(org)); bkt == nil {
			return nil
		}
	}
	c := bkt.Cursor()
	var k []byte
	if after == nil {
		k, _ = c.Last()
	} else if k, _ = c.Seek(after); k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil; k, _ = c.Prev() {
		b, err := getBreach(tx, scope, string(k[8:]))
		if err != nil {
			return err
		}
		if !f.Match(b) || (withoutDeadline && len(scope.Side().RunningDeadlines(b)) > 0) {
			continue
		}
		if visit(phaseReceived, k, b) {
			return nil
		}
	}
	return nil
}
