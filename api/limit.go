package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"datalek/breach"
)

// WriteLimit bounds how much one token may change (file, amend, report a
// development, answer, record a step), so that one supplier, by mistake or
// on purpose, cannot fill the disk or flood the privacy mailbox: every
// change is stored for good and may cause mail. A write costs one unit for
// every started WriteUnit bytes of its body, or of the breach it leaves if
// that is larger: the mails of a change refer to a snapshot of the whole
// breach, so a one-field correction of a large breach stores as much as the
// breach. Large writes use up the limit faster than small ones. Reads are
// not limited.
type WriteLimit struct {
	PerSecond float64 // units per second a token may sustain; 0 is no limit
	Burst     int     // units a token may use at once before the rate applies
}

// WriteUnit is the body size one unit of a WriteLimit pays for: a filing of
// the example report costs one unit, a report of the largest size sixteen.
const WriteUnit = 4 << 10

// DefaultWriteLimit lets a token write a minute's worth at once (a backlog,
// a form with many steps) and then a unit a second: far more than a supplier
// or the privacy adviser does by hand, and a few kilobytes a second at most
// for anyone.
var DefaultWriteLimit = WriteLimit{PerSecond: 1, Burst: 60}

// SetWriteLimit sets the limit; call it before serving.
func (s *Server) SetWriteLimit(l WriteLimit) {
	s.writes = nil
	if l.PerSecond > 0 {
		s.writes = &writeLimiter{limit: rate.Limit(l.PerSecond), burst: max(l.Burst, 1), tokens: map[string]*tokenLimiter{}}
	}
}

// writeLimiter keeps a token bucket per API token, forgetting those unused
// for a while.
type writeLimiter struct {
	limit  rate.Limit
	burst  int
	mu     sync.Mutex
	tokens map[string]*tokenLimiter
	calls  int
}

type tokenLimiter struct {
	*rate.Limiter
	last time.Time
}

// forgetAfter is how long an unused token's bucket is kept at least; it is
// forgotten only once it is full again (a write charged afterwards can leave
// it in debt for longer), so forgetting it changes nothing.
func (w *writeLimiter) forgetAfter() time.Duration {
	return time.Duration(float64(w.burst)/float64(w.limit)*float64(time.Second)) + time.Minute
}

// allow takes cost units of token's bucket at now, or says how long to wait.
func (w *writeLimiter) allow(token string, cost int, now time.Time) (wait time.Duration, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.calls++; w.calls%1000 == 0 {
		for id, t := range w.tokens {
			if now.Sub(t.last) > w.forgetAfter() && t.TokensAt(now) >= float64(w.burst) {
				delete(w.tokens, id)
			}
		}
	}
	t := w.tokens[token]
	if t == nil {
		t = &tokenLimiter{Limiter: rate.NewLimiter(w.limit, w.burst)}
		w.tokens[token] = t
	}
	t.last = now
	r := t.ReserveN(now, min(cost, w.burst))
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}

// charge takes cost more units of token's bucket at now for a write already
// done, leaving the bucket in debt if need be: the next write waits for it.
func (w *writeLimiter) charge(token string, cost int, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t := w.tokens[token]; t != nil && cost > 0 {
		t.ReserveN(now, min(cost, w.burst))
	}
}

// units is what a write of size bytes costs.
func units(size int64) int { return 1 + int(max(size-1, 0)/WriteUnit) }

// limitWrites refuses a write beyond the token's limit with 429 and the
// seconds until it would be allowed. It runs after authentication, so it
// counts per token, not per address; the body's size is what the client
// declares (the body limit refuses a larger one). A write that left a
// breach larger than its body pays the difference afterwards; the breach's
// size is its answer's, which shows it whole (a supplier's view leaves out
// only the controller's deliberation, which the supplier did not write).
func (s *Server) limitWrites(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		a, ok := c.Get(actorKey).(breach.Actor)
		if !ok || s.writes == nil {
			return next(c)
		}
		size := c.Request().ContentLength
		if size < 0 { // a chunked body declares no length: it pays for the largest it could be
			size = s.bodyLimit
		}
		cost := units(size)
		if wait, ok := s.writes.allow(a.TokenID, cost, time.Now()); !ok {
			seconds := int(math.Ceil(wait.Seconds()))
			c.Response().Header().Set("Retry-After", strconv.Itoa(seconds))
			return &requestError{status: http.StatusTooManyRequests,
				detail: fmt.Sprintf("Met dit token is in korte tijd te veel gewijzigd; probeer het over %d seconden opnieuw.", seconds)}
		}
		err := next(c)
		if res := c.Response(); err == nil && res.Status < http.StatusBadRequest {
			s.writes.charge(a.TokenID, units(res.Size)-cost, time.Now())
		}
		return err
	}
}
