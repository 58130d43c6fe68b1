package nl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
	"datalek/breach/nl"
)

// Every action of an account's trail and every account status has a Dutch
// name, so that the operator's pages show no code (issue 11).
func TestEveryAccountCodeHasADutchLabel(t *testing.T) {
	for _, a := range breach.AccountActions {
		assert.NotEqual(t, string(a), nl.AccountAction(a), "account action %q has no Dutch label", a)
		assert.NotEmpty(t, nl.AccountAction(a), "account action %q", a)
	}
	for _, s := range []breach.AccountStatus{breach.AccountInvited, breach.AccountActive, breach.AccountBlocked} {
		assert.NotEqual(t, string(s), nl.AccountStatus(s), "account status %q has no Dutch label", s)
	}
}

// The trail's reasons read in Dutch: why a sign-in failed, and the role
// before and after a change.
func TestAccountEventText(t *testing.T) {
	for _, c := range []struct {
		e    breach.AccountEvent
		want string
	}{
		{breach.AccountEvent{Action: breach.AccountBlockedEvent}, "geblokkeerd"},
		{breach.AccountEvent{Action: breach.AccountSignInFailed, Reason: "wrong code"}, "aanmelden mislukt (onjuiste code)"},
		{breach.AccountEvent{Action: breach.AccountSignInFailed, Reason: "single sign-on: account blocked"},
			"aanmelden mislukt (eenmalige aanmelding: account geblokkeerd)"},
		{breach.AccountEvent{Action: breach.AccountLockedEvent, Reason: "wrong password"},
			"tijdelijk geblokkeerd na te veel mislukte pogingen (onjuist wachtwoord)"},
		{breach.AccountEvent{Action: breach.AccountRoleChangedEvent, Reason: "supplier, Acme BV (was adviser)"},
			"rol gewijzigd: verwerker, Acme BV (was Adviseur Privacy)"},
		{breach.AccountEvent{Action: breach.AccountRoleChangedEvent, Reason: "controller (was adviser)"},
			"rol gewijzigd: verwerkingsverantwoordelijke (was Adviseur Privacy)"},
	} {
		assert.Equal(t, c.want, nl.AccountEventText(c.e))
	}
}
