package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

	clock.Advance(23 * time.Hour) // past the preliminary report's 24 hours
	m.sweep()
	body = scrapeMetrics(t, m)
	assert.Equal(t, 1.0, metricValue(body, `datalek_deadlines_missed_total{clock="processor"}`), "%s", body)
	assert.Equal(t, 1.0, metricValue(body, `datalek_alerts_raised_total{kind="processor_overdue"}`))
	assert.Equal(t, 1.0, metricValue(body, `datalek_open_deadlines{clock="processor",state="overdue"}`))
	pending := metricValue(body, "datalek_outbox_pending")
	assert.Greater(t, pending, 0.0)
	assert.Greater(t, metricValue(body, "datalek_outbox_oldest_pending_seconds"), 23*3600.0)

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
