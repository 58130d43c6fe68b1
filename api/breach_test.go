package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSupplierFilesReadsUpdatesAndSeesTrail(t *testing.T) {
	ta := newTestAPI(t)
	acme := ta.token("supplier", "Acme BV", "acme-prod")
	other := ta.token("supplier", "Other BV", "other-prod")
	adviser := ta.token("adviser", "", "adviseur")

	// A complete report.
	report := exampleReport(ta.Now)
	res := ta.do("POST", "/api/v1/breaches", acme, report)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	complete := res.JSON(t)
	id := complete["id"].(string)
	assert.Equal(t, "/api/v1/breaches/"+id, res.Header.Get("Location"))
	assert.Regexp(t, `^DL-\d{4}-[B-X][B-X2-9]{4}$`, complete["reference"])
	assert.Equal(t, "complete", complete["stage"])
	assert.Equal(t, "new", complete["status"])
	assert.Equal(t, "Acme BV", complete["organisation"])
	assert.Empty(t, complete["missing_fields"])
	processor := complete["deadlines"].(map[string]any)["processor"].(map[string]any)
	detected, _ := time.Parse(time.RFC3339, report["detected_at"].(string))
	assert.Equal(t, detected.Add(24*time.Hour).UTC().Format(time.RFC3339), processor["due_at"])
	assert.Equal(t, true, processor["met"])
	assert.NotContains(t, complete["deadlines"], "authority", "the 72-hour clock is the controller's, not shown to the supplier")
	staffView := ta.do("GET", "/api/v1/breaches/"+id, adviser, nil).JSON(t)
	authority := staffView["deadlines"].(map[string]any)["authority"].(map[string]any)
	assert.Equal(t, complete["received_at"], authority["aware_at"], "the 72 hours start at the first receipt")
	received, _ := time.Parse(time.RFC3339Nano, complete["received_at"].(string))
	assert.Equal(t, received.Add(72*time.Hour).Format(time.RFC3339Nano), authority["due_at"])
	assert.Equal(t, false, authority["met"])

	// A preliminary report starts both clocks with only the essentials.
	ta.Now = ta.Now.Add(time.Minute)
	res = ta.do("POST", "/api/v1/breaches", acme, map[string]any{
		"stage": "preliminary", "title": "Laptop gestolen",
		"detected_at": ta.Now.Add(-2 * time.Hour).Format(time.RFC3339),
		"reporter":    map[string]string{"name": "P. de Vries", "phone": "020-1234567"},
	})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	prelim := res.JSON(t)
	pid := prelim["id"].(string)
	assert.Equal(t, "preliminary", prelim["stage"])
	assert.Equal(t, []any{"cause", "started_at", "personal_data", "subjects_min", "subjects_max", "sent_items", "item_disposition", "measures"},
		prelim["missing_fields"])
	pproc := prelim["deadlines"].(map[string]any)["processor"].(map[string]any)
	assert.Equal(t, false, pproc["met"])
	assert.Equal(t, "running", pproc["state"])

	// Reading back.
	res = ta.do("GET", "/api/v1/breaches/"+id, acme, nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, complete["reference"], res.JSON(t)["reference"])
	res = ta.do("GET", "/api/v1/breaches", acme, nil)
	require.Equal(t, http.StatusOK, res.Status)
	items := res.JSON(t)["items"].([]any)
	require.Len(t, items, 2)
	assert.Equal(t, pid, items[0].(map[string]any)["id"], "newest first")

	// Completing the preliminary report.
	ta.Now = ta.Now.Add(time.Hour)
	res = ta.do("PATCH", "/api/v1/breaches/"+pid, acme, map[string]any{
		"cause": "Laptop uit auto gestolen", "started_at": ta.Now.Add(-4 * time.Hour).Format(time.RFC3339),
		"personal_data": []string{"naam", "bsn", "gezondheidsgegevens"}, "subjects_min": 10, "subjects_max": 40,
		"sent_items": []any{}, "item_disposition": "not_applicable", "measures": "Schijf versleuteld; op afstand gewist",
	})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	done := res.JSON(t)
	assert.Equal(t, "complete", done["stage"])
	assert.Empty(t, done["missing_fields"])
	assert.Equal(t, true, done["deadlines"].(map[string]any)["processor"].(map[string]any)["met"])

	// A development, then the trail.
	res = ta.do("POST", "/api/v1/breaches/"+pid+"/updates", acme, map[string]any{
		"message": "Laptop teruggevonden, niet geopend", "subjects_max": 35})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	updated := res.JSON(t)
	assert.EqualValues(t, 35, updated["subjects_max"])
	require.Len(t, updated["updates"], 1)

	res = ta.do("GET", "/api/v1/breaches/"+pid+"/events", acme, nil)
	require.Equal(t, http.StatusOK, res.Status)
	events := res.JSON(t)["items"].([]any)
	require.Len(t, events, 3)
	var actions []string
	for _, e := range events {
		ev := e.(map[string]any)
		actions = append(actions, ev["action"].(string))
		assert.Equal(t, "acme-prod", ev["actor"].(map[string]any)["name"])
		assert.NotContains(t, ev, "hash", "numbers and hashes would show where the supplier's view leaves entries out")
	}
	assert.Equal(t, []string{"breach.filed", "breach.amended", "breach.updated"}, actions)
	last := events[2].(map[string]any)
	assert.Equal(t, "Laptop teruggevonden, niet geopend", last["message"])
	assert.Equal(t, "subjects_max", last["changes"].([]any)[0].(map[string]any)["field"])

	// Another supplier: 404 everywhere, exactly as if the breaches did not exist.
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/breaches/" + id, nil}, {"GET", "/api/v1/breaches/" + id + "/events", nil},
		{"PATCH", "/api/v1/breaches/" + id, map[string]any{"title": "gekaapt"}},
		{"POST", "/api/v1/breaches/" + id + "/updates", map[string]any{"message": "gekaapt"}},
	} {
		res = ta.do(req.method, req.path, other, req.body)
		assert.Equal(t, http.StatusNotFound, res.Status, "%s %s", req.method, req.path)
		unknown := ta.do(req.method, strings.Replace(req.path, id, "aaaaaaaaaaaaaaaaaaaaaaaaaa", 1), other, req.body)
		assert.Equal(t, unknown.JSON(t)["title"], res.JSON(t)["title"])
		assert.NotContains(t, string(res.Body), "Acme")
	}
	res = ta.do("GET", "/api/v1/breaches", other, nil)
	assert.Empty(t, res.JSON(t)["items"])

	// Staff see both.
	res = ta.do("GET", "/api/v1/breaches?organisation=Acme+BV&stage=complete", adviser, nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Len(t, res.JSON(t)["items"], 2)
}

func TestIdempotencyKeyOverHTTP(t *testing.T) {
	ta := newTestAPI(t)
	acme := ta.token("supplier", "Acme BV", "acme-prod")
	report := exampleReport(ta.Now)

	first := ta.do("POST", "/api/v1/breaches", acme, report, "Idempotency-Key", "melding-42")
	require.Equal(t, http.StatusCreated, first.Status)
	retry := ta.do("POST", "/api/v1/breaches", acme, report, "Idempotency-Key", "melding-42")
	require.Equal(t, http.StatusCreated, retry.Status)
	assert.Equal(t, "true", retry.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, first.JSON(t)["id"], retry.JSON(t)["id"])
	assert.Equal(t, first.JSON(t)["reference"], retry.JSON(t)["reference"])

	report["title"] = "Ander datalek"
	conflict := ta.do("POST", "/api/v1/breaches", acme, report, "Idempotency-Key", "melding-42")
	assert.Equal(t, http.StatusConflict, conflict.Status)

	list := ta.do("GET", "/api/v1/breaches", acme, nil)
	assert.Len(t, list.JSON(t)["items"], 1, "the retry filed nothing new")
}

func TestStaffFileOnBehalfOfSupplier(t *testing.T) {
	ta := newTestAPI(t)
	adviser := ta.token("adviser", "", "adviseur")
	acme := ta.token("supplier", "Acme BV", "acme-prod")

	report := exampleReport(ta.Now)
	res := ta.do("POST", "/api/v1/breaches", adviser, report)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"organisation"}, fieldNames(t, res.JSON(t)))

	report["organisation"] = "Acme BV"
	res = ta.do("POST", "/api/v1/breaches", adviser, report)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	id := res.JSON(t)["id"].(string)
	assert.Equal(t, http.StatusOK, ta.do("GET", "/api/v1/breaches/"+id, acme, nil).Status, "the supplier sees what was filed for it")

	report["organisation"] = "Other BV"
	res = ta.do("POST", "/api/v1/breaches", acme, report)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "a supplier cannot file for another")

	report["organisation"] = "Acme Bv" // a typo would file for a supplier that never sees it
	res = ta.do("POST", "/api/v1/breaches", adviser, report)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"organisation"}, fieldNames(t, res.JSON(t)))
}
