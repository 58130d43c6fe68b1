package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach/breachtest"
)

func TestWritesAreLimitedPerToken(t *testing.T) {
	ta := newTestAPI(t)
	ta.srv.SetWriteLimit(api.WriteLimit{PerSecond: 1.0 / 60, Burst: 3}) // no write refills within the test
	acme, other := ta.token("supplier", "Acme BV", "acme"), ta.token("supplier", "Other BV", "other")

	var id string
	for i := range 3 {
		res := ta.do("POST", "/api/v1/breaches", acme, breachtest.ExampleReport(ta.Now))
		require.Equal(t, http.StatusCreated, res.Status, "write %d of the burst", i+1)
		id = res.JSON(t)["id"].(string)
	}
	res := ta.do("PATCH", "/api/v1/breaches/"+id, acme, map[string]any{"measures": "Nog meer maatregelen"})
	require.Equal(t, http.StatusTooManyRequests, res.Status)
	wait, err := strconv.Atoi(res.Header.Get("Retry-After"))
	require.NoError(t, err)
	assert.InDelta(t, 59, wait, 1, "a unit refills in 60 s, less the moments the writes took (more on a slow machine)")
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assert.Contains(t, res.JSON(t)["detail"], "te veel gewijzigd")

	assert.Equal(t, http.StatusOK, ta.do("GET", "/api/v1/breaches/"+id, acme, nil).Status, "reading is not limited")
	assert.Equal(t, http.StatusCreated, ta.do("POST", "/api/v1/breaches", other, breachtest.ExampleReport(ta.Now)).Status,
		"another token has its own limit")
	events := ta.do("GET", "/api/v1/breaches/"+id+"/events", acme, nil).JSON(t)["items"].([]any)
	assert.Len(t, events, 1, "the refused change stored nothing")
}

func TestBreachCannotGrowWithoutBound(t *testing.T) {
	ta := newTestAPI(t)
	acme := ta.token("supplier", "Acme BV", "acme")
	id := ta.do("POST", "/api/v1/breaches", acme, breachtest.ExampleReport(ta.Now)).JSON(t)["id"].(string)
	message := strings.Repeat("Weer een ontwikkeling. ", 430) // 9,890 characters, within a message's limit
	refused := 0
	for i := range 100 {
		res := ta.do("POST", "/api/v1/breaches/"+id+"/updates", acme, map[string]any{"message": message})
		if res.Status == http.StatusConflict {
			refused = i
			assert.Contains(t, res.JSON(t)["detail"], "te omvangrijk")
			break
		}
		require.Equal(t, http.StatusCreated, res.Status, "update %d: %s", i+1, res.Body)
	}
	require.NotZero(t, refused, "a breach of half a megabyte takes no more developments")
	assert.Less(t, refused, 60)
	b := ta.do("GET", "/api/v1/breaches/"+id, acme, nil).JSON(t)
	assert.Len(t, b["updates"], refused, "the refused development stored nothing")
}

func TestLargeWritesUseUpTheLimitFaster(t *testing.T) {
	ta := newTestAPI(t)
	ta.srv.SetWriteLimit(api.WriteLimit{PerSecond: 1.0 / 60, Burst: 20})
	acme := ta.token("supplier", "Acme BV", "acme")
	large := breachtest.ExampleReport(ta.Now)
	large["cause"] = strings.Repeat("Een lange oorzaak. ", 520) // about 10 KB: three units with the rest
	large["measures"] = strings.Repeat("Een lange maatregel. ", 470)
	large["sent_items"] = []map[string]any{{"description": strings.Repeat("Brief. ", 1400), "channel": "post"},
		{"description": strings.Repeat("Brief. ", 1400), "channel": "post"}, {"description": strings.Repeat("Brief. ", 1400), "channel": "post"}}

	res := ta.do("POST", "/api/v1/breaches", acme, large)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body) // about 50 KB: 13 of the 20 units
	res = ta.do("POST", "/api/v1/breaches", acme, large)
	require.Equal(t, http.StatusTooManyRequests, res.Status, "a second large filing is more than what is left")
	wait, err := strconv.Atoi(res.Header.Get("Retry-After"))
	require.NoError(t, err)
	assert.Greater(t, wait, 60, "it waits for the units it needs, not for one")
	assert.Equal(t, http.StatusCreated, ta.do("POST", "/api/v1/breaches", acme, breachtest.ExampleReport(ta.Now)).Status,
		"a small filing still fits")
}

func TestChunkedWritesPayForTheLargestBody(t *testing.T) {
	ta := newTestAPI(t)
	ta.srv.SetWriteLimit(api.WriteLimit{PerSecond: 1.0 / 60, Burst: 70})
	acme := ta.token("supplier", "Acme BV", "acme")
	send := func() int {
		data, err := json.Marshal(breachtest.ExampleReport(ta.Now))
		require.NoError(t, err)
		req, err := http.NewRequest("POST", ta.URL+"/api/v1/breaches", io.MultiReader(bytes.NewReader(data))) // no length: chunked
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+acme)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	assert.Equal(t, http.StatusCreated, send(), "a chunked write costs 64 units of the 70")
	assert.Equal(t, http.StatusTooManyRequests, send(), "a second one is more than what is left")
}

// A correction of one field of a large breach stores a snapshot of the whole
// breach for its mails: it pays for the breach, not for its small body.
func TestSmallWritesToALargeBreachPayForTheBreach(t *testing.T) {
	ta := newTestAPI(t)
	ta.srv.SetWriteLimit(api.WriteLimit{PerSecond: 1.0 / 600, Burst: 60}) // nothing refills within the test
	acme := ta.token("supplier", "Acme BV", "acme")
	large := breachtest.ExampleReport(ta.Now)
	large["cause"] = strings.Repeat("Een lange oorzaak. ", 520) // about 10 KB, as in TestLargeWritesUseUpTheLimitFaster
	large["measures"] = strings.Repeat("Een lange maatregel. ", 470)
	large["sent_items"] = []map[string]any{{"description": strings.Repeat("Brief. ", 1400), "channel": "post"},
		{"description": strings.Repeat("Brief. ", 1400), "channel": "post"}, {"description": strings.Repeat("Brief. ", 1400), "channel": "post"}}
	res := ta.do("POST", "/api/v1/breaches", acme, large)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body) // about 50 KB: 13 of the 60 units
	id := res.JSON(t)["id"].(string)

	patched := 0
	for i := range 60 {
		res := ta.do("PATCH", "/api/v1/breaches/"+id, acme, map[string]any{"contract_reference": "INK25." + strconv.Itoa(i)})
		if res.Status == http.StatusTooManyRequests {
			break
		}
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		patched++
	}
	assert.GreaterOrEqual(t, patched, 3, "a correction costs about what the breach does, 13 units")
	assert.LessOrEqual(t, patched, 4, "not the one unit of its body: 47 corrections would fit")
}
