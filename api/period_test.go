package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The register with from=1970-01-01 answered 200 with no rows at all: the
// store seeks by nanoseconds since 1970 as an unsigned number, and 1970-01-01
// in Amsterdam lies before that, so the seek began past every breach. A
// silently empty legal register; a period outside what the store can seek
// is now refused, naming the parameter.
func TestPeriodOutsideTheStoredRangeIsRefused(t *testing.T) {
	ta := newTestAPI(t)
	supplier := ta.token("supplier", "Acme BV", "acme")
	adviser := ta.token("adviser", "", "adviseur")
	res := ta.do("POST", "/api/v1/breaches", supplier, exampleReport(ta.Now))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)

	for _, path := range []string{"/api/v1/register", "/api/v1/breaches"} {
		for _, tc := range []struct{ query, field string }{
			{"from=1970-01-01", "from"},
			{"from=1900-01-01", "from"},
			{"to=1999-12-31", "to"},
			{"to=2262-04-12", "to"},
			{"from=2300-01-01T00:00:00Z", "from"},
		} {
			res := ta.do("GET", path+"?"+tc.query, adviser, nil)
			require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s?%s: %s", path, tc.query, res.Body)
			assert.Equal(t, []string{tc.field}, fieldNames(t, res.JSON(t)), "%s?%s", path, tc.query)
		}
		for _, query := range []string{"from=2000-01-01", "from=2000-01-01&to=2199-12-31", "to=" + url.QueryEscape("2199-12-31T23:59:59+01:00")} {
			res := ta.do("GET", path+"?"+query, adviser, nil)
			require.Equal(t, http.StatusOK, res.Status, "%s?%s: %s", path, query, res.Body)
			assert.Len(t, res.JSON(t)["items"], 1, "%s?%s: the breach filed is in the period", path, query)
		}
	}
}
