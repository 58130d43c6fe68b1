package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every response of the API carries Cache-Control: no-store, so that no
// browser, proxy or client library keeps breach data, trails, questions, the
// AP form, the register or a token's secret on disk; so do /healthz and
// /readyz, which report a state at one instant. Only /openapi.json, the
// same for every caller, may be cached.
func TestResponsesAreNotStored(t *testing.T) {
	ta := newTestAPI(t)
	supplier := ta.token("supplier", "Acme BV", "acme")
	adviser := ta.token("adviser", "", "adviseur")
	controller := ta.token("controller", "", "verantwoordelijke")

	res := ta.do("POST", "/api/v1/breaches", supplier, exampleReport(ta.Now))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	filed := res
	id := res.JSON(t)["id"].(string)
	path := "/api/v1/breaches/" + id
	res = ta.do("POST", path+"/questions", adviser, map[string]any{"question": "Zijn alle brieven retour?"})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	asked := res
	tooLarge := ta.do("POST", "/api/v1/breaches", supplier, map[string]any{"title": strings.Repeat("x", 300<<10)})
	require.Equal(t, http.StatusRequestEntityTooLarge, tooLarge.Status, "answered by echo's BodyLimit itself")

	for _, tc := range []struct {
		name string
		res  response
	}{
		{"filing", filed},
		{"question asked", asked},
		{"breach", ta.do("GET", path, supplier, nil)},
		{"listing", ta.do("GET", "/api/v1/breaches", adviser, nil)},
		{"amendment", ta.do("PATCH", path, supplier, map[string]any{"measures": "Printstraat stilgezet en gecontroleerd"})},
		{"events", ta.do("GET", path+"/events", supplier, nil)},
		{"questions", ta.do("GET", path+"/questions", supplier, nil)},
		{"assessments", ta.do("GET", path+"/assessments", controller, nil)},
		{"authority form", ta.do("GET", path+"/authority-form", controller, nil)},
		{"authority form as text", ta.do("GET", path+"/authority-form?format=text", controller, nil)},
		{"register", ta.do("GET", "/api/v1/register", adviser, nil)},
		{"register as CSV", ta.do("GET", "/api/v1/register?format=csv", adviser, nil)},
		{"token issued", ta.do("POST", "/api/v1/tokens", adminSecret, map[string]string{"role": "adviser", "name": "tweede"})},
		{"tokens", ta.do("GET", "/api/v1/tokens", adminSecret, nil)},
		{"catalogue", ta.do("GET", "/api/v1/catalogue/personal-data", supplier, nil)},
		{"problem: invalid", ta.do("PATCH", path, supplier, map[string]any{"subjects_min": -1})},
		{"problem: not found", ta.do("GET", "/api/v1/breaches/nope", supplier, nil)},
		{"problem: no token", ta.do("GET", path, "", nil)},
		{"problem: no such route", ta.do("GET", "/api/v1/nope", supplier, nil)},
		{"problem: too large", tooLarge},
		{"healthz", ta.do("GET", "/healthz", "", nil)},
		{"readyz", ta.do("GET", "/readyz", "", nil)},
	} {
		assert.Less(t, tc.res.Status, 600, tc.name)
		assert.Equal(t, "no-store", tc.res.Header.Get("Cache-Control"), "%s (%d)", tc.name, tc.res.Status)
	}
	res = ta.do("GET", "/openapi.json", "", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Empty(t, res.Header.Get("Cache-Control"), "the contract may be cached")
}
