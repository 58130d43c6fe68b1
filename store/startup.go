package store

// This file holds what the service's start-up needs so that its cost does
// not grow with the history on file: opening without reading the whole
// file first, and the fingerprint of the alert schedule the running clocks
// were last brought in line with.

import (
	bolt "go.etcd.io/bbolt"
)

// keyScheduleFingerprint is meta/schedule_fingerprint: the fingerprint of
// the alert schedule that every running clock's next alert was last
// computed with (written by the service's start-up; no layout change, for
// a store without it is simply rescheduled once).
var keyScheduleFingerprint = []byte("schedule_fingerprint")

// OpenDeferCheck is Open for the service's start-up: it checks the file as
// Open does (its length against its meta pages, that it is this service's
// database, its layout), except for bbolt's consistency check of every
// page, which reads the whole file (about 0.15 s for 450 MB from the page
// cache, more from disk) and so grows with history. Run CheckPages once the
// service is up. A file of an older layout is still checked whole before
// it is migrated.
func OpenDeferCheck(path string) (*DB, error) { return open(path, false) }

// CheckPages runs bbolt's consistency check of every page (what Open runs
// before it opens a file) on the open database; it reads the whole file. It
// runs in a write transaction that it rolls back, writing nothing: bbolt's
// check reads the free list unguarded, which a concurrent write changes
// (the race detector saw it), so writes wait for it, once, while reads go on.
func (db *DB) CheckPages() error {
	tx, err := db.bolt.Begin(true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return consistent(tx)
}

// ScheduleFingerprint returns meta/schedule_fingerprint, "" when none was
// stored.
func (db *DB) ScheduleFingerprint() (string, error) {
	var fp string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		fp = string(tx.Bucket(bucketMeta).Get(keyScheduleFingerprint))
		return nil
	})
	return fp, err
}

// SetScheduleFingerprint stores fp as meta/schedule_fingerprint, durably.
func (db *DB) SetScheduleFingerprint(fp string) error {
	return db.Commit(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyScheduleFingerprint, []byte(fp))
	})
}
