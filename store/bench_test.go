package store_test

import (
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/breach/breachtest"
)

// The two benchmarks below run in one `go test -bench` so their ratio is
// measured on the same disk at the same moment: what filing a breach costs in
// the store (record, audit event, four index entries, reference counter)
// against one bare put of the same size through the same group commit. Both
// use 64 concurrent writers.

func BenchmarkStoreCreateBreach(b *testing.B) {
	db := MustOpenDB(b)
	svc := breach.NewService(db)
	f := breachtest.ExampleFiling(time.Now())
	acme := supplier("Acme BV")
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := svc.FileBreach(ctx, acme, f, ""); err != nil {
				b.Error(err)
			}
		}
	})
}

func BenchmarkStoreRawPut(b *testing.B) {
	db := MustOpenDB(b)
	bucket := []byte("bench_raw")
	if err := db.Commit(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(bucket); return err }); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Commit(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucket) }) })
	value, _ := json.Marshal(breachtest.ExampleFiling(time.Now()))
	var n atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			key := fmt.Appendf(nil, "%s%d", breach.NewID(), n.Add(1))
			if err := db.Commit(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key, value) }); err != nil {
				b.Error(err)
			}
		}
	})
}
