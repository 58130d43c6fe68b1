package store_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/store"
)

// addStoppedBreaches writes n closed breaches with complete reports (whose
// clocks are stopped) straight into the breaches and received buckets, in
// large transactions: history the sweep must not read.
func addStoppedBreaches(b *testing.B, db *store.DB, n int) {
	b.Helper()
	f := breachtest.ExampleFiling(start)
	done := start
	template := breach.Breach{Organisation: "Historie BV", Stage: breach.StageComplete, Status: breach.StatusClosed,
		ReceivedAt: start, CompletedAt: &done, AwareAt: start, Report: f.Report, Updates: []breach.Update{}}
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
				if err := received.Put(append(u64(uint64(rec.ReceivedAt.UnixNano())), rec.ID...), nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func u64(v uint64) []byte {
	return []byte{byte(v >> 56), byte(v >> 48), byte(v >> 40), byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// BenchmarkSweep measures one sweep with 1,000 running breaches next to 0 or
// 1,000,000 stopped ones: when nothing is due (the sweep of nearly every
// minute) and when all 1,000 have both clocks alerting (every sweep raises
// 2,000 alerts and queues 2,000 mails). Run with -benchtime=20x or so: the
// 1,000,000 take a while to write.
func BenchmarkSweep(b *testing.B) {
	for _, stopped := range []int{0, 1_000_000} {
		db, err := store.Open(filepath.Join(b.TempDir(), "datalek.db"))
		if err != nil {
			b.Fatal(err)
		}
		addStoppedBreaches(b, db, stopped)
		svc, c := newService(db)
		acme := supplier("Acme BV")
		for i := range 1000 {
			c.t = start.Add(time.Duration(i) * time.Millisecond)
			if _, _, err := svc.FileBreach(ctx, acme, preliminary(fmt.Sprintf("lopend %d", i), start.Add(-time.Hour)), ""); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("stopped=%d/running=1000/nothing_due", stopped), func(b *testing.B) {
			c.t = start.Add(time.Hour)
			for b.Loop() {
				if n, err := svc.Sweep(ctx); err != nil || n != 0 {
					b.Fatalf("swept %d: %v", n, err)
				}
			}
		})
		b.Run(fmt.Sprintf("stopped=%d/running=1000/all_due", stopped), func(b *testing.B) {
			// Both deadlines past: an alert a day each. The clock only moves
			// on, since -count runs this again on the same breaches, whose
			// alerts the runs before moved.
			if past := start.Add(100 * time.Hour); c.t.Before(past) {
				c.t = past
			}
			for b.Loop() {
				c.t = c.t.Add(24 * time.Hour)
				if n, err := svc.Sweep(ctx); err != nil || n != 1000 {
					b.Fatalf("swept %d: %v", n, err)
				}
			}
		})
		db.Close()
	}
}
