package store

// This file holds the database itself: opening it (and migrating its
// layout), closing it and the raw access tools need.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"datalek/breach"
)

// DB is the bbolt-backed store. It implements breach.Store: the breaches,
// the tokens and the outbox.
type DB struct {
	// Warning is a problem Open met that did not stop it, for the log.
	Warning error

	bolt      *bolt.DB
	committer *committer
	// drawReference draws a breach's reference (breach.NewReference); tests
	// replace it to draw what they need.
	drawReference func(year int) string
}

var _ breach.Store = (*DB)(nil)

// Options are the bbolt options of the store. The initial memory map is large
// so that a growing file is rarely remapped: a remap waits for every reader
// and stalls every request behind it. It reserves address space, not memory.
func Options() *bolt.Options {
	return &bolt.Options{Timeout: time.Second, InitialMmapSize: 1 << 30}
}

// ErrInUse is the error of opening a store that another process (the
// running service) holds.
var ErrInUse = errors.New("the database is in use by another process")

// Open opens (or creates) the database file at path and brings its layout to
// the current version. It first checks the file without writing to it (see
// verify): a file cut short, another program's file, a newer layout or one
// that fails bbolt's consistency check is refused with one line saying what
// to do, and only a file that passed is migrated. A database of the current
// layout is opened without any write. It fails after a second if another
// process holds the file, rather than hanging.
func Open(path string) (*DB, error) { return open(path, true) }

// open is Open; without fullCheck, a file of the current layout is opened
// without bbolt's consistency check (OpenDeferCheck), while one to migrate
// is still checked whole before anything is written to it.
func open(path string, fullCheck bool) (*DB, error) {
	state, err := verifyWith(path, fullCheck)
	if err == nil && !fullCheck && (state == stateMigrate || !closedCleanly(path)) {
		state, err = verifyWith(path, true)
	}
	if err != nil {
		return nil, err
	}
	bdb, err := bolt.Open(path, 0o600, Options())
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("open %s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A copy left by a compaction a crash cut short; the file's lock, now
	// ours, says no other process is compacting.
	if err := os.Remove(compactPath(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		bdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if state != stateCurrent {
		if err := bdb.Update(migrate); err != nil {
			bdb.Close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	var warning error
	if state == stateMigrate {
		if bdb, err = compact(bdb, path); err != nil {
			warning = fmt.Errorf("open %s: the migration is done, but compacting the file failed, so it keeps the free pages the migration left: %w", path, err)
		}
	}
	return &DB{Warning: warning, bolt: bdb, committer: newCommitter(bdb), drawReference: breach.NewReference}, nil
}

// compact replaces the database at path, open as src, by a copy of it
// without free pages, and returns the copy open; when that fails, it
// returns src, still open, with the error. A migration rewrites records in
// one transaction, which cannot use the pages it frees, so the file would
// keep the old records' size on top of the new (a store of 100,000 filings
// migrated to layout 6 grew from 780 MB to 1.5 GB). The copy is written
// beside the file and renamed over it while both are open and locked, so
// another process never opens a file being replaced, and a crash leaves
// either file whole (a copy left beside it is removed by the next Open).
func compact(src *bolt.DB, path string) (*bolt.DB, error) {
	tmp := compactPath(path)
	dst, err := bolt.Open(tmp, 0o600, Options())
	if err != nil {
		os.Remove(tmp)
		return src, err
	}
	if err := bolt.Compact(dst, src, 64<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return src, err
	}
	if err := os.Rename(tmp, path); err != nil {
		dst.Close()
		os.Remove(tmp)
		return src, err
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil { // the rename itself on disk
		dir.Sync()
		dir.Close()
	}
	src.Close() // the old file, unlinked by the rename
	return dst, nil
}

// compactPath is where compact writes its copy.
func compactPath(path string) string { return path + ".compact" }

// Close waits for queued writes and closes the database; every committed
// write is already on disk.
func (db *DB) Close() error {
	db.committer.close()
	return db.bolt.Close()
}

// Bolt exposes the underlying database to tools and tests in this module that
// need raw access (consistency checks, benchmarks).
func (db *DB) Bolt() *bolt.DB { return db.bolt }

// Ping checks that the database is open and readable.
func (db *DB) Ping() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return errors.New("store: meta bucket missing")
		}
		return nil
	})
}
