package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
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
// and marking is recognisable as the same mail. Each delivery goes to one
// address, so a refusal of one address holds up no other.
type Relay struct {
	// Service decides what becomes of a refused mail (MailRefused); its
	// outbox is the queue, its clock the relay's.
	Service   *breach.Service
	Composer  *Composer
	Transport Transport
	Logger    *slog.Logger
	// Poll is how often the relay looks at the outbox without being woken.
	Poll time.Duration
	// Backoff is the wait before attempt n+1 after n failed attempts.
	Backoff func(failures int) time.Duration

	wake chan struct{}
	// unmarked are the mails delivered but not yet marked sent (the store
	// refused the write: a full disk). They are marked before anything else
	// is sent, so that a failing store does not send them again with every
	// pass; only a restart, which forgets them, does, once.
	unmarked []uint64
}

// Batch is how many mails one pass takes from the outbox.
const Batch = 100

// NewRelay returns a relay for the service's outbox with a poll of a second
// and back-off from 5 seconds doubling to at most 15 minutes.
func NewRelay(svc *breach.Service, composer *Composer, transport Transport, logger *slog.Logger) *Relay {
	return &Relay{Service: svc, Composer: composer, Transport: transport, Logger: logger,
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

func (r *Relay) now() time.Time { return r.Service.Now().UTC() }

// Flush sends every mail that is due now and returns how many left. The
// first delivery that succeeds pulls every mail waiting out a failure
// forward: the relay is reachable again, so after an outage the queue
// empties at once rather than each mail on its own back-off timer.
func (r *Relay) Flush(ctx context.Context) (int, error) {
	outbox := r.Service.Outbox
	sent, pulled := 0, false
	if len(r.unmarked) > 0 {
		if err := outbox.MarkSent(ctx, r.unmarked, r.now()); err != nil {
			return 0, fmt.Errorf("mails delivered before, still not marked sent (nothing else is sent until they are): %w", err)
		}
		sent, r.unmarked = len(r.unmarked), nil
	}
	for {
		if ctx.Err() != nil { // shutting down: what is left stays due for the next start
			return sent, nil
		}
		due, err := outbox.DueMail(ctx, r.now(), Batch)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		var (
			msgs    []*mail.Msg
			pending []breach.OutboxMail
		)
		for _, m := range due {
			msg, err := r.Composer.Compose(m.Message())
			if err != nil { // a notice that cannot be composed is a bug: keep it, say so loudly
				r.Logger.Error("mail cannot be composed", mailAttrs(m, "err", err)...)
				if err := r.fail(ctx, m, err); err != nil {
					return sent, err
				}
				continue
			}
			msgs, pending = append(msgs, msg), append(pending, m)
		}
		errs := r.Transport.Send(ctx, msgs)
		stopped := ctx.Err() != nil // a send cut off by shutdown, not refused by the server
		var delivered []uint64
		for i, m := range pending {
			if errs[i] == nil {
				delivered = append(delivered, m.Seq)
				r.Logger.Info("mail sent", mailAttrs(m)...)
			}
		}
		// What left is marked first, in one commit for the batch (not one
		// fsync per mail), before any failure is written: a store that refuses
		// writes must not make it leave again.
		if len(delivered) > 0 {
			if err := outbox.MarkSent(ctx, delivered, r.now()); err != nil {
				r.unmarked = delivered
				return sent, err
			}
			sent += len(delivered)
		}
		for i, m := range pending {
			switch {
			case errs[i] == nil:
			case stopped: // no attempt of its own: left due as it was, for the next start
			case Refused(errs[i]):
				if err := r.refused(ctx, m, errs[i]); err != nil {
					return sent, err
				}
			default:
				if err := r.fail(ctx, m, errs[i]); err != nil {
					return sent, err
				}
			}
		}
		if len(delivered) > 0 && !pulled {
			pulled = true
			n, err := outbox.RetryNow(ctx, r.now())
			if err != nil {
				return sent, err
			}
			if n > 0 {
				r.Logger.Info("mail relay reachable again: waiting mail retried now", "mails", n)
				continue
			}
		}
		if len(due) < Batch {
			return sent, nil
		}
	}
}

// Refused reports whether the receiving server refused a recipient for good
// (a 5xx answer to RCPT TO): retrying the same address will not help.
func Refused(err error) bool {
	var se *mail.SendError
	return errors.As(err, &se) && se.Reason == mail.ErrSMTPRcptTo && !se.IsTemp()
}

// refused hands a refusal to the domain, which sets mail to the reporter
// aside (and tells the privacy mailbox) and retries mail for the mailbox.
func (r *Relay) refused(ctx context.Context, m breach.OutboxMail, cause error) error {
	wait := r.Backoff(m.Attempts + 1)
	dead, err := r.Service.MailRefused(ctx, m, ServerReply(cause), r.now().Add(wait))
	switch {
	case err != nil:
		return err
	case dead:
		r.Logger.Warn("mail refused for good and set aside; the privacy mailbox is told", mailAttrs(m, errAttrs(cause)...)...)
	default:
		r.Logger.Error("MAIL FOR THE PRIVACY MAILBOX REFUSED: check the relay and DATALEK_MAIL_TO; will retry",
			mailAttrs(m, append(errAttrs(cause), "retry_in", wait.String())...)...)
	}
	return nil
}

func (r *Relay) fail(ctx context.Context, m breach.OutboxMail, cause error) error {
	wait := r.Backoff(m.Attempts + 1)
	r.Logger.Warn("mail not sent; will retry", mailAttrs(m, append(errAttrs(cause), "retry_in", wait.String())...)...)
	return r.Service.Outbox.MarkFailed(ctx, m.Seq, r.now().Add(wait), cause.Error())
}

// ServerReply is the receiving server's own answer in an SMTP error ("550
// 5.1.1 No such user"), without go-mail's English around it: what the
// privacy mailbox is shown as the detail of a refusal. go-mail keeps the
// reply only in its error text, so it is cut out of that; when the text
// has another form, the codes stand in for it.
func ServerReply(err error) string {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return err.Error()
	}
	reply := strings.TrimPrefix(se.Error(), se.Reason.String()+":")
	reply, _, _ = strings.Cut(reply, ", affected recipient(s): ")
	reply, _, _ = strings.Cut(reply, ", affected message ID: ")
	reply = strings.TrimSpace(strings.ReplaceAll(reply, `"`, ""))
	if reply == "" || reply == se.Error() {
		reply = strings.TrimSpace(fmt.Sprintf("%d %s", se.ErrorCode(), se.EnhancedStatusCode()))
	}
	return reply
}

// mailAttrs names a delivery in the log by its number, kind and audience:
// never by its address or anything it says, which is personal data.
func mailAttrs(m breach.OutboxMail, more ...any) []any {
	attrs := []any{"seq", m.Seq, "kind", m.Notice.Kind, "audience", m.Notice.Audience, "notice", m.Notice.ID, "attempt", m.Attempts + 1}
	return append(attrs, more...)
}

// errAttrs describes a failed delivery for the log. An SMTP server's reply
// often repeats the recipient's address, and go-mail's error names it, so an
// SMTP error is logged by the command that failed and the server's codes
// only; other errors (connection, TLS) carry no personal data.
func errAttrs(err error) []any {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return []any{"err", err}
	}
	attrs := []any{"smtp_stage", se.Reason.String(), "smtp_code", se.ErrorCode(), "temporary", se.IsTemp()}
	if code := se.EnhancedStatusCode(); code != "" {
		attrs = append(attrs, "smtp_status", code)
	}
	return attrs
}
