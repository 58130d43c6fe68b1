package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
	"datalek/notify/smtptest"
)

// Issue 8, number 5: a relay whose certificate an organisation's own CA
// signed, reached by an address its certificate does not name, takes mail
// over STARTTLS and implicit TLS once the CA file and the server name are
// set, and not before: the check is not switched off, it is told whom to
// trust.
func TestRelayWithAPrivateCA(t *testing.T) {
	const host = "relay.datalek.test" // the certificate's only name; the relay is reached at 127.0.0.1
	for _, tc := range []struct {
		name     string
		implicit bool
		mode     string
	}{
		{"STARTTLS", false, "starttls"},
		{"implicit TLS", true, "tls"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			server, caFile := smtptest.NewTLS(t, host, tc.implicit)
			url := "smtp://" + server.Addr + "?tls=" + tc.mode
			for _, bad := range []struct {
				tls  notify.TLS
				want string
			}{
				{notify.TLS{}, "failed to verify certificate"},
				{notify.TLS{ServerName: host}, "certificate signed by unknown authority"},
				{notify.TLS{CAFile: caFile}, "127.0.0.1"},
			} {
				transport, err := notify.NewSMTP(url, bad.tls)
				require.NoError(t, err)
				w := newWorld(t, transport)
				w.file(t, breachtest.ExampleFiling(w.now))
				assert.Zero(t, flush(t, w), "%+v", bad.tls)
				due, err := w.db.DueMail(ctx, w.now.Add(time.Hour), 10)
				require.NoError(t, err)
				require.NotEmpty(t, due)
				assert.Contains(t, due[0].LastError, bad.want, "%+v", bad.tls)
			}
			assert.Empty(t, server.Messages(), "nothing left over an unchecked connection")

			transport, err := notify.NewSMTP(url, notify.TLS{CAFile: caFile, ServerName: host})
			require.NoError(t, err)
			assert.Contains(t, transport.Describe(), caFile)
			w := newWorld(t, transport)
			w.file(t, breachtest.ExampleFiling(w.now))
			assert.Equal(t, 2, flush(t, w))
			assert.Equal(t, breach.MailStats{Sent: 2}, stats(t, w))
			server.WaitFor(2, 5*time.Second)
		})
	}
}

func TestSMTPCAFileMustHoldACertificate(t *testing.T) {
	_, err := notify.NewSMTP("smtp://relay.example:587", notify.TLS{CAFile: "/nonexistent/ca.pem"})
	assert.ErrorContains(t, err, "SMTP CA file")
	_, caFile := smtptest.Certificate(t, "relay.example")
	_, err = notify.NewSMTP("smtp://relay.example:587", notify.TLS{CAFile: caFile})
	assert.NoError(t, err)
	_, err = notify.NewSMTP("smtp://relay.example:587", notify.TLS{CAFile: "tls_test.go"})
	assert.ErrorContains(t, err, "no PEM certificate")
}
