package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
)

// The operator invites people; an address has one account; the link is
// mailed in the change that creates the account, and only its hash is
// kept; blocking, unblocking, resetting the second factor and inviting again
// are the operator's, each in the account's trail (issue 10).
func TestAccountsAreTheOperators(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	admin := breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}
	req := breach.AccountRequest{Email: " K.Visser@Hetcak.example ", Name: "K. Visser", Function: "Adviseur Privacy", Role: breach.RoleAdviser}

	_, _, err := svc.InviteAccount(ctx, adviser, req)
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err))
	_, _, err = svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: "geen adres", Role: breach.RoleSupplier})
	var e *breach.Error
	require.ErrorAs(t, err, &e)
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	assert.Equal(t, []string{"email", "name", "function", "organisation"}, fields)

	acc, link, err := svc.InviteAccount(ctx, admin, req)
	require.NoError(t, err)
	assert.Equal(t, "k.visser@hetcak.example", acc.Email)
	assert.Equal(t, breach.AccountInvited, acc.Status)
	assert.Nil(t, acc.Invitation, "no hash shown")
	_, _, err = svc.InviteAccount(ctx, admin, req)
	assert.Equal(t, breach.ECONFLICT, breach.ErrorCode(err), "one account per address")

	stored, err := db.FindAccountByEmail(ctx, "k.visser@hetcak.example")
	require.NoError(t, err)
	_, secret, _ := strings.Cut(link[len(breach.InvitationPath):], ".")
	assert.Equal(t, breach.HashSecret(secret), stored.Invitation.Hash, "the link's secret, kept as a hash")
	assert.Equal(t, c.t.Add(breach.DefaultInvitationValid), stored.Invitation.ExpiresAt)
	mails, err := db.DueMail(ctx, c.t, 10)
	require.NoError(t, err)
	require.Len(t, mails, 2, "the invitation, and the privacy mailbox told of an adviser's access; none for the refused second")
	assert.Equal(t, breach.NoticeInvitation, mails[0].Notice.Kind)
	assert.Equal(t, link, mails[0].Notice.Invitation.Link)
	assert.Equal(t, breach.NoticeStaffAccess, mails[1].Notice.Kind)

	c.t = c.t.Add(time.Hour)
	_, err = svc.ChangeAccount(ctx, admin, acc.ID, breach.ChangeReinvite)
	require.NoError(t, err)
	again, err := db.FindAccount(ctx, acc.ID)
	require.NoError(t, err)
	assert.NotEqual(t, stored.Invitation.Hash, again.Invitation.Hash, "the old link stops working")
	_, err = svc.ChangeAccount(ctx, admin, acc.ID, breach.ChangeBlock)
	require.NoError(t, err)
	_, err = svc.ChangeAccount(ctx, admin, acc.ID, breach.ChangeUnblock)
	require.NoError(t, err)
	got, err := db.FindAccount(ctx, acc.ID)
	require.NoError(t, err)
	assert.Equal(t, breach.AccountInvited, got.Status, "unblocked, it still has to accept its invitation")
	_, err = svc.ChangeAccount(ctx, admin, acc.ID, "delete")
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err))
	self := breach.Actor{AccountID: "acc-self", Name: "Beheerder", Function: "beheerder", Role: breach.RoleAdmin}
	_, err = svc.ChangeAccount(ctx, self, "acc-self", breach.ChangeBlock)
	assert.Equal(t, breach.ECONFLICT, breach.ErrorCode(err), "not oneself")

	events, err := svc.AccountEvents(ctx, admin, acc.ID)
	require.NoError(t, err)
	var actions []breach.AccountAction
	for _, e := range events {
		actions = append(actions, e.Action)
		assert.Equal(t, "beheer (admin)", e.By)
	}
	assert.Equal(t, []breach.AccountAction{breach.AccountInvitedEvent, breach.AccountInvitedEvent, breach.AccountBlockedEvent,
		breach.AccountUnblockedEvent}, actions)
	list, err := svc.ListAccounts(ctx, admin)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Empty(t, list[0].PasswordHash+list[0].CodeSecret)
}

// The first operator comes from the command line: no operator exists to
// invite one, and no mail is sent.
func TestInviteFirstOperator(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acc, link, err := svc.InviteFirstOperator(ctx, breach.AccountRequest{Email: "beheer@hetcak.example", Name: "B. Beheer", Function: "Functioneel beheerder"})
	require.NoError(t, err)
	assert.Equal(t, breach.RoleAdmin, acc.Role)
	assert.Contains(t, link, breach.InvitationPath+acc.ID+".")
	mails, err := db.DueMail(ctx, c.t, 10)
	require.NoError(t, err)
	assert.Empty(t, mails)
}
