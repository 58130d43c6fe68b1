// Package api is the HTTP interface of the datalek service, on echo.
package api

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"datalek/breach"
)

// DefaultBodyLimit bounds a request body. A report may be 64 KiB as JSON
// (breach.MaxReportBytes); a body of four times that leaves room for escapes
// and stops abuse before anything is decoded.
const DefaultBodyLimit = "256K"

// Server serves the JSON API.
type Server struct {
	Echo    *echo.Echo
	Service *breach.Service
	Logger  *slog.Logger
	// Ping checks that the store is open.
	Ping func() error
	// MaxMailAge is how old the oldest unsent mail may grow before the
	// service reports itself not ready: a mail that does not leave is the
	// worst failure this service can have.
	MaxMailAge time.Duration

	writes *writeLimiter // per token; nil is no limit
}

// DefaultMaxMailAge is MaxMailAge unless configured.
const DefaultMaxMailAge = 15 * time.Minute

// Readiness is what /readyz reports.
type Readiness struct {
	Ready bool              `json:"ready"`
	Store string            `json:"store"` // "ok" or "unavailable"
	Mail  *breach.MailStats `json:"mail,omitempty"`
	// OldestPendingSeconds is the age of the oldest mail not yet sent.
	OldestPendingSeconds int64  `json:"oldest_pending_seconds"`
	Problem              string `json:"problem,omitempty"` // in Dutch, for the operator
}

// NewServer builds the echo instance with its middleware and routes.
func NewServer(svc *breach.Service, logger *slog.Logger, bodyLimit string) *Server {
	s := &Server{Echo: echo.New(), Service: svc, Logger: logger, Ping: func() error { return nil }, MaxMailAge: DefaultMaxMailAge}
	e := s.Echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.JSONSerializer = jsonSerializer{}
	// The origin logged is the connection's own address: a client's
	// X-Forwarded-For is not trusted unless a proxy in front is configured
	// to set it (then set Echo.IPExtractor accordingly when wiring).
	e.IPExtractor = echo.ExtractIPDirect()
	// A request ID is always the server's own, never one a client sent.
	e.Pre(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Request().Header.Del(echo.HeaderXRequestID)
			return next(c)
		}
	})
	e.Use(middleware.RequestID())
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogLatency: true, LogMethod: true, LogRoutePath: true, LogRequestID: true, LogError: true,
		HandleError:   true,
		LogValuesFunc: s.logRequest,
	}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{ContentTypeNosniff: "nosniff", XFrameOptions: "DENY"}))
	e.Use(middleware.BodyLimit(bodyLimit))
	e.Use(noStore)

	e.GET("/healthz", s.handleHealth)
	e.GET("/readyz", s.handleReady)
	e.GET(openAPIPath, s.handleOpenAPI)

	// Authentication runs for every /api/v1 path, matched or not, so that an
	// anonymous caller learns nothing of the routes; as server middleware (not
	// group middleware) it leaves echo's 405 for a wrong method intact.
	e.Use(s.authenticate)
	e.Use(s.limitWrites)
	s.SetWriteLimit(DefaultWriteLimit)
	v1 := e.Group(apiPrefix)
	s.registerBreachRoutes(v1)
	s.registerTriageRoutes(v1)
	s.registerTokenRoutes(v1)
	v1.GET("/catalogue/personal-data", s.handleCatalogue)
	return s
}

// logRequest writes one line per request: action, object (the route, never
// the raw path or query), result, origin and actor; never a secret or
// personal data.
func (s *Server) logRequest(c echo.Context, v middleware.RequestLoggerValues) error {
	attrs := []any{"method", v.Method, "route", v.RoutePath, "status", v.Status,
		"latency_ms", float64(v.Latency.Microseconds()) / 1000, "request_id", v.RequestID, "origin", c.RealIP()}
	if a, ok := c.Get(actorKey).(breach.Actor); ok {
		attrs = append(attrs, "token_id", a.TokenID, "role", a.Role)
	}
	level := slog.LevelInfo
	if v.Status >= 500 {
		level = slog.LevelError
	}
	s.Logger.Log(c.Request().Context(), level, "request", attrs...)
	return nil
}

const (
	actorKey  = "actor"
	apiPrefix = "/api/v1"
)

// authenticate resolves the bearer token to an actor; every /api/v1 path
// needs one.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if p := c.Request().URL.Path; p != apiPrefix && !strings.HasPrefix(p, apiPrefix+"/") {
			return next(c)
		}
		scheme, secret, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			secret = ""
		}
		a, err := s.Service.Authenticate(c.Request().Context(), strings.TrimSpace(secret))
		if err != nil {
			return err
		}
		c.Set(actorKey, a)
		return next(c)
	}
}

func actor(c echo.Context) breach.Actor { return c.Get(actorKey).(breach.Actor) }

// handleHealth serves GET /healthz: the process is up.
func (s *Server) handleHealth(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady serves GET /readyz: the service can do its work (the store is
// open and mail is flowing); 503 otherwise.
func (s *Server) handleReady(c echo.Context) error {
	r := s.readiness(c.Request().Context())
	status := http.StatusOK
	if !r.Ready {
		status = http.StatusServiceUnavailable
	}
	return c.JSON(status, r)
}

func (s *Server) readiness(ctx context.Context) Readiness {
	r := Readiness{Store: "ok"}
	if err := s.Ping(); err != nil {
		s.Logger.Warn("not ready: store", "err", err)
		r.Store, r.Problem = "unavailable", "De opslag is niet beschikbaar; zie het log van de dienst."
		return r
	}
	stats, err := s.Service.MailStats(ctx)
	if err != nil {
		s.Logger.Warn("not ready: outbox", "err", err)
		r.Problem = "De mailwachtrij kan niet worden gelezen; zie het log van de dienst."
		return r
	}
	r.Mail = &stats
	if stats.OldestPending != nil {
		age := s.now().Sub(*stats.OldestPending)
		r.OldestPendingSeconds = int64(age / time.Second)
		if age > s.MaxMailAge {
			r.Problem = fmt.Sprintf("De oudste mail wacht al %s op verzending (grens %s): controleer de SMTP-server.",
				age.Round(time.Second), s.MaxMailAge)
			return r
		}
	}
	r.Ready = true
	return r
}

//go:embed openapi.json
var openAPIDocument []byte

// handleOpenAPI serves GET /openapi.json: the contract, for integrators.
func (s *Server) handleOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDocument)
}

// handleCatalogue serves GET /api/v1/catalogue/personal-data: the categories a
// report's personal_data may name, from Bijlage 1.
func (s *Server) handleCatalogue(c echo.Context) error {
	return c.JSON(http.StatusOK, itemsOf(breach.Catalogue()))
}

// list is the envelope of every collection response.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func itemsOf[T any](items []T) list[T] { return list[T]{Items: items} }

// jsonSerializer is echo's JSON serializer without HTML escaping.
type jsonSerializer struct{ echo.DefaultJSONSerializer }

func (jsonSerializer) Serialize(c echo.Context, i any, indent string) error {
	return jsonEncode(c.Response(), i)
}

// now is the moment a response describes, from the service's clock.
func (s *Server) now() time.Time { return s.Service.Now().UTC() }
