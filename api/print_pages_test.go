package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
)

// The printable register is the staff's, with the register page's filters;
// a period that cannot be read prints nothing rather than another period
// (issue 11).
func TestRegisterPrint(t *testing.T) {
	s := newSignIn(t)
	b := s.file()
	adviser := s.person("k.visser@hetcak.example", "K. Visser", "Adviseur Privacy", breach.RoleAdviser, "")
	for query, want := range map[string]string{
		"":                                "ontvangen vanaf donderdag 1 januari 2026.",
		"?van=2026-11-01&tot=2026-11-30":  "ontvangen vanaf zondag 1 november 2026 tot en met maandag 30 november 2026.",
		"?van=2026-11-01&status=open":     "ontvangen vanaf zondag 1 november 2026, alleen open.",
		"?van=2026-11-01&status=gesloten": "alleen afgesloten",
		"?van=2026-11-24":                 "ontvangen vanaf dinsdag 24 november 2026.",
		"?tot=2026-11-22":                 "ontvangen tot en met zondag 22 november 2026.",
	} {
		status, body, header := adviser.do("GET", "/register/afdruk"+query, nil)
		assert.Equal(t, http.StatusOK, status, query)
		assert.Contains(t, body, want, query)
		assert.Equal(t, "no-store", header.Get("Cache-Control"), query)
		listed := query == "" || query == "?van=2026-11-01&tot=2026-11-30" || query == "?van=2026-11-01&status=open"
		assert.Equal(t, listed, strings.Contains(body, `<th scope="row">`+b.Reference+`</th>`), "%s: listed %v", query, listed)
	}
	status, body, _ := adviser.do("GET", "/register/afdruk?van=1-11-2026", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "De periode is niet geldig: ontvangen vanaf is geen datum; gebruik bijvoorbeeld 2026-11-20.")
	assert.NotContains(t, body, b.Reference)
	status, body, _ = adviser.do("GET", "/register/afdruk?status=misschien", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, status, "an unknown status prints nothing, rather than all")
	assert.Contains(t, body, "De periode is niet geldig: de status moet alle, open of afgesloten zijn.")
	assert.NotContains(t, body, b.Reference)

	_, body, _ = adviser.do("GET", "/register?van=2026-11-01&status=open", nil)
	assert.Contains(t, body, `<a href="/register/afdruk?van=2026-11-01&amp;tot=&amp;status=open">Afdrukken</a>`, "the register's page links to it, with its filters")

	supplier := s.person("p.smit@acme.example", "P. Smit", "Productieleider", breach.RoleSupplier, "Acme BV")
	operator := s.person("b.beheer@hetcak.example", "B. Beheer", "Functioneel beheerder", breach.RoleAdmin, "")
	for _, who := range []*browser{supplier, operator} {
		status, body, _ := who.do("GET", "/register/afdruk", nil)
		assert.Equal(t, http.StatusNotFound, status)
		assert.NotContains(t, body, b.Report.Title)
	}
}
