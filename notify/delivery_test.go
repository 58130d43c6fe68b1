package notify_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/mail"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
	"datalek/notify/smtptest"
)

// The privacy mailbox's addresses in these tests: two, as DATALEK_MAIL_TO
// may list several.
const (
	mailboxGood = "datalekken@hetcak.example"
	mailboxTypo = "fg-typo@hetcak.example"
)

// smtpWorld is a world that delivers to a real SMTP server on 127.0.0.1
// without TLS, with the given privacy mailbox.
func smtpWorld(t *testing.T, server *smtptest.Server, mailbox ...string) *world {
	t.Helper()
	transport, err := notify.NewSMTP("smtp://"+server.Addr+"?tls=none", notify.TLS{})
	require.NoError(t, err)
	w := newWorld(t, transport)
	if len(mailbox) > 0 {
		w.svc.MailTo = mailbox
	}
	return w
}

// deliveries counts the messages the server accepted, per recipient and
// Message-ID.
func deliveries(t *testing.T, server *smtptest.Server) map[string]map[string]int {
	t.Helper()
	got := map[string]map[string]int{}
	for _, m := range server.Messages() {
		id := m.Parsed(t).Header.Get("Message-Id")
		for _, to := range m.To {
			if got[to] == nil {
				got[to] = map[string]int{}
			}
			got[to][id]++
		}
	}
	return got
}

func flush(t *testing.T, w *world) int {
	t.Helper()
	sent, err := w.relay.Flush(ctx)
	require.NoError(t, err)
	return sent
}

func stats(t *testing.T, w *world) breach.MailStats {
	t.Helper()
	st, err := w.db.MailStats(ctx)
	require.NoError(t, err)
	return st
}

// Issue 8, number 1: a relay that refuses the privacy mailbox for a while
// (554 relay access denied, a misconfiguration) must not make the new-report
// mail dead; it is retried with back-off and leaves once the refusal ends.
func TestMailboxRefusedForAWhileIsDeliveredOnceTheRefusalEnds(t *testing.T) {
	server := smtptest.New(t)
	var refusing atomic.Bool
	refusing.Store(true)
	server.Refuse = func(rcpt string) bool { return refusing.Load() && rcpt == breach.DefaultMailTo }
	w := smtpWorld(t, server)
	b := w.file(t, breachtest.ExampleFiling(w.now))

	assert.Equal(t, 1, flush(t, w), "the acknowledgement to the reporter leaves")
	for i := range 3 {
		st := stats(t, w)
		assert.Zero(t, st.Dead, "attempt %d: mail for the privacy mailbox is never given up", i+1)
		assert.Equal(t, 1, st.Pending, "attempt %d: the new-report mail waits", i+1)
		due, err := w.db.DueMail(ctx, w.now, 10)
		require.NoError(t, err)
		assert.Empty(t, due, "attempt %d: it waits out its back-off", i+1)
		w.now = w.now.Add(time.Duration(1<<i) * time.Minute)
		assert.Zero(t, flush(t, w), "attempt %d: still refused", i+2)
	}

	refusing.Store(false)
	w.now = w.now.Add(10 * time.Minute)
	assert.Equal(t, 1, flush(t, w))
	assert.Equal(t, breach.MailStats{Sent: 2}, stats(t, w))
	got := deliveries(t, server)
	assert.Equal(t, map[string]int{"<datalek." + b.ID + ".1.filed@datalek.cak.example>": 1}, got[breach.DefaultMailTo],
		"the new report reaches the mailbox, once")
}

// Issue 8, number 2: one refused address in DATALEK_MAIL_TO must not drop the
// mail for the others. Each address is its own delivery: the good one gets
// the mail at once and never twice, the refused one is retried (it is the
// mailbox) and gets it once it is accepted.
func TestOneRefusedMailboxAddressDoesNotHoldUpTheOther(t *testing.T) {
	server := smtptest.New(t)
	var refusing atomic.Bool
	refusing.Store(true)
	server.Refuse = func(rcpt string) bool { return refusing.Load() && rcpt == mailboxTypo }
	w := smtpWorld(t, server, mailboxGood, mailboxTypo)
	b := w.file(t, breachtest.ExampleFiling(w.now))
	filedID := "<datalek." + b.ID + ".1.filed@datalek.cak.example>"

	flush(t, w)
	got := deliveries(t, server)
	assert.Equal(t, map[string]int{filedID: 1}, got[mailboxGood], "the good address has the new report at once")
	assert.Empty(t, got[mailboxTypo])
	assert.Equal(t, 1, got["j.jansen@acme.example"]["<datalek."+b.ID+".1.acknowledged@datalek.cak.example>"])
	st := stats(t, w)
	assert.Zero(t, st.Dead, "a refused mailbox address is retried, not given up")
	assert.Equal(t, 1, st.Pending, "only the refused address's delivery waits")

	w.now = w.now.Add(time.Minute)
	flush(t, w) // refused again
	refusing.Store(false)
	w.now = w.now.Add(2 * time.Minute)
	flush(t, w)
	got = deliveries(t, server)
	assert.Equal(t, map[string]int{filedID: 1}, got[mailboxGood], "no second copy to the address that accepted")
	assert.Equal(t, map[string]int{filedID: 1}, got[mailboxTypo], "the refused address has it once the refusal ends")
	st = stats(t, w)
	assert.Zero(t, st.Pending)
	assert.Zero(t, st.Dead)

	for _, m := range server.Messages() {
		msg := m.Parsed(t)
		if msg.Header.Get("Message-Id") != filedID {
			continue
		}
		to, err := msg.Header.AddressList("To")
		require.NoError(t, err)
		assert.Equal(t, []*mail.Address{{Address: m.To[0]}}, to, "each copy is addressed to its own recipient")
	}
}

// Issue 8, number 4: after an outage, one successful delivery pulls the
// mails waiting out their back-off forward, rather than each waiting for its
// own timer.
func TestDeliveryAfterAnOutagePullsWaitingMailForward(t *testing.T) {
	server := smtptest.New(t)
	server.Stop()
	w := smtpWorld(t, server)
	w.file(t, breachtest.ExampleFiling(w.now))
	for _, wait := range []time.Duration{0, time.Minute, 2 * time.Minute} {
		w.now = w.now.Add(wait)
		assert.Zero(t, flush(t, w))
	}
	due, err := w.db.DueMail(ctx, w.now.Add(3*time.Minute), 10)
	require.NoError(t, err)
	require.Empty(t, due, "the first two mails wait four minutes now")

	server.Start()
	w.now = w.now.Add(time.Second)
	w.file(t, breachtest.ExampleFiling(w.now))
	assert.Equal(t, 4, flush(t, w), "the new mails leave, and pull the waiting ones along")
	assert.Equal(t, breach.MailStats{Sent: 4}, stats(t, w))
	server.WaitFor(4, 5*time.Second)
}

// Issue 8, number 16: a refused mail is logged by its number, kind and
// audience, never with the address (or the server's reply, which often
// repeats it).
func TestRefusalLogsNoAddress(t *testing.T) {
	server := smtptest.New(t)
	server.Refuse = func(rcpt string) bool { return rcpt == "j.jansen@acme.example" }
	w := smtpWorld(t, server)
	var logs bytes.Buffer
	w.relay.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	w.file(t, breachtest.ExampleFiling(w.now))
	flush(t, w)
	flush(t, w)
	require.Equal(t, 1, stats(t, w).Dead)
	assert.NotContains(t, logs.String(), "j.jansen", "the reporter's address is personal data")
	assert.NotContains(t, logs.String(), "acme.example")
	assert.Contains(t, logs.String(), "kind=acknowledged")
	assert.Contains(t, logs.String(), "audience=reporter")
	assert.Contains(t, logs.String(), "seq=2")
}

// failingMarks is an outbox whose store refuses every write of a mail's
// state, as on a full disk, as long as failing is set.
type failingMarks struct {
	breach.Outbox
	failing atomic.Bool
}

var errDiskFull = errors.New("write datalek.db: no space left on device")

func (o *failingMarks) MarkSent(ctx context.Context, seqs []uint64, at time.Time) error {
	if o.failing.Load() {
		return errDiskFull
	}
	return o.Outbox.MarkSent(ctx, seqs, at)
}

func (o *failingMarks) MarkRefused(ctx context.Context, seq uint64, next time.Time, reason string) error {
	if o.failing.Load() {
		return errDiskFull
	}
	return o.Outbox.MarkRefused(ctx, seq, next, reason)
}

// Mail that left but could not be marked sent is marked before anything
// else is sent, and before a failure of another mail of its batch is
// written: a store that keeps failing made the relay send the same batch
// again with every pass.
func TestMailDeliveredButNotMarkedIsNotSentAgain(t *testing.T) {
	server := smtptest.New(t)
	server.Refuse = func(rcpt string) bool { return rcpt == mailboxTypo }
	w := smtpWorld(t, server, mailboxGood, mailboxTypo)
	outbox := &failingMarks{Outbox: w.db}
	outbox.failing.Store(true)
	w.svc.Outbox = outbox
	w.file(t, breachtest.ExampleFiling(w.now))

	for range 3 {
		_, err := w.relay.Flush(ctx)
		require.Error(t, err)
	}
	assert.Equal(t, 2, len(server.Messages()), "the new report to the good address and the acknowledgement, once each")
	assert.Equal(t, 3, stats(t, w).Pending, "not marked yet")

	outbox.failing.Store(false)
	assert.Equal(t, 2, flush(t, w), "marked now")
	assert.Equal(t, 2, len(server.Messages()), "and not sent again")
	st := stats(t, w)
	assert.Equal(t, 1, st.Pending, "the refused address waits out its back-off")
	assert.Equal(t, 2, st.Sent)
}
