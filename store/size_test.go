package store_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach/breachtest"
	"datalek/store"
)

// storedBytes sums len(key)+len(value) of every record in the database, per
// top-level bucket, nested buckets included: what the store holds, apart
// from bbolt's own page overhead.
func storedBytes(tb testing.TB, db *store.DB) map[string]int {
	tb.Helper()
	sizes := map[string]int{}
	var walk func(name string, bkt *bolt.Bucket) error
	walk = func(name string, bkt *bolt.Bucket) error {
		return bkt.ForEach(func(k, v []byte) error {
			if v == nil && bkt.Bucket(k) != nil {
				return walk(name, bkt.Bucket(k))
			}
			sizes[name] += len(k) + len(v)
			return nil
		})
	}
	require.NoError(tb, db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bkt *bolt.Bucket) error { return walk(string(name), bkt) })
	}))
	return sizes
}

// fileBytesInUse is the size of the database file less its free pages.
func fileBytesInUse(tb testing.TB, db *store.DB) int {
	tb.Helper()
	var size int64
	require.NoError(tb, db.Bolt().View(func(tx *bolt.Tx) error { size = tx.Size(); return nil }))
	st := db.Bolt().Stats()
	return int(size) - (st.FreePageN+st.PendingPageN)*db.Bolt().Info().PageSize
}

func total(sizes map[string]int) (n int) {
	for _, v := range sizes {
		n += v
	}
	return n
}

// TestStoredBytesPerFiling measures what one filing of the example report
// (breach record, audit event, index entries, the "filed" and the
// "acknowledged" mail) adds to the database, so that a change of the layout
// can be weighed by it. Run with -v to see the figures.
func TestStoredBytesPerFiling(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	before := storedBytes(t, db)
	file(t, svc, supplier("Acme BV"), breachtest.ExampleFiling(start))
	after := storedBytes(t, db)
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(after)) {
		if d := after[name] - before[name]; d != 0 {
			lines = append(lines, fmt.Sprintf("%s %d", name, d))
		}
	}
	perFiling := total(after) - total(before)
	t.Logf("one filing stores %d bytes of keys and values: %s", perFiling, strings.Join(lines, ", "))
	record := after["breaches"] - before["breaches"]
	assert.Equal(t, record+len("/")+8, after["snapshots"]-before["snapshots"],
		"the breach record once more, as the snapshot of its filing, under <id>/<version>")
	assert.Less(t, after["outbox"]-before["outbox"], record, "two mails, without the breach record in them")

	const n = 200
	used := fileBytesInUse(t, db)
	for range n {
		file(t, svc, supplier("Acme BV"), breachtest.ExampleFiling(start))
	}
	t.Logf("%d more filings: %d bytes of keys and values each; %d bytes of file pages in use each",
		n, (total(storedBytes(t, db))-total(after))/n, (fileBytesInUse(t, db)-used)/n)
}
