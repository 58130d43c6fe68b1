package store_test

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/store"
)

// The meta page of a bbolt file, spelled out here apart from the store's
// code: a 16-byte page header, then magic, version, page size, flags, the
// root bucket (page, sequence), the freelist page, the high-water mark (the
// number of pages in use), the transaction ID and a checksum (FNV-64a of
// the meta before it), in the machine's byte order.
const (
	metaOffset   = 16
	metaPgid     = metaOffset + 40
	metaChecksum = metaOffset + 56
)

// rawMeta is one meta page of a closed bbolt file.
type rawMeta struct {
	pageSize, pgid uint64
}

// readMeta reads the meta page at offset off.
func readMeta(t *testing.T, data []byte, off int) rawMeta {
	t.Helper()
	m := data[off:]
	return rawMeta{pageSize: uint64(binary.NativeEndian.Uint32(m[metaOffset+8:])), pgid: binary.NativeEndian.Uint64(m[metaPgid:])}
}

// fileWithData writes a database with a few filings, closes it and returns
// its path.
func fileWithData(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, _ := newService(db)
	for i := range 20 {
		file(t, svc, supplier("Acme BV"), filing(fmt.Sprintf("Melding %d", i), start.Add(-time.Hour)))
	}
	require.NoError(t, db.Close())
	return path
}

// fileSum is the SHA-256 of a file, to show that nothing wrote to it.
func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return sha256.Sum256(data)
}

// requireOpenRefuses asserts that Open refuses the file at path with one
// line containing every one of want, and leaves the file as it was.
func requireOpenRefuses(t *testing.T, path string, want ...string) {
	t.Helper()
	before := fileSum(t, path)
	db, err := store.Open(path)
	if err == nil {
		db.Close()
	}
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n", "one line")
	for _, w := range want {
		assert.Contains(t, err.Error(), w)
	}
	assert.Equal(t, before, fileSum(t, path), "Open wrote to a file it refused")
}

// A file cut short (a copy that stopped, a full disk) made bbolt fault with
// SIGBUS on the first page past its end, a goroutine dump instead of a
// message.
func TestOpenRefusesTruncatedFile(t *testing.T) {
	path := fileWithData(t)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	m := readMeta(t, data, 0)
	require.Greater(t, m.pgid, uint64(4), "a file of a few pages")
	require.NoError(t, os.Truncate(path, int64(m.pgid/2*m.pageSize)))
	requireOpenRefuses(t, path, path, "cut short", "backup")
}

func TestOpenRefusesWhatIsNotADatalekDatabase(t *testing.T) {
	t.Run("not a bbolt file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "datalek.db")
		require.NoError(t, os.WriteFile(path, []byte(strings.Repeat("geen database\n", 2000)), 0o600))
		requireOpenRefuses(t, path, path, "not a datalek database")
	})
	t.Run("another program's bbolt file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "datalek.db")
		bdb, err := bolt.Open(path, 0o600, nil)
		require.NoError(t, err)
		require.NoError(t, bdb.Update(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("sessions"))
			return err
		}))
		require.NoError(t, bdb.Close())
		requireOpenRefuses(t, path, path, "not a datalek database")
	})
}

func TestOpenRefusesNewerLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("layout_version"), []byte("99"))
	}))
	require.NoError(t, db.Close())
	requireOpenRefuses(t, path, "layout version 99", "newer datalekd")
}

// leakPage raises the high-water mark of both meta pages by one and adds
// that page to the file, reachable from nowhere and not free: bbolt's
// consistency check reports it ("unreachable unfreed").
func leakPage(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	pageSize := int(readMeta(t, data, 0).pageSize)
	for _, off := range []int{0, pageSize} {
		m := data[off:]
		binary.NativeEndian.PutUint64(m[metaPgid:], binary.NativeEndian.Uint64(m[metaPgid:])+1)
		h := fnv.New64a()
		h.Write(m[metaOffset:metaChecksum])
		binary.NativeEndian.PutUint64(m[metaChecksum:], h.Sum64())
	}
	hwm := int(readMeta(t, data, 0).pgid)
	if need := hwm * pageSize; len(data) < need {
		data = append(data, make([]byte, need-len(data))...)
	}
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

// Start-up committed the migration of an old layout before anything checked
// the file: a migration written over a damaged file spreads the damage.
func TestOpenChecksBeforeItMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	downgradeToV2(t, db) // an empty database: its migration changes no record
	require.NoError(t, db.Close())
	leakPage(t, path)

	requireOpenRefuses(t, path, path, "consistency check", "unreachable unfreed", "nothing was written")
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	require.NoError(t, err)
	defer bdb.Close()
	require.NoError(t, bdb.View(func(tx *bolt.Tx) error {
		assert.Equal(t, "2", string(tx.Bucket([]byte("meta")).Get([]byte("layout_version"))), "not migrated")
		return nil
	}))
}

// Opening a database of the current layout writes nothing: a start-up
// transaction on every start is a write before any check.
func TestOpenWritesNothingWhenNothingToMigrate(t *testing.T) {
	path := fileWithData(t)
	before := fileSum(t, path)
	db, err := store.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	assert.Equal(t, before, fileSum(t, path))
}

// A copy a compaction left behind when a crash cut it short is removed by
// the next Open: the database itself is whole either way.
func TestOpenRemovesACopyLeftByACompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	require.NoError(t, os.WriteFile(path+".compact", []byte("half a copy"), 0o600))
	db, err = store.Open(path)
	require.NoError(t, err)
	defer db.Close()
	_, err = os.Stat(path + ".compact")
	assert.True(t, os.IsNotExist(err))
}
