package store

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// LayoutVersion is the bucket layout this code reads and writes (see doc.go).
const LayoutVersion = 1

// migrations[v] brings a database from layout v to v+1. Each needs a test
// that opens a database of layout v and checks the result.
var migrations = map[int]func(*bolt.Tx) error{}

// migrate creates the buckets of a new database and upgrades an old one. It
// refuses a database written by a newer version rather than corrupt it.
func migrate(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	version := LayoutVersion // a new database starts at the current layout
	if v := meta.Get(keyLayoutVersion); v != nil {
		var err error
		if version, err = strconv.Atoi(string(v)); err != nil {
			return fmt.Errorf("layout version %q: %w", v, err)
		}
	}
	if version > LayoutVersion {
		return fmt.Errorf("database has layout version %d; this program knows up to %d: use a newer program", version, LayoutVersion)
	}
	for ; version < LayoutVersion; version++ {
		m, ok := migrations[version]
		if !ok {
			return fmt.Errorf("no migration from layout version %d", version)
		}
		if err := m(tx); err != nil {
			return fmt.Errorf("migrate layout %d to %d: %w", version, version+1, err)
		}
	}
	return meta.Put(keyLayoutVersion, []byte(strconv.Itoa(LayoutVersion)))
}
