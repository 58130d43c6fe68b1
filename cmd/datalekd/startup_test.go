package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/wneessen/go-mail"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
	"datalek/store"
)

// A start with the schedule the running clocks were computed with writes
// nothing to them; a changed schedule reschedules them once (issue 12).
func TestStartupReschedulesOnlyWhatAChangedScheduleAffects(t *testing.T) {
	dir := t.TempDir()
	start := func(args ...string) (*Main, *syncBuffer) {
		var log syncBuffer
		args = append([]string{"-addr", "127.0.0.1:0", "-data-dir", dir}, args...)
		cfg, err := ParseConfig(args, env(nil), io.Discard)
		require.NoError(t, err)
		m := NewMain(cfg, slog.New(slog.NewTextHandler(&log, nil)))
		require.NoError(t, m.Run(context.Background()))
		return m, &log
	}
	m, log := start()
	require.Contains(t, log.String(), "running clocks rescheduled", "a store without a fingerprint is rescheduled once")
	acme := breach.Actor{TokenID: "t", Name: "t", Role: breach.RoleSupplier, Organisation: "Acme BV"}
	_, _, err := m.Service.FileBreach(context.Background(), acme, breachtest.ExampleFiling(time.Now()), "")
	require.NoError(t, err)
	require.NoError(t, m.Close())

	m, log = start()
	require.NoError(t, m.Close())
	require.NotContains(t, log.String(), "rescheduled", "the same schedule: nothing to reschedule")

	m, log = start("-processor-reminders", "5h")
	require.NoError(t, m.Close())
	require.Contains(t, log.String(), `running clocks rescheduled" breaches=1`)

	m, log = start("-processor-reminders", "5h")
	require.NoError(t, m.Close())
	require.NotContains(t, log.String(), "rescheduled")
}

// bbolt's check of every page is left out at a start after a clean
// shutdown only: a file the service did not close itself (a crash, a copy)
// is checked whole and, damaged, refused before anything is written.
func TestStartupChecksEveryPageUnlessClosedCleanly(t *testing.T) {
	startIn := func(dir string) (*Main, error) {
		cfg, err := ParseConfig([]string{"-addr", "127.0.0.1:0", "-data-dir", dir}, env(nil), io.Discard)
		require.NoError(t, err)
		m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		return m, m.Run(context.Background())
	}
	crashed := t.TempDir()
	db, err := store.Open(filepath.Join(crashed, DatabaseFile))
	require.NoError(t, err)
	require.NoError(t, db.Close()) // closed without the service's mark, as after a crash
	leakPage(t, filepath.Join(crashed, DatabaseFile))
	m, err := startIn(crashed)
	require.ErrorContains(t, err, "consistency check")
	require.NoError(t, m.Close())

	clean := t.TempDir()
	m, err = startIn(clean)
	require.NoError(t, err)
	require.NoError(t, m.Close())
	leakPage(t, filepath.Join(clean, DatabaseFile)) // damaged after a clean shutdown: found by verify, not at start
	m, err = startIn(clean)
	require.NoError(t, err)
	require.NoError(t, m.Close())
	_, err = store.Open(filepath.Join(clean, DatabaseFile))
	require.ErrorContains(t, err, "consistency check", "Open, which datalekd verify and restore use, checks every page")
}

// leakPage raises the high-water mark of both bbolt meta pages by one and
// adds that page to the file, reachable from nowhere and not free, as
// store's tests do: bbolt's consistency check reports it.
func leakPage(t *testing.T, path string) {
	t.Helper()
	const header, pgid, checksum = 16, 16 + 40, 16 + 56 // the page header, then the meta's fields
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	pageSize := int(binary.NativeEndian.Uint32(data[header+8:]))
	for _, off := range []int{0, pageSize} {
		m := data[off:]
		binary.NativeEndian.PutUint64(m[pgid:], binary.NativeEndian.Uint64(m[pgid:])+1)
		h := fnv.New64a()
		h.Write(m[header:checksum])
		binary.NativeEndian.PutUint64(m[checksum:], h.Sum64())
	}
	if need := int(binary.NativeEndian.Uint64(data[pgid:])) * pageSize; len(data) < need {
		data = append(data, make([]byte, need-len(data))...)
	}
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

// syncBuffer is a log's buffer that goroutines may write concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// BenchmarkStartup100k measures start-up with history: from Run to the first
// 200 of /readyz, on a data directory of 100,000 breaches of which 1,000 are
// open (99,000 filed and closed through the domain), every mail delivered.
// The directory is built once (a few minutes) and kept under
// $DATALEK_STARTUP_DIR (default: the system's temporary directory), so that
// runs of different code start on the same file:
//
//	go test -run '^$' -bench Startup100k -benchtime 5x ./cmd/datalekd/
func BenchmarkStartup100k(b *testing.B) {
	dir := os.Getenv("DATALEK_STARTUP_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "datalek-startup-100k")
	}
	buildHistory(b, dir, 100_000, 1_000)
	var worst, total time.Duration
	n := 0
	for b.Loop() {
		took := startUntilReady(b, dir)
		worst, total, n = max(worst, took), total+took, n+1
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(n), "ready-ms")
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ready-ms")
}

// startUntilReady starts the service on dir and returns how long it took
// from Run until /readyz answered 200; it stops the service again.
func startUntilReady(tb testing.TB, dir string) time.Duration {
	tb.Helper()
	cfg, err := ParseConfig(nil, env(map[string]string{"DATALEK_DATA_DIR": dir, "DATALEK_ADDR": "127.0.0.1:0",
		"DATALEK_MIN_FREE_DISK": "0"}), io.Discard)
	require.NoError(tb, err)
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	start := time.Now()
	require.NoError(tb, m.Run(context.Background()))
	defer func() { require.NoError(tb, m.Close()) }()
	for {
		res, err := http.Get("http://" + m.Addr() + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(start)
			}
		}
		if time.Since(start) > time.Minute {
			tb.Fatalf("not ready after a minute: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// buildHistory files n breaches into dir through the domain from 64
// goroutines, closes all but open of them as no breach, and delivers every
// mail; a directory built before is reused.
func buildHistory(tb testing.TB, dir string, n, open int) {
	tb.Helper()
	done := filepath.Join(dir, "history.built")
	if _, err := os.Stat(done); err == nil {
		return
	}
	require.NoError(tb, os.RemoveAll(dir))
	require.NoError(tb, os.MkdirAll(dir, 0o700))
	db, err := store.Open(filepath.Join(dir, DatabaseFile))
	require.NoError(tb, err)
	defer db.Close()
	svc := breach.NewService(db)
	acme := breach.Actor{TokenID: "history", Name: "history", Role: breach.RoleSupplier, Organisation: "Acme BV"}
	adviser := breach.Actor{TokenID: "adviser", Name: "adviser", Role: breach.RoleAdviser}
	f := breachtest.ExampleFiling(time.Now())
	ids := make([]string, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range 64 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				b, _, err := svc.FileBreach(context.Background(), acme, f, "")
				if err == nil && i >= int64(open) {
					_, err = svc.Close(context.Background(), adviser, b.ID, breach.CloseRequest{Outcome: breach.OutcomeNoBreach, Reason: "geen datalek"})
				}
				if err != nil {
					failed.Store(err)
					return
				}
				ids[i] = b.ID
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		tb.Fatal(err)
	}
	relay := notify.NewRelay(svc, &notify.Composer{From: "datalek@localhost", BaseURL: "http://127.0.0.1"}, discard{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for {
		sent, err := relay.Flush(context.Background())
		require.NoError(tb, err)
		if sent == 0 {
			break
		}
	}
	require.NoError(tb, os.WriteFile(done, []byte(fmt.Sprintf("%d breaches, %d open\n", n, open)), 0o600))
}

// discard is a transport that accepts every mail and sends none.
type discard struct{}

func (discard) Send(_ context.Context, msgs []*mail.Msg) []error { return make([]error, len(msgs)) }
func (discard) Describe() string                                 { return "discard" }
