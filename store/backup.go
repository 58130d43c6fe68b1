package store

// This file holds what backups, restores and datalekd verify need of the
// store: a consistent copy of the whole file written while the service runs,
// a copy of a file no service holds, a read-only opening that never
// migrates, and Check's problems named as an operator looks breaches up.

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"datalek/breach"
)

// WriteSnapshot writes the whole database, as one read transaction sees it,
// to w (bbolt's Tx.WriteTo): a consistent copy taken while writes go on,
// which bbolt opens as it is. It returns the bytes written. Writers are not
// held up; the file's growth is, for a remap waits for the transaction to
// end, which the large initial memory map (Options) makes rare.
func (db *DB) WriteSnapshot(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// SnapshotFile writes a copy of the database at path to w, as WriteSnapshot
// does, for a service that is stopped: it opens the file read-only, after
// the checks of Open, and fails if a running service holds it.
func SnapshotFile(path string, w io.Writer) (int64, error) {
	db, err := OpenReadOnly(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return db.WriteSnapshot(w)
}

// OpenReadOnly opens the database at path for reading only, after the
// checks of Open (a whole bbolt file of this service, bbolt's consistency
// check), and never writes to it: a missing or empty file, and a file of an
// older layout, which Open would migrate, are refused. It fails after a
// second if a running service holds the file.
func OpenReadOnly(path string) (*DB, error) {
	state, err := verify(path)
	switch {
	case err != nil:
		return nil, err
	case state == stateNew:
		return nil, fmt.Errorf("open %s: holds no database (missing, empty or never written to)", path)
	case state == stateMigrate:
		return nil, fmt.Errorf("open %s: an older layout (or a bucket missing) that this datalekd would migrate when it opens it; "+
			"start the service on it, or restore it (which migrates a copy), first", path)
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("open %s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{bolt: bdb, committer: newCommitter(bdb), drawReference: breach.NewReference}, nil
}

// Breaches counts the breaches on file.
func (db *DB) Breaches() (n int) {
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketBreaches).Stats().KeyN
		return nil
	})
	return n
}

// Problems runs Check and returns what it finds, one problem a line, with
// every breach named by its reference (DL-2026-K7QM4) as well as its ID and
// every event by its sequence number, as the register and the breach's
// page show them. It returns nil for a database without problems.
func (db *DB) Problems() []string {
	err := db.Check()
	if err == nil {
		return nil
	}
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	refs := map[string]string{} // breach ID -> reference
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReferences).ForEach(func(ref, id []byte) error {
			refs[string(id)] = string(ref)
			return nil
		})
	})
	lines := make([]string, 0, len(errs))
	for _, e := range errs {
		line := breachID.ReplaceAllStringFunc(e.Error(), func(s string) string {
			id := s[len("breach "):]
			if ref, ok := refs[id]; ok {
				return "breach " + ref + " (" + id + ")"
			}
			return s
		})
		line = eventKeyHex.ReplaceAllStringFunc(line, func(s string) string {
			seq, err := strconv.ParseUint(s[len("event "):len(s)-1], 16, 64)
			if err != nil {
				return s
			}
			return fmt.Sprintf("event %d:", seq)
		})
		lines = append(lines, line)
	}
	return lines
}

var (
	// breachID is how Check's messages name a breach: by its ID.
	breachID = regexp.MustCompile(`breach [0-9A-Za-z]+`)
	// eventKeyHex is how an event that cannot be read is named: by its key's
	// sequence number, big-endian in hex.
	eventKeyHex = regexp.MustCompile(`event [0-9a-f]{16}:`)
)
