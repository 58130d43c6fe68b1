package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBadRequestsGetProblemsAndStoreNothing(t *testing.T) {
	ta := newTestAPI(t)
	acme := ta.token("supplier", "Acme BV", "acme-prod")
	adviser := ta.token("adviser", "", "adviseur")

	withField := func(key string, value any) map[string]any {
		r := exampleReport(ta.Now)
		r[key] = value
		return r
	}
	tests := []struct {
		name    string
		method  string
		path    string
		token   string
		body    any
		headers []string
		status  int
		fields  []string // named fields, in order; nil: none expected
	}{
		{"no token", "GET", "/api/v1/breaches", "", nil, nil, 401, nil},
		{"unknown token", "GET", "/api/v1/breaches", "dlk_nope", nil, nil, 401, nil},
		{"basic auth is not a bearer token", "GET", "/api/v1/breaches", "", nil, []string{"Authorization", "Basic " + adminSecret}, 401, nil},
		{"admin sees no breach data", "GET", "/api/v1/breaches", adminSecret, nil, nil, 403, nil},
		{"supplier issues no tokens", "POST", "/api/v1/tokens", acme, map[string]string{"role": "admin", "name": "x"}, nil, 403, nil},
		{"malformed JSON", "POST", "/api/v1/breaches", acme, `{"title": "x",`, nil, 400, nil},
		{"empty body", "POST", "/api/v1/breaches", acme, ``, nil, 400, nil},
		{"JSON array instead of object", "POST", "/api/v1/breaches", acme, `[1,2]`, nil, 400, nil},
		{"JSON null", "POST", "/api/v1/breaches", acme, `null`, nil, 400, nil},
		{"trailing garbage", "POST", "/api/v1/breaches", acme, `{"title":"x"} {}`, nil, 400, nil},
		{"unknown fields, top-level and nested", "POST", "/api/v1/breaches", acme,
			`{"titel": "x", "reporter": {"nme": "x"}, "severity": 3}`, nil, 400, []string{"reporter.nme", "severity", "titel"}},
		{"wrong types and invalid values together", "POST", "/api/v1/breaches", acme,
			withField("subjects_min", "veel"), nil, 422, []string{"subjects_min"}},
		{"type errors merged with validation", "POST", "/api/v1/breaches", acme,
			`{"title": "", "detected_at": "gisteren", "subjects_max": true, "stage": "preliminary", "reporter": {"name": "A"}}`,
			nil, 422, []string{"detected_at", "subjects_max", "title", "reporter"}},
		{"nested type error", "POST", "/api/v1/breaches", acme,
			withField("sent_items", []map[string]any{{"description": "brief", "channel": "post", "count": "twee"}}), nil, 422,
			[]string{"sent_items.count"}},
		{"time without offset", "POST", "/api/v1/breaches", acme, withField("detected_at", "2026-11-20T09:15:00"), nil, 422,
			[]string{"detected_at"}},
		{"validation names every field", "POST", "/api/v1/breaches", acme, `{"title": "x", "detected_at": "2026-01-01T00:00:00Z"}`,
			nil, 422, []string{"reporter.name", "reporter", "cause", "started_at", "personal_data", "subjects_min", "subjects_max",
				"sent_items", "item_disposition", "measures"}},
		{"wrong media type", "POST", "/api/v1/breaches", acme, `{}`, []string{"Content-Type", "text/plain"}, 415, nil},
		{"body over the limit", "POST", "/api/v1/breaches", acme, `{"title": "` + strings.Repeat("x", 2<<20) + `"}`, nil, 413, nil},
		{"unknown route", "GET", "/api/v1/nothing-here", acme, nil, nil, 404, nil},
		{"unknown breach", "GET", "/api/v1/breaches/aaaaaaaaaaaaaaaaaaaaaaaaaa", acme, nil, nil, 404, nil},
		{"bad limit", "GET", "/api/v1/breaches?limit=veel", acme, nil, nil, 422, []string{"limit"}},
		{"bad filters", "GET", "/api/v1/breaches?status=weg&stage=x&sort=size&limit=0", acme, nil, nil, 422, []string{"status", "stage", "sort", "limit"}},
		{"non-integer limit with other bad parameters", "GET", "/api/v1/breaches?limit=veel&sort=size", acme, nil, nil, 422, []string{"sort", "limit"}},
		{"bad cursor", "GET", "/api/v1/breaches?cursor=%21%21", acme, nil, nil, 422, []string{"cursor"}},
		{"wrong method", "DELETE", "/api/v1/breaches", acme, nil, nil, 405, nil},
		{"update without message", "POST", "/api/v1/breaches/aaaaaaaaaaaaaaaaaaaaaaaaaa/updates", acme, `{}`, nil, 422, []string{"message"}},
		{"revoke unknown token", "DELETE", "/api/v1/tokens/nope", adminSecret, nil, nil, 404, nil},
		{"token for supplier without organisation", "POST", "/api/v1/tokens", adminSecret, map[string]string{"role": "supplier", "name": "x"},
			nil, 422, []string{"organisation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ta.do(tt.method, tt.path, tt.token, tt.body, tt.headers...)
			require.Equal(t, tt.status, res.Status, "%s", res.Body)
			assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
			p := res.JSON(t)
			assert.EqualValues(t, tt.status, p["status"])
			assert.NotEmpty(t, p["type"])
			assert.NotEmpty(t, p["title"])
			assert.NotEmpty(t, p["detail"])
			if tt.status == 401 {
				assert.Contains(t, res.Header.Get("WWW-Authenticate"), "Bearer")
			}
			assert.Equal(t, tt.fields, fieldNames(t, p))
		})
	}

	res := ta.do("GET", "/api/v1/breaches", adviser, nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Empty(t, res.JSON(t)["items"], "no bad request stored anything")
	assert.NotContains(t, ta.logs.String(), adminSecret, "no secret in the logs")
	assert.NotContains(t, ta.logs.String(), "J. Jansen", "no personal data in the logs")
}

func TestInternalErrorsRevealNothing(t *testing.T) {
	ta := newTestAPI(t)
	acme := ta.token("supplier", "Acme BV", "acme-prod")
	require.NoError(t, ta.DB.Close()) // the store fails under the running server
	ta.closed = true
	res := ta.do("GET", "/api/v1/breaches", acme, nil)
	// Authentication itself needs the store, so the failure shows there.
	require.Equal(t, http.StatusInternalServerError, res.Status, "%s", res.Body)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	// The request ID is random letters, which may spell anything.
	body := strings.ToLower(strings.ReplaceAll(string(res.Body), res.Header.Get("X-Request-Id"), "ID"))
	for _, internal := range []string{"bolt", "database", "closed", ".go"} {
		assert.NotContains(t, body, internal)
	}
	assert.Contains(t, string(res.Body), res.Header.Get("X-Request-Id"), "the request ID lets an operator find the log line")
	assert.Contains(t, ta.logs.String(), "database not open", "the cause is logged")
	assert.Equal(t, http.StatusServiceUnavailable, ta.do("GET", "/readyz", "", nil).Status)
}

func TestLogsTrustNoClientHeaders(t *testing.T) {
	ta := newTestAPI(t)
	res := ta.do("GET", "/healthz", "", nil, "X-Forwarded-For", "10.6.6.6", "X-Request-Id", "forged-id")
	require.Equal(t, http.StatusOK, res.Status)
	assert.NotEqual(t, "forged-id", res.Header.Get("X-Request-Id"))
	assert.NotEmpty(t, res.Header.Get("X-Request-Id"))
	assert.NotContains(t, ta.logs.String(), "10.6.6.6")
	assert.NotContains(t, ta.logs.String(), "forged-id")
	assert.Contains(t, ta.logs.String(), "origin=127.0.0.1")
}

func TestServiceEndpoints(t *testing.T) {
	ta := newTestAPI(t)
	assert.Equal(t, http.StatusOK, ta.do("GET", "/healthz", "", nil).Status)
	assert.Equal(t, http.StatusOK, ta.do("GET", "/readyz", "", nil).Status)
	res := ta.do("GET", "/api/v1/catalogue/personal-data", ta.token("supplier", "Acme BV", "acme"), nil)
	require.Equal(t, http.StatusOK, res.Status)
	items := res.JSON(t)["items"].([]any)
	assert.Greater(t, len(items), 50)
	first := items[0].(map[string]any)
	assert.Equal(t, "naam", first["code"])
	assert.Equal(t, "Naam", first["label"])
}

// A JSON null is not "absent", an empty value in a correction does not
// remove a field, and a query parameter outside its enum is not ignored:
// each is 422 naming the field, every bad field at once (issue 8, number 8).
func TestNullEmptyAndOutOfEnumValuesAreNamed(t *testing.T) {
	ta := newTestAPI(t)
	acme := ta.token("supplier", "Acme BV", "acme-prod")
	problem := func(res response, fields ...string) {
		t.Helper()
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
		assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
		assert.Equal(t, fields, fieldNames(t, res.JSON(t)), "%s", res.Body)
	}

	r := exampleReport(ta.Now)
	r["contract_reference"], r["ongoing"], r["subjects_max"] = nil, nil, "veel"
	r["sent_items"] = []map[string]any{{"description": "Brief", "channel": "post", "count": nil}}
	problem(ta.do("POST", "/api/v1/breaches", acme, r), "contract_reference", "ongoing", "sent_items[0].count", "subjects_max")
	r = exampleReport(ta.Now)
	r["reporter"] = map[string]any{"name": "J. Jansen", "email": nil, "phone": "020-1234567"}
	problem(ta.do("POST", "/api/v1/breaches", acme, r), "reporter.email")
	assert.Empty(t, ta.do("GET", "/api/v1/breaches", acme, nil).JSON(t)["items"], "nothing was filed")

	res := ta.do("POST", "/api/v1/breaches", acme, map[string]any{"stage": "preliminary", "title": "Laptop gestolen",
		"detected_at": ta.Now.Add(-time.Hour).Format(time.RFC3339), "cause": "Diefstal", "contract_reference": "INK25.005",
		"reporter": map[string]string{"name": "P. de Vries", "phone": "020-1234567"}})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	path := "/api/v1/breaches/" + res.JSON(t)["id"].(string)
	problem(ta.do("PATCH", path, acme, map[string]any{"cause": "", "contract_reference": "  ", "subjects_min": nil, "personal_data": []string{}}),
		"subjects_min", "cause", "personal_data", "contract_reference")
	problem(ta.do("PATCH", path, acme, map[string]any{"cause": ""}), "cause")
	problem(ta.do("PATCH", path, acme, map[string]any{"reporter": nil, "measures": "Op afstand gewist"}), "reporter")
	problem(ta.do("POST", path+"/updates", acme, map[string]any{"message": "Teruggevonden", "measures": nil}), "measures")
	problem(ta.do("POST", path+"/updates", acme, map[string]any{"message": "", "title": ""}), "message", "title")
	got := ta.do("GET", path, acme, nil).JSON(t)
	assert.Equal(t, "Diefstal", got["cause"], "nothing was removed")
	assert.Equal(t, "INK25.005", got["contract_reference"])
	assert.NotContains(t, got, "measures")

	problem(ta.do("GET", path+"/questions?open=maybe", acme, nil), "open")
	for _, v := range []string{"true", "false", ""} {
		assert.Equal(t, http.StatusOK, ta.do("GET", path+"/questions?open="+v, acme, nil).Status, "open=%s", v)
	}
}
