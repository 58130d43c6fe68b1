package api_test

import (
	"bytes"
	"context"
	"datalek/api"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// contract validates live responses against the OpenAPI document the
// service serves, with a real OpenAPI validator (kin-openapi, which checks
// an OpenAPI 3.1 document's schemas as JSON Schema 2020-12), and counts
// which operations each role has called and which statuses came back.
type contract struct {
	t      *testing.T
	doc    *openapi3.T
	router routers.Router
	roles  map[string]string // token → role

	mu       sync.Mutex
	called   map[string]map[string]bool // operation → roles
	statuses map[int]bool
}

// newContract loads /openapi.json from the running service, checks it as an
// OpenAPI document and routes requests for the test server's address.
func newContract(t *testing.T, w *workflow) *contract {
	t.Helper()
	// The register's CSV is separated by semicolons, for Dutch spreadsheets,
	// which kin-openapi's CSV decoder (commas only) cannot read; the
	// document types it as text, so it is checked as text.
	openapi3filter.RegisterBodyDecoder("text/csv", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		data, err := io.ReadAll(body)
		return string(data), err
	})
	res := w.do("GET", "/openapi.json", "", nil)
	require.Equal(t, http.StatusOK, res.Status)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(res.Body)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context), "the OpenAPI document itself")
	doc.Servers = openapi3.Servers{{URL: w.URL}} // the document's paths, at the test server's address
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	c := &contract{t: t, doc: doc, router: router, roles: map[string]string{},
		called: map[string]map[string]bool{}, statuses: map[int]bool{}}
	for role, token := range w.tokens {
		c.roles[token] = role
	}
	return c
}

// check validates one response against its operation: the status must be
// documented, and the content type and body must match what the document
// says of that status.
func (c *contract) check(req *http.Request, res response) {
	c.t.Helper()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return // not a documented path (an unknown route, a wrong method): nothing to hold it to
	}
	role := "anonymous"
	if token, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok && c.roles[token] != "" {
		role = c.roles[token]
	}
	c.mu.Lock()
	if c.called[route.Operation.OperationID] == nil {
		c.called[route.Operation.OperationID] = map[string]bool{}
	}
	c.called[route.Operation.OperationID][role] = true
	c.statuses[res.Status] = true
	c.mu.Unlock()

	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	opts.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string { // the reason without the whole schema
		return fmt.Sprintf("/%s: %s", strings.Join(err.JSONPointer(), "/"), err.Reason)
	})
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.Status,
		Header:                 res.Header,
		Options:                opts,
	}
	in.SetBodyBytes(bytes.Clone(res.Body))
	err = openapi3filter.ValidateResponse(context.Background(), in)
	assert.NoError(c.t, err, "%s %s as %s: %d %s\n%s", req.Method, req.URL.RequestURI(), role, res.Status,
		res.Header.Get("Content-Type"), clip(res.Body))
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// TestResponsesMatchOpenAPI drives every route for every role through the
// real HTTP server, successes and the main errors, and validates every
// response against /openapi.json: a client generated from the document
// must accept whatever the service answers, whoever asks.
func TestResponsesMatchOpenAPI(t *testing.T) {
	w := newWorkflow(t)
	c := newContract(t, w)
	w.observe = c.check
	roles := []string{"supplier", "adviser", "controller", "admin"}
	other := w.token("supplier", "Other BV", "other")
	as := func(role, method, path string, body any, headers ...string) response {
		t.Helper()
		return w.do(method, path, w.tokens[role], body, headers...)
	}
	b := func(id string) string { return "/api/v1/breaches/" + id }

	// Service endpoints need no token.
	for _, p := range []string{"/healthz", "/readyz", "/openapi.json"} {
		w.do("GET", p, "", nil)
	}

	// Filing: a supplier for itself, staff on its behalf, admin not at all;
	// complete and preliminary; and the request errors.
	for _, role := range roles {
		r := exampleReport(w.Now)
		if role == "adviser" || role == "controller" {
			r["organisation"] = "Acme BV"
		}
		as(role, "POST", "/api/v1/breaches", r)
	}
	prelim := as("supplier", "POST", "/api/v1/breaches", map[string]any{"stage": "preliminary", "title": "Laptop gestolen",
		"detected_at": w.Now.Add(-time.Hour).Format(time.RFC3339), "reporter": map[string]string{"name": "P. de Vries", "phone": "020-1234567"}})
	require.Equal(t, http.StatusCreated, prelim.Status, "%s", prelim.Body)
	pid := prelim.JSON(t)["id"].(string)
	as("supplier", "POST", "/api/v1/breaches", exampleReport(w.Now), "Idempotency-Key", "k1")
	as("supplier", "POST", "/api/v1/breaches", exampleReport(w.Now), "Idempotency-Key", "k1") // replayed
	as("supplier", "POST", "/api/v1/breaches", map[string]any{"title": "x"}, "Idempotency-Key", "k1")
	as("supplier", "POST", "/api/v1/breaches", `{"title": "x",`)
	as("supplier", "POST", "/api/v1/breaches", `{"titel": "x"}`)
	as("supplier", "POST", "/api/v1/breaches", `{}`, "Content-Type", "text/plain")
	as("supplier", "POST", "/api/v1/breaches", `{"title": "`+strings.Repeat("x", 2<<20)+`"}`)
	as("supplier", "POST", "/api/v1/breaches", map[string]any{"title": "x", "subjects_min": "veel"})
	w.do("POST", "/api/v1/breaches", "", exampleReport(w.Now))

	// Breaches in every status, one with a question, and the sweep's alerts
	// of both clocks on the preliminary one.
	statuses := map[string]string{}
	var qid string
	for _, s := range []string{"new", "triage", "assessed", "decided", "closed"} {
		statuses[s], _ = w.breachIn(s, false)
	}
	withQuestion, qid := w.breachIn("triage", true)
	w.Now = w.Now.Add(70 * time.Hour) // past the 24 hours, two hours before the 72
	_, err := w.Service.Sweep(context.Background())
	require.NoError(t, err)
	pending := w.do("GET", "/readyz", "", nil) // mail waits: no relay runs here
	assert.Equal(t, http.StatusServiceUnavailable, pending.Status, "%s", pending.Body)

	// Reading, for every role, every breach in every status.
	for _, role := range roles {
		as(role, "GET", "/api/v1/breaches", nil)
		as(role, "GET", "/api/v1/breaches?sort=deadline&status=new&limit=2", nil)
		as(role, "GET", "/api/v1/catalogue/personal-data", nil)
		for _, id := range append(mapValues(statuses), pid, withQuestion) {
			as(role, "GET", b(id), nil)
			as(role, "GET", b(id)+"/events", nil)
			as(role, "GET", b(id)+"/questions", nil)
			as(role, "GET", b(id)+"/questions?open=true", nil)
			as(role, "GET", b(id)+"/assessments", nil)
			as(role, "GET", b(id)+"/authority-form", nil)
			as(role, "GET", b(id)+"/authority-form?format=text", nil)
			as(role, "GET", b(id)+"/subjects-letter", nil)
			as(role, "GET", b(id)+"/subjects-letter?format=text", nil)
		}
		as(role, "GET", "/api/v1/register", nil)
		as(role, "GET", "/api/v1/register?format=csv&from=2026-01-01", nil)
		as(role, "GET", "/api/v1/tokens", nil)
	}
	as("supplier", "GET", "/api/v1/breaches?status=weg&limit=0", nil)
	as("adviser", "GET", "/api/v1/register?from=gisteren", nil)
	as("adviser", "GET", b(pid)+"/authority-form?format=pdf", nil)
	as("supplier", "GET", b(pid)+"/questions?open=maybe", nil)
	w.do("GET", b(pid), other, nil)
	as("adviser", "GET", b("aaaaaaaaaaaaaaaaaaaaaaaaaa"), nil)

	// Following up: corrections and developments by every role, and errors.
	for _, role := range roles {
		as(role, "PATCH", b(pid), map[string]any{"cause": "Laptop uit auto gestolen (" + role + ")"})
		as(role, "POST", b(pid)+"/updates", map[string]any{"message": "Ontwikkeling van " + role})
	}
	as("supplier", "PATCH", b(pid), map[string]any{"subjects_min": -1})
	as("supplier", "PATCH", b(pid), map[string]any{"subjects_min": nil, "cause": ""})
	as("supplier", "PATCH", b(statuses["closed"]), map[string]any{"cause": "Te laat"})
	as("supplier", "POST", b(pid)+"/updates", map[string]any{})
	w.do("PATCH", b(pid), other, map[string]any{"cause": "gekaapt"})

	// The controller's side, every action by every role.
	for _, role := range roles {
		id, _ := w.breachIn("new", false)
		as(role, "PUT", b(id)+"/awareness", map[string]any{"aware_at": w.Now.Add(-time.Hour).Format(time.RFC3339), "reason": "Telefonisch gemeld"})
		as(role, "POST", b(id)+"/triage", nil)
		as(role, "POST", b(id)+"/questions", map[string]any{"question": "Zijn alle brieven retour?"})
		as(role, "POST", b(id)+"/questions/q1/answer", map[string]any{"answer": "Ja"})
		as(role, "POST", b(id)+"/assessments", riskAssessment)
		as(role, "PUT", b(id)+"/other-controllers", map[string]any{"controllers": []map[string]string{{"name": "SVB", "contact": "privacy@svb.example"}}})
		as(role, "PUT", b(id)+"/decision", notifyDecision)
		as(role, "POST", b(id)+"/authority-notifications", map[string]any{"phase": "initial",
			"submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-1"})
		as(role, "POST", b(id)+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
		for _, p := range []string{"", "/events", "/assessments", "/questions", "/authority-form"} {
			as(role, "GET", b(id)+p, nil)
		}
	}
	as("adviser", "PUT", b(pid)+"/awareness", map[string]any{"reason": ""})
	as("adviser", "PUT", b(statuses["closed"])+"/awareness", map[string]any{"aware_at": w.Now.Add(-100 * time.Hour).Format(time.RFC3339), "reason": "x"})
	as("adviser", "POST", b(statuses["closed"])+"/triage", nil)
	as("adviser", "POST", b(pid)+"/questions", map[string]any{"question": ""})
	as("supplier", "POST", b(withQuestion)+"/questions/"+qid+"/answer", map[string]any{"answer": ""})
	as("supplier", "POST", b(withQuestion)+"/questions/"+qid+"/answer", map[string]any{"answer": "Alle 150"})
	as("supplier", "POST", b(withQuestion)+"/questions/"+qid+"/answer", map[string]any{"answer": "Nog eens"})
	as("supplier", "POST", b(withQuestion)+"/questions/q9/answer", map[string]any{"answer": "?"})
	as("adviser", "POST", b(pid)+"/assessments", map[string]any{"ei": "huge"})
	as("adviser", "POST", b(statuses["closed"])+"/assessments", riskAssessment)
	as("controller", "PUT", b(pid)+"/decision", notifyDecision)
	as("controller", "PUT", b(statuses["assessed"])+"/decision", map[string]any{"notify_authority": true})
	as("controller", "POST", b(statuses["new"])+"/authority-notifications", map[string]any{"phase": "initial",
		"submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-2"})
	as("controller", "POST", b(statuses["decided"])+"/authority-notifications", map[string]any{"phase": "later"})
	as("controller", "POST", b(statuses["new"])+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
	as("controller", "POST", b(statuses["new"])+"/close", map[string]any{"outcome": "maybe"})
	as("adviser", "PUT", b(statuses["new"])+"/other-controllers", map[string]any{"controllers": []map[string]string{{"name": ""}}})
	as("adviser", "GET", b(pid)+"/subjects-letter?format=pdf", nil)

	// Telling the people affected, by every role, and errors.
	informing, _ := w.breachIn("assessed", false)
	w.must("controller", "PUT", b(informing)+"/decision", map[string]any{"notify_authority": true, "authority_reasoning": "Risico voor de betrokkenen", "inform_subjects": "planned"})
	for _, role := range roles {
		as(role, "POST", b(informing)+"/subject-communications", map[string]any{"sent_at": w.Now.Format(time.RFC3339),
			"channel": "letter", "reached": 120, "text": "Beste heer, mevrouw, (" + role + ")"})
	}
	as("controller", "POST", b(informing)+"/subject-communications", map[string]any{"channel": "pigeon", "reached": 0})
	as("controller", "POST", b(statuses["decided"])+"/subject-communications", map[string]any{"sent_at": w.Now.Format(time.RFC3339),
		"channel": "letter", "reached": 1, "text": "x"})
	as("controller", "GET", b(informing), nil)

	// The suppliers' records.
	for _, role := range roles {
		as(role, "PUT", "/api/v1/organisations/Acme%20BV", map[string]any{"contract_references": []string{"INK25.005"},
			"contact_official": map[string]any{"name": "K. Visser", "email": "k.visser@hetcak.example"},
			"contacts":         []map[string]any{{"name": "J. Jansen", "email": "j.jansen@acme.example"}},
			"sub_processors":   []string{"Drukkerij Noord"}, "activities": []string{"Printen"}})
		as(role, "GET", "/api/v1/organisations", nil)
		as(role, "GET", "/api/v1/organisations/Acme%20BV", nil)
	}
	as("admin", "GET", "/api/v1/organisations/Nergens%20BV", nil)
	as("admin", "PUT", "/api/v1/organisations/Acme%20BV", map[string]any{"contact_official": map[string]any{"name": ""}, "activities": []string{""}})

	// Tokens.
	for _, role := range roles {
		as(role, "POST", "/api/v1/tokens", map[string]string{"role": "adviser", "name": "via-" + role})
	}
	created := as("admin", "POST", "/api/v1/tokens", map[string]string{"role": "supplier", "organisation": "Acme BV", "name": "spare"}).JSON(t)
	for _, role := range []string{"supplier", "adviser", "controller"} {
		as(role, "DELETE", "/api/v1/tokens/"+created["id"].(string), nil)
	}
	as("admin", "DELETE", "/api/v1/tokens/"+created["id"].(string), nil)
	as("admin", "DELETE", "/api/v1/tokens/nope", nil)
	as("admin", "POST", "/api/v1/tokens", map[string]string{"role": "supplier", "name": "x"})
	w.do("GET", "/api/v1/tokens", "dlk_nope", nil)

	// People's accounts (api/account.go).
	acc := as("admin", "POST", "/api/v1/accounts", map[string]string{"email": "k.visser@hetcak.example",
		"name": "K. Visser", "function": "Adviseur Privacy", "role": "adviser"})
	require.Equal(t, http.StatusCreated, acc.Status, "%s", acc.Body)
	accounts := "/api/v1/accounts/" + acc.JSON(t)["id"].(string)
	for _, role := range roles {
		as(role, "POST", "/api/v1/accounts", map[string]string{"email": role + "@hetcak.example", "name": "N", "function": "F", "role": "controller"})
		as(role, "GET", "/api/v1/accounts", nil)
		for _, action := range []string{"block", "unblock", "reset-second-factor", "reinvite"} {
			as(role, "POST", accounts+"/"+action, nil)
		}
		as(role, "GET", accounts, nil)
		as(role, "GET", accounts+"/events", nil)
	}
	as("admin", "POST", "/api/v1/accounts", map[string]string{"email": "x", "role": "supplier"})

	// Dead mail, which only the operator sends again (there is none here:
	// no relay runs), and readiness in full for the operator.
	for _, role := range roles {
		as(role, "POST", "/api/v1/mail/dead/resend", map[string]any{})
		as(role, "POST", "/api/v1/mail/dead/1/resend", nil)
	}
	as("admin", "POST", "/api/v1/mail/dead/resend", map[string]any{"since": "gisteren"})
	as("admin", "GET", "/readyz", nil)

	// A token past its write limit.
	w.srv.SetWriteLimit(api.WriteLimit{PerSecond: 1.0 / 60, Burst: 1})
	as("supplier", "POST", "/api/v1/breaches", exampleReport(w.Now))
	as("supplier", "POST", "/api/v1/breaches", exampleReport(w.Now))
	w.srv.SetWriteLimit(api.WriteLimit{})

	// Every operation was called by every role (the service endpoints
	// without a token), and the main statuses all came back.
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, op := range []string{"getHealth", "getReadiness", "getOpenAPI"} {
		assert.True(t, c.called[op]["anonymous"], "%s was not called", op)
	}
	for path, item := range c.doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		for method, op := range item.Operations() {
			for _, role := range roles {
				assert.True(t, c.called[op.OperationID][role], "%s %s (%s) was not called as %s", method, path, op.OperationID, role)
			}
		}
	}
	for _, status := range []int{200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 422, 429, 503} {
		assert.True(t, c.statuses[status], "no response had status %d", status)
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}
