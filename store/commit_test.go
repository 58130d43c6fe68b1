package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/store"
)

// A failing write in a group takes none of the others with it, and leaves
// nothing of its own behind.
func TestCommitIsolatesFailingWrites(t *testing.T) {
	db := MustOpenDB(t)
	bucket := []byte("commit_test")
	require.NoError(t, db.Commit(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	}))
	t.Cleanup(func() { // MustOpenDB's check knows only the store's buckets' contents
		_ = db.Commit(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucket) })
	})

	const n = 300
	errBoom := errors.New("boom")
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = db.Commit(func(tx *bolt.Tx) error {
				if err := tx.Bucket(bucket).Put(fmt.Appendf(nil, "k%03d", i), []byte("v")); err != nil {
					return err
				}
				if i%7 == 0 {
					return errBoom // after writing: the write must be rolled back
				}
				return nil
			})
		}()
	}
	wg.Wait()
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		for i := range n {
			v := tx.Bucket(bucket).Get(fmt.Appendf(nil, "k%03d", i))
			if i%7 == 0 {
				assert.ErrorIs(t, results[i], errBoom)
				assert.Nil(t, v, "failed write %d left data behind", i)
			} else {
				assert.NoError(t, results[i])
				assert.NotNil(t, v, "write %d lost", i)
			}
		}
		return nil
	}))
}

// A write after Close is refused, not a panic; a panicking write fails alone.
func TestCommitAfterCloseAndPanics(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "datalek.db"))
	require.NoError(t, err)
	err = db.Commit(func(tx *bolt.Tx) error { panic("bug") })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "panicked")
	require.NoError(t, db.Commit(func(tx *bolt.Tx) error { return nil }), "the writer survives a panic")
	require.NoError(t, db.Close())
	assert.ErrorIs(t, db.Commit(func(tx *bolt.Tx) error { return nil }), store.ErrClosed)
	require.NoError(t, db.Close(), "closing twice is harmless")
}

// When a write in a group fails, the writes queued before it take effect
// before it runs on its own: a later request never sees an earlier one undone.
func TestCommitKeepsOrderWhenOneFails(t *testing.T) {
	db := MustOpenDB(t)
	bucket := []byte("order_test")
	require.NoError(t, db.Commit(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(bucket); return err }))
	t.Cleanup(func() { _ = db.Commit(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucket) }) })

	// Hold the writer so that the next writes queue up as one group.
	release := make(chan struct{})
	go db.Commit(func(tx *bolt.Tx) error { <-release; return nil })
	time.Sleep(50 * time.Millisecond)
	first := make(chan error, 1)
	go func() {
		first <- db.Commit(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte("key"), []byte("first")) })
	}()
	time.Sleep(50 * time.Millisecond)
	second := make(chan error, 1)
	go func() {
		second <- db.Commit(func(tx *bolt.Tx) error { // like an idempotency check: refuse if taken
			if tx.Bucket(bucket).Get([]byte("key")) != nil {
				return errors.New("taken")
			}
			return tx.Bucket(bucket).Put([]byte("key"), []byte("second"))
		})
	}()
	time.Sleep(50 * time.Millisecond)
	close(release)
	require.NoError(t, <-first)
	assert.EqualError(t, <-second, "taken", "the second sees the first, as in sequence")
}

// A filing that shares a group commit with a write that fails is committed
// again without it; it must keep its mails when it is.
func TestFilingKeepsItsMailWhenItsGroupIsRetried(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	release := make(chan struct{})
	go db.Commit(func(tx *bolt.Tx) error { <-release; return nil }) // hold the writer
	time.Sleep(50 * time.Millisecond)
	filed := make(chan error, 1)
	go func() {
		_, _, err := svc.FileBreach(ctx, supplier("Acme BV"), filing("in een groep", start.Add(-time.Hour)), "")
		filed <- err
	}()
	time.Sleep(50 * time.Millisecond)
	failed := make(chan error, 1)
	go func() { failed <- db.Commit(func(tx *bolt.Tx) error { return errors.New("fails after the filing") }) }()
	time.Sleep(50 * time.Millisecond)
	close(release)
	require.NoError(t, <-filed)
	require.Error(t, <-failed)
	stats, err := db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, stats.Pending, "the new-report mail and the acknowledgement")
}
