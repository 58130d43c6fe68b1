package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gomail "github.com/wneessen/go-mail"

	"datalek/breach/breachtest"
	"datalek/notify"
	"datalek/notify/smtptest"
)

// shutdownDuringSend is the real SMTP transport, with the service shutting
// down (its context cancelled) as a batch goes out.
type shutdownDuringSend struct {
	notify.Transport
	stop context.CancelFunc
}

func (s shutdownDuringSend) Send(ctx context.Context, msgs []*gomail.Msg) []error {
	s.stop()
	return s.Transport.Send(ctx, msgs)
}

// A shutdown cuts a send off: the mail is left due as it was, with no
// failed attempt counted against it, and the relay stops at once instead of
// working through the rest of the queue one failure at a time.
func TestShutdownLeavesMailDueAndStopsAtOnce(t *testing.T) {
	server := smtptest.New(t)
	smtp, err := notify.NewSMTP("smtp://"+server.Addr+"?tls=none", notify.TLS{})
	require.NoError(t, err)
	ctx, stop := context.WithCancel(context.Background())
	w := newWorld(t, shutdownDuringSend{Transport: smtp, stop: stop})
	for range notify.Batch { // two deliveries each: more than one batch
		w.file(t, breachtest.ExampleFiling(w.now))
	}

	start := time.Now()
	sent, err := w.relay.Flush(ctx)
	require.NoError(t, err)
	assert.Zero(t, sent)
	assert.Less(t, time.Since(start), 10*time.Second)
	due, err := w.db.DueMail(context.Background(), w.now, 3*notify.Batch)
	require.NoError(t, err)
	require.Len(t, due, 2*notify.Batch, "every mail is still due now")
	for _, m := range due {
		assert.Zero(t, m.Attempts, "mail %d: a shutdown is no attempt", m.Seq)
		assert.Empty(t, m.LastError)
	}
	assert.Empty(t, server.Messages())
}
