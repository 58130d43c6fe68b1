package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach/breachtest"
	"datalek/store"
)

const (
	crashAdminToken = "crash-test-admin-token-0123456789"
	crashClients    = 32
	crashCycles     = 2
	// A cycle kills the server once this many reports (plus a random extra)
	// were acknowledged, or after crashMaxFiling, whichever comes first.
	crashMinAcked  = 300
	crashMaxFiling = 1500 * time.Millisecond
)

// TestCrashLosesNoAcknowledgedReport kills the real binary with SIGKILL while
// suppliers are filing reports, twice, and checks that the database opens
// clean, that every report that got a 201 survived, with its audit trail and
// its index entries, and that every one of their mails left in the end.
func TestCrashLosesNoAcknowledgedReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildDatalekd(t)
	dataDir := t.TempDir()

	srv := startDatalekd(t, bin, dataDir)
	supplier := createSupplierToken(t, srv)
	acked := &ackedReports{}
	for cycle := 1; cycle <= crashCycles; cycle++ {
		n := fileUntilKilled(t, srv, supplier, acked, cycle)
		t.Logf("cycle %d: %d reports acknowledged before SIGKILL (%d in total)", cycle, n, acked.len())
		require.Positive(t, n, "cycle %d: no report acknowledged before the kill", cycle)
		checkDatabase(t, dataDir)
		srv = startDatalekd(t, bin, dataDir)
		verifyAcknowledged(t, srv, supplier, acked.snapshot())
	}
	verifyMailLeft(t, srv, dataDir, acked.snapshot())
	srv.terminate(t)
	checkDatabase(t, dataDir)
}

// verifyMailLeft waits until the outbox is empty and requires the new-report
// mail and the acknowledgement of every acknowledged report among the .eml
// files the service writes without an SMTP server.
func verifyMailLeft(t *testing.T, s *datalekd, dataDir string, reports []ackedReport) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var ready struct {
			Mail struct {
				Pending int `json:"pending"`
				Dead    int `json:"dead"`
			} `json:"mail"`
		}
		status, err := s.do(context.Background(), "GET", "/readyz", crashAdminToken, nil, nil, &ready) // the counters are the admin's
		require.NoError(t, err)
		require.Zero(t, ready.Mail.Dead)
		if status == http.StatusOK && ready.Mail.Pending == 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "outbox not empty within 60 s: %d pending", ready.Mail.Pending)
		time.Sleep(100 * time.Millisecond)
	}
	entries, err := os.ReadDir(filepath.Join(dataDir, "mail"))
	require.NoError(t, err)
	files := map[string]bool{}
	for _, e := range entries {
		files[e.Name()] = true
	}
	for _, r := range reports {
		for _, kind := range []string{"filed", "acknowledged"} {
			assert.True(t, files["datalek."+r.ID+".1."+kind+".eml"], "report %s: no %s mail", r.Reference, kind)
		}
	}
	t.Logf("%d mails on disk for %d acknowledged reports", len(files), len(reports))
}

// ackedReport is a report the service answered 201 to.
type ackedReport struct{ ID, Reference string }

type ackedReports struct {
	mu      sync.Mutex
	reports []ackedReport
}

func (a *ackedReports) add(r ackedReport) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reports = append(a.reports, r)
}

func (a *ackedReports) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.reports)
}

func (a *ackedReports) snapshot() []ackedReport {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]ackedReport(nil), a.reports...)
}

func buildDatalekd(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "datalekd")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = "." // the test runs in cmd/datalekd
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// datalekd is one running instance of the binary.
type datalekd struct {
	cmd     *exec.Cmd
	baseURL string
	client  *http.Client
	log     *serverLog
	exited  chan struct{} // closed once Wait returned
	waitErr error
}

// serverLog collects the server's stderr and reports the address from its
// "datalekd listening" line.
type serverLog struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	addr  chan string
	found bool
}

var listeningLine = regexp.MustCompile(`datalekd listening.*?\baddr=(127\.0\.0\.1:\d+)`)

func (l *serverLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if !l.found {
		if m := listeningLine.FindSubmatch(l.buf.Bytes()); m != nil {
			l.found = true
			l.addr <- string(m[1])
		}
	}
	return len(p), nil
}

func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startDatalekd starts the binary on a free loopback port with dataDir and
// waits until /healthz answers 200.
func startDatalekd(t *testing.T, bin, dataDir string) *datalekd {
	t.Helper()
	log := &serverLog{addr: make(chan string, 1)}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"DATALEK_ADDR=127.0.0.1:0",
		"DATALEK_DATA_DIR="+dataDir,
		"DATALEK_ADMIN_TOKEN="+crashAdminToken,
		"DATALEK_WRITE_RATE=0", // one supplier token files as fast as 32 clients can
	)
	cmd.Stdout = log
	cmd.Stderr = log
	require.NoError(t, cmd.Start())
	s := &datalekd{cmd: cmd, log: log, exited: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			_ = cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("datalekd (pid %d) output:\n%s", cmd.Process.Pid, log.String())
		}
	})

	select {
	case addr := <-log.addr:
		s.baseURL = "http://" + addr
	case <-s.exited:
		t.Fatalf("datalekd exited during start-up (%v):\n%s", s.waitErr, log.String())
	case <-time.After(10 * time.Second):
		t.Fatalf("datalekd did not log its address within 10 s:\n%s", log.String())
	}
	s.client = &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 2 * crashClients, MaxIdleConnsPerHost: 2 * crashClients},
	}
	t.Cleanup(s.client.CloseIdleConnections)

	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := s.client.Get(s.baseURL + "/healthz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.exited:
			t.Fatalf("datalekd exited before it was healthy (%v)", s.waitErr)
		default:
		}
		require.True(t, time.Now().Before(deadline), "datalekd not healthy within 10 s (last error %v)", err)
		time.Sleep(20 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *datalekd) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, s.cmd.Process.Kill())
	<-s.exited
	s.client.CloseIdleConnections()
}

// terminate stops the server gracefully and requires a clean exit.
func (s *datalekd) terminate(t *testing.T) {
	t.Helper()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		t.Fatal("datalekd did not exit within 15 s of SIGTERM")
	}
	require.NoError(t, s.waitErr, "datalekd exit after SIGTERM")
	assert.Equal(t, 0, s.cmd.ProcessState.ExitCode())
	s.client.CloseIdleConnections()
}

// do sends a request with a bearer token and, when out is not nil, decodes
// the JSON response into it. It returns the status code.
func (s *datalekd) do(ctx context.Context, method, path, token string, header http.Header, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.baseURL+path, rd)
	if err != nil {
		return 0, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("decode %s %s: %w: %s", method, path, err, data)
		}
	} else if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d: %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode, nil
}

func createSupplierToken(t *testing.T, s *datalekd) string {
	t.Helper()
	var created struct{ ID, Token string }
	status, err := s.do(context.Background(), http.MethodPost, "/api/v1/tokens", crashAdminToken, nil,
		map[string]string{"role": "supplier", "organisation": "Crash BV", "name": "crash"}, &created)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, status)
	require.NotEmpty(t, created.Token)
	require.NotEmpty(t, created.ID)
	return created.Token
}

// crashReport is a complete, valid report (the example of API.md).
func crashReport(title string, now time.Time) map[string]any {
	r := breachtest.ExampleReport(now)
	r["title"] = title
	return r
}

// fileUntilKilled runs crashClients filing clients against s, SIGKILLs s once
// enough reports were acknowledged (or time is up), and returns how many
// reports were acknowledged in this cycle.
func fileUntilKilled(t *testing.T, s *datalekd, token string, acked *ackedReports, cycle int) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		killed    atomic.Bool
		count     atomic.Int64
		wg        sync.WaitGroup
		errMu     sync.Mutex
		failures  []error
		threshold = int64(crashMinAcked + rand.IntN(crashMinAcked/2))
	)
	fail := func(err error) {
		errMu.Lock()
		defer errMu.Unlock()
		failures = append(failures, err)
	}
	for c := range crashClients {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				header := http.Header{}
				if c%2 == 0 {
					header.Set("Idempotency-Key", fmt.Sprintf("crash-%d-%d-%d", cycle, c, n))
				}
				var created struct {
					ID        string `json:"id"`
					Reference string `json:"reference"`
				}
				title := fmt.Sprintf("Crash %d client %d nr %d", cycle, c, n)
				status, err := s.do(ctx, http.MethodPost, "/api/v1/breaches", token, header,
					crashReport(title, time.Now()), &created)
				if status == http.StatusCreated && err == nil {
					acked.add(ackedReport{ID: created.ID, Reference: created.Reference})
					count.Add(1)
					continue
				}
				if killed.Load() || ctx.Err() != nil {
					return // the server is gone: connection errors are expected
				}
				fail(fmt.Errorf("client %d request %d before the kill: status %d: %v", c, n, status, err))
				return
			}
		})
	}

	deadline := time.After(crashMaxFiling)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
wait:
	for count.Load() < threshold {
		select {
		case <-deadline:
			break wait
		case <-tick.C:
		}
	}
	killed.Store(true)
	s.kill(t)
	cancel()
	wg.Wait()
	require.Empty(t, failures, "cycle %d: requests failed while the server was up", cycle)
	return int(count.Load())
}

// checkDatabase opens the bbolt file directly and requires it to be
// consistent.
func checkDatabase(t *testing.T, dataDir string) {
	t.Helper()
	db, err := store.Open(filepath.Join(dataDir, DatabaseFile))
	require.NoError(t, err)
	defer func() { require.NoError(t, db.Close()) }()
	require.NoError(t, db.Check(), "database check after the crash")
}

// verifyAcknowledged requires every acknowledged report to be readable with
// its reference and its breach.filed event, and to be in the listing.
func verifyAcknowledged(t *testing.T, s *datalekd, token string, reports []ackedReport) {
	t.Helper()
	ctx := context.Background()

	refs := map[string]string{}
	for _, r := range reports {
		require.NotEmpty(t, r.ID)
		if prev, dup := refs[r.Reference]; dup {
			t.Errorf("reference %s acknowledged for both %s and %s", r.Reference, prev, r.ID)
		}
		refs[r.Reference] = r.ID
	}

	work := make(chan ackedReport)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for r := range work {
				var got struct {
					Reference string `json:"reference"`
				}
				path := "/api/v1/breaches/" + url.PathEscape(r.ID)
				status, err := s.do(ctx, http.MethodGet, path, token, nil, nil, &got)
				if assert.NoError(t, err, "acknowledged report %s (%s) lost", r.ID, r.Reference) &&
					assert.Equal(t, http.StatusOK, status) {
					assert.Equal(t, r.Reference, got.Reference, "breach %s", r.ID)
				}
				var events struct {
					Items []struct {
						Action string `json:"action"`
					} `json:"items"`
				}
				status, err = s.do(ctx, http.MethodGet, path+"/events", token, nil, nil, &events)
				if assert.NoError(t, err, "events of %s", r.ID) && assert.Equal(t, http.StatusOK, status) {
					filed := 0
					for _, e := range events.Items {
						if e.Action == "breach.filed" {
							filed++
						}
					}
					assert.GreaterOrEqual(t, filed, 1, "breach %s has no breach.filed event: %+v", r.ID, events.Items)
				}
			}
		})
	}
	for _, r := range reports {
		work <- r
	}
	close(work)
	wg.Wait()

	listed := map[string]bool{}
	listedRefs := map[string]bool{}
	for cursor, pages := "", 0; ; pages++ {
		require.Less(t, pages, 1000, "listing does not end")
		var page struct {
			Items []struct {
				ID        string `json:"id"`
				Reference string `json:"reference"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		q := url.Values{"limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		status, err := s.do(ctx, http.MethodGet, "/api/v1/breaches?"+q.Encode(), token, nil, nil, &page)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
		for _, b := range page.Items {
			assert.False(t, listed[b.ID], "breach %s listed twice", b.ID)
			assert.False(t, listedRefs[b.Reference], "reference %s listed twice", b.Reference)
			listed[b.ID], listedRefs[b.Reference] = true, true
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	assert.GreaterOrEqual(t, len(listed), len(reports), "listing holds fewer breaches than were acknowledged")
	missing := 0
	for _, r := range reports {
		if !listed[r.ID] {
			missing++
			if missing <= 10 {
				t.Errorf("acknowledged breach %s (%s) missing from the listing", r.ID, r.Reference)
			}
		}
	}
	assert.Zero(t, missing, "acknowledged breaches missing from the listing")
	require.False(t, t.Failed(), "acknowledged reports lost or inconsistent after the restart; see above")
}
