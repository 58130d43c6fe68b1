package main

import (
	"datalek/api"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/gommon/bytes"
	"github.com/robfig/cron/v3"

	"datalek/breach"
	"datalek/notify"
)

// Config is the service's configuration. Each setting comes from its flag,
// else from its DATALEK_* environment variable, else from its default.
type Config struct {
	Addr       string
	DataDir    string
	AdminToken string
	AuditKey   string // DATALEK_AUDIT_KEY: audit.go
	SMTPURL    string
	// SMTPCAFile and SMTPServerName say how the relay's certificate is
	// checked (notify.TLS).
	SMTPCAFile     string
	SMTPServerName string
	MailFrom       string
	MailTo         []string
	BaseURL        string
	Sweep, Digest  string
	BodyLimit      string
	MetricsAddr    string // DATALEK_METRICS_ADDR: metrics.go
	// ProcessorReminders and AuthorityReminders are how long before each
	// deadline the reminders go out; MailMaxAge is how old an unsent mail may
	// grow before /readyz reports not ready.
	ProcessorReminders []time.Duration
	AuthorityReminders []time.Duration
	QuestionReminders  []time.Duration
	// SubjectsWithin is how long after a decision to inform the people
	// affected the privacy mailbox is alerted while none is recorded.
	SubjectsWithin time.Duration
	MailMaxAge     time.Duration
	MailKeep       time.Duration // how long a sent mail is kept whole (0: for ever)
	// Controller is the controller's profile, for the AP form and letters.
	Controller breach.ControllerProfile
	// WriteLimit is how often one token may write (0 per second: no limit).
	WriteLimit api.WriteLimit
	// MaxConnections bounds open connections in all and from one client
	// address (0: no bound from one address, for a proxy in front).
	MaxConnections, MaxClientConnections int
	// MinFreeDisk is the free space on the data directory's disk below which
	// /readyz reports not ready (0: not checked).
	MinFreeDisk uint64
	// SSO is single sign-on for staff through the organisation's OpenID
	// provider (DATALEK_OIDC_*, sso.go); nil without it.
	SSO *api.OIDC
	// SessionIdle, SessionMax, InvitationValid, TrustedProxies: sessions.go.
	SessionIdle, SessionMax, InvitationValid time.Duration
	TrustedProxies                           []*net.IPNet
	Backup                                   *BackupConfig   // backup.go; nil without DATALEK_BACKUP_DIR
	Retention                                RetentionConfig // retention.go
}

// setting describes one configuration setting for flags, environment and
// error messages.
type setting struct {
	flag, env, def, usage string
	dst                   *string
}

// ParseConfig reads the configuration from args and getenv. A bad setting is
// an error naming the setting by its flag and variable.
func ParseConfig(args []string, getenv func(string) string, usage io.Writer) (Config, error) {
	var c Config
	getenv, errFiles := secretFiles(getenv) // DATALEK_*_FILE: credentials.go
	var mailTo, processorReminders, authorityReminders, questionReminders, mailMaxAge, mailKeep, subjectsWithin, minFreeDisk string
	var writeRate, writeBurst, maxConns, maxClientConns string
	var sso, sessions, backups, metrics, retention = ssoSettings{}, sessionSettings{}, backupSettings{}, metricsSettings{}, retentionSettings{}
	settings := []setting{
		{"addr", "DATALEK_ADDR", "127.0.0.1:8080", "listen address (host:port)", &c.Addr},
		{"data-dir", "DATALEK_DATA_DIR", "./data", "directory for the database and written mail", &c.DataDir},
		{"admin-token", "DATALEK_ADMIN_TOKEN", "", "operator secret, stored hashed as an admin token (at least 24 random characters, e.g. openssl rand -hex 24); prefer the variable, a flag shows in the process list", &c.AdminToken},
		{"smtp-url", "DATALEK_SMTP_URL", "", "smtp://user:pass@host:587?tls=starttls|tls|none; empty writes mail as .eml files", &c.SMTPURL},
		{"smtp-ca-file", "DATALEK_SMTP_CA_FILE", "", "PEM file of the CA certificates that sign the SMTP server's certificate (an internal relay), trusted instead of the system's", &c.SMTPCAFile},
		{"smtp-server-name", "DATALEK_SMTP_SERVER_NAME", "", "name the SMTP server's certificate must carry, when the URL reaches it by another (default: the URL's host)", &c.SMTPServerName},
		{"mail-from", "DATALEK_MAIL_FROM", "datalek@localhost", "sender address of the mails", &c.MailFrom},
		{"mail-to", "DATALEK_MAIL_TO", "datalekken@hetcak.nl", "privacy mailbox, comma-separated addresses", &mailTo},
		{"base-url", "DATALEK_BASE_URL", "", "public URL of the service, for links in mails (default http://ADDR)", &c.BaseURL},
		{"sweep", "DATALEK_SWEEP", "@every 1m", "robfig/cron spec of the deadline sweep", &c.Sweep},
		{"digest", "DATALEK_DIGEST", "CRON_TZ=Europe/Amsterdam 0 8 * * 1-5", "robfig/cron spec of the daily digest of open breaches", &c.Digest},
		{"processor-reminders", "DATALEK_PROCESSOR_REMINDERS", "6h,1h", "reminders to the reporter before the 24-hour deadline", &processorReminders},
		{"authority-reminders", "DATALEK_AUTHORITY_REMINDERS", "48h,24h,12h,4h,1h", "reminders to the mailbox before the 72-hour deadline", &authorityReminders},
		{"question-reminders", "DATALEK_QUESTION_REMINDERS", "2h", "reminders to the reporter before a question's due time", &questionReminders},
		{"subjects-within", "DATALEK_SUBJECTS_WITHIN", "72h", "time after a decision to inform the people affected at which the privacy mailbox is alerted while no communication to them is recorded", &subjectsWithin},
		{"mail-max-age", "DATALEK_MAIL_MAX_AGE", "15m", "age of the oldest unsent mail at which /readyz reports not ready", &mailMaxAge},
		{"controller-name", "DATALEK_CONTROLLER_NAME", "", "the controller's name, for the AP form and letters to the people affected", &c.Controller.Name},
		{"controller-address", "DATALEK_CONTROLLER_ADDRESS", "", "the controller's address, for the AP form", &c.Controller.Address},
		{"controller-registration", "DATALEK_CONTROLLER_REGISTRATION", "", "the controller's KvK or OIN number, for the AP form", &c.Controller.Registration},
		{"controller-dpo", "DATALEK_CONTROLLER_DPO", "", "the data-protection officer: name, phone, e-mail (the AP form's contact; the letters' unless -subjects-contact)", &c.Controller.DPO},
		{"controller-notifier", "DATALEK_CONTROLLER_NOTIFIER", "", "who files with the AP by default: name, function, phone, e-mail", &c.Controller.Notifier},
		{"subjects-contact", "DATALEK_SUBJECTS_CONTACT", "", "the contact point the letter to the people affected names (default: -controller-dpo)", &c.Controller.SubjectsContact},
		{"mail-keep", "DATALEK_MAIL_KEEP", "720h", "how long a sent mail is kept whole before only its log entry is kept (0: for ever)", &mailKeep},
		{"body-limit", "DATALEK_BODY_LIMIT", "256K", "largest request body accepted (e.g. 512K, 1M)", &c.BodyLimit},
		{"write-rate", "DATALEK_WRITE_RATE", "1", "writes per second one token may sustain; 0 is no limit", &writeRate},
		{"write-burst", "DATALEK_WRITE_BURST", "60", "writes one token may make at once before the rate applies", &writeBurst},
		{"max-connections", "DATALEK_MAX_CONNECTIONS", "1024", "open connections in all", &maxConns},
		{"max-client-connections", "DATALEK_MAX_CLIENT_CONNECTIONS", "128", "open connections from one client address; 0 is no bound (behind a proxy)", &maxClientConns},
		{"min-free-disk", "DATALEK_MIN_FREE_DISK", "256M", "free space on the data directory's disk below which /readyz reports not ready (e.g. 256M, 1G; 0: not checked)", &minFreeDisk},
	}
	settings = append(append(settings, sso.settings()...), auditSettings(&c)...)
	settings = append(append(append(append(settings, sessions.settings()...), backups.settings()...), metrics.settings()...), retention.settings()...)
	fs := flag.NewFlagSet("datalekd", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned as one line; usage only on -h
	for _, s := range settings {
		fs.StringVar(s.dst, s.flag, s.def, s.usage+" ["+s.env+"]")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(usage)
			fmt.Fprintln(usage, "Usage: datalekd [flags]; each flag can also be set by the variable in brackets (a flag wins).")
			fs.PrintDefaults()
		}
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// The environment applies after parsing, not as flag defaults, so that
	// usage and errors never print a secret taken from it.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, s := range settings {
		if v, ok := lookup(getenv, s.env); ok && !set[s.flag] {
			*s.dst = v
		}
	}
	name := map[*string]string{}
	for _, s := range settings {
		name[s.dst] = fmt.Sprintf("-%s / %s", s.flag, s.env)
	}
	for _, a := range strings.Split(mailTo, ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.MailTo = append(c.MailTo, a)
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	var errReminders, errAuthority, errQuestion, errMaxAge, errKeep, errWithin, errFreeDisk error
	c.ProcessorReminders, errReminders = durations(processorReminders)
	c.AuthorityReminders, errAuthority = durations(authorityReminders)
	c.QuestionReminders, errQuestion = durations(questionReminders)
	if c.MailMaxAge, errMaxAge = time.ParseDuration(mailMaxAge); errMaxAge == nil && c.MailMaxAge <= 0 {
		errMaxAge = errors.New("must be positive")
	}
	if c.SubjectsWithin, errWithin = time.ParseDuration(subjectsWithin); errWithin == nil && c.SubjectsWithin <= 0 {
		errWithin = errors.New("must be positive")
	}
	if c.MailKeep, errKeep = time.ParseDuration(mailKeep); errKeep == nil && c.MailKeep < 0 {
		errKeep = errors.New("must not be negative")
	}
	var errRate, errBurst, errConns, errClientConns error
	c.WriteLimit.PerSecond, errRate = nonNegativeFloat(writeRate)
	c.WriteLimit.Burst, errBurst = count(writeBurst, 1)
	c.MaxConnections, errConns = count(maxConns, 1)
	c.MaxClientConnections, errClientConns = count(maxClientConns, 0)
	c.MinFreeDisk, errFreeDisk = diskSize(minFreeDisk)
	check := func(dst *string, err error) error {
		if err != nil {
			return fmt.Errorf("invalid %s: %w", name[dst], err)
		}
		return nil
	}
	var errSSO error
	c.SSO, errSSO = sso.config(c.BaseURL, check)
	return c, errors.Join(
		check(&c.Addr, validAddr(c.Addr)),
		check(&c.DataDir, nonEmpty(c.DataDir)),
		check(&c.AdminToken, validAdminToken(c.AdminToken)),
		check(&c.SMTPURL, validSMTPURL(c.SMTPURL)),
		check(&c.SMTPCAFile, validCAFile(c.SMTPCAFile, c.SMTPURL)),
		check(&c.SMTPServerName, validServerName(c.SMTPServerName, c.SMTPURL)),
		check(&c.MailFrom, validAddress(c.MailFrom)),
		check(&mailTo, validMailTo(c.MailTo)),
		check(&c.BaseURL, validBaseURL(c.BaseURL)),
		check(&c.Sweep, validCron(c.Sweep)),
		check(&c.Digest, validCron(c.Digest)),
		check(&processorReminders, errReminders),
		check(&authorityReminders, errAuthority),
		check(&questionReminders, errQuestion),
		check(&subjectsWithin, errWithin),
		check(&mailMaxAge, errMaxAge),
		check(&mailKeep, errKeep),
		check(&c.BodyLimit, validSize(c.BodyLimit)),
		check(&writeRate, errRate),
		check(&writeBurst, errBurst),
		check(&maxConns, errConns),
		check(&maxClientConns, errClientConns),
		check(&minFreeDisk, errFreeDisk),
		errSSO, check(&c.AuditKey, validAuditKey(c.AuditKey)),
		sessions.config(&c, check), backups.config(&c, check), metrics.config(&c, check), retention.config(&c, check),
		errFiles,
	)
}

// oneLine joins a multi-line error (several bad settings) into one line.
func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

// lookup reads an environment variable; set but empty counts as unset.
func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

func validAddr(s string) error {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("%q is not host:port", s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port", s)
	}
	return nil
}

func nonEmpty(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must not be empty")
	}
	return nil
}

// validAdminToken asks the domain whether the operator secret is strong
// enough; its message never repeats the secret.
func validAdminToken(s string) error {
	if s == "" {
		return nil
	}
	return breach.CheckOperatorSecret(s)
}

// validSMTPURL checks smtp://user:pass@host:port?tls=starttls|tls|none. The
// message never repeats the URL, which may hold a password.
func validSMTPURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case u.Scheme != "smtp" && u.Scheme != "smtps":
		return errors.New("scheme must be smtp or smtps")
	case u.Hostname() == "":
		return errors.New("no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return errors.New("invalid port")
		}
	}
	switch u.Query().Get("tls") {
	case "", "starttls", "tls", "none":
	default:
		return errors.New("tls must be starttls, tls or none")
	}
	return nil
}

// usesTLS reports whether an SMTP URL (valid or empty) talks TLS.
func usesTLS(smtpURL string) bool {
	u, err := url.Parse(smtpURL)
	return smtpURL != "" && err == nil && u.Query().Get("tls") != "none"
}

func validCAFile(file, smtpURL string) error {
	switch {
	case file == "":
		return nil
	case !usesTLS(smtpURL):
		return errors.New("has no effect without an SMTP URL that uses TLS (tls=starttls or tls)")
	}
	_, err := notify.CertPool(file)
	return err
}

// hostName matches a DNS name (letters, digits, hyphens, dots).
var hostName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$`)

func validServerName(name, smtpURL string) error {
	switch {
	case name == "":
		return nil
	case !usesTLS(smtpURL):
		return errors.New("has no effect without an SMTP URL that uses TLS (tls=starttls or tls)")
	case !hostName.MatchString(name) && net.ParseIP(name) == nil:
		return fmt.Errorf("%q is not a host name", name)
	}
	return nil
}

func validAddress(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return fmt.Errorf("%q is not an e-mail address", s)
	}
	return nil
}

func validMailTo(addrs []string) error {
	if len(addrs) == 0 {
		return errors.New("needs at least one address")
	}
	for _, a := range addrs {
		if err := validAddress(a); err != nil {
			return err
		}
	}
	return nil
}

func validBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

func validCron(spec string) error {
	if _, err := cron.ParseStandard(spec); err != nil {
		return fmt.Errorf("%q: %v", spec, err)
	}
	return nil
}

// durations parses a comma-separated list of positive durations ("6h,1h").
func durations(s string) ([]time.Duration, error) {
	var ds []time.Duration
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		d, err := time.ParseDuration(part)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%q is not a positive duration such as 6h or 30m", part)
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// validSize accepts what echo's body limit middleware accepts, by the parser
// it uses: a number with an optional K, M or G suffix.
func validSize(s string) error {
	if n, err := bytes.Parse(s); err != nil || n <= 0 {
		return fmt.Errorf("%q is not a size such as 512K or 1M", s)
	}
	return nil
}

// nonNegativeFloat parses a rate: a number, 0 or more.
func nonNegativeFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errors.New("must be a number, 0 or more")
	}
	return v, nil
}

// count parses a whole number of at least least.
func count(s string, least int) (int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < least {
		return 0, fmt.Errorf("must be a whole number, %d or more", least)
	}
	return v, nil
}

// diskSize parses a size such as 256M or 1G, or 0.
func diskSize(s string) (uint64, error) {
	if strings.TrimSpace(s) == "0" {
		return 0, nil
	}
	n, err := bytes.Parse(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size such as 256M or 1G (or 0)", s)
	}
	return uint64(n), nil
}
