package main

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
)

// TestServiceAtPinnedInstants runs the whole service (start-up, a filing, the
// sweep and the digest) from instants that have broken clocks before: a
// working day after the digest's hour, a Saturday, and the nights on which
// Europe/Amsterdam moves its clocks. Every expectation is written out by hand
// rather than computed, so that a wrong zone rule cannot agree with itself.
func TestServiceAtPinnedInstants(t *testing.T) {
	cases := []struct {
		name string
		// start is when the service starts and the report is filed; it was
		// detected an hour earlier.
		start     time.Time
		deadline  string // the 24-hour deadline as the mails show it
		digestAt  time.Time
		digestDay string // the digest the clock reaches at digestAt
	}{
		{"working day after 08:00", amsterdam(2026, time.November, 23, 9, 30),
			"dinsdag 24 november 2026 08:30 (CET)", amsterdam(2026, time.November, 24, 9, 0), "2026-11-24"},
		{"Saturday", amsterdam(2026, time.November, 21, 14, 0),
			"zondag 22 november 2026 13:00 (CET)", amsterdam(2026, time.November, 23, 8, 5), "2026-11-23"},
		{"night summer time starts", time.Date(2027, time.March, 28, 0, 30, 0, 0, time.UTC), // 01:30 CET
			"maandag 29 maart 2027 01:30 (CEST)", amsterdam(2027, time.March, 29, 8, 5), "2027-03-29"},
		{"night summer time ends", time.Date(2026, time.October, 25, 0, 30, 0, 0, time.UTC), // 02:30 CEST, the first time
			"maandag 26 oktober 2026 00:30 (CET)", amsterdam(2026, time.October, 26, 8, 5), "2026-10-26"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir, clock := t.TempDir(), newTestClock(tc.start)
			mailDir := filepath.Join(dir, MailDir)
			m := startMainWith(t, dir, clock)
			defer m.Close()
			supplier := token(t, m, "supplier", "Acme BV")

			f := breachtest.ExampleReport(tc.start)
			f["stage"], f["measures"] = "preliminary", ""
			f["detected_at"] = tc.start.Add(-time.Hour).Format(time.RFC3339)
			status, b := call(t, m, "POST", "/api/v1/breaches", supplier, f)
			require.Equal(t, http.StatusCreated, status, "%v", b)
			id := b["id"].(string)
			assert.Equal(t, tc.start.Add(23*time.Hour).UTC().Format(time.RFC3339),
				b["deadlines"].(map[string]any)["processor"].(map[string]any)["due_at"], "an instant, 24 hours after detection")
			assert.Contains(t, mailText(t, waitForFile(t, mailDir, id+".1.filed")), tc.deadline)

			clock.Advance(17*time.Hour + time.Minute) // 6 hours before the deadline
			m.sweep()
			waitForFile(t, mailDir, id+".2.alert.processor_reminder")
			clock.Advance(6 * time.Hour)
			m.sweep()
			assert.Contains(t, mailText(t, waitForFile(t, mailDir, id+".3.alert.processor_overdue")), tc.deadline)

			clock.Advance(tc.digestAt.Sub(clock.Now()))
			m.digest()
			digest := mailText(t, waitForFile(t, mailDir, ".digest."+tc.digestDay))
			assert.Contains(t, digest, b["reference"].(string))
			digests := 0
			entries, err := os.ReadDir(mailDir)
			require.NoError(t, err)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".digest.") {
					digests++
				}
			}
			assert.Equal(t, 1, digests, "none at the start of a fresh install (TestFreshInstallMailsNoDigest), then one a day")
		})
	}
}

// mailText returns the decoded plain-text part of a written mail.
func mailText(t *testing.T, eml string) string {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(eml))
	require.NoError(t, err)
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextPart() // decodes quoted-printable
		require.NoError(t, err, "no text/plain part")
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			text, err := io.ReadAll(p)
			require.NoError(t, err)
			return string(text)
		}
	}
}

func TestDigestDue(t *testing.T) {
	for _, tc := range []struct {
		spec string
		now  time.Time
		due  bool
	}{
		{"CRON_TZ=Europe/Amsterdam 0 8 * * 1-5", amsterdam(2026, time.November, 23, 7, 59), false},
		{"CRON_TZ=Europe/Amsterdam 0 8 * * 1-5", amsterdam(2026, time.November, 23, 8, 0), true},
		{"CRON_TZ=Europe/Amsterdam 0 8 * * 1-5", amsterdam(2026, time.November, 23, 23, 59), true},
		{"CRON_TZ=Europe/Amsterdam 0 8 * * 1-5", amsterdam(2026, time.November, 21, 12, 0), false}, // Saturday
		{"0 8 * * 1-5", amsterdam(2026, time.November, 23, 8, 0), true},                            // no CRON_TZ: Amsterdam
		{"0 8 * * 1-5", amsterdam(2026, time.November, 23, 7, 30), false},
		{"0 23 * * *", time.Date(2026, time.November, 23, 22, 0, 0, 0, time.UTC), true}, // 23:00 CET
		{"0 8 * * *", amsterdam(2027, time.March, 28, 8, 0), true},                      // the day summer time starts
		{"0 8 * * *", amsterdam(2027, time.March, 28, 7, 59), false},
		{"30 2 * * *", amsterdam(2027, time.March, 28, 12, 0), false},                   // 02:30 does not exist that night
		{"30 2 * * *", time.Date(2026, time.October, 25, 0, 45, 0, 0, time.UTC), true},  // 02:45 CEST, the first 02:30 past
		{"30 2 * * *", time.Date(2026, time.October, 25, 0, 15, 0, 0, time.UTC), false}, // 02:15 CEST
		{"0 0 30 2 *", amsterdam(2026, time.November, 23, 12, 0), false},                // a date that never comes
	} {
		sched, err := cron.ParseStandard(tc.spec)
		require.NoError(t, err)
		assert.Equal(t, tc.due, digestDue(sched, tc.now), "%s at %s", tc.spec, tc.now.In(breach.Amsterdam))
	}
}
