package breach

import (
	"context"
	"time"
)

// What becomes of a mail the receiving server refuses for good, an
// operator's resend of mail that was set aside, and sent mail once it is
// old.

// MailRefused records that the receiving server refused a delivery for good
// (a 5xx to RCPT TO). Mail to the reporter is set aside as dead (a mistyped
// address would otherwise block nothing but itself for ever), and the privacy
// mailbox is told in the breach's thread. Mail for the privacy mailbox is
// never given up: a refusal of it is a misconfigured relay or mailbox, so it
// is retried at retry like any failure, and the service is not ready while
// it waits. It returns whether the mail was set aside. Errors: ENOTFOUND.
func (s *Service) MailRefused(ctx context.Context, m OutboxMail, reason string, retry time.Time) (bool, error) {
	if m.Notice.Audience.Mailbox() {
		return false, s.Outbox.MarkRefused(ctx, m.Seq, retry, reason)
	}
	now := s.now()
	bounce := m.Message().Bounce(s.MailTo, now, reason)
	if bounce != nil && m.ResentAt != nil { // refused again after a resend: a mail of its own, not the first bounce again
		bounce.ID += "." + m.ResentAt.UTC().Format("20060102T150405.000000000Z")
	}
	return true, s.Outbox.MarkDead(ctx, m.Seq, now, reason, bounce)
}

// ResendRequest selects the dead mail to send again: every one set aside at
// or after Since, or every dead mail when Since is nil.
type ResendRequest struct {
	Since *time.Time `json:"since,omitempty"`
}

// Resent is how many dead mails went back in the queue.
type Resent struct {
	Requeued int `json:"requeued"`
}

// ResendDeadMail puts the dead mail numbered seq back in the queue, due now,
// with its Message-ID unchanged. It is the operator's: the admin sees mail
// numbers (in the log and /readyz), never what a mail says. Errors:
// EFORBIDDEN, ENOTFOUND (no dead mail has that number).
func (s *Service) ResendDeadMail(ctx context.Context, a Actor, seq uint64) (Resent, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return Resent{}, err
	}
	if err := s.Outbox.ResendDead(ctx, seq, s.now()); err != nil {
		return Resent{}, err
	}
	s.mailQueued()
	return Resent{Requeued: 1}, nil
}

// ResendDeadMailSince puts every dead mail set aside at or after req.Since
// (every dead mail without it) back in the queue, due now. Without Since it
// also resends reporters' mistyped addresses of long ago: give Since to
// resend only what a misconfigured relay refused. Errors: EFORBIDDEN.
func (s *Service) ResendDeadMailSince(ctx context.Context, a Actor, req ResendRequest) (Resent, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return Resent{}, err
	}
	var since time.Time
	if req.Since != nil {
		since = req.Since.UTC()
	}
	n, err := s.Outbox.ResendDeadSince(ctx, since, s.now())
	if n > 0 {
		s.mailQueued()
	}
	return Resent{Requeued: n}, err
}

// pruneBatch is how many sent mails one PruneSentMail takes in one
// transaction: the sweep runs it every minute, so a backlog (a first run
// after a long history) is worked off in steps that hold up no writer long.
const pruneBatch = 5000

// PruneSentMail reduces the sent mail older than MailKeep to its entry in
// the log (OutboxMail.Pruned): a change's mail holds a snapshot of the
// breach, and kept whole for ever it would grow the store with every change
// (and keep a copy of every report's personal data beside the breach). The
// mail as sent is in the mailbox it went to.
func (s *Service) PruneSentMail(ctx context.Context) (int, error) {
	if s.MailKeep <= 0 {
		return 0, nil
	}
	now := s.now()
	return s.Outbox.PruneSentMail(ctx, now.Add(-s.MailKeep), now, pruneBatch)
}

// Readdressed is what became of a mail for the privacy mailbox to an
// address that is no longer the mailbox's (DATALEK_MAIL_TO changed).
type Readdressed struct {
	Seq    uint64
	Kind   NoticeKind
	Notice string
	// To is how many configured addresses it goes to now; 0 when it was
	// dropped, every configured address having a delivery of its own.
	To int
}

// ReaddressMailbox resolves the mail for the privacy mailbox against the
// mailbox as configured now. Mail for the mailbox is never given up, so a
// delivery to an address taken out of the configuration (a typo corrected,
// a mailbox moved) would be retried for ever, and keep the service not
// ready, although no one reads that address; it goes to the configured
// addresses instead. Start-up runs it, before the relay.
func (s *Service) ReaddressMailbox(ctx context.Context) ([]Readdressed, error) {
	return s.Outbox.ReaddressMailbox(ctx, s.MailTo, s.now())
}
