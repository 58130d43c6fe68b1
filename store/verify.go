package store

// This file holds what Open checks before it writes to a file: that the file
// is a whole bbolt file, that it is this service's database, of a layout this
// code can read, and that bbolt's own consistency check passes. Each refusal
// is one line that says what is wrong and what to do, and leaves the file as
// it was.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// fileState is what verify found.
type fileState int

const (
	stateCurrent fileState = iota // a database of this layout with every bucket: nothing to write
	stateNew                      // no file, an empty file or bbolt's empty skeleton: create the buckets
	stateMigrate                  // an older layout, or a bucket missing: migrate
)

// verify inspects the file at path without writing to it, and says whether
// Open must create or migrate its layout.
func verify(path string) (fileState, error) { return verifyWith(path, true) }

// verifyWith is verify; without full, it leaves out bbolt's consistency
// check, the one part that reads the whole file (see OpenDeferCheck).
func verifyWith(path string, full bool) (fileState, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return stateNew, nil
	case err != nil:
		return 0, fmt.Errorf("open %s: %w", path, err)
	case info.Size() == 0:
		return stateNew, nil // what bbolt itself creates before it writes the meta pages
	}
	if err := checkLength(path, info.Size()); err != nil {
		return 0, err
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return 0, fmt.Errorf("open %s: %w", path, ErrInUse)
		}
		return 0, fmt.Errorf("open %s: %v: %s", path, err, whatToDo)
	}
	defer bdb.Close()
	var state fileState
	err = bdb.View(func(tx *bolt.Tx) (err error) {
		if state, err = layoutState(tx); err != nil || !full {
			return err
		}
		return consistent(tx)
	})
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	return state, nil
}

// whatToDo ends the message of a file that cannot be used as it is.
const whatToDo = "nothing was written; stop here and restore datalek.db from the latest backup (keep this file aside for inspection)"

// layoutState reads the layout version and the buckets, and refuses a file
// that is another program's or of a newer layout.
func layoutState(tx *bolt.Tx) (fileState, error) {
	empty := true
	_ = tx.ForEach(func([]byte, *bolt.Bucket) error {
		empty = false
		return nil
	})
	if empty {
		return stateNew, nil // bbolt's skeleton: Open was stopped before it created the buckets
	}
	meta := tx.Bucket(bucketMeta)
	if meta == nil || meta.Get(keyLayoutVersion) == nil {
		return 0, fmt.Errorf("not a datalek database: a bbolt file without meta/layout_version; check DATALEK_DATA_DIR; %s", whatToDo)
	}
	v := meta.Get(keyLayoutVersion)
	version, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, fmt.Errorf("layout version %q is not a number; %s", v, whatToDo)
	}
	if version > LayoutVersion {
		return 0, fmt.Errorf("database has layout version %d, written by a newer datalekd; this one reads up to %d: "+
			"run that newer version (nothing was written)", version, LayoutVersion)
	}
	if version < LayoutVersion {
		return stateMigrate, nil
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			return stateMigrate, nil
		}
	}
	return stateCurrent, nil
}

// consistent runs bbolt's own consistency check of every page: each page is
// reachable once or free, and keys are in order. It reads the whole file
// once. Only the first problem is named, to keep the message one line.
func consistent(tx *bolt.Tx) error {
	var first error
	n := 0
	for err := range tx.Check() { // read to the end: the check's goroutine waits on every send
		if n++; first == nil {
			first = err
		}
	}
	if first == nil {
		return nil
	}
	return fmt.Errorf("the file fails bbolt's consistency check (%d problem(s), the first: %v); %s", n, first, whatToDo)
}

// The meta page of a bbolt file (go.etcd.io/bbolt/internal/common), which
// bbolt does not export: a 16-byte page header, then the meta's magic,
// version, page size, flags, root bucket (page, sequence), freelist page,
// high-water mark (pages in use), transaction ID and checksum, in the
// machine's byte order.
const (
	boltMagic    = 0xED0CDAED
	boltVersion  = 2
	metaStart    = 16
	metaSize     = 64
	metaChecksum = 56 // the checksum is FNV-64a of the meta's first 56 bytes
)

// boltMeta is what checkLength needs of a meta page.
type boltMeta struct {
	pageSize                   uint32
	root, freelist, pgid, txid uint64
}

// readBoltMeta reads and validates the meta page at off; ok is false for a
// page that is not a valid meta page.
func readBoltMeta(f io.ReaderAt, off int64) (m boltMeta, ok bool) {
	var buf [metaStart + metaSize]byte
	if _, err := f.ReadAt(buf[:], off); err != nil {
		return m, false
	}
	b := buf[metaStart:]
	h := fnv.New64a()
	h.Write(b[:metaChecksum])
	e := binary.NativeEndian
	if e.Uint32(b[0:]) != boltMagic || e.Uint32(b[4:]) != boltVersion || e.Uint64(b[metaChecksum:]) != h.Sum64() {
		return m, false
	}
	return boltMeta{pageSize: e.Uint32(b[8:]), root: e.Uint64(b[16:]), freelist: e.Uint64(b[32:]),
		pgid: e.Uint64(b[40:]), txid: e.Uint64(b[48:])}, true
}

// checkLength reads the two meta pages as bbolt will, and refuses a file
// shorter than the pages its newest valid meta page says are in use. bbolt
// maps the file into memory without checking this, and the first read past
// its end kills the process with SIGBUS.
func checkLength(path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	m0, ok0 := readBoltMeta(f, 0)
	var m1 boltMeta
	ok1 := false
	if ok0 {
		m1, ok1 = readBoltMeta(f, int64(m0.pageSize))
	} else {
		for shift := 0; shift <= 14 && !ok1; shift++ { // meta 0 is damaged: find meta 1 as bbolt does
			m1, ok1 = readBoltMeta(f, 1024<<shift)
			ok1 = ok1 && int64(m1.pageSize) == 1024<<shift
		}
	}
	var m boltMeta
	switch {
	case ok0 && ok1 && m1.txid > m0.txid, !ok0 && ok1:
		m = m1
	case ok0:
		m = m0
	default:
		return fmt.Errorf("open %s: not a datalek database: no valid bbolt meta page (a %d-byte file of something else, or its first pages are damaged); "+
			"check DATALEK_DATA_DIR; %s", path, size, whatToDo)
	}
	if m.root >= m.pgid || (m.freelist >= m.pgid && m.freelist != ^uint64(0)) {
		return fmt.Errorf("open %s: damaged: its meta page points past its own end; %s", path, whatToDo)
	}
	if need := int64(m.pgid) * int64(m.pageSize); size < need {
		return fmt.Errorf("open %s: the file was cut short: %d bytes where its pages in use end at %d (an interrupted copy or restore, or a full disk); %s",
			path, size, need, whatToDo)
	}
	return nil
}
