package nl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
	"datalek/breach/nl"
)

// Who acted, as a record stores it, reads as a person would say it: a
// token is named as such, its role in Dutch, never the role's code.
func TestBy(t *testing.T) {
	for _, a := range []breach.Actor{
		{Name: "cak-vv", Role: breach.RoleController},
		{Name: "adviseur", Role: breach.RoleAdviser},
		{Name: "acme-prod (2)", Role: breach.RoleSupplier, Organisation: "Acme BV"},
		{Name: "bootstrap", Role: breach.RoleAdmin},
	} {
		assert.Equal(t, nl.ActorText(a.Name, a.Role, a.Organisation), nl.By(a.Label()), a.Label())
	}
	assert.Equal(t, "de verwerkingsverantwoordelijke (token cak-vv)", nl.By("cak-vv (controller)"))
	assert.Equal(t, "de Adviseur Privacy (token adviseur)", nl.By("adviseur (adviser)"))
	assert.Equal(t, "Acme BV (token acme-prod)", nl.By("acme-prod (supplier, Acme BV)"))
	assert.Equal(t, "migratie naar layout 6", nl.By("migratie naar layout 6"))
	assert.Equal(t, "iemand (extern)", nl.By("iemand (extern)"), "not a role: as it is")
}
