package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"datalek/api"
	"datalek/breach"
	"datalek/store"
)

func TestRunRaw(t *testing.T) {
	for _, mode := range []rawMode{rawCommit, rawBatch} {
		t.Run(string(mode), func(t *testing.T) {
			dir := t.TempDir()
			r, err := runRaw(t.Context(), config{N: 200, C: 8, RawDir: dir}, mode)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK != 200 || r.ErrorCount() != 0 {
				t.Errorf("got %d writes and %d errors, want 200 and 0: %s", r.OK, r.ErrorCount(), r)
			}
			if r.Rate() <= 0 || r.P50 <= 0 || r.P50 > r.P99 || r.P99 > r.Max {
				t.Errorf("implausible figures: %s", r)
			}
			if !strings.HasPrefix(r.String(), "raw "+string(mode)+": ") {
				t.Errorf("String() = %q", r)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("the temporary directory was not removed: %v", left)
			}
		})
	}
}

const loadAdmin = "load-test-admin-secret-0123456789"

// loadService runs the API on a real store in dir, with an admin token
// loadAdmin and write limit, behind a real HTTP server.
func loadService(t *testing.T, dir string, limit api.WriteLimit) (*store.DB, *breach.Service, *httptest.Server) {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "datalek.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := breach.NewService(db)
	if err := svc.BootstrapAdmin(t.Context(), loadAdmin); err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(svc, slog.New(slog.DiscardHandler), api.DefaultBodyLimit)
	srv.SetWriteLimit(limit)
	ts := httptest.NewServer(srv.Echo)
	t.Cleanup(ts.Close)
	return db, svc, ts
}

func TestRunIntake(t *testing.T) {
	ctx := t.Context()
	const admin = loadAdmin
	db, svc, ts := loadService(t, t.TempDir(), api.WriteLimit{}) // the load generator files as fast as it can

	start := time.Now()
	r, err := runIntake(ctx, config{URL: ts.URL, AdminToken: admin, N: 100, C: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s (%s)", r, time.Since(start).Round(time.Millisecond))
	if r.OK != 100 || r.ErrorCount() != 0 {
		t.Fatalf("got %d successes and errors %v, want 100 and none", r.OK, r.Errors)
	}
	if r.Rate() <= 0 || r.P99 <= 0 {
		t.Errorf("implausible figures: %s", r)
	}

	if err := db.Check(); err != nil {
		t.Errorf("store check: %v", err)
	}
	supplier := breach.Actor{TokenID: "t", Name: "check", Role: breach.RoleSupplier, Organisation: loadOrganisation}
	page, err := svc.ListBreaches(ctx, supplier, breach.BreachFilter{Limit: breach.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Breaches) != 100 {
		t.Fatalf("the store holds %d breaches for %q, want 100", len(page.Breaches), loadOrganisation)
	}
	titles := map[string]bool{}
	for _, b := range page.Breaches {
		titles[b.Report.Title] = true
		if b.Stage != breach.StageComplete {
			t.Errorf("breach %s is %s, want a complete report", b.ID, b.Stage)
		}
	}
	if len(titles) != 100 {
		t.Errorf("%d distinct titles, want 100", len(titles))
	}
}

func TestIntakeWithoutToken(t *testing.T) {
	_, err := runIntake(context.Background(), config{URL: "http://127.0.0.1:1", N: 1, C: 1})
	if err == nil || !strings.Contains(err.Error(), "-admin-token") {
		t.Fatalf("err = %v, want one naming -token and -admin-token", err)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{.50: 50, .95: 95, .99: 99, 1: 100} {
		if got := percentile(d, p); got != want {
			t.Errorf("percentile(1..100, %v) = %d, want %d", p, got, want)
		}
	}
	if got := percentile(d[:1], .99); got != 1 {
		t.Errorf("percentile of one = %d", got)
	}
}

func TestRunAbuse(t *testing.T) {
	ctx := t.Context()
	const admin = loadAdmin
	dir := t.TempDir()
	_, _, ts := loadService(t, dir, api.WriteLimit{PerSecond: 0.01, Burst: 3}) // no refill within the run: an honest supplier files twice

	r, err := runAbuse(ctx, abuseConfig{config: config{URL: ts.URL, AdminToken: admin}, Duration: 3 * time.Second,
		Honest: 2, HonestEvery: 2 * time.Second, Idle: 20, AbuseFrom: "127.0.0.2", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r)
	if r.Honest.OK == 0 || r.Honest.ErrorCount() != 0 {
		t.Errorf("honest filings: %s", r.Honest)
	}
	if r.AbuserWrites["429"] == 0 || r.AbuserWrites["ok"] == 0 {
		t.Errorf("the abuser's writes %v: want some stored and some refused by the limit", r.AbuserWrites)
	}
	if r.IdleHeld+r.IdleRefused != 20 || r.Changes < r.Honest.OK || r.Growth < 0 {
		t.Errorf("implausible figures: %+v", r)
	}
}

func TestSinkAcceptsAndDiscards(t *testing.T) {
	s, err := startSink("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	for i := range 3 {
		msg := fmt.Sprintf("Subject: %d\r\n\r\nHallo\r\n", i)
		if err := smtp.SendMail(s.addr, nil, "datalek@example.org", []string{"a@example.org", "b@example.org"}, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.received.Load(); got != 3 {
		t.Errorf("received %d mails, want 3", got)
	}
}

func TestBucketStats(t *testing.T) {
	dir := t.TempDir()
	db, _, ts := loadService(t, dir, api.WriteLimit{})
	if _, err := runIntake(t.Context(), config{URL: ts.URL, AdminToken: loadAdmin, N: 20, C: 2}); err != nil {
		t.Fatal(err)
	}
	ts.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := bucketStats(filepath.Join(dir, "datalek.db"), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"breaches                   keys       20 ", "by_received                keys       20 ", "file "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}
