package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/store"
)

const adminSecret = "test-operator-secret-0123456789"

// testStart is the service's clock when a test API starts: a fixed instant,
// so that no test depends on the day or hour it runs (a Monday morning in
// Europe/Amsterdam, 09:30 CET).
var testStart = time.Date(2026, time.November, 23, 8, 30, 0, 0, time.UTC)

// testAPI is the real API on a real bbolt file behind a real HTTP server.
type testAPI struct {
	t    testing.TB
	URL  string
	DB   *store.DB
	Now  time.Time
	logs *bytes.Buffer
	// closed is set by a test that closes DB itself to make the store fail.
	closed bool
	srv    *api.Server
	// Service is the service behind the API, for what no route does (the sweep).
	Service *breach.Service
	// observe, when set, sees every request do sends and its response.
	observe func(req *http.Request, res response)
}

func newTestAPI(t testing.TB) *testAPI {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "datalek.db"))
	require.NoError(t, err)
	ta := &testAPI{t: t, DB: db, Now: testStart, logs: &bytes.Buffer{}}
	svc := breach.NewService(db)
	svc.Now = func() time.Time { return ta.Now }
	ta.Service = svc
	require.NoError(t, svc.BootstrapAdmin(context.Background(), adminSecret))
	srv := api.NewServer(svc, slog.New(slog.NewTextHandler(ta.logs, nil)), api.DefaultBodyLimit)
	srv.SetWriteLimit(api.WriteLimit{}) // tests write fast; TestWritesAreLimitedPerToken tests the limit
	ta.srv = srv
	srv.Ping = db.Ping
	hs := httptest.NewServer(srv.Echo)
	ta.URL = hs.URL
	t.Cleanup(func() {
		hs.Close()
		if !ta.closed {
			require.NoError(t, db.Check())
			db.Close()
		}
	})
	return ta
}

// response is what a test needs of an HTTP response.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic map.
func (r response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

// do sends a request; body is marshalled unless it is a string or []byte.
func (ta *testAPI) do(method, path, token string, body any, headers ...string) response {
	ta.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		require.NoError(ta.t, err)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, ta.URL+path, rd)
	require.NoError(ta.t, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(ta.t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(ta.t, err)
	out := response{Status: res.StatusCode, Header: res.Header, Body: data}
	if ta.observe != nil {
		ta.observe(req, out)
	}
	return out
}

// token issues a token through the API as the bootstrap admin.
func (ta *testAPI) token(role, org, name string) string {
	ta.t.Helper()
	res := ta.do("POST", "/api/v1/tokens", adminSecret, map[string]string{"role": role, "organisation": org, "name": name})
	require.Equal(ta.t, http.StatusCreated, res.Status, "%s", res.Body)
	return res.JSON(ta.t)["token"].(string)
}

// exampleReport is the filing example of API.md, detected an hour before now.
var exampleReport = breachtest.ExampleReport

// fieldNames returns the names of a problem's errors.
func fieldNames(t *testing.T, problem map[string]any) []string {
	t.Helper()
	var names []string
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		names = append(names, e.(map[string]any)["field"].(string))
	}
	return names
}
