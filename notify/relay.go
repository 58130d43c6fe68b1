package notify

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/wneessen/go-mail"

	"datalek/breach"
)

// Transport delivers messages. Send returns one error per message, nil for
// each one delivered.
type Transport interface {
	Send(ctx context.Context, msgs []*mail.Msg) []error
	// Describe names the transport for the start-up log, without secrets.
	Describe() string
}

// Relay works through the outbox: it sends what is due, marks it sent, and
// retries failures with growing back-off, for ever. A mail leaves at least
// once; its Message-ID is stable, so a resend after a crash between sending
// and marking is recognisable as the same mail.
type Relay struct {
	Outbox    breach.Outbox
	Composer  *Composer
	Transport Transport
	Logger    *slog.Logger
	Now       func() time.Time
	// Poll is how often the relay looks at the outbox without being woken.
	Poll time.Duration
	// Backoff is the wait before attempt n+1 after n failed attempts.
	Backoff func(failures int) time.Duration
	// Mailbox is the privacy mailbox: told when a mail to anyone else is
	// refused for good.
	Mailbox []string

	wake chan struct{}
}

// Batch is how many mails one pass takes from the outbox.
const Batch = 100

// NewRelay returns a relay with a poll of a second and back-off from 5
// seconds doubling to at most 15 minutes.
func NewRelay(outbox breach.Outbox, composer *Composer, transport Transport, logger *slog.Logger) *Relay {
	return &Relay{Outbox: outbox, Composer: composer, Transport: transport, Logger: logger, Now: time.Now,
		Poll: time.Second, Backoff: ExponentialBackoff(5*time.Second, 15*time.Minute), wake: make(chan struct{}, 1)}
}

// ExponentialBackoff waits base after the first failure, doubling up to max.
func ExponentialBackoff(base, max time.Duration) func(int) time.Duration {
	return func(failures int) time.Duration {
		d := base
		for i := 1; i < failures && d < max; i++ {
			d *= 2
		}
		return min(d, max)
	}
}

// Wake makes the relay look at the outbox now. It never blocks.
func (r *Relay) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run sends mail until ctx ends.
func (r *Relay) Run(ctx context.Context) {
	ticker := time.NewTicker(r.Poll)
	defer ticker.Stop()
	for {
		if _, err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.Logger.Error("mail relay", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-r.wake:
		}
	}
}

// Flush sends every mail that is due now and returns how many left.
func (r *Relay) Flush(ctx context.Context) (int, error) {
	sent := 0
	for {
		due, err := r.Outbox.DueMail(ctx, r.Now(), Batch)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		var (
			msgs    []*mail.Msg
			pending []breach.OutboxMail
		)
		for _, m := range due {
			msg, err := r.Composer.Compose(m.Notice)
			if err != nil { // a notice that cannot be composed is a bug: keep it, say so loudly
				r.Logger.Error("mail cannot be composed", "seq", m.Seq, "notice", m.Notice.ID, "err", err)
				if err := r.fail(ctx, m, err); err != nil {
					return sent, err
				}
				continue
			}
			msgs, pending = append(msgs, msg), append(pending, m)
		}
		errs := r.Transport.Send(ctx, msgs)
		var delivered []uint64
		for i, m := range pending {
			if errs[i] != nil && Refused(errs[i]) {
				if err := r.dead(ctx, m, errs[i]); err != nil {
					return sent, err
				}
				continue
			}
			if errs[i] != nil {
				if err := r.fail(ctx, m, errs[i]); err != nil {
					return sent, err
				}
				continue
			}
			delivered = append(delivered, m.Seq)
			r.Logger.Info("mail sent", "seq", m.Seq, "kind", m.Notice.Kind, "notice", m.Notice.ID, "attempt", m.Attempts+1)
		}
		if len(delivered) > 0 { // one commit for the batch, not one fsync per mail
			if err := r.Outbox.MarkSent(ctx, delivered, r.Now().UTC()); err != nil {
				return sent, err
			}
			sent += len(delivered)
		}
		if len(due) < Batch {
			return sent, nil
		}
	}
}

// Refused reports whether the receiving server refused a recipient for good
// (a 5xx answer to RCPT TO): retrying would only block the queue.
func Refused(err error) bool {
	var se *mail.SendError
	return errors.As(err, &se) && se.Reason == mail.ErrSMTPRcptTo && !se.IsTemp()
}

// dead takes a refused mail out of the queue and, for a mail to the
// reporter, tells the privacy mailbox; when the mailbox itself refused it,
// only the log can say it.
func (r *Relay) dead(ctx context.Context, m breach.OutboxMail, cause error) error {
	bounce := m.Notice.Bounce(r.Mailbox, r.Now().UTC(), cause.Error())
	if bounce == nil {
		r.Logger.Error("MAIL TO THE PRIVACY MAILBOX REFUSED FOR GOOD", "seq", m.Seq, "kind", m.Notice.Kind, "err", cause)
	} else {
		r.Logger.Warn("mail refused for good; the privacy mailbox is told", "seq", m.Seq, "kind", m.Notice.Kind, "err", cause)
	}
	return r.Outbox.MarkDead(ctx, m.Seq, r.Now().UTC(), cause.Error(), bounce)
}

func (r *Relay) fail(ctx context.Context, m breach.OutboxMail, cause error) error {
	wait := r.Backoff(m.Attempts + 1)
	r.Logger.Warn("mail not sent; will retry", "seq", m.Seq, "kind", m.Notice.Kind, "attempt", m.Attempts+1,
		"retry_in", wait.String(), "err", cause)
	return r.Outbox.MarkFailed(ctx, m.Seq, r.Now().UTC().Add(wait), cause.Error())
}
