package api_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
)

// The rules of breach.SignInExternal, on a real store: which account an
// identity finds, what it may change, and what is refused.

const issuer = "https://login.hetcak.example"

func (s *signIn) actions(id string) (actions []breach.AccountAction, reasons []string) {
	s.t.Helper()
	events, err := s.svc.AccountEvents(ctx, ssoAdmin, id)
	require.NoError(s.t, err)
	for _, e := range events {
		actions, reasons = append(actions, e.Action), append(reasons, e.Reason)
	}
	return actions, reasons
}

// An invited adviser who signs in through the provider with the same
// address is that account: it is tied to the identity, becomes active (the
// invitation link stops working) and takes the provider's name; later the
// identity finds it whatever address the provider gives.
func TestSSOLinksAnInvitedAccount(t *testing.T) {
	s := newSignIn(t)
	link := s.invite("k.visser@hetcak.example")
	id := breach.ExternalIdentity{Issuer: issuer, Subject: "s-visser", Email: "K.Visser@HetCAK.example", Name: "Karin Visser", Role: breach.RoleAdviser}
	cookie, err := s.svc.SignInExternal(ctx, id, "192.0.2.7")
	require.NoError(t, err)
	a, err := s.svc.SessionActor(ctx, cookie)
	require.NoError(t, err)
	assert.Equal(t, "Karin Visser, Adviseur Privacy", a.Label(), "the provider's name, the account's function")
	acc, err := s.db.FindAccountByEmail(ctx, "k.visser@hetcak.example")
	require.NoError(t, err)
	assert.Equal(t, breach.AccountActive, acc.Status)
	assert.Nil(t, acc.Invitation)
	assert.Equal(t, issuer+" s-visser", acc.Subject)
	_, err = s.svc.AcceptInvitation(ctx, strings.TrimPrefix(link, breach.InvitationPath), "een lange zin als wachtwoord", "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "the invitation stops working")

	id.Email = "karin.visser@nieuw.example"
	_, err = s.svc.SignInExternal(ctx, id, "192.0.2.7")
	require.NoError(t, err, "found by the identity, not the address")
	acc, err = s.db.FindAccount(ctx, acc.ID)
	require.NoError(t, err)
	assert.Equal(t, "k.visser@hetcak.example", acc.Email, "the address keys the account and stays")
	actions, _ := s.actions(acc.ID)
	assert.Equal(t, []breach.AccountAction{breach.AccountInvitedEvent, breach.AccountLinkedEvent, breach.AccountSignedInSSOEvent,
		breach.AccountSignedInSSOEvent}, actions)
}

// The provider's role counts: the account takes it, recorded in the trail;
// a function that was the old role's default follows the role, one the
// operator gave stays.
func TestSSORoleChange(t *testing.T) {
	s := newSignIn(t)
	id := breach.ExternalIdentity{Issuer: issuer, Subject: "s-1", Email: "j.smit@hetcak.example", Name: "J. Smit", Role: breach.RoleAdviser}
	_, err := s.svc.SignInExternal(ctx, id, "")
	require.NoError(t, err)
	id.Role = breach.RoleController
	cookie, err := s.svc.SignInExternal(ctx, id, "")
	require.NoError(t, err)
	a, err := s.svc.SessionActor(ctx, cookie)
	require.NoError(t, err)
	assert.Equal(t, breach.RoleController, a.Role)
	assert.Equal(t, "J. Smit, Verwerkingsverantwoordelijke", a.Label(), "the default function follows the role")
	actions, reasons := s.actions(a.AccountID)
	assert.Equal(t, []breach.AccountAction{breach.AccountProvisionedEvent, breach.AccountSignedInSSOEvent, breach.AccountRoleChangedEvent,
		breach.AccountSignedInSSOEvent}, actions)
	assert.Equal(t, "controller (was adviser)", reasons[2])

	s.invite("k.visser@hetcak.example") // an adviser, "Adviseur Privacy" by the operator
	cookie, err = s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Subject: "s-2", Email: "k.visser@hetcak.example",
		Role: breach.RoleController}, "")
	require.NoError(t, err)
	a, err = s.svc.SessionActor(ctx, cookie)
	require.NoError(t, err)
	assert.Equal(t, "K. Visser, Adviseur Privacy", a.Label(), "no name from the provider: the account's; its own function stays")
	assert.Equal(t, breach.RoleController, a.Role)
}

// What is refused, each with a Dutch message and an entry in the trail.
func TestSSORefusals(t *testing.T) {
	s := newSignIn(t)
	_, err := s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Subject: "s-1", Email: "j.smit@hetcak.example", Name: "J. Smit",
		Role: breach.RoleAdviser}, "")
	require.NoError(t, err)

	_, err = s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Subject: "s-other", Email: "j.smit@hetcak.example",
		Role: breach.RoleAdviser}, "")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "an address tied to another identity")
	assert.Contains(t, err.Error(), "andere identiteit")
	_, err = s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: "https://login.elders.example", Subject: "s-1",
		Email: "j.smit@hetcak.example", Role: breach.RoleAdviser}, "")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "the same subject from another issuer is another identity")

	_, _, err = s.svc.InviteFirstOperator(ctx, breach.AccountRequest{Email: "beheer@hetcak.example", Name: "B. Beheer", Function: "Beheerder"})
	require.NoError(t, err)
	_, err = s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Subject: "s-op", Email: "beheer@hetcak.example",
		Role: breach.RoleController}, "")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "an operator's account does not become staff")
	assert.Contains(t, err.Error(), "Meld u aan met uw e-mailadres en wachtwoord.")

	_, err = s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Subject: "s-new", Role: breach.RoleAdviser}, "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "no verified address, and no account")
	_, err = s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Subject: "s-new", Email: "nieuw@hetcak.example",
		Name: "=?utf-8?q?=E2=80=AE?=", Role: breach.RoleAdviser}, "")
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err), "a name that would read otherwise in a mail")
	_, err = s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Subject: "s-new", Email: "nieuw@hetcak.example",
		Role: breach.RoleSupplier}, "")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "only staff")
	_, err = s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Email: "nieuw@hetcak.example", Role: breach.RoleAdviser}, "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "no subject")

	_, reasons := s.actions("")
	assert.Equal(t, []string{"", "", "single sign-on: address tied to another identity", "single sign-on: address tied to another identity",
		"", "single sign-on: account is not staff", "single sign-on: no verified address for a new account",
		"single sign-on: unusable name or function", "single sign-on: no single staff role from the provider"}, reasons)
}

// An identity at the provider that merely carries the address of an
// account with its own password and second factor does not take it over
// (with an unverified or forged address claim, it would act under that
// person's name); the account's lock-out stays as it was (issue 10 review).
func TestSSODoesNotTakeOverAPasswordAccount(t *testing.T) {
	s := newSignIn(t)
	s.enrolled("k.visser@hetcak.example")
	for range breach.MaxFailedSignIns {
		_, _, err := s.svc.SignIn(ctx, "k.visser@hetcak.example", "fout wachtwoord!", "")
		require.Error(t, err)
	}
	_, err := s.svc.SignInExternal(ctx, breach.ExternalIdentity{Issuer: issuer, Subject: "s-visser", Email: "k.visser@hetcak.example",
		Role: breach.RoleController}, "")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err))
	assert.Contains(t, err.Error(), "wachtwoord en code")
	acc, err := s.db.FindAccountByEmail(ctx, "k.visser@hetcak.example")
	require.NoError(t, err)
	assert.Equal(t, breach.RoleAdviser, acc.Role, "nothing taken over")
	assert.Empty(t, acc.Subject)
	_, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "the password stays locked")
}
