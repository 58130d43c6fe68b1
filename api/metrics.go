package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"datalek/breach"
)

// Metrics are the service's Prometheus metrics, on a registry of its own
// (never the global default, so that two servers in one test process count
// apart). The HTTP side counts as requests pass; how the outbox and the open
// breaches stand is read from the service when scraped. The binary adds
// its own (filings, alerts, the sweep) to Registry.
type Metrics struct {
	Registry *prometheus.Registry

	requests       *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	rateLimited    *prometheus.CounterVec
	signInFailures *prometheus.CounterVec
}

// NewMetrics registers the HTTP metrics and the scrape-time collector of
// svc on a new registry.
func NewMetrics(svc *breach.Service) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "datalek_http_requests_total", Help: "HTTP requests answered, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "datalek_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route template and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "datalek_rate_limited_total", Help: "Requests refused with 429 by a limiter (writes per token, sign-ins per address), by route template.",
		}, []string{"route"}),
		signInFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "datalek_signin_failures_total", Help: "Sign-in steps that failed, by step and error code.",
		}, []string{"step", "result"}),
	}
	m.Registry.MustRegister(m.requests, m.latency, m.rateLimited, m.signInFailures, stateCollector{svc})
	return m
}

// Handler serves the registry in Prometheus' exposition format. A collector
// that fails (the store cannot be read) leaves out its metrics, not the
// others.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry, ErrorHandling: promhttp.ContinueOnError})
}

// observeRequest counts an answered request; the route is the template
// (/api/v1/breaches/:id), never the raw path, so that the number of series
// stays bounded and no reference or identifier ends up in the metrics.
func (m *Metrics) observeRequest(v middleware.RequestLoggerValues) {
	route := v.RoutePath
	if route == "" {
		route = "unmatched"
	}
	method := v.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default: // a method of the client's own makes no series of its own
		method = "other"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(v.Status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(v.Latency.Seconds())
	if v.Status == http.StatusTooManyRequests {
		m.rateLimited.WithLabelValues(route).Inc()
	}
}

// signIn counts a failed sign-in step.
func (m *Metrics) signIn(step, result string) {
	if result != "ok" {
		m.signInFailures.WithLabelValues(step, result).Inc()
	}
}

// stateCollector reads, at scrape time, how the outbox and the open
// breaches stand. It reads the index of open breaches, so a scrape costs
// what is open, not the whole history.
type stateCollector struct{ svc *breach.Service }

var (
	descPending = prometheus.NewDesc("datalek_outbox_pending", "Mails in the outbox not yet sent.", nil, nil)
	descOldest  = prometheus.NewDesc("datalek_outbox_oldest_pending_seconds",
		"Age of the oldest mail not yet sent, by the service's clock (0 when none is pending).", nil, nil)
	descDead        = prometheus.NewDesc("datalek_outbox_dead", "Mails refused for good by the receiving server.", nil, nil)
	descDeadMailbox = prometheus.NewDesc("datalek_outbox_dead_mailbox",
		"Dead mails for the privacy mailbox (not ready until they are sent again).", nil, nil)
	descOpen      = prometheus.NewDesc("datalek_open_breaches", "Breaches not closed.", nil, nil)
	descDeadlines = prometheus.NewDesc("datalek_open_deadlines",
		"Deadlines of the open breaches by clock (processor: the supplier's 24 hours; authority: the 72 hours) and state now (running, overdue, met, late, stopped).",
		[]string{"clock", "state"}, nil)
)

func (c stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPending, descOldest, descDead, descDeadMailbox, descOpen, descDeadlines} {
		ch <- d
	}
}

func (c stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := c.svc.Now().UTC()
	if stats, err := c.svc.MailStats(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(descPending, err)
	} else {
		age := 0.0
		if stats.OldestPending != nil {
			age = max(now.Sub(*stats.OldestPending).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(stats.Pending))
		ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age)
		ch <- prometheus.MustNewConstMetric(descDead, prometheus.GaugeValue, float64(stats.Dead))
		ch <- prometheus.MustNewConstMetric(descDeadMailbox, prometheus.GaugeValue, float64(stats.DeadMailbox))
	}
	open, err := c.svc.Breaches.OpenBreaches(ctx, breach.StaffScope())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descOpen, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(descOpen, prometheus.GaugeValue, float64(len(open)))
	states := []breach.DeadlineState{breach.DeadlineRunning, breach.DeadlineOverdue, breach.DeadlineMet, breach.DeadlineLate, breach.DeadlineStopped}
	count := map[breach.Clock]map[breach.DeadlineState]int{breach.ClockProcessor: {}, breach.ClockAuthority: {}}
	for _, b := range open {
		d := b.DeadlinesAt(now)
		count[breach.ClockProcessor][d.Processor.State]++
		count[breach.ClockAuthority][d.Authority.State]++
	}
	for clock, byState := range count {
		for _, st := range states {
			ch <- prometheus.MustNewConstMetric(descDeadlines, prometheus.GaugeValue, float64(byState[st]), string(clock), string(st))
		}
	}
}
