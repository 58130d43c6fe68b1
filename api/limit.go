package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"datalek/breach"
)

// WriteLimit bounds how often one token may change something (file, amend,
// report a development, answer, record a step), so that one supplier, by
// mistake or on purpose, cannot fill the disk or flood the privacy mailbox:
// every change is stored for good and may cause mail. Reads are not limited.
type WriteLimit struct {
	PerSecond float64 // sustained writes per second; 0 is no limit
	Burst     int     // writes allowed at once before the sustained rate applies
}

// DefaultWriteLimit lets a token write a minute's worth at once (a backlog,
// a form with many steps) and then one write a second: far more than a
// supplier or the privacy adviser does by hand.
var DefaultWriteLimit = WriteLimit{PerSecond: 1, Burst: 60}

// SetWriteLimit sets the limit; call it before serving.
func (s *Server) SetWriteLimit(l WriteLimit) {
	s.writes, s.retryAfter = nil, 0
	if l.PerSecond <= 0 {
		return
	}
	s.writes = middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(l.PerSecond), Burst: max(l.Burst, 1), ExpiresIn: 10 * time.Minute})
	s.retryAfter = int(math.Ceil(1 / l.PerSecond))
}

// limitWrites refuses a write beyond the token's limit with 429 and the
// seconds until the next write is allowed. It runs after authentication,
// so it counts per token, not per address.
func (s *Server) limitWrites(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, ok := c.Get(actorKey).(breach.Actor)
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if !ok || s.writes == nil {
			return next(c)
		}
		if allowed, err := s.writes.Allow(a.TokenID); err != nil || !allowed {
			c.Response().Header().Set("Retry-After", strconv.Itoa(s.retryAfter))
			return &requestError{status: http.StatusTooManyRequests,
				detail: fmt.Sprintf("Met dit token zijn in korte tijd te veel wijzigingen gedaan; probeer het over %d seconden opnieuw.", s.retryAfter)}
		}
		return next(c)
	}
}
