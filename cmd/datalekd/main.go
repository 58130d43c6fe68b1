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

	"datalek/api"
	"datalek/breach"
	"datalek/store"
)

func main() {
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

	server   *http.Server
	listener net.Listener
	served   chan error
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
	if m.DB, err = store.Open(filepath.Join(cfg.DataDir, DatabaseFile)); err != nil {
		return err
	}
	m.Service = breach.NewService(m.DB)
	if cfg.AdminToken != "" {
		if err := m.Service.BootstrapAdmin(ctx, cfg.AdminToken); err != nil {
			return fmt.Errorf("bootstrap admin token: %w", err)
		}
	}
	m.API = api.NewServer(m.Service, m.Logger, cfg.BodyLimit)
	m.API.Ready = m.DB.Ping

	if m.listener, err = net.Listen("tcp", cfg.Addr); err != nil {
		return err
	}
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

// Addr is the address the service listens on (useful with port 0).
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Close stops accepting requests, lets in-flight ones finish, and closes the
// database.
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
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	return errors.Join(errs...)
}
