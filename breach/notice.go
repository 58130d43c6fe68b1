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
	NoticeInvitation   NoticeKind = "invitation"   // a person is invited to an account
)

// Notice is a mail the domain wants sent. It is stored in the outbox in the
// transaction of the change that caused it, with a snapshot of the breach, so
// the mail shows the breach as it was then, and it is composed into a message
// only when it is sent.
type Notice struct {
	// ID is unique and stable: a resent mail carries the same Message-ID.
	ID   string     `json:"id"`
	Kind NoticeKind `json:"kind"`
	// Audience is who the mail is for, decided when it is queued; To follows
	// from it.
	Audience Audience `json:"audience"`
	To       []string `json:"to"`
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
	// Heads are the digest's anchored chain heads, one per open breach
	// (audit.go); none while no audit key is set.
	Heads []ChainHead `json:"heads,omitempty"`

	Question      *Question              `json:"question,omitempty"`
	Notification  *AuthorityNotification `json:"notification,omitempty"`
	Communication *SubjectCommunication  `json:"communication,omitempty"`
	// Bounced is the mail that could not be delivered, for a bounce notice.
	Bounced *Notice `json:"bounced,omitempty"`
	// Invitation is the link of an invitation notice.
	Invitation *InvitationNotice `json:"invitation,omitempty"`
	// StaffAccess is the grant a staff-access notice tells of (access.go).
	StaffAccess *StaffAccessNotice `json:"staff_access,omitempty"`
}

// InvitationNotice is what an invitation mail tells the person: the link
// path (under the base URL), until when it works. The link holds a secret,
// so the mail is the only place it is kept whole.
type InvitationNotice struct {
	Name      string    `json:"name"`
	Link      string    `json:"link"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Audience is who a mail is for. It decides the addresses, the thread and
// what the mail may show: a mail to the reporter shows what a supplier may
// see (Side).
type Audience string

const (
	// AudienceMailbox is the privacy mailbox (DATALEK_MAIL_TO).
	AudienceMailbox Audience = "mailbox"
	// AudienceReporter is the supplier's reporter, at the address of the report.
	AudienceReporter Audience = "reporter"
	// AudienceContactOfficial is the controller's contact official for the
	// supplier's contract (Bijlage 3 §2), who receives the new report too.
	// Not the mailbox: a refusal of this address is set aside, not retried
	// for ever (the mailbox has its own copy).
	AudienceContactOfficial Audience = "contact_official"
	// AudienceMailboxForReporter is the privacy mailbox in place of a reporter
	// who gave no e-mail address: the mailbox is to pass it on, so it shows
	// only what the supplier may see.
	AudienceMailboxForReporter Audience = "mailbox_for_reporter"
	// AudienceAccount is a person with an account, at the account's address
	// (an invitation). A refusal is set aside, for the operator to see.
	AudienceAccount Audience = "account"
)

// Mailbox reports whether mail for this audience goes to the privacy
// mailbox: such mail is never given up (see MailRefused).
func (a Audience) Mailbox() bool { return a == AudienceMailbox || a == AudienceMailboxForReporter }

// reporterAudience is where a mail for the reporter goes: the reporter, or
// the mailbox when the report has no e-mail address.
func (b *Breach) reporterAudience() Audience {
	if b.Reporter.Email == "" {
		return AudienceMailboxForReporter
	}
	return AudienceReporter
}

// noticeID names the notice of kind caused by the breach's latest event.
func (b *Breach) noticeID(kind NoticeKind, suffix string) string {
	return fmt.Sprintf("%s.%d.%s%s", b.ID, b.Version, kind, suffix)
}

// thread is the ID of the first mail of the audience's thread of the
// breach, so that a mailbox shows one breach as one conversation: the
// new-report mail for the privacy mailbox, the acknowledgement for the
// reporter.
func (b *Breach) thread(aud Audience) string {
	switch aud {
	case AudienceReporter:
		return fmt.Sprintf("%s.1.%s", b.ID, NoticeAcknowledged)
	case AudienceContactOfficial:
		return fmt.Sprintf("%s.1.%s.contact", b.ID, NoticeFiled)
	}
	return fmt.Sprintf("%s.1.%s", b.ID, NoticeFiled)
}

// queue adds a notice for aud to be written to the outbox with the breach,
// addressed and threaded for that audience. mailbox is the privacy mailbox.
func (b *Breach) queue(aud Audience, mailbox []string, n Notice) {
	n.Audience, n.Breach = aud, b
	n.To = mailbox // the contact official's address, for that audience
	if aud == AudienceReporter {
		n.To = []string{b.Reporter.Email}
	}
	if n.ThreadID = b.thread(aud); n.ThreadID == n.ID {
		n.ThreadID = "" // the thread's first mail
	}
	b.notices = append(b.notices, n)
}

// Bounce returns the notice that tells the privacy mailbox, in the breach's
// thread, that this mail to the reporter was refused for good. A mail to the
// mailbox itself has no bounce (nil): there is nobody else to tell.
func (n Notice) Bounce(mailbox []string, at time.Time, reason string) *Notice {
	if n.Audience != AudienceReporter {
		return nil
	}
	bounced := n
	bounced.Breach = nil
	bounce := &Notice{ID: n.ID + ".bounce", Kind: NoticeBounce, Audience: AudienceMailbox, To: mailbox, At: at,
		Reason: reason, Bounced: &bounced}
	if n.Breach != nil {
		bounce.ThreadID = n.Breach.thread(AudienceMailbox)
	}
	return bounce
}

// PendingNotices returns the notices queued since the breach was loaded and
// forgets them; the store writes them to the outbox in the transaction that
// writes the breach.
func (b *Breach) PendingNotices() []Notice {
	n := b.notices
	b.notices = nil
	return n
}

// OutboxMail is one delivery of a notice in the outbox, with its state: a
// notice is delivered to each of its addresses on its own (one delivery per
// address), so that a refusal of one address holds up no other and an
// address that accepted the mail never gets it twice.
type OutboxMail struct {
	// Seq is the mail's number, the key it is stored under (since layout
	// 6 not repeated in the stored value).
	Seq    uint64 `json:"seq,omitempty"`
	Notice Notice `json:"notice"`
	// Recipient is the one address of Notice.To this delivery goes to.
	Recipient     string    `json:"recipient"`
	CreatedAt     time.Time `json:"created_at"`
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	LastError     string    `json:"last_error,omitempty"`
	// Refused says the last attempt was a refusal of the recipient for good
	// (a 5xx to RCPT TO) of mail that is never given up: it waits out its
	// back-off even when other mail leaves again (Outbox.RetryNow), since a
	// relay that accepts other mail says nothing about this address.
	Refused bool       `json:"refused,omitempty"`
	SentAt  *time.Time `json:"sent_at,omitempty"`
	DeadAt  *time.Time `json:"dead_at,omitempty"` // refused for good: not retried
	// ResentAt is when the mail was queued again, the last time: an
	// operator resent it after it was set aside as dead, or start-up sent it
	// to another address of the privacy mailbox (Outbox.ReaddressMailbox).
	// It is pending since then, not since CreatedAt.
	ResentAt *time.Time `json:"resent_at,omitempty"`
	// PrunedAt is when a sent mail was reduced to its entry in the log of
	// mail that left (Pruned).
	PrunedAt *time.Time `json:"pruned_at,omitempty"`
}

// PendingSince is when the mail was last queued: created, or resent.
func (m OutboxMail) PendingSince() time.Time {
	if m.ResentAt != nil {
		return *m.ResentAt
	}
	return m.CreatedAt
}

// Pruned is what the log keeps of a sent mail once the period to keep it
// whole has passed: which mail it was (its notice's ID, from which its
// Message-ID follows, so that a copy in a mailbox stays recognisable), its
// kind, audience and thread, the address and when it left; not what it
// said, which the breach and its audit trail keep.
func (m OutboxMail) Pruned(at time.Time) OutboxMail {
	n := m.Notice
	return OutboxMail{Seq: m.Seq, Notice: Notice{ID: n.ID, Kind: n.Kind, Audience: n.Audience, ThreadID: n.ThreadID, At: n.At},
		Recipient: m.Recipient, CreatedAt: m.CreatedAt, Attempts: m.Attempts, NextAttemptAt: m.NextAttemptAt,
		SentAt: m.SentAt, ResentAt: m.ResentAt, PrunedAt: &at}
}

// Message is the notice as this delivery sends it: addressed to its one
// recipient.
func (m OutboxMail) Message() Notice {
	n := m.Notice
	if m.Recipient != "" {
		n.To = []string{m.Recipient}
	}
	return n
}

// MailStats is how the outbox stands: the worst failure of this service is a
// mail that silently does not leave, so this is exposed. Each delivery (one
// notice to one address) counts once.
type MailStats struct {
	Pending       int        `json:"pending"`
	OldestPending *time.Time `json:"oldest_pending,omitempty"`
	Sent          int        `json:"sent"`
	Dead          int        `json:"dead"` // refused for good by the receiving server
	// DeadMailbox counts the dead mail for the privacy mailbox, which the
	// service never gives up; only mail set aside before that rule (or by
	// hand) can be dead, and it makes the service not ready until an
	// operator sends it again.
	DeadMailbox int `json:"dead_mailbox"`
}
