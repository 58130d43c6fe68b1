package main

import (
	"bytes"
	"context"
	"datalek/api"
	"datalek/breach"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach/breachtest"
	"datalek/notify/smtptest"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig(nil, env(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, Config{Addr: "127.0.0.1:8080", DataDir: "./data", MailFrom: "datalek@localhost",
		MailTo: []string{"datalekken@hetcak.nl"}, BaseURL: "http://127.0.0.1:8080", Sweep: "@every 1m",
		Digest: "CRON_TZ=Europe/Amsterdam 0 8 * * 1-5", BodyLimit: "256K",
		ProcessorReminders: []time.Duration{6 * time.Hour, time.Hour},
		AuthorityReminders: []time.Duration{48 * time.Hour, 24 * time.Hour, 12 * time.Hour, 4 * time.Hour, time.Hour},
		QuestionReminders:  []time.Duration{2 * time.Hour},
		SubjectsWithin:     72 * time.Hour,
		MailMaxAge:         15 * time.Minute, MailKeep: 720 * time.Hour, MinFreeDisk: 256_000_000,
		WriteLimit:     api.WriteLimit{PerSecond: 1, Burst: 60},
		MaxConnections: 1024, MaxClientConnections: 128,
		SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour, InvitationValid: 72 * time.Hour,
		Retention: RetentionConfig{Periods: breach.Retention{Personal: breach.Period{Years: 3}, Record: breach.Period{Years: 5}},
			Schedule: DefaultRetentionSchedule}}, c,
		"no configuration at all is a working configuration")

	c, err = ParseConfig([]string{"-addr", "127.0.0.1:9000"}, env(map[string]string{
		"DATALEK_ADDR": "127.0.0.1:7000", "DATALEK_DATA_DIR": "/var/lib/datalek",
		"DATALEK_MAIL_TO": "a@hetcak.example, b@hetcak.example", "DATALEK_SMTP_URL": "smtp://u:p@mail.example:587?tls=starttls",
		"DATALEK_SWEEP": "@every 1s", "DATALEK_BASE_URL": "https://datalek.example",
		"DATALEK_CONTROLLER_NAME": "CAK", "DATALEK_CONTROLLER_DPO": "M. Jansen, fg@hetcak.example",
	}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9000", c.Addr, "a flag wins over the environment")
	assert.Equal(t, "/var/lib/datalek", c.DataDir)
	assert.Equal(t, []string{"a@hetcak.example", "b@hetcak.example"}, c.MailTo)
	assert.Equal(t, "https://datalek.example", c.BaseURL)
	assert.Equal(t, "@every 1s", c.Sweep)
	assert.Equal(t, breach.ControllerProfile{Name: "CAK", DPO: "M. Jansen, fg@hetcak.example"}, c.Controller)

	bad := []struct {
		vars    map[string]string
		args    []string
		setting string
	}{
		{map[string]string{"DATALEK_ADDR": "localhost"}, nil, "DATALEK_ADDR"},
		{nil, []string{"-addr", "127.0.0.1:99999"}, "DATALEK_ADDR"},
		{map[string]string{"DATALEK_ADMIN_TOKEN": "short"}, nil, "DATALEK_ADMIN_TOKEN"},
		{map[string]string{"DATALEK_SMTP_URL": "http://mail.example"}, nil, "DATALEK_SMTP_URL"},
		{map[string]string{"DATALEK_SMTP_URL": "smtp://mail.example?tls=maybe"}, nil, "DATALEK_SMTP_URL"},
		{map[string]string{"DATALEK_MAIL_FROM": "not an address"}, nil, "DATALEK_MAIL_FROM"},
		{map[string]string{"DATALEK_MAIL_TO": "datalekken@hetcak.nl, nope"}, nil, "DATALEK_MAIL_TO"},
		{map[string]string{"DATALEK_BASE_URL": "/relative"}, nil, "DATALEK_BASE_URL"},
		{map[string]string{"DATALEK_SWEEP": "every minute"}, nil, "DATALEK_SWEEP"},
		{map[string]string{"DATALEK_BODY_LIMIT": "lots"}, nil, "DATALEK_BODY_LIMIT"},
		{map[string]string{"DATALEK_WRITE_RATE": "-1"}, nil, "DATALEK_WRITE_RATE"},
		{map[string]string{"DATALEK_WRITE_BURST": "0"}, nil, "DATALEK_WRITE_BURST"},
		{map[string]string{"DATALEK_MAX_CONNECTIONS": "many"}, nil, "DATALEK_MAX_CONNECTIONS"},
		{map[string]string{"DATALEK_MAX_CLIENT_CONNECTIONS": "-3"}, nil, "DATALEK_MAX_CLIENT_CONNECTIONS"},
		{map[string]string{"DATALEK_MIN_FREE_DISK": "a lot"}, nil, "DATALEK_MIN_FREE_DISK"},
		{map[string]string{"DATALEK_MAIL_KEEP": "30d"}, nil, "DATALEK_MAIL_KEEP"},
		{map[string]string{"DATALEK_SUBJECTS_WITHIN": "0s"}, nil, "DATALEK_SUBJECTS_WITHIN"},
		{map[string]string{"DATALEK_SESSION_IDLE": "half an hour"}, nil, "DATALEK_SESSION_IDLE"},
		{map[string]string{"DATALEK_SESSION_MAX": "0s"}, nil, "DATALEK_SESSION_MAX"},
		{map[string]string{"DATALEK_SESSION_IDLE": "13h"}, nil, "DATALEK_SESSION_IDLE"},
		{map[string]string{"DATALEK_INVITATION_VALID": "-1h"}, nil, "DATALEK_INVITATION_VALID"},
		{map[string]string{"DATALEK_TRUSTED_PROXIES": "10.0.0.1, de proxy"}, nil, "DATALEK_TRUSTED_PROXIES"},
		{map[string]string{"DATALEK_MAIL_KEEP": "-1h"}, nil, "DATALEK_MAIL_KEEP"},
		{map[string]string{"DATALEK_SMTP_URL": "smtp://relay.example", "DATALEK_SMTP_CA_FILE": "/nonexistent/ca.pem"}, nil, "DATALEK_SMTP_CA_FILE"},
		{map[string]string{"DATALEK_SMTP_URL": "smtp://relay.example", "DATALEK_SMTP_CA_FILE": "main_test.go"}, nil, "DATALEK_SMTP_CA_FILE"},
		{map[string]string{"DATALEK_SMTP_CA_FILE": "main_test.go"}, nil, "DATALEK_SMTP_CA_FILE"},
		{map[string]string{"DATALEK_SMTP_URL": "smtp://relay.example?tls=none", "DATALEK_SMTP_SERVER_NAME": "relay.example"}, nil, "DATALEK_SMTP_SERVER_NAME"},
		{map[string]string{"DATALEK_SMTP_URL": "smtp://relay.example", "DATALEK_SMTP_SERVER_NAME": "relay example"}, nil, "DATALEK_SMTP_SERVER_NAME"},
	}
	for _, b := range bad {
		_, err := ParseConfig(b.args, env(b.vars), io.Discard)
		require.Error(t, err, "%v %v", b.vars, b.args)
		assert.Contains(t, err.Error(), b.setting)
	}

	c, err = ParseConfig(nil, env(map[string]string{"DATALEK_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16,2001:db8::1"}), io.Discard)
	require.NoError(t, err)
	var proxies []string
	for _, n := range c.TrustedProxies {
		proxies = append(proxies, n.String())
	}
	assert.Equal(t, []string{"10.0.0.1/32", "192.168.0.0/16", "2001:db8::1/128"}, proxies)

	_, err = ParseConfig(nil, env(map[string]string{"DATALEK_SMTP_URL": "ftp://user:hunter2secret@mail.example"}), io.Discard)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2secret", "a password never reaches the console")
}

func TestUsageAndErrorsShowNoSecret(t *testing.T) {
	secrets := env(map[string]string{"DATALEK_ADMIN_TOKEN": "operator-secret-0123456789-abcdef",
		"DATALEK_SMTP_URL": "smtp://u:hunter2pass@mail.example:587"})
	var usage bytes.Buffer
	_, err := ParseConfig([]string{"-h"}, secrets, &usage)
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, usage.String(), "DATALEK_SMTP_URL")
	_, err = ParseConfig([]string{"-nope"}, secrets, &usage)
	require.Error(t, err)
	for _, out := range []string{usage.String(), err.Error()} {
		assert.NotContains(t, out, "operator-secret")
		assert.NotContains(t, out, "hunter2pass")
	}
	_, err = ParseConfig(nil, env(map[string]string{"DATALEK_BODY_LIMIT": "1KM"}), io.Discard)
	assert.ErrorContains(t, err, "DATALEK_BODY_LIMIT", "what echo would refuse is refused at start-up")
}

func TestBadConfigurationStopsWithOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildDatalekd(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATALEK_SMTP_URL=smtp://u:geheim@mail.example?tls=yes", "DATALEK_ADDR=nohost")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 2, exit.ExitCode())
	out := strings.TrimSpace(stderr.String())
	assert.NotContains(t, out, "\n", "one line")
	assert.Contains(t, out, "DATALEK_ADDR")
	assert.Contains(t, out, "DATALEK_SMTP_URL")
	assert.NotContains(t, out, "geheim")
}

// startMain runs the whole program in-process on port 0 with dataDir, its
// clock starting on a Saturday morning.
func startMain(t *testing.T, dataDir string) *Main {
	t.Helper()
	return startMainWith(t, dataDir, newTestClock(saturday))
}

func call(t *testing.T, m *Main, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, "http://"+m.Addr()+path, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, dir)
	status, tok := call(t, m, "POST", "/api/v1/tokens", crashAdminToken, map[string]string{"role": "supplier", "organisation": "Acme BV", "name": "acme"})
	require.Equal(t, http.StatusCreated, status)
	supplier := tok["token"].(string)
	status, filed := call(t, m, "POST", "/api/v1/breaches", supplier, crashReport("Blijft bewaard", saturday))
	require.Equal(t, http.StatusCreated, status)
	id := filed["id"].(string)
	status, _ = call(t, m, "POST", "/api/v1/breaches/"+id+"/updates", supplier, map[string]any{"message": "Ontvangers gebeld"})
	require.Equal(t, http.StatusCreated, status)
	require.NoError(t, m.Close())

	m = startMain(t, dir)
	defer m.Close()
	status, got := call(t, m, "GET", "/api/v1/breaches/"+id, supplier, nil)
	require.Equal(t, http.StatusOK, status, "the supplier token survives a restart too")
	assert.Equal(t, filed["reference"], got["reference"])
	assert.Len(t, got["updates"], 1)
	status, events := call(t, m, "GET", "/api/v1/breaches/"+id+"/events", supplier, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, events["items"], 2)
}

func TestSecondInstanceOnSameDataFailsFast(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, dir)
	defer m.Close()
	cfg := m.Config
	other := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	start := time.Now()
	err := other.Run(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "in use by another process")
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}

// Issue 8, number 16: a data directory on a (nearly) full disk makes the
// service not ready, before bbolt can no longer grow its file; the cause is
// for the admin, anyone else learns only that the service is not ready.
func TestNotReadyWhenTheDiskIsNearlyFull(t *testing.T) {
	dir := t.TempDir()
	m := startMainWith(t, dir, newTestClock(saturday), "-min-free-disk", "1E") // more than any test machine has
	status, ready := call(t, m, "GET", "/readyz", "", nil)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.NotContains(t, ready, "disk", "the details are the admin's")
	status, ready = call(t, m, "GET", "/readyz", crashAdminToken, nil)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Contains(t, ready["problem"], "schijf van de gegevensmap is (bijna) vol")
	disk := ready["disk"].(map[string]any)
	assert.EqualValues(t, 1e18, disk["min_free_bytes"])
	assert.Greater(t, disk["free_bytes"], float64(0))
	require.NoError(t, m.Close())

	m = startMainWith(t, dir, newTestClock(saturday)) // the default, 256 MB
	defer m.Close()
	status, _ = call(t, m, "GET", "/readyz", crashAdminToken, nil)
	assert.Equal(t, http.StatusOK, status)
}

// Issue 8, number 5: the service delivers over STARTTLS to a relay whose
// certificate the organisation's own CA signed, for a name other than the
// address the URL reaches it at, with -smtp-ca-file and -smtp-server-name.
func TestMailOverTLSWithAPrivateCA(t *testing.T) {
	const host = "relay.datalek.test"
	server, caFile := smtptest.NewTLS(t, host, false)
	clock := newTestClock(saturday)
	m := startMainWith(t, t.TempDir(), clock, "-smtp-url", "smtp://"+server.Addr+"?tls=starttls",
		"-smtp-ca-file", caFile, "-smtp-server-name", host)
	defer m.Close()
	status, _ := call(t, m, "POST", "/api/v1/breaches", token(t, m, "supplier", "Acme BV"), breachtest.ExampleReport(clock.Now()))
	require.Equal(t, http.StatusCreated, status)
	server.WaitFor(2, 10*time.Second)
}

// A typo in DATALEK_MAIL_TO, corrected and restarted: the typo's delivery,
// refused and retried for ever as mail for the privacy mailbox is, is
// dropped at start-up (the corrected address has the mail), and nothing is
// pending any more.
func TestCorrectedMailboxAddressEndsTheRetries(t *testing.T) {
	const good, typo = "datalekken@hetcak.example", "fg-typo@hetcak.example"
	server := smtptest.New(t)
	server.Refuse = func(rcpt string) bool { return rcpt == typo }
	clock := newTestClock(saturday)
	dir := t.TempDir()
	m := startMainWith(t, dir, clock, "-smtp-url", "smtp://"+server.Addr+"?tls=none", "-mail-to", good+","+typo)
	status, _ := call(t, m, "POST", "/api/v1/breaches", token(t, m, "supplier", "Acme BV"), breachtest.ExampleReport(clock.Now()))
	require.Equal(t, http.StatusCreated, status)
	server.WaitFor(2, 10*time.Second) // the new report to the good address, the acknowledgement
	require.Eventually(t, func() bool {
		st, err := m.DB.MailStats(context.Background())
		return err == nil && st.Pending == 1
	}, 10*time.Second, 10*time.Millisecond, "the typo's delivery waits out its refusal")
	require.NoError(t, m.Close())

	m = startMainWith(t, dir, clock, "-smtp-url", "smtp://"+server.Addr+"?tls=none", "-mail-to", good)
	defer m.Close()
	st, err := m.DB.MailStats(context.Background())
	require.NoError(t, err)
	assert.Zero(t, st.Pending, "nothing left for an address no one reads")
	require.NoError(t, m.DB.Check())
	assert.Equal(t, 2, len(server.Messages()), "and the good address got the report once")
}

// The session cookie goes without Secure only over plain HTTP on loopback
// (UI.md): elsewhere plain HTTP cannot keep a session (issue 10 review).
func TestPlainLoopback(t *testing.T) {
	for url, want := range map[string]bool{"http://127.0.0.1:8080": true, "http://localhost:8080/": true, "http://[::1]:8080": true,
		"http://datalek.intern.example": false, "http://10.1.2.3:8080": false, "https://127.0.0.1:8443": false, "https://datalek.example": false} {
		assert.Equal(t, want, plainLoopback(url), url)
	}
}
