package store_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"datalek/breach"
	"datalek/store"
	"datalek/store/storetest"
)

// BenchmarkOpenBreaches reads the 500 open breaches of a store that also
// holds 100,000 closed ones: through the index (OpenBreaches), and, as the
// baseline in the same run, as the digest did before layout 8, paging
// through every breach by deadline and keeping the open ones. Run with
// -benchtime=20x or so: the scan reads the whole history every time.
func BenchmarkOpenBreaches(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "datalek.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const closed, open = 100_000, 500
	storetest.AddClosedBreaches(b, db, closed, start)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	for i := range open {
		c.t = start.Add(time.Duration(i) * time.Millisecond)
		if _, _, err := svc.FileBreach(ctx, acme, preliminary(fmt.Sprintf("open %d", i), start.Add(-time.Hour)), ""); err != nil {
			b.Fatal(err)
		}
	}

	b.Run(fmt.Sprintf("closed=%d/open=%d/index", closed, open), func(b *testing.B) {
		for b.Loop() {
			got, err := db.OpenBreaches(ctx, breach.StaffScope())
			if err != nil || len(got) != open {
				b.Fatalf("read %d: %v", len(got), err)
			}
		}
	})
	b.Run(fmt.Sprintf("closed=%d/open=%d/scan", closed, open), func(b *testing.B) {
		for b.Loop() {
			n := 0
			f := breach.BreachFilter{Sort: breach.SortDeadline, Limit: breach.MaxPageSize}
			for {
				page, err := db.ListBreaches(ctx, breach.StaffScope(), f)
				if err != nil {
					b.Fatal(err)
				}
				for _, x := range page.Breaches {
					if x.Status != breach.StatusClosed {
						n++
					}
				}
				if f.Cursor = page.NextCursor; f.Cursor == "" {
					break
				}
			}
			if n != open {
				b.Fatalf("read %d open", n)
			}
		}
	})
}
