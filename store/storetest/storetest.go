// Package storetest builds large stores fast for benchmarks: history that a
// read must not touch.
package storetest

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/store"
)

// AddClosedBreaches writes n closed breaches with complete reports (whose
// clocks are stopped), received at, straight into the breaches and received
// buckets in large transactions. They are stored as plain JSON, which reads
// faster than the compressed records the service writes.
func AddClosedBreaches(tb testing.TB, db *store.DB, n int, at time.Time) {
	tb.Helper()
	f := breachtest.ExampleFiling(at)
	done := at
	template := breach.Breach{Organisation: "Historie BV", Stage: breach.StageComplete, Status: breach.StatusClosed,
		ReceivedAt: at, CompletedAt: &done, AwareAt: at, Report: f.Report, Updates: []breach.Update{}}
	const perTx = 100_000
	for from := 0; from < n; from += perTx {
		err := db.Bolt().Update(func(tx *bolt.Tx) error {
			breaches, received := tx.Bucket([]byte("breaches")), tx.Bucket([]byte("by_received"))
			for i := from; i < min(from+perTx, n); i++ {
				rec := template
				rec.ID = fmt.Sprintf("0000%022d", i) // sorts before new IDs, as old ones do
				// Counted, as references were before layout 4.
				rec.Reference = fmt.Sprintf("DL-%d-%04d", 2020+i/200_000, i%200_000+1)
				data, err := json.Marshal(&rec)
				if err != nil {
					return err
				}
				if err := breaches.Put([]byte(rec.ID), data); err != nil {
					return err
				}
				key := binary.BigEndian.AppendUint64(nil, uint64(rec.ReceivedAt.UnixNano()))
				if err := received.Put(append(key, rec.ID...), nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}
