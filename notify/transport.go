package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP delivers through an SMTP server with go-mail.
type SMTP struct {
	host    string
	options []mail.Option
	desc    string
}

// TLS says how the relay's certificate is checked, for STARTTLS and implicit
// TLS alike: against the system's root certificates, or only against those in
// CAFile (PEM), the organisation's own CA for an internal relay; and for the
// host name of the URL, or ServerName when the relay is reached by another
// name (an IP address, an alias) than its certificate carries.
type TLS struct {
	CAFile     string
	ServerName string
}

// CertPool reads the PEM certificates in file. Errors name the file, never
// its contents.
func CertPool(file string) (*x509.CertPool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}

// NewSMTP configures delivery from a URL of the form
// smtp://user:pass@host:port?tls=starttls|tls|none. STARTTLS is the default
// and is then required; tls is implicit TLS (port 465 by default); none sends
// in the clear (port 25 by default). Credentials, when given, are used for
// AUTH with the strongest mechanism the server offers. t says how the
// server's certificate is checked.
func NewSMTP(rawURL string, t TLS) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("SMTP URL must be smtp://[user:pass@]host[:port][?tls=starttls|tls|none]")
	}
	mode := u.Query().Get("tls")
	if mode == "" {
		mode = "starttls"
		if u.Scheme == "smtps" {
			mode = "tls"
		}
	}
	opts := []mail.Option{mail.WithTimeout(30 * time.Second)}
	port := map[string]int{"starttls": 587, "tls": 465, "none": 25}[mode]
	switch mode {
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		return nil, fmt.Errorf("SMTP URL: tls must be starttls, tls or none")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP URL: bad port")
		}
	}
	opts = append(opts, mail.WithPort(port))
	if mode != "none" {
		cfg := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
		if t.ServerName != "" {
			cfg.ServerName = t.ServerName
		}
		if t.CAFile != "" {
			if cfg.RootCAs, err = CertPool(t.CAFile); err != nil {
				return nil, fmt.Errorf("SMTP CA file: %w", err)
			}
		}
		opts = append(opts, mail.WithTLSConfig(cfg))
	}
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		auth := mail.SMTPAuthAutoDiscover
		if mode == "none" {
			auth = mail.SMTPAuthPlainNoEnc // the operator chose no TLS for this server
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(user), mail.WithPassword(pass))
	}
	desc := fmt.Sprintf("smtp %s:%d (tls=%s, auth=%t)", u.Hostname(), port, mode, u.User.Username() != "")
	if t.CAFile != "" {
		desc += ", CA " + t.CAFile
	}
	if t.ServerName != "" {
		desc += ", certificate for " + t.ServerName
	}
	return &SMTP{host: u.Hostname(), options: opts, desc: desc}, nil
}

// Describe implements Transport.
func (s *SMTP) Describe() string { return s.desc }

// Send implements Transport over one connection.
func (s *SMTP) Send(ctx context.Context, msgs []*mail.Msg) []error {
	errs := make([]error, len(msgs))
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	if len(msgs) == 0 {
		return errs
	}
	client, err := mail.NewClient(s.host, s.options...)
	if err != nil {
		return fail(err)
	}
	if err := client.DialWithContext(ctx); err != nil {
		return fail(err)
	}
	defer client.Close()
	for i, m := range msgs {
		errs[i] = client.Send(m)
	}
	return errs
}

// Files writes each message as an .eml file in a directory: the transport of
// a service with no SMTP server, for development and for a person to read.
type Files struct{ Dir string }

// Describe implements Transport.
func (f Files) Describe() string { return "files in " + f.Dir }

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Send implements Transport. Each file is written under a temporary name,
// synced and renamed, so a reader never sees half a mail; its name comes from
// the Message-ID, so a resend replaces the same file.
func (f Files) Send(ctx context.Context, msgs []*mail.Msg) []error {
	errs := make([]error, len(msgs))
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	for i, m := range msgs {
		errs[i] = f.write(m)
	}
	if dir, err := os.Open(f.Dir); err == nil { // make the renames durable
		_ = dir.Sync()
		dir.Close()
	}
	return errs
}

func (f Files) write(m *mail.Msg) error {
	ids := m.GetGenHeader(mail.HeaderMessageID)
	if len(ids) == 0 {
		return errors.New("message has no Message-ID")
	}
	id, _, _ := strings.Cut(strings.Trim(ids[0], "<>"), "@")
	name := filepath.Join(f.Dir, unsafeName.ReplaceAllString(id, "_")+".eml")
	tmp, err := os.CreateTemp(f.Dir, ".writing-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; removes a failed attempt
	if _, err := m.WriteTo(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
