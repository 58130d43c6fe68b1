package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach/breachtest"
	"datalek/store"
)

// scrape reads a metrics endpoint over HTTP.
func scrape(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(data)
}

// sample is the value of the series whose line starts with series (a name,
// or a name and its labels as exposed), or -1 when there is none.
func sample(exposition, series string) float64 {
	for _, line := range strings.Split(exposition, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// The metrics count requests by route template (never the raw path), the
// writes refused by the limiter, failed sign-ins, and read the outbox and
// the open breaches when scraped, on the server's own registry.
func TestMetricsOverHTTP(t *testing.T) {
	ta := newTestAPI(t)
	ta.Service.Passwords, ta.Service.Codes = store.Passwords{}, api.TOTP{}
	ms := httptest.NewServer(ta.srv.Metrics.Handler())
	defer ms.Close()
	ta.srv.SetWriteLimit(api.WriteLimit{PerSecond: 1.0 / 3600, Burst: 1})
	supplier := ta.token("supplier", "Acme BV", "acme")

	res := ta.do("POST", "/api/v1/breaches", supplier, breachtest.ExampleReport(ta.Now))
	require.Equal(t, http.StatusCreated, res.Status)
	id := res.JSON(t)["id"].(string)
	require.Equal(t, http.StatusOK, ta.do("GET", "/api/v1/breaches/"+id, supplier, nil).Status)
	require.Equal(t, http.StatusNotFound, ta.do("GET", "/geen/pagina/"+id, "", nil).Status)
	require.Equal(t, http.StatusNotFound, ta.do("GET", "/api/v1/geen/"+id, supplier, nil).Status)
	ta.do("BREACH"+id[:4], "/healthz", "", nil)
	require.Equal(t, http.StatusTooManyRequests, ta.do("POST", "/api/v1/breaches", supplier, breachtest.ExampleReport(ta.Now)).Status)
	form := url.Values{"email": {"niemand@hetcak.example"}, "password": {"fout wachtwoord!"}}
	signIn, err := http.PostForm(ta.URL+"/aanmelden", form)
	require.NoError(t, err)
	signIn.Body.Close()
	require.Equal(t, http.StatusUnauthorized, signIn.StatusCode)

	ta.Now = ta.Now.Add(90 * time.Second) // the mails of the filing wait: nothing relays them here
	body := scrape(t, ms.URL)
	assert.Equal(t, 1.0, sample(body, `datalek_http_requests_total{method="POST",route="/api/v1/breaches",status="201"}`), body)
	assert.Equal(t, 1.0, sample(body, `datalek_http_requests_total{method="GET",route="/api/v1/breaches/:id",status="200"}`), body)
	assert.Equal(t, 1.0, sample(body, `datalek_http_request_duration_seconds_count{method="GET",route="/api/v1/breaches/:id"}`), body)
	assert.NotContains(t, body, id, "the route template, never the raw path")
	assert.Equal(t, 2.0, sample(body, `datalek_http_requests_total{method="GET",route="unmatched",status="404"}`), "a path no route has")
	assert.Contains(t, body, `datalek_http_requests_total{method="other",`, "a method of the client's own is no label of its own")
	assert.NotContains(t, body, "BREACH")
	assert.Equal(t, 1.0, sample(body, `datalek_rate_limited_total{route="/api/v1/breaches"}`), body)
	assert.Equal(t, 1.0, sample(body, `datalek_signin_failures_total{result="unauthorized",step="password"}`), body)
	assert.NotContains(t, body, "niemand", "no address in the metrics")

	assert.Equal(t, 2.0, sample(body, "datalek_outbox_pending"), "the filed mail and the acknowledgement: %s", body)
	assert.Equal(t, 90.0, sample(body, "datalek_outbox_oldest_pending_seconds"), "by the service's clock")
	assert.Equal(t, 0.0, sample(body, "datalek_outbox_dead"))
	assert.Equal(t, 1.0, sample(body, "datalek_open_breaches"))
	assert.Equal(t, 1.0, sample(body, `datalek_open_deadlines{clock="processor",state="met"}`), "the example report is complete at once: %s", body)
	assert.Equal(t, 1.0, sample(body, `datalek_open_deadlines{clock="authority",state="running"}`))

	ta.Now = ta.Now.Add(72 * time.Hour)
	body = scrape(t, ms.URL)
	assert.Equal(t, 1.0, sample(body, `datalek_open_deadlines{clock="authority",state="overdue"}`), "72 hours later, not notified: %s", body)
	assert.Equal(t, 0.0, sample(body, `datalek_open_deadlines{clock="authority",state="running"}`))

	other := newTestAPI(t)
	assert.Equal(t, -1.0, sample(scrape(t, httptest.NewServer(other.srv.Metrics.Handler()).URL),
		`datalek_http_requests_total{method="POST",route="/api/v1/breaches",status="201"}`), "each server counts on its own registry")
}

// The sign-in limit per address counts as rate-limited too; the attempts
// before it as failed sign-ins.
func TestMetricsCountSignInLimit(t *testing.T) {
	ta := newTestAPI(t)
	ta.Service.Passwords, ta.Service.Codes = store.Passwords{}, api.TOTP{}
	ms := httptest.NewServer(ta.srv.Metrics.Handler())
	defer ms.Close()
	form := url.Values{"email": {"niemand@hetcak.example"}, "password": {"fout wachtwoord!"}}
	statuses := map[int]int{}
	for range 11 {
		res, err := http.PostForm(ta.URL+"/aanmelden", form)
		require.NoError(t, err)
		res.Body.Close()
		statuses[res.StatusCode]++
	}
	require.Equal(t, map[int]int{http.StatusUnauthorized: 10, http.StatusTooManyRequests: 1}, statuses, "10 at once, then 10 a minute")
	body := scrape(t, ms.URL)
	assert.Equal(t, 10.0, sample(body, `datalek_signin_failures_total{result="unauthorized",step="password"}`), body)
	assert.Equal(t, 1.0, sample(body, `datalek_rate_limited_total{route="/aanmelden"}`), body)
}
