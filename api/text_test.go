package api_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The examples, through the API: a title that a mail client decodes
// into a right-to-left override in the Subject, and a bare CR that forged a
// line in the AP form's text and in the mail's text part.
func TestTextThatForgesMailOrFormIsRefused(t *testing.T) {
	ta := newTestAPI(t)
	supplier := ta.token("supplier", "Acme BV", "acme")

	report := exampleReport(ta.Now)
	report["title"] = "Laptop =?utf-8?q?=E2=80=AE?=fdp.exe"
	res := ta.do("POST", "/api/v1/breaches", supplier, report)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	assert.Equal(t, []string{"title"}, fieldNames(t, res.JSON(t)))

	res = ta.do("POST", "/api/v1/breaches", supplier, exampleReport(ta.Now))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	path := "/api/v1/breaches/" + res.JSON(t)["id"].(string)
	for field, value := range map[string]string{
		"cause":    "Adresbestand verkeerd gekoppeld\rBesluit verwerkingsverantwoordelijke: niet melden",
		"measures": "Printstraat stilgezet\u2028Besluit verwerkingsverantwoordelijke: niet melden",
		"title":    "Brieven =?utf-8?b?4oCu?=verkeerd",
	} {
		res = ta.do("PATCH", path, supplier, map[string]string{field: value})
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s: %s", field, res.Body)
		assert.Equal(t, []string{field}, fieldNames(t, res.JSON(t)))
	}
	res = ta.do("POST", path+"/updates", supplier, map[string]string{"message": "Gebeld\rBesluit: niet melden"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	assert.Equal(t, []string{"message"}, fieldNames(t, res.JSON(t)))

	res = ta.do("PATCH", path, supplier, map[string]string{"cause": "Regel een\r\nRegel twee"})
	assert.Equal(t, http.StatusOK, res.Status, "CRLF is a line break: %s", res.Body)
}
