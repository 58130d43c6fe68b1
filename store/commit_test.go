package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
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
