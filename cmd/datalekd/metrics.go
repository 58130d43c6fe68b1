package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"datalek/breach"
)

// metricsSettings say where the Prometheus metrics are served
// (DATALEK_METRICS_ADDR): an address of their own, not the service's, so
// that only the monitoring network reaches them; empty serves none.
type metricsSettings struct{ addr string }

func (s *metricsSettings) settings() []setting {
	return []setting{
		{"metrics-addr", "DATALEK_METRICS_ADDR", "", "listen address (host:port) of the Prometheus metrics at /metrics, e.g. 127.0.0.1:9090; empty: no metrics", &s.addr},
	}
}

// config reads the settings into c; check names a bad one.
func (s *metricsSettings) config(c *Config, check func(*string, error) error) error {
	c.MetricsAddr = s.addr
	if s.addr == "" {
		return nil
	}
	return check(&s.addr, validAddr(s.addr))
}

// serviceMetrics are what the binary counts: filings, alerts raised by the
// sweep and the deadlines they say were missed, deadlines met, and how long
// a sweep takes. They are counted by a decorator of the breach store, so
// that the domain knows nothing of Prometheus; the API adds the HTTP side
// and the outbox (api/metrics.go) to the same registry.
type serviceMetrics struct {
	filings *prometheus.CounterVec
	alerts  *prometheus.CounterVec
	missed  *prometheus.CounterVec
	met     *prometheus.CounterVec
	sweep   prometheus.Histogram

	server   *http.Server
	listener net.Listener
	served   chan error
}

// newServiceMetrics counts what passes through svc's breach store from now on.
func newServiceMetrics(svc *breach.Service) *serviceMetrics {
	m := &serviceMetrics{
		filings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "datalek_filings_total",
			Help: "Breaches filed (a filing sent again with its idempotency key counts once), by stage."}, []string{"stage"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "datalek_alerts_raised_total",
			Help: "Alerts raised by the sweep, by kind (processor_reminder, processor_overdue, authority_overdue, …)."}, []string{"kind"}),
		missed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "datalek_deadlines_missed_total",
			Help: "Deadlines missed: the first overdue alert of a clock raised by the sweep, by clock (processor, authority, subjects, question)."}, []string{"clock"}),
		met: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "datalek_deadlines_met_total",
			Help: "Deadlines met: the complete report (processor) or the notification to the AP (authority) recorded in time."}, []string{"clock"}),
		sweep: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "datalek_sweep_duration_seconds",
			Help: "How long a deadline sweep (with the pruning of sent mail) takes.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 9)}),
	}
	svc.Breaches = meteredStore{svc.Breaches, m, svc}
	return m
}

// timeSweep starts timing a sweep; call what it returns when it is done.
func (m *serviceMetrics) timeSweep() func() {
	if m == nil {
		return func() {}
	}
	began := time.Now()
	return func() { m.sweep.Observe(time.Since(began).Seconds()) }
}

// startMetrics registers the binary's metrics, and the Go runtime's and the
// process's (memory, open files), with the API's registry and, with
// DATALEK_METRICS_ADDR, serves them on their own listener.
func (m *Main) startMetrics() (err error) {
	reg := m.API.Metrics.Registry
	reg.MustRegister(m.metrics.filings, m.metrics.alerts, m.metrics.missed, m.metrics.met, m.metrics.sweep,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if m.Config.MetricsAddr == "" {
		return nil
	}
	mm := m.metrics
	if mm.listener, err = net.Listen("tcp", m.Config.MetricsAddr); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.API.Metrics.Handler())
	mm.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: time.Minute}
	mm.served = make(chan error, 1)
	go func() { mm.served <- mm.server.Serve(mm.listener) }()
	m.Logger.Info("metrics listening", "addr", mm.listener.Addr().String())
	return nil
}

// stopMetrics closes the metrics listener.
func (m *Main) stopMetrics() error {
	if m.metrics == nil || m.metrics.server == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	err := m.metrics.server.Shutdown(ctx)
	if served := <-m.metrics.served; !errors.Is(served, http.ErrServerClosed) {
		err = errors.Join(err, served)
	}
	return err
}

// MetricsAddr is the address the metrics are served on (useful with port 0).
func (m *Main) MetricsAddr() string { return m.metrics.listener.Addr().String() }

// meteredStore counts, as the store commits them, the filings, the alerts
// the sweep raises and the deadlines a change fulfils in time.
type meteredStore struct {
	breach.BreachStore
	m   *serviceMetrics
	svc *breach.Service // its clock and schedule, read at each call
}

func (s meteredStore) now() time.Time { return s.svc.Now() }

func (s meteredStore) CreateBreach(ctx context.Context, b *breach.Breach, idem *breach.Idempotency) (*breach.Breach, bool, error) {
	stored, replayed, err := s.BreachStore.CreateBreach(ctx, b, idem)
	if err == nil && !replayed {
		s.m.filings.WithLabelValues(string(stored.Stage)).Inc()
		if stored.DeadlinesAt(s.now()).Processor.State == breach.DeadlineMet { // filed complete in time
			s.m.met.WithLabelValues(string(breach.ClockProcessor)).Inc()
		}
	}
	return stored, replayed, err
}

// UpdateBreach counts a deadline met when the change stored fulfilled it in
// time. fn may run more than once; the state before the last run is what
// the stored change started from.
func (s meteredStore) UpdateBreach(ctx context.Context, scope breach.Scope, id string, fn func(*breach.Breach) error) (*breach.Breach, error) {
	var before breach.Deadlines
	stored, err := s.BreachStore.UpdateBreach(ctx, scope, id, func(b *breach.Breach) error {
		before = b.DeadlinesAt(s.now())
		return fn(b)
	})
	if err == nil {
		after := stored.DeadlinesAt(s.now())
		for clock, d := range map[breach.Clock][2]breach.Deadline{
			breach.ClockProcessor: {before.Processor, after.Processor}, breach.ClockAuthority: {before.Authority, after.Authority},
		} {
			if d[0].FulfilledAt == nil && d[1].State == breach.DeadlineMet {
				s.m.met.WithLabelValues(string(clock)).Inc()
			}
		}
	}
	return stored, err
}

// UpdateDue counts the alerts the sweep raised, read from the clocks' alert
// state: a clock whose state moved raised one alert, a reminder if it stands
// for an instant before the deadline, else an overdue alert (the rule of
// breach's alertsDue). A deadline is missed at its first overdue alert, the
// one after which the clock stands at or past its due time and before which
// it did not; the overdue alerts repeated after it miss nothing new. They are counted when the sweep succeeded; a sweep
// that fails part-way counts nothing (its batches already stored are
// undercounted, never counted twice).
func (s meteredStore) UpdateDue(ctx context.Context, now time.Time, fn func(*breach.Breach) error) (int, error) {
	type alert struct {
		kind  breach.AlertKind
		first bool // the clock's first overdue alert
	}
	raised := map[string]alert{} // by breach and clock: a breach fn sees again counts once
	n, err := s.BreachStore.UpdateDue(ctx, now, func(b *breach.Breach) error {
		type clock struct {
			name              string
			state             *breach.AlertState
			due               time.Time
			reminder, overdue breach.AlertKind
			was               time.Time // AlertedUntil as loaded
		}
		clocks := []clock{
			{"processor", &b.Alerting.Processor, b.ProcessorDue(), breach.AlertProcessorReminder, breach.AlertProcessorOverdue, time.Time{}},
			{"authority", &b.Alerting.Authority, b.AuthorityDue(), breach.AlertAuthorityReminder, breach.AlertAuthorityOverdue, time.Time{}},
			{"subjects", &b.Alerting.Subjects, b.SubjectsDue(s.svc.Schedule), breach.AlertSubjectsOverdue, breach.AlertSubjectsOverdue, time.Time{}},
		}
		for i := range b.Questions {
			q := &b.Questions[i]
			clocks = append(clocks, clock{"question/" + q.ID, &q.Alerting, q.DueAt, breach.AlertQuestionReminder, breach.AlertQuestionOverdue, time.Time{}})
		}
		for i := range clocks {
			clocks[i].was = clocks[i].state.AlertedUntil
		}
		if err := fn(b); err != nil {
			return err
		}
		for _, c := range clocks {
			if c.state.AlertedUntil.Equal(c.was) {
				continue
			}
			a := alert{kind: c.overdue, first: c.was.Before(c.due)}
			if c.state.AlertedUntil.Before(c.due) {
				a = alert{kind: c.reminder}
			}
			raised[b.ID+"/"+c.name] = a
		}
		return nil
	})
	for _, a := range raised {
		if err != nil {
			break
		}
		s.m.alerts.WithLabelValues(string(a.kind)).Inc()
		if clock, ok := missedClock[a.kind]; ok && a.first {
			s.m.missed.WithLabelValues(clock).Inc()
		}
	}
	return n, err
}

// missedClock is the clock an overdue alert says was missed.
var missedClock = map[breach.AlertKind]string{
	breach.AlertProcessorOverdue: "processor", breach.AlertAuthorityOverdue: "authority",
	breach.AlertSubjectsOverdue: "subjects", breach.AlertQuestionOverdue: "question",
}
