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
	"github.com/labstack/gommon/bytes"

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
	// DiskFree, when set, returns the bytes free on the disk of the data
	// directory; below MinFreeDisk the service reports itself not ready,
	// before the store can no longer write.
	DiskFree    func() (uint64, error)
	MinFreeDisk uint64

	// InsecureCookies leaves the Secure flag off the session cookie, for a
	// service served over plain HTTP (on loopback, or in tests).
	InsecureCookies bool
	// SSO, when set, lets staff sign in through the organisation's OpenID
	// provider (oidc.go).
	SSO *OIDC
	// Metrics are the Prometheus metrics (metrics.go), on a registry of
	// this server's own; the binary serves them on an address of their own.
	Metrics *Metrics

	writes    *writeLimiter // per token; nil is no limit
	signIns   *signInLimiter
	sentForms sentForms
	bodyLimit int64 // bytes; what a write of unknown length is charged
}

// DefaultMaxMailAge is MaxMailAge unless configured.
const DefaultMaxMailAge = 15 * time.Minute

// Readiness is what /readyz reports. Anyone may ask whether the service is
// ready; how the store, the mail and the disk stand is shown to an admin
// only (a bearer token with the admin role), since the mail counters say how
// many breaches come in.
type Readiness struct {
	Ready bool `json:"ready"`
	// Problem says why the service is not ready, in Dutch: for an admin the
	// causes, for anyone else only that there is one.
	Problem string            `json:"problem,omitempty"`
	Store   string            `json:"store,omitempty"` // "ok" or "unavailable"
	Mail    *breach.MailStats `json:"mail,omitempty"`
	// OldestPendingSeconds is the age of the oldest mail not yet sent.
	OldestPendingSeconds *int64    `json:"oldest_pending_seconds,omitempty"`
	Disk                 *DiskFree `json:"disk,omitempty"`
}

// DiskFree is how much room the data directory's disk has left.
type DiskFree struct {
	FreeBytes    uint64 `json:"free_bytes"`
	MinFreeBytes uint64 `json:"min_free_bytes"`
}

// notReady is the problem an anonymous caller is shown.
const notReady = "De dienst is niet gereed. De beheerder ziet de oorzaak in /readyz met een beheerderstoken, en in het log van de dienst."

// NewServer builds the echo instance with its middleware and routes.
func NewServer(svc *breach.Service, logger *slog.Logger, bodyLimit string) *Server {
	s := &Server{Echo: echo.New(), Service: svc, Logger: logger, Ping: func() error { return nil }, MaxMailAge: DefaultMaxMailAge, Metrics: NewMetrics(svc)}
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
	e.Use(noStore) // before any middleware that may answer itself, such as BodyLimit's 413
	e.Use(middleware.BodyLimit(bodyLimit))
	s.bodyLimit, _ = bytes.Parse(bodyLimit) // as the middleware parses it

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
	s.registerAccountRoutes(v1)
	s.registerOrganisationRoutes(v1)
	s.registerMailRoutes(v1)
	v1.GET("/catalogue/personal-data", s.handleCatalogue)
	s.registerPageRoutes(e)
	return s
}

// logRequest writes one line per request: action, object (the route, never
// the raw path or query), result, origin and actor; never a secret or
// personal data.
func (s *Server) logRequest(c echo.Context, v middleware.RequestLoggerValues) error {
	attrs := []any{"method", v.Method, "route", v.RoutePath, "status", v.Status,
		"latency_ms", float64(v.Latency.Microseconds()) / 1000, "request_id", v.RequestID, "origin", c.RealIP()}
	if a, ok := c.Get(actorKey).(breach.Actor); ok {
		attrs = append(attrs, "token_id", a.TokenID, "account_id", a.AccountID, "role", a.Role)
	}
	level := slog.LevelInfo
	if v.Status >= 500 {
		level = slog.LevelError
	}
	s.Logger.Log(c.Request().Context(), level, "request", attrs...)
	s.Metrics.observeRequest(v)
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
// open, mail is flowing, the disk has room); 503 otherwise. The details are
// for an admin only.
func (s *Server) handleReady(c echo.Context) error {
	r := s.readiness(c.Request().Context())
	status := http.StatusOK
	if !r.Ready {
		status = http.StatusServiceUnavailable
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if !s.isAdmin(c) {
		r = Readiness{Ready: r.Ready}
		if !r.Ready {
			r.Problem = notReady
		}
	}
	return c.JSON(status, r)
}

// isAdmin reports whether the request carries a valid admin token. /readyz
// needs no token, so a missing or wrong one only means the short answer.
func (s *Server) isAdmin(c echo.Context) bool {
	scheme, secret, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		return false
	}
	a, err := s.Service.Authenticate(c.Request().Context(), strings.TrimSpace(secret))
	return err == nil && a.Role == breach.RoleAdmin
}

func (s *Server) readiness(ctx context.Context) Readiness {
	r := Readiness{Store: "ok"}
	if err := s.Ping(); err != nil {
		s.Logger.Warn("not ready: store", "err", err)
		r.Store, r.Problem = "unavailable", "De opslag is niet beschikbaar; zie het log van de dienst."
		return r
	}
	var problems []string
	if s.DiskFree != nil {
		free, err := s.DiskFree()
		switch {
		case err != nil:
			s.Logger.Warn("not ready: disk", "err", err)
			problems = append(problems, "De vrije ruimte op de schijf van de gegevensmap kan niet worden gelezen; zie het log van de dienst.")
		default:
			r.Disk = &DiskFree{FreeBytes: free, MinFreeBytes: s.MinFreeDisk}
			if free < s.MinFreeDisk {
				problems = append(problems, fmt.Sprintf("De schijf van de gegevensmap is (bijna) vol: nog %s vrij (grens %s). Maak ruimte vrij.",
					megabytes(free), megabytes(s.MinFreeDisk)))
			}
		}
	}
	stats, err := s.Service.MailStats(ctx)
	if err != nil {
		s.Logger.Warn("not ready: outbox", "err", err)
		problems = append(problems, "De mailwachtrij kan niet worden gelezen; zie het log van de dienst.")
	} else {
		r.Mail = &stats
		age := int64(0)
		if stats.OldestPending != nil {
			pending := s.now().Sub(*stats.OldestPending)
			age = int64(pending / time.Second)
			if pending > s.MaxMailAge {
				problems = append(problems, fmt.Sprintf("De oudste mail wacht al %s op verzending (grens %s): controleer de SMTP-server.",
					pending.Round(time.Second), s.MaxMailAge))
			}
		}
		r.OldestPendingSeconds = &age
		if stats.DeadMailbox > 0 {
			problems = append(problems, fmt.Sprintf("%d mail(s) voor de privacymailbox zijn als onbestelbaar apart gezet: "+
				"controleer de SMTP-server en DATALEK_MAIL_TO en verstuur ze opnieuw (POST /api/v1/mail/dead/resend).", stats.DeadMailbox))
		}
	}
	r.Problem = strings.Join(problems, " ")
	r.Ready = len(problems) == 0
	return r
}

// megabytes shows a number of bytes for the operator.
func megabytes(n uint64) string { return fmt.Sprintf("%d MB", n/1_000_000) }

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
