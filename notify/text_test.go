package notify_test

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
	"datalek/notify/smtptest"
)

// Issue 8, number 6: line breaks in free text are kept in the HTML part, and
// the text around them stays escaped.
func TestHTMLKeepsLineBreaksOfFreeText(t *testing.T) {
	w := newWorld(t, notify.Files{Dir: t.TempDir()})
	f := breachtest.ExampleFiling(w.now)
	f.Cause = "Adresbestand verkeerd gekoppeld.\nDaarna <b>niet</b> gecontroleerd.\nEn verstuurd."
	b := w.file(t, f)
	composer := &notify.Composer{From: "datalek@cak.example", BaseURL: "https://datalek.cak.example"}
	msg, err := composer.Compose(breach.Notice{ID: b.ID + ".1.filed", Kind: breach.NoticeFiled, Audience: breach.AudienceMailbox,
		To: []string{breach.DefaultMailTo}, At: w.now, Breach: b})
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = msg.WriteTo(&buf)
	require.NoError(t, err)
	parsed, err := mail.ReadMessage(&buf)
	require.NoError(t, err)
	text, html := body(t, parsed)
	html = strings.ReplaceAll(html, "\r\n", "\n") // the line ends of the mail itself
	assert.Contains(t, html, "Adresbestand verkeerd gekoppeld.<br>\nDaarna &lt;b&gt;niet&lt;/b&gt; gecontroleerd.<br>\nEn verstuurd.")
	assert.NotContains(t, html, "<b>niet")
	assert.Contains(t, strings.ReplaceAll(text, "\r\n", "\n"), "Adresbestand verkeerd gekoppeld.\nDaarna <b>niet</b>")
}

// Issue 8, number 6: the mail that tells the mailbox a reporter's address was
// refused says in Dutch what mail it was and what happened; the server's own
// reply is kept as a detail, go-mail's English and the service's internal
// names are not shown.
func TestBounceSpeaksDutch(t *testing.T) {
	server := smtptest.New(t)
	server.Refuse = func(rcpt string) bool { return rcpt == "j.jansen@acme.example" }
	w := smtpWorld(t, server)
	w.file(t, breachtest.ExampleFiling(w.now))
	flush(t, w)
	flush(t, w)
	var bounce *mail.Message
	for _, m := range server.Messages() {
		if msg := m.Parsed(t); strings.Contains(subjectOf(t, msg), "niet afgeleverd") {
			bounce = msg
		}
	}
	require.NotNil(t, bounce, "the mailbox is told")
	text, html := body(t, bounce)
	assert.Contains(t, strings.ReplaceAll(text, "\r\n", "\n"), "Mail: de ontvangstbevestiging van de melding\nAan: j.jansen@acme.example\n")
	assert.Contains(t, text, "Antwoord van de mailserver: 550 5.1.1 No such user")
	for _, part := range []string{text, html} {
		assert.Contains(t, part, "ontvangstbevestiging")
		assert.Contains(t, part, "550")
		assert.Contains(t, part, "No such user", "the server's reply, as a detail")
		for _, english := range []string{"(acknowledged)", "acknowledged", "sending SMTP", "RCPT", "affected recipient", "affected message ID"} {
			assert.NotContains(t, part, english)
		}
	}
}
