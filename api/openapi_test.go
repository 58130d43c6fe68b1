package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach"
	"datalek/breach/nl"
)

// TestOpenAPIMatchesRoutes checks that the served OpenAPI document describes
// exactly the routes the server registers, and that it is well-formed enough
// for integrators' tools: OpenAPI 3.1 and every $ref resolvable.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := api.NewServer(breach.NewService(nil), slog.New(slog.NewTextHandler(io.Discard, nil)), api.DefaultBodyLimit)

	param := regexp.MustCompile(`:([A-Za-z0-9_]+)`)
	registered := map[string]bool{}
	for _, r := range s.Echo.Routes() {
		if r.Method == echo.RouteNotFound || strings.HasPrefix(r.Method, "echo_") {
			continue // echo's catch-alls for group middleware, not routes
		}
		if !strings.HasPrefix(r.Path, "/api/") && !slices.Contains([]string{"/healthz", "/readyz", "/openapi.json"}, r.Path) {
			continue // a web page, for people, not part of the API's contract
		}
		registered[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
	}
	require.NotEmpty(t, registered)

	req := httptest.NewRequest(http.MethodGet, "/openapi.json", nil)
	rec := httptest.NewRecorder()
	s.Echo.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.True(t, strings.HasPrefix(rec.Header().Get(echo.HeaderContentType), echo.MIMEApplicationJSON),
		"Content-Type %q", rec.Header().Get(echo.HeaderContentType))

	var doc map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc), "the OpenAPI document must be valid JSON")
	version, _ := doc["openapi"].(string)
	require.Regexp(t, `^3\.1\.\d+$`, version, "openapi version")

	paths, ok := doc["paths"].(map[string]any)
	require.True(t, ok, "paths must be an object")
	methods := []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
	documented := map[string]bool{}
	for path, item := range paths {
		ops, ok := item.(map[string]any)
		require.True(t, ok, "path item %s must be an object", path)
		for key := range ops {
			if slices.Contains(methods, key) {
				documented[strings.ToUpper(key)+" "+path] = true
			}
		}
	}

	require.Equal(t, openAPIKeys(registered), openAPIKeys(documented),
		"registered but not in openapi.json: %v; in openapi.json but not registered: %v",
		openAPIMissing(registered, documented), openAPIMissing(documented, registered))

	components, _ := doc["components"].(map[string]any)
	var refs []string
	openAPIRefs(doc, &refs)
	require.NotEmpty(t, refs)
	var unresolved []string
	for _, ref := range refs {
		if !openAPIResolves(components, ref) {
			unresolved = append(unresolved, ref)
		}
	}
	require.Empty(t, unresolved, "$refs that do not resolve to an entry under components")
}

// openAPIKeys returns the keys of set, sorted.
func openAPIKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// openAPIMissing returns the keys of a that are not in b, sorted.
func openAPIMissing(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// openAPIRefs appends every $ref value found anywhere in v.
func openAPIRefs(v any, refs *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if s, ok := child.(string); ok && k == "$ref" {
				*refs = append(*refs, s)
				continue
			}
			openAPIRefs(child, refs)
		}
	case []any:
		for _, child := range v {
			openAPIRefs(child, refs)
		}
	}
}

// openAPIResolves reports whether ref is a local "#/components/<kind>/<name>" pointer
// to an existing entry.
func openAPIResolves(components map[string]any, ref string) bool {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return false
	}
	kind, name, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(name, "/") {
		return false
	}
	name = strings.NewReplacer("~1", "/", "~0", "~").Replace(name)
	entries, ok := components[kind].(map[string]any)
	if !ok {
		return false
	}
	_, ok = entries[name]
	return ok
}

// The register's row in the document names the columns the code writes, in
// its order: the JSON register's keys are a promise too.
func TestOpenAPIRegisterColumns(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	s := api.NewServer(breach.NewService(nil), slog.New(slog.NewTextHandler(io.Discard, nil)), api.DefaultBodyLimit)
	rec := httptest.NewRecorder()
	s.Echo.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	var row struct {
		Properties json.RawMessage `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(doc.Components.Schemas["RegisterRow"], &row))
	dec := json.NewDecoder(bytes.NewReader(row.Properties))
	var keys []string
	_, _ = dec.Token() // {
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	var want []string
	for _, c := range nl.RegisterColumns {
		want = append(want, c.Key)
	}
	assert.Equal(t, want, keys)
}

// What Redocly's lint (.ci/lint-openapi) asks of the document, checked by
// go test too: every example of a schema is valid against it, the document
// names its servers and its licence, and no component is left unused
// (issue 8, number 9).
func TestOpenAPIExamplesServersLicenceAndComponents(t *testing.T) {
	s := api.NewServer(breach.NewService(nil), slog.New(slog.NewTextHandler(io.Discard, nil)), api.DefaultBodyLimit)
	rec := httptest.NewRecorder()
	s.Echo.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(rec.Body.Bytes())
	require.NoError(t, err)

	assert.NotEmpty(t, doc.Servers, "servers")
	if assert.NotNil(t, doc.Info.License, "info.license") {
		assert.NotEmpty(t, doc.Info.License.Name)
	}

	checked := 0
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		schema := doc.Components.Schemas[name].Value
		for i, example := range schema.Examples {
			checked++
			assert.NoError(t, schema.VisitJSON(example, openapi3.EnableJSONSchema2020()), "example %d of %s", i, name)
		}
	}
	assert.Positive(t, checked, "examples checked")

	var raw map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &raw))
	var refs []string
	openAPIRefs(raw, &refs)
	components := raw["components"].(map[string]any)
	for _, kind := range []string{"schemas", "responses", "parameters", "headers"} {
		for name := range components[kind].(map[string]any) {
			assert.Contains(t, refs, "#/components/"+kind+"/"+name, "an unused component")
		}
	}
}
