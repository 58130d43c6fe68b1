package store

// This file holds what the service's start-up needs so that its cost does
// not grow with the history on file: opening a cleanly closed file without
// reading the whole file first, and the fingerprint of the alert schedule the running clocks
// were last brought in line with.

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// keyScheduleFingerprint is meta/schedule_fingerprint: the fingerprint of
// the alert schedule that every running clock's next alert was last
// computed with (written by the service's start-up; no layout change, for
// a store without it is simply rescheduled once).
var keyScheduleFingerprint = []byte("schedule_fingerprint")

// OpenDeferCheck is Open for the service's start-up: it checks the file as
// Open does (its length against its meta pages, that it is this service's
// database, its layout), and leaves out bbolt's consistency check of every
// page, which reads the whole file (about 0.15 s for 450 MB from the page
// cache, more from disk) and so grows with history, when the service that
// wrote the file last closed it cleanly (MarkClosedCleanly). After a crash,
// a copy or a restore (a backup is taken from a running service), or before
// a migration, the file is checked whole as Open checks it. The mark is
// removed before OpenDeferCheck returns, so a crash from then on leaves a
// file that is checked whole at the next start.
func OpenDeferCheck(path string) (*DB, error) {
	db, err := open(path, false)
	if err != nil {
		return nil, err
	}
	if err := db.Commit(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyClosedCleanly) }); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// keyClosedCleanly is meta/closed_cleanly: present while the service that
// last wrote the file closed it after its last write (no layout change).
var keyClosedCleanly = []byte("closed_cleanly")

// MarkClosedCleanly records that the service wrote its last change: call it
// when nothing writes any more, just before Close.
func (db *DB) MarkClosedCleanly() error {
	return db.Commit(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyClosedCleanly, []byte("1")) })
}

// closedCleanly reports whether the file at path carries the mark; a file
// it cannot read is not.
func closedCleanly(path string) bool {
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return false
	}
	defer bdb.Close()
	marked := false
	_ = bdb.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			marked = meta.Get(keyClosedCleanly) != nil
		}
		return nil
	})
	return marked
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
