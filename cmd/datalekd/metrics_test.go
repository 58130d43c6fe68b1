package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify/smtptest"
)

// scrapeMetrics reads /metrics over HTTP from the metrics listener.
func scrapeMetrics(t *testing.T, m *Main) string {
	t.Helper()
	res, err := http.Get("http://" + m.MetricsAddr() + "/metrics")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(data)
}

// metricValue is the value of a series as exposed (name and labels), or -1.
func metricValue(exposition, series string) float64 {
	for _, line := range strings.Split(exposition, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			if v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64); err == nil {
				return v
			}
		}
	}
	return -1
}

// The whole service with its SMTP server down: /metrics, on its own
// address, counts the outbox up and its oldest mail ageing; a preliminary
// report left incomplete past its 24 hours is a missed deadline once the
// sweep raises its overdue alert; and when the SMTP server comes back the
// outbox empties (issue 12).
func TestMetricsCountOutboxAndMissedDeadlines(t *testing.T) {
	server := smtptest.New(t)
	server.Stop()
	dir, clock := t.TempDir(), newTestClock(saturday)
	m := startMainWith(t, dir, clock, "-smtp-url", "smtp://"+server.Addr+"?tls=none", "-metrics-addr", "127.0.0.1:0")
	defer m.Close()
	supplier := token(t, m, "supplier", "Acme BV")

	status, _ := call(t, m, "POST", "/api/v1/breaches", supplier, breachtest.ExampleReport(clock.Now()))
	require.Equal(t, http.StatusCreated, status)
	status, _ = call(t, m, "POST", "/api/v1/breaches", supplier, map[string]any{
		"stage": "preliminary", "title": "Server onbereikbaar", "detected_at": clock.In(-time.Hour).Format(time.RFC3339),
		"reporter": map[string]string{"name": "P. de Vries", "phone": "020-1234567"},
	})
	require.Equal(t, http.StatusCreated, status)
	clock.Advance(10 * time.Minute)

	body := scrapeMetrics(t, m)
	assert.Greater(t, metricValue(body, "datalek_outbox_pending"), 0.0, "%s", body)
	assert.GreaterOrEqual(t, metricValue(body, "datalek_outbox_oldest_pending_seconds"), 600.0, "by the service's clock")
	assert.Equal(t, 1.0, metricValue(body, `datalek_filings_total{stage="complete"}`), "%s", body)
	assert.Equal(t, 1.0, metricValue(body, `datalek_filings_total{stage="preliminary"}`))
	assert.Equal(t, 1.0, metricValue(body, `datalek_deadlines_met_total{clock="processor"}`), "the complete report, filed in time")
	assert.Equal(t, 2.0, metricValue(body, "datalek_open_breaches"))
	assert.Equal(t, 2.0, metricValue(body, `datalek_http_requests_total{method="POST",route="/api/v1/breaches",status="201"}`), "by route template")
	assert.Equal(t, -1.0, metricValue(body, `datalek_deadlines_missed_total{clock="processor"}`), "nothing missed yet")
	assert.GreaterOrEqual(t, metricValue(body, "datalek_sweep_duration_seconds_count"), 1.0, "the sweep at start-up")
	assert.Greater(t, metricValue(body, "go_goroutines"), 0.0, "the Go runtime's metrics too")

	clock.Advance(23 * time.Hour) // past the preliminary report's 24 hours
	m.sweep()
	body = scrapeMetrics(t, m)
	assert.Equal(t, 1.0, metricValue(body, `datalek_deadlines_missed_total{clock="processor"}`), "%s", body)
	assert.Equal(t, 1.0, metricValue(body, `datalek_alerts_raised_total{kind="processor_overdue"}`))
	assert.Equal(t, 1.0, metricValue(body, `datalek_open_deadlines{clock="processor",state="overdue"}`))
	pending := metricValue(body, "datalek_outbox_pending")
	assert.Greater(t, pending, 0.0)
	assert.Greater(t, metricValue(body, "datalek_outbox_oldest_pending_seconds"), 23*3600.0)

	clock.Advance(50 * time.Hour) // past the 72 hours of both: the AP was not notified
	m.sweep()
	body = scrapeMetrics(t, m)
	assert.Equal(t, 2.0, metricValue(body, `datalek_deadlines_missed_total{clock="authority"}`), "%s", body)
	assert.Equal(t, 1.0, metricValue(body, `datalek_deadlines_missed_total{clock="processor"}`), "missed once, however often the overdue alert repeats")
	assert.Equal(t, 2.0, metricValue(body, `datalek_alerts_raised_total{kind="processor_overdue"}`), "the overdue alert repeated")
	assert.Equal(t, 2.0, metricValue(body, `datalek_open_deadlines{clock="authority",state="overdue"}`))
	pending = metricValue(body, "datalek_outbox_pending")

	server.Start()
	server.WaitFor(int(pending), 15*time.Second)
	deadline := time.Now().Add(10 * time.Second)
	for metricValue(body, "datalek_outbox_pending") != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		body = scrapeMetrics(t, m)
	}
	assert.Equal(t, 0.0, metricValue(body, "datalek_outbox_pending"), "%s", body)
	assert.Equal(t, 0.0, metricValue(body, "datalek_outbox_oldest_pending_seconds"))
	assert.Equal(t, 0.0, metricValue(body, "datalek_outbox_dead"))
}

func TestMetricsAddrSetting(t *testing.T) {
	c, err := ParseConfig(nil, env(map[string]string{"DATALEK_METRICS_ADDR": "127.0.0.1:9090"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9090", c.MetricsAddr)
	_, err = ParseConfig([]string{"-metrics-addr", "9090"}, env(nil), io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DATALEK_METRICS_ADDR")

	// Without the setting nothing listens, and the metrics are still counted.
	m := startMainWith(t, t.TempDir(), newTestClock(saturday))
	defer m.Close()
	assert.Nil(t, m.metrics.server)
	assert.NotNil(t, m.API.Metrics)
}

// oneBreach is a breach store holding one breach, for the meter alone.
type oneBreach struct {
	breach.BreachStore
	b breach.Breach
}

func (s *oneBreach) UpdateBreach(_ context.Context, _ breach.Scope, _ string, fn func(*breach.Breach) error) (*breach.Breach, error) {
	b := s.b
	if err := fn(&b); err != nil {
		return nil, err
	}
	s.b = b
	return &b, nil
}

// A deadline is met when the change that fulfils it in time is stored; a
// late one, a failed change and a change that fulfils nothing count nothing.
func TestDeadlinesMetAreCounted(t *testing.T) {
	now := saturday.UTC()
	svc := &breach.Service{Now: func() time.Time { return now }}
	svc.Breaches = &oneBreach{b: breach.Breach{ID: "b1", Report: breach.Report{DetectedAt: now.Add(-time.Hour)}, AwareAt: now.Add(-time.Hour), ReceivedAt: now}}
	m := newServiceMetrics(svc)
	notify := func(at time.Time) func(*breach.Breach) error {
		return func(b *breach.Breach) error {
			b.AuthorityNotifications = append(b.AuthorityNotifications, breach.AuthorityNotification{Phase: breach.PhaseInitial, SubmittedAt: at})
			return nil
		}
	}
	met := func() float64 {
		var d dto.Metric
		require.NoError(t, m.met.WithLabelValues("authority").Write(&d))
		return d.GetCounter().GetValue()
	}
	_, err := svc.Breaches.UpdateBreach(context.Background(), breach.StaffScope(), "b1", func(*breach.Breach) error { return errors.New("refused") })
	require.Error(t, err)
	_, err = svc.Breaches.UpdateBreach(context.Background(), breach.StaffScope(), "b1", func(*breach.Breach) error { return nil })
	require.NoError(t, err)
	assert.Equal(t, 0.0, met())
	_, err = svc.Breaches.UpdateBreach(context.Background(), breach.StaffScope(), "b1", notify(now))
	require.NoError(t, err)
	assert.Equal(t, 1.0, met(), "notified within the 72 hours")
	_, err = svc.Breaches.UpdateBreach(context.Background(), breach.StaffScope(), "b1", notify(now))
	require.NoError(t, err)
	assert.Equal(t, 1.0, met(), "a deadline is met once")

	svc.Breaches = &oneBreach{b: breach.Breach{ID: "b2", Report: breach.Report{DetectedAt: now.Add(-100 * time.Hour)}, AwareAt: now.Add(-100 * time.Hour), ReceivedAt: now}}
	m = newServiceMetrics(svc)
	_, err = svc.Breaches.UpdateBreach(context.Background(), breach.StaffScope(), "b2", notify(now))
	require.NoError(t, err)
	assert.Equal(t, 0.0, met(), "notified late")
}
