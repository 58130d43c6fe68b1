// Package smtptest runs a real SMTP server on 127.0.0.1 for tests: it speaks
// SMTP over TCP (github.com/emersion/go-smtp), optionally demands AUTH PLAIN,
// keeps every message it accepts, and can be stopped and started again on
// the same port to stage an outage.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message as the server received it.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Parsed parses the message's headers and body.
func (m Message) Parsed(tb testing.TB) *mail.Message {
	tb.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		tb.Fatalf("smtptest: message does not parse: %v", err)
	}
	return msg
}

// Server is a running (or stopped) test SMTP server.
type Server struct {
	Addr           string // 127.0.0.1:port, the same across Stop and Start
	User, Password string // when set, AUTH PLAIN with these is required
	// Refuse, when set, says which recipients are refused for good (550),
	// as a server refuses an address that does not exist.
	Refuse func(rcpt string) bool
	// TLS, when set before Start, is the server's certificate: offered with
	// STARTTLS, or from the first byte when Implicit (port 465 style).
	TLS      *tls.Config
	Implicit bool

	tb       testing.TB
	mu       sync.Mutex
	messages []Message
	server   *smtp.Server
	listener net.Listener
}

// New starts a server on a free port on 127.0.0.1 and stops it when the test
// ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{tb: tb, Addr: "127.0.0.1:0"}
	s.Start()
	tb.Cleanup(s.Stop)
	return s
}

// Start (re)starts the server on its address.
func (s *Server) Start() {
	s.tb.Helper()
	var l net.Listener
	var err error
	for range 50 { // the port of a stopped server may take a moment to be free
		if l, err = net.Listen("tcp", s.Addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.tb.Fatalf("smtptest: listen: %v", err)
	}
	s.Addr = l.Addr().String()
	if s.TLS != nil && s.Implicit {
		l = tls.NewListener(l, s.TLS)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{server: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	if s.TLS != nil && !s.Implicit {
		srv.TLSConfig = s.TLS // offers STARTTLS
	}
	s.mu.Lock()
	s.server, s.listener = srv, l
	s.mu.Unlock()
	go srv.Serve(l)
}

// Stop closes the server: new connections are refused until Start.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, l := s.server, s.listener
	s.server, s.listener = nil, nil
	s.mu.Unlock()
	if srv != nil {
		l.Close() // closed here too: Serve may not have taken it yet
		srv.Close()
	}
}

// Messages returns the messages received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor waits until at least n messages were received, failing the test
// after timeout.
func (s *Server) WaitFor(n int, timeout time.Duration) []Message {
	s.tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if msgs := s.Messages(); len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("smtptest: %d messages after %s, want %d", len(s.Messages()), timeout, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type session struct {
	server *Server
	authed bool
	msg    Message
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (s *session) AuthMechanisms() []string {
	if s.server.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != s.server.User || pass != s.server.Password {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.server.User != "" && !s.authed {
		return errAuthRequired
	}
	s.msg = Message{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.server.Refuse != nil && s.server.Refuse(to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.Data = data
	s.server.mu.Lock()
	s.server.messages = append(s.server.messages, s.msg)
	s.server.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.msg = Message{} }
func (s *session) Logout() error { return nil }

// NewTLS starts a server like New whose certificate, for host, is signed by
// a certificate authority made for the test: a relay with an organisation's
// private CA. It returns the server and the CA certificate as a PEM file.
func NewTLS(tb testing.TB, host string, implicit bool) (*Server, string) {
	tb.Helper()
	cfg, caFile := Certificate(tb, host)
	s := &Server{tb: tb, Addr: "127.0.0.1:0", TLS: cfg, Implicit: implicit}
	s.Start()
	tb.Cleanup(s.Stop)
	return s, caFile
}

// Certificate makes a certificate authority and a server certificate for
// host (a DNS name only, no IP address) signed by it, and returns the
// server's TLS configuration and the CA certificate written as a PEM file.
func Certificate(tb testing.TB, host string) (*tls.Config, string) {
	tb.Helper()
	must := func(err error) {
		if err != nil {
			tb.Fatalf("smtptest: certificate: %v", err)
		}
	}
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "datalek test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	must(err)
	ca, err = x509.ParseCertificate(caDER)
	must(err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	must(err)
	caFile := filepath.Join(tb.TempDir(), "ca.pem")
	must(os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600))
	cert := tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, caFile
}
