package api_test

import (
	"net/http"
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
	assert.Equal(t, "60", res.Header.Get("Retry-After"))
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assert.Contains(t, res.JSON(t)["detail"], "te veel wijzigingen")

	assert.Equal(t, http.StatusOK, ta.do("GET", "/api/v1/breaches/"+id, acme, nil).Status, "reading is not limited")
	assert.Equal(t, http.StatusCreated, ta.do("POST", "/api/v1/breaches", other, breachtest.ExampleReport(ta.Now)).Status,
		"another token has its own limit")
	events := ta.do("GET", "/api/v1/breaches/"+id+"/events", acme, nil).JSON(t)["items"].([]any)
	assert.Len(t, events, 1, "the refused change stored nothing")
}
