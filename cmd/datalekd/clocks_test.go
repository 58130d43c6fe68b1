package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
	"datalek/notify/smtptest"
)

// testClock starts at a fixed instant and runs at the speed of real time,
// and the test can jump it ahead: back-off retries still fall due, but which
// day, hour and daylight-saving state it is never depends on when the test
// runs. It reads only the monotonic clock.
type testClock struct {
	start  time.Time
	began  time.Time
	offset atomic.Int64
}

// amsterdam is a wall-clock time in Europe/Amsterdam, for a test clock's start.
func amsterdam(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, breach.Amsterdam)
}

// newTestClock returns a clock that reads start now.
func newTestClock(start time.Time) *testClock {
	return &testClock{start: start.UTC(), began: time.Now()}
}

// saturday is the default start of a test clock: no digest falls due on it
// or on the Sunday after it.
var saturday = amsterdam(2026, time.November, 21, 10, 0)

func (c *testClock) Now() time.Time {
	return c.start.Add(time.Since(c.began) + time.Duration(c.offset.Load()))
}
func (c *testClock) Advance(d time.Duration)      { c.offset.Add(int64(d)) }
func (c *testClock) In(d time.Duration) time.Time { return c.Now().Add(d) }

// startMainWith runs the program in-process with the clock and extra flags.
func startMainWith(t *testing.T, dir string, clock *testClock, args ...string) *Main {
	t.Helper()
	args = append([]string{"-addr", "127.0.0.1:0", "-data-dir", dir, "-admin-token", crashAdminToken}, args...)
	cfg, err := ParseConfig(args, env(nil), io.Discard)
	require.NoError(t, err)
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.Now = clock.Now
	m.MailBackoff = notify.ExponentialBackoff(20*time.Millisecond, 200*time.Millisecond)
	require.NoError(t, m.Run(context.Background()))
	return m
}

func token(t *testing.T, m *Main, role, org string) string {
	t.Helper()
	status, tok := call(t, m, "POST", "/api/v1/tokens", crashAdminToken, map[string]string{"role": role, "organisation": org, "name": role + "-" + org})
	require.Equal(t, http.StatusCreated, status)
	return tok["token"].(string)
}

// waitForFile waits for a file in dir whose name contains part and returns
// its content.
func waitForFile(t *testing.T, dir, part string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), part) {
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				require.NoError(t, err)
				return string(data)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no file with %q in %s within 10 s", part, dir)
	return ""
}

func TestMailAsFilesAndAlertsEndToEnd(t *testing.T) {
	dir, clock := t.TempDir(), newTestClock(saturday)
	m := startMainWith(t, dir, clock, "-sweep", "@every 1s")
	defer m.Close()
	supplier, adviser := token(t, m, "supplier", "Acme BV"), token(t, m, "adviser", "")
	mailDir := filepath.Join(dir, MailDir)

	report := breachtest.ExampleReport(clock.Now())
	report["started_at"] = clock.In(-96 * time.Hour).Format(time.RFC3339) // so that the controller can have known 72 hours ago
	status, complete := call(t, m, "POST", "/api/v1/breaches", supplier, report)
	require.Equal(t, http.StatusCreated, status)
	filed := waitForFile(t, mailDir, complete["id"].(string)+".1.filed")
	assert.Contains(t, filed, "Subject: [Datalek DL-")
	assert.Contains(t, filed, "To: <datalekken@hetcak.nl>")
	assert.Contains(t, filed, "Auto-Submitted: auto-generated")
	waitForFile(t, mailDir, complete["id"].(string)+".1.acknowledged")

	// A preliminary report detected 23 h 59 min ago: the escalation follows
	// within seconds of the deadline, from the cron sweep.
	status, prelim := call(t, m, "POST", "/api/v1/breaches", supplier, map[string]any{
		"stage": "preliminary", "title": "Server onbereikbaar",
		"detected_at": clock.In(-23*time.Hour - 59*time.Minute).Format(time.RFC3339),
		"reporter":    map[string]string{"name": "P. de Vries", "phone": "020-1234567"},
	})
	require.Equal(t, http.StatusCreated, status)
	pid := prelim["id"].(string)
	clock.Advance(61 * time.Second)
	escalation := waitForFile(t, mailDir, pid+".2.alert.processor_overdue")
	assert.Contains(t, escalation, "Termijn verwerker verstreken")

	// The controller knew 72 hours ago: the overdue alert follows at once.
	status, moved := call(t, m, "PUT", "/api/v1/breaches/"+complete["id"].(string)+"/awareness", adviser, map[string]any{
		"aware_at": clock.In(-72 * time.Hour).Format(time.RFC3339), "reason": "Telefonisch gemeld door de verwerker op vrijdag",
	})
	require.Equal(t, http.StatusOK, status, "%v", moved)
	waitForFile(t, mailDir, ".awareness")
	overdue := waitForFile(t, mailDir, ".alert.authority_overdue")
	assert.Contains(t, overdue, "72-uurstermijn Autoriteit Persoonsgegevens verstreken")

	status, events := call(t, m, "GET", "/api/v1/breaches/"+complete["id"].(string)+"/events", adviser, nil)
	require.Equal(t, http.StatusOK, status)
	var actions []string
	for _, e := range events["items"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	assert.Equal(t, []string{"breach.filed", "breach.awareness_moved", "alert.raised"}, actions)
}

func TestMailOutageAndRestartLoseNothingAndSendOnce(t *testing.T) {
	server := smtptest.New(t)
	server.Stop()
	dir, clock := t.TempDir(), newTestClock(saturday)
	smtpURL := "smtp://" + server.Addr + "?tls=none"
	m := startMainWith(t, dir, clock, "-smtp-url", smtpURL)
	supplier := token(t, m, "supplier", "Acme BV")

	var ids []string
	for range 3 {
		f := breachtest.ExampleReport(clock.Now())
		f["stage"], f["measures"] = "preliminary", ""
		status, b := call(t, m, "POST", "/api/v1/breaches", supplier, f)
		require.Equal(t, http.StatusCreated, status)
		ids = append(ids, b["id"].(string))
	}
	clock.Advance(22 * time.Hour) // detected an hour before filing: the 1-hour reminder falls due
	m.sweep()
	clock.Advance(time.Hour) // and the escalation
	m.sweep()

	clock.Advance(20 * time.Minute)
	status, ready := call(t, m, "GET", "/readyz", crashAdminToken, nil)
	assert.Equal(t, http.StatusServiceUnavailable, status, "mail that does not leave makes the service not ready")
	assert.EqualValues(t, 15, ready["mail"].(map[string]any)["pending"])
	assert.Contains(t, ready["problem"], "SMTP")

	require.NoError(t, m.Close()) // restart during the outage
	m = startMainWith(t, dir, clock, "-smtp-url", smtpURL)
	defer m.Close()

	server.Start()
	server.WaitFor(15, 15*time.Second)
	time.Sleep(300 * time.Millisecond) // anything sent twice would arrive now
	perID := map[string]int{}
	for _, msg := range server.Messages() {
		perID[msg.Parsed(t).Header.Get("Message-Id")]++
	}
	assert.Len(t, perID, 15, "filed, acknowledgement, reminder, the mailbox's copy of it and escalation for each of 3 breaches, and no digest at a weekend")
	for id, n := range perID {
		assert.Equal(t, 1, n, "%s delivered %d times", id, n)
	}
	for _, id := range ids {
		for _, kind := range []string{".1.filed@", ".1.acknowledged@", ".alert.processor_reminder@", ".alert.processor_reminder.mailbox@", ".alert.processor_overdue@"} {
			found := false
			for mid := range perID {
				found = found || (strings.Contains(mid, id) && strings.Contains(mid, kind))
			}
			assert.True(t, found, "breach %s: no %s mail", id, kind)
		}
	}
	status, ready = call(t, m, "GET", "/readyz", crashAdminToken, nil)
	assert.Equal(t, http.StatusOK, status)
	assert.EqualValues(t, 0, ready["mail"].(map[string]any)["pending"])
}

func TestMissedDigestIsCaughtUpAtStartUp(t *testing.T) {
	clock := newTestClock(amsterdam(2026, time.November, 23, 10, 0)) // a Monday
	dir := t.TempDir()
	m := startMainWith(t, dir, clock, "-digest", "CRON_TZ=Europe/Amsterdam 0 12 * * *")
	status, _ := call(t, m, "POST", "/api/v1/breaches", token(t, m, "supplier", "Acme BV"), breachtest.ExampleReport(clock.Now()))
	require.Equal(t, http.StatusCreated, status)
	require.NoError(t, m.Close())
	m = startMainWith(t, dir, clock, "-digest", "CRON_TZ=Europe/Amsterdam 59 9 * * *")
	waitForFile(t, filepath.Join(dir, MailDir), ".digest.2026-11-23")
	require.NoError(t, m.Close())

	dir = t.TempDir()
	m = startMainWith(t, dir, clock, "-digest", "CRON_TZ=Europe/Amsterdam 0 12 * * *")
	defer m.Close()
	status, _ = call(t, m, "POST", "/api/v1/breaches", token(t, m, "supplier", "Acme BV"), breachtest.ExampleReport(clock.Now()))
	require.Equal(t, http.StatusCreated, status)
	// digests counts the digests written as files and those still queued.
	digests := func() (written, queued int) {
		entries, _ := os.ReadDir(filepath.Join(dir, MailDir))
		for _, e := range entries {
			if strings.Contains(e.Name(), ".digest.") {
				written++
			}
		}
		pending, err := m.DB.DueMail(context.Background(), clock.In(24*time.Hour), 100)
		require.NoError(t, err)
		for _, p := range pending {
			if p.Notice.Kind == breach.NoticeDigest {
				queued++
			}
		}
		return written, queued
	}
	written, queued := digests()
	assert.Zero(t, written+queued, "nothing to catch up before its time")

	m.digest() // cron's trigger before the time by the service's clock
	written, queued = digests()
	assert.Zero(t, written+queued, "the service's clock decides, not cron's")
	clock.Advance(2 * time.Hour)
	m.digest()
	m.digest()
	waitForFile(t, filepath.Join(dir, MailDir), ".digest.2026-11-23")
	require.Eventually(t, func() bool { _, queued := digests(); return queued == 0 }, 10*time.Second, 20*time.Millisecond)
	written, _ = digests()
	assert.Equal(t, 1, written, "once a day")
}

// Issue 8, number 6: a fresh install, started on a working day after the
// digest's hour, mails no empty digest: nothing was ever filed.
func TestFreshInstallMailsNoDigest(t *testing.T) {
	clock := newTestClock(amsterdam(2026, time.November, 23, 10, 0)) // a Monday, after 08:00
	m := startMainWith(t, t.TempDir(), clock)
	defer m.Close()
	m.digest()
	stats, err := m.DB.MailStats(context.Background())
	require.NoError(t, err)
	assert.Zero(t, stats.Pending+stats.Sent)
}
