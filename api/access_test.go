package api_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
)

// An operator sees no breach content, but could give itself (or anyone)
// access by a staff token, a staff account or a staff role: each such
// grant is told to the privacy mailbox, once; a supplier's, an operator's
// and a refused one are not (issue 12).
func TestStaffAccessIsToldToTheMailbox(t *testing.T) {
	s := newSignIn(t)
	admin := breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}
	told := func() []breach.StaffAccessNotice {
		t.Helper()
		mails, err := s.db.DueMail(ctx, s.now, 100)
		require.NoError(t, err)
		var grants []breach.StaffAccessNotice
		for _, m := range mails {
			if m.Notice.Kind == breach.NoticeStaffAccess {
				assert.Equal(t, breach.AudienceMailbox, m.Notice.Audience)
				assert.Equal(t, "beheer", m.Notice.Actor.Name, "who gave it")
				grants = append(grants, *m.Notice.StaffAccess)
			}
		}
		return grants
	}

	_, _, err := s.svc.CreateToken(ctx, admin, breach.TokenRequest{Role: breach.RoleSupplier, Organisation: "Acme BV", Name: "acme"})
	require.NoError(t, err)
	_, _, err = s.svc.CreateToken(ctx, admin, breach.TokenRequest{Role: breach.RoleAdmin, Name: "ops"})
	require.NoError(t, err)
	assert.Empty(t, told(), "no access to breach content")

	_, _, err = s.svc.CreateToken(ctx, admin, breach.TokenRequest{Role: breach.RoleController, Name: "mijn-sleutel"})
	require.NoError(t, err)
	supplier, _, err := s.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: "p.smit@acme.example", Name: "P. Smit",
		Function: "Productieleider", Role: breach.RoleSupplier, Organisation: "Acme BV"})
	require.NoError(t, err)
	_, _, err = s.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: "B.Beheer@hetcak.example", Name: "B. Beheer",
		Function: "Functioneel beheerder", Role: breach.RoleAdviser})
	require.NoError(t, err)
	_, _, err = s.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: "b.beheer@hetcak.example", Name: "B. Beheer",
		Function: "Functioneel beheerder", Role: breach.RoleAdviser})
	require.Equal(t, breach.ECONFLICT, breach.ErrorCode(err), "refused: nothing granted, nothing told")
	_, err = s.svc.ChangeAccountRole(ctx, admin, supplier.ID, breach.RoleController, "")
	require.NoError(t, err)
	_, err = s.svc.ChangeAccountRole(ctx, admin, supplier.ID, breach.RoleAdviser, "")
	require.NoError(t, err) // staff already: nothing new to tell

	assert.ElementsMatch(t, []breach.StaffAccessNotice{
		{Holder: "mijn-sleutel", Means: breach.AccessToken, Role: breach.RoleController},
		{Holder: "B. Beheer, Functioneel beheerder", Means: breach.AccessAccount, Role: breach.RoleAdviser},
		{Holder: "P. Smit, Productieleider", Means: breach.AccessAccount, Role: breach.RoleController},
	}, told())
}
