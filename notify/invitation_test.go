package notify_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/notify/smtptest"
)

// An invited person receives, over real SMTP, a Dutch mail with the
// one-time link under the base URL and until when it works (issue 10).
func TestInvitationMail(t *testing.T) {
	server := smtptest.New(t)
	w := smtpWorld(t, server)
	admin := breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}
	_, link, err := w.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: "P.Pieters@Hetcak.example", Name: "P. Pieters",
		Function: "Adviseur Privacy", Role: breach.RoleAdviser})
	require.NoError(t, err)
	flush(t, w)
	msgs := server.Messages()
	require.Len(t, msgs, 2, "the invitation, and the mailbox told of an adviser's access")
	var invitation, told smtptest.Message
	for _, m := range msgs {
		if m.To[0] == "p.pieters@hetcak.example" {
			invitation = m
		} else {
			told = m
		}
	}
	assert.Equal(t, []string{"p.pieters@hetcak.example"}, invitation.To, "the address in lower case")
	assert.Equal(t, "Toegang tot de datalekken gegeven aan P. Pieters, Adviseur Privacy (Adviseur Privacy)", subjectOf(t, told.Parsed(t)))
	msg := invitation.Parsed(t)
	assert.Equal(t, "Uitnodiging voor de datalekdienst", subjectOf(t, msg))
	text, html := body(t, msg)
	for _, part := range []string{text, html} {
		assert.Contains(t, part, "Beste P. Pieters,")
		assert.Contains(t, part, "https://datalek.cak.example"+link)
		assert.NotContains(t, part, "/api/")
	}
	assert.True(t, strings.HasPrefix(link, breach.InvitationPath))
}
