// Command datalekd is the datalek service: suppliers file personal-data breach
// reports over HTTP, and the service keeps them and their deadlines.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on a minimal image

	"github.com/labstack/echo/v4"
	"github.com/robfig/cron/v3"

	"datalek/api"
	"datalek/breach"
	"datalek/notify"
	"datalek/store"
)

func main() {
	if len(os.Args) > 1 && commands[os.Args[1]] != nil { // backup, restore, verify: backup.go
		os.Exit(runCommand(commands[os.Args[1]], os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "invite-operator" {
		if err := inviteOperator(os.Args[2:], os.Getenv, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "datalekd: "+oneLine(err))
			os.Exit(1)
		}
		return
	}
	cfg, err := ParseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "datalekd: "+oneLine(err))
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := NewMain(cfg, logger)
	if err := m.Run(ctx); err != nil {
		logger.Error("start-up failed", "err", err)
		os.Exit(1)
	}
	<-ctx.Done()
	stop() // a second signal ends the process at once
	logger.Info("shutting down")
	if err := m.Close(); err != nil {
		logger.Error("shutdown", "err", err)
		os.Exit(1)
	}
}

// Main is the whole program, so that tests can start it on port 0 with a
// temporary data directory and stop it again.
type Main struct {
	Config  Config
	Logger  *slog.Logger
	DB      *store.DB
	Service *breach.Service
	API     *api.Server

	Relay *notify.Relay
	// Now and MailBackoff replace the clock and the relay's back-off when set
	// before Run (tests).
	Now         func() time.Time
	MailBackoff func(failures int) time.Duration

	server   *http.Server
	listener net.Listener
	served   chan error
	cron     *cron.Cron
	metrics  *serviceMetrics // metrics.go
	// digestSchedule is the parsed DATALEK_DIGEST.
	digestSchedule cron.Schedule
	stop           context.CancelFunc // ends the relay and the scheduled jobs
	relayed        chan struct{}      // closed when the relay has stopped
}

// NewMain returns a program for cfg; Run starts it.
func NewMain(cfg Config, logger *slog.Logger) *Main {
	return &Main{Config: cfg, Logger: logger}
}

// DatabaseFile is the bbolt file's name under the data directory.
const DatabaseFile = "datalek.db"

// ShutdownTimeout bounds how long in-flight requests may take to finish.
const ShutdownTimeout = 15 * time.Second

// Run opens the database, bootstraps the admin token and starts serving. It
// returns once the listener is open.
func (m *Main) Run(ctx context.Context) (err error) {
	cfg := m.Config
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if err := checkDataDir(cfg.DataDir); err != nil {
		return err
	}
	opening := time.Now()
	// bbolt's consistency check of every page reads the whole file: it runs
	// only after a crash or on a file this service did not close itself.
	if m.DB, err = store.OpenDeferCheck(filepath.Join(cfg.DataDir, DatabaseFile)); err != nil {
		return err
	}
	// Opening migrates an older layout and compacts the file (about 35 s for
	// 100,000 filings), after checking it whole; otherwise it takes moments.
	m.Logger.Info("store open", "layout", store.LayoutVersion, "took", time.Since(opening).Round(time.Millisecond))
	if m.DB.Warning != nil {
		m.Logger.Warn("store", "err", m.DB.Warning)
	}
	if err := markDataDir(cfg.DataDir); err != nil {
		return err
	}
	m.Service = breach.NewService(m.DB)
	if m.Now != nil {
		m.Service.Now = m.Now
	}
	m.metrics = newServiceMetrics(m.Service)
	m.Service.MailTo = cfg.MailTo
	m.Service.MailKeep = cfg.MailKeep
	m.Service.Controller = cfg.Controller
	m.Service.AuditKey = []byte(cfg.AuditKey) // empty when unset: the digest says the trails are not anchored
	m.Service.Passwords, m.Service.Codes = store.Passwords{}, api.TOTP{}
	m.Service.SessionIdle, m.Service.SessionMax, m.Service.InvitationValid = cfg.SessionIdle, cfg.SessionMax, cfg.InvitationValid
	m.Service.Schedule.ProcessorReminders = cfg.ProcessorReminders
	m.Service.Schedule.AuthorityReminders = cfg.AuthorityReminders
	m.Service.Schedule.QuestionReminders = cfg.QuestionReminders
	m.Service.Schedule.SubjectsWithin = cfg.SubjectsWithin
	if cfg.AdminToken != "" {
		err := m.Service.BootstrapAdmin(ctx, cfg.AdminToken)
		switch {
		case errors.Is(err, breach.ErrBootstrapRevoked):
			m.Logger.Warn("DATALEK_ADMIN_TOKEN: " + err.Error())
		case err != nil:
			return fmt.Errorf("bootstrap admin token: %w", err)
		}
	}
	if err := m.startMail(); err != nil {
		return err
	}
	if err := m.startClocks(ctx); err != nil {
		return err
	}
	m.API = api.NewServer(m.Service, m.Logger, cfg.BodyLimit)
	// The session cookie is Secure unless the service is reached over plain
	// HTTP on loopback (DATALEK_BASE_URL http://127.0.0.1:…): anywhere else a
	// session must not travel unencrypted, so plain HTTP cannot sign in.
	m.API.InsecureCookies = plainLoopback(cfg.BaseURL)
	if len(cfg.TrustedProxies) > 0 { // the client is who the trusted proxy says
		trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range cfg.TrustedProxies {
			trust = append(trust, echo.TrustIPRange(n))
		}
		m.API.Echo.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
	}
	// Single sign-on for staff, when configured; its provider is discovered
	// at the first sign-in, so an unreachable provider does not stop start-up.
	m.API.SSO = cfg.SSO
	m.API.Ping = m.DB.Ping
	m.API.MaxMailAge = cfg.MailMaxAge
	m.API.SetWriteLimit(cfg.WriteLimit)
	if cfg.MinFreeDisk > 0 {
		m.API.DiskFree, m.API.MinFreeDisk = diskFree(cfg.DataDir), cfg.MinFreeDisk
	}

	if err := m.startMetrics(); err != nil {
		return err
	}
	if m.listener, err = net.Listen("tcp", cfg.Addr); err != nil {
		return err
	}
	m.listener = limitConnections(m.listener, cfg.MaxConnections, cfg.MaxClientConnections)
	m.server = &http.Server{
		Handler:           m.API.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.server.Serve(m.listener) }()
	m.Logger.Info("datalekd listening", "addr", m.listener.Addr().String(), "data_dir", cfg.DataDir,
		"admin_token", cfg.AdminToken != "")
	return nil
}

// MailDir is where mail is written when no SMTP server is configured.
const MailDir = "mail"

// startMail starts the relay that delivers the outbox, through SMTP or, with
// no SMTP server configured, as .eml files under the data directory.
func (m *Main) startMail() error {
	var transport notify.Transport = notify.Files{Dir: filepath.Join(m.Config.DataDir, MailDir)}
	if m.Config.SMTPURL != "" {
		smtp, err := notify.NewSMTP(m.Config.SMTPURL, notify.TLS{CAFile: m.Config.SMTPCAFile, ServerName: m.Config.SMTPServerName})
		if err != nil {
			return err
		}
		transport = smtp
	} else {
		m.Logger.Warn("NO SMTP SERVER CONFIGURED: mail is NOT delivered, only written as .eml files; set DATALEK_SMTP_URL",
			"dir", filepath.Join(m.Config.DataDir, MailDir))
	}
	composer := &notify.Composer{From: m.Config.MailFrom, BaseURL: m.Config.BaseURL}
	m.Relay = notify.NewRelay(m.Service, composer, transport, m.Logger)
	if m.MailBackoff != nil {
		m.Relay.Backoff = m.MailBackoff
	}
	m.Service.MailQueued = m.Relay.Wake
	readdressed, err := m.Service.ReaddressMailbox(context.Background())
	if err != nil {
		return fmt.Errorf("mail for the privacy mailbox: %w", err)
	}
	for _, r := range readdressed {
		m.Logger.Warn("mail for the privacy mailbox went to an address no longer in DATALEK_MAIL_TO: sent to the configured addresses it had not gone to, or dropped if there are none",
			"seq", r.Seq, "kind", r.Kind, "notice", r.Notice, "configured_addresses", r.To)
	}
	ctx, stop := context.WithCancel(context.Background())
	m.stop, m.relayed = stop, make(chan struct{})
	go func() {
		defer close(m.relayed)
		m.Relay.Run(ctx)
	}()
	m.Logger.Info("mail", "transport", transport.Describe(), "to", len(m.Config.MailTo))
	return nil
}

// startClocks brings the alert schedule of running clocks in line with the
// configuration, catches up on what fell due while the service was down, and
// schedules the sweep and the digest.
func (m *Main) startClocks(ctx context.Context) (err error) {
	if err := m.Service.Schedule.Validate(); err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	if err := m.reschedule(ctx); err != nil {
		return err
	}
	if m.digestSchedule, err = cron.ParseStandard(m.Config.Digest); err != nil {
		return fmt.Errorf("digest schedule: %w", err)
	}
	m.sweep()
	m.digest()
	logger := cronLogger{m.Logger}
	// A spec without CRON_TZ is read in Europe/Amsterdam, as digestDue reads
	// it, whatever the host's zone.
	m.cron = cron.New(cron.WithLocation(breach.Amsterdam),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)), cron.WithLogger(logger))
	if _, err := m.cron.AddFunc(m.Config.Sweep, m.sweep); err != nil {
		return fmt.Errorf("sweep schedule: %w", err)
	}
	if _, err := m.cron.AddFunc(m.Config.Digest, m.scheduledDigest); err != nil {
		return fmt.Errorf("digest schedule: %w", err)
	}
	if err := m.scheduleBackups(); err != nil {
		return err
	}
	if err := m.scheduleRetention(); err != nil { // retention.go
		return err
	}
	m.cron.Start()
	return nil
}

// sweep raises the alerts that are due, and prunes sent mail that is old
// enough.
func (m *Main) sweep() {
	defer m.metrics.timeSweep()()
	n, err := m.Service.Sweep(context.Background())
	if err != nil {
		m.Logger.Error("sweep", "err", err)
	} else if n > 0 {
		m.Logger.Info("sweep raised alerts", "breaches", n)
	}
	if n, err := m.Service.PruneSentMail(context.Background()); err != nil {
		m.Logger.Error("prune sent mail", "err", err)
	} else if n > 0 {
		m.Logger.Info("pruned sent mail", "mails", n)
	}
}

// digest queues today's overview of open breaches once its scheduled time
// today has passed by the service's clock. cron only triggers it; the clock
// decides, so the same call catches up at start-up a digest missed while the
// service was down, and a digest already queued today is not queued again.
// It reports whether today's digest was due.
func (m *Main) digest() (due bool) {
	now := m.Service.Now()
	if !digestDue(m.digestSchedule, now) {
		return false
	}
	if queued, err := m.Service.Digest(context.Background()); err != nil {
		m.Logger.Error("digest", "err", err)
	} else if queued {
		m.Logger.Info("digest queued")
	}
	return true
}

// scheduledDigest is the digest as cron triggers it: at its time, so a
// digest that is not due then means cron and the service's clock disagree.
func (m *Main) scheduledDigest() {
	if !m.digest() {
		m.Logger.Warn("digest triggered but not due by the service's clock; check DATALEK_DIGEST and the host's clock",
			"now", m.Service.Now().UTC().Format(time.RFC3339))
	}
}

// digestDue reports whether sched has a time today (Europe/Amsterdam) that
// is not after now. A time that today does not have (02:30 on the night
// summer time starts) is no digest that day, as cron itself skips it.
func digestDue(sched cron.Schedule, now time.Time) bool {
	day := now.In(breach.Amsterdam)
	midnight := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, breach.Amsterdam)
	next := sched.Next(midnight.Add(-time.Second))
	return !next.IsZero() && !next.After(now)
}

// cronLogger lets robfig/cron log through slog; its routine messages are
// debug-level, its errors (a recovered panic) errors.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}

// Addr is the address the service listens on (useful with port 0).
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Close stops accepting requests and lets in-flight ones finish, waits for a
// running sweep, stops the relay after its current attempt, and closes the
// database. Mail not yet sent stays in the outbox for the next start.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
		defer cancel()
		errs = append(errs, m.server.Shutdown(ctx))
		if err := <-m.served; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	errs = append(errs, m.stopMetrics())
	if m.cron != nil {
		<-m.cron.Stop().Done()
	}
	if m.stop != nil {
		m.stop()
		<-m.relayed
	}
	if m.DB != nil {
		if errors.Join(errs...) == nil { // stopped cleanly: nothing writes any more
			errs = append(errs, m.DB.MarkClosedCleanly())
		}
		errs = append(errs, m.DB.Close())
	}
	return errors.Join(errs...)
}
