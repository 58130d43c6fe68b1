package main

import (
	"io"
	"net"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// sink is an SMTP server that accepts every mail and keeps none, for a run
// whose mail must leave the service (so that the data directory holds no
// .eml files) without going anywhere.
type sink struct {
	addr     string // where it listens
	server   *smtp.Server
	received atomic.Int64
}

// startSink listens on addr (host:port) and serves until close.
func startSink(addr string) (*sink, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &sink{addr: l.Addr().String()}
	s.server = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return sinkSession{s}, nil }))
	s.server.Domain = "sink.invalid"
	s.server.ReadTimeout, s.server.WriteTimeout = time.Minute, time.Minute
	s.server.MaxMessageBytes = 64 << 20
	go func() { _ = s.server.Serve(l) }()
	return s, nil
}

func (s *sink) close() { _ = s.server.Close() }

type sinkSession struct{ s *sink }

func (sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (x sinkSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	x.s.received.Add(1)
	return err
}
func (sinkSession) Reset()        {}
func (sinkSession) Logout() error { return nil }
