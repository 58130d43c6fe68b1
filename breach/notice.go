package breach

import (
	"fmt"
	"time"
)

// NoticeKind says what a mail is about.
type NoticeKind string

const (
	NoticeFiled        NoticeKind = "filed"        // a new report, to the privacy mailbox
	NoticeAcknowledged NoticeKind = "acknowledged" // receipt, to the reporter
	NoticeAmended      NoticeKind = "amended"      // report fields corrected or completed
	NoticeUpdated      NoticeKind = "updated"      // a development (Article 9.2)
	NoticeAwareness    NoticeKind = "awareness"    // the 72-hour clock was moved
	NoticeAlert        NoticeKind = "alert"        // a reminder or overdue alert of a clock
	NoticeDigest       NoticeKind = "digest"       // the daily overview of open breaches
	NoticeBounce       NoticeKind = "bounce"       // a mail to the reporter was refused for good
)

// Notice is a mail the domain wants sent. It is stored in the outbox in the
// transaction of the change that caused it, with a snapshot of the breach, so
// the mail shows the breach as it was then, and it is composed into a message
// only when it is sent.
type Notice struct {
	// ID is unique and stable: a resent mail carries the same Message-ID.
	ID   string     `json:"id"`
	Kind NoticeKind `json:"kind"`
	To   []string   `json:"to"`
	// ThreadID is the ID of the first mail of the thread this one belongs to,
	// so that a mailbox shows one breach as one conversation.
	ThreadID string    `json:"thread_id,omitempty"`
	At       time.Time `json:"at"`
	Actor    *Actor    `json:"actor,omitempty"`

	Breach   *Breach   `json:"breach,omitempty"`
	Alert    *Alert    `json:"alert,omitempty"`
	Update   *Update   `json:"update,omitempty"`
	Changes  []Change  `json:"changes,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	Breaches []*Breach `json:"breaches,omitempty"` // the digest's open breaches, nearest deadline first

	Question     *Question              `json:"question,omitempty"`
	Notification *AuthorityNotification `json:"notification,omitempty"`
	// Bounced is the mail that could not be delivered, for a bounce notice.
	Bounced *Notice `json:"bounced,omitempty"`
}

// noticeID names the notice of kind caused by the breach's latest event.
func (b *Breach) noticeID(kind NoticeKind, suffix string) string {
	return fmt.Sprintf("%s.%d.%s%s", b.ID, b.Version, kind, suffix)
}

// Thread roots: the first mail to the privacy mailbox, and the first to the
// reporter.
func (b *Breach) mailboxThread() string  { return fmt.Sprintf("%s.1.%s", b.ID, NoticeFiled) }
func (b *Breach) reporterThread() string { return fmt.Sprintf("%s.1.%s", b.ID, NoticeAcknowledged) }

// queue adds a notice to be written to the outbox with the breach.
func (b *Breach) queue(n Notice) {
	n.Breach = b
	b.notices = append(b.notices, n)
}

// PendingNotices returns the notices queued since the breach was loaded and
// forgets them; the store writes them to the outbox in the transaction that
// writes the breach.
func (b *Breach) PendingNotices() []Notice {
	n := b.notices
	b.notices = nil
	return n
}

// OutboxMail is a notice in the outbox with its delivery state.
type OutboxMail struct {
	Seq           uint64     `json:"seq"`
	Notice        Notice     `json:"notice"`
	CreatedAt     time.Time  `json:"created_at"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error,omitempty"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	DeadAt        *time.Time `json:"dead_at,omitempty"` // refused for good: not retried
}

// MailStats is how the outbox stands: the worst failure of this service is a
// mail that silently does not leave, so this is exposed.
type MailStats struct {
	Pending       int        `json:"pending"`
	OldestPending *time.Time `json:"oldest_pending,omitempty"`
	Sent          int        `json:"sent"`
	Dead          int        `json:"dead"` // refused for good by the receiving server
}
