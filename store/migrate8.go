package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// migrateOpenIndex (7 → 8) fills open_breaches from the records: an entry for
// every breach not closed. The index is rebuilt whole, whatever it held, so
// that a database brought back to layout 7 by hand cannot keep stale entries.
func migrateOpenIndex(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketOpen); err != nil {
		return err
	}
	open, err := tx.CreateBucket(bucketOpen)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketBreaches).ForEach(func(k, v []byte) error {
		var b struct {
			Status breach.Status `json:"status"`
		}
		if err := getJSON(v, &b); err != nil {
			return fmt.Errorf("breach %s: %w", k, err)
		}
		if b.Status == breach.StatusClosed {
			return nil
		}
		return open.Put(k, nil) // another bucket than the one iterated: allowed
	})
}
