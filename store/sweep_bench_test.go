package store_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"datalek/store"
	"datalek/store/storetest"
)

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
		storetest.AddClosedBreaches(b, db, stopped, start)
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
