package breach

import (
	"context"
	"time"
)

// The storage the domain needs, one port per concern; the store adapter
// implements all three. Implementations write a breach, its pending events,
// its index entries and its mails in one transaction, and return ENOTFOUND
// for a breach outside the given scope exactly as for one that does not
// exist.

// BreachStore keeps breaches, their trails and their clocks.
type BreachStore interface {
	// CreateBreach stores a new breach, assigning its Reference. If idem is not
	// nil and its key was used before, nothing is stored and the breach filed
	// then is returned with replayed true (ECONFLICT if the request differed).
	CreateBreach(ctx context.Context, b *Breach, idem *Idempotency) (stored *Breach, replayed bool, err error)
	FindBreach(ctx context.Context, scope Scope, id string) (*Breach, error)
	ListBreaches(ctx context.Context, scope Scope, filter BreachFilter) (*BreachPage, error)
	// OpenBreaches returns every breach in the scope that is not closed, in no
	// particular order. It reads an index of open breaches, so that the
	// overview and the daily digest cost what is open, not the whole history.
	OpenBreaches(ctx context.Context, scope Scope) ([]*Breach, error)
	// UpdateBreach loads a breach, lets fn change it and record events, and
	// stores the result atomically. Nothing is stored when fn fails. fn may
	// run more than once (on a copy first, to refuse a bad change early), so
	// it must change only the breach it is given.
	UpdateBreach(ctx context.Context, scope Scope, id string, fn func(*Breach) error) (*Breach, error)
	ListEvents(ctx context.Context, scope Scope, id string) ([]Event, error)
	// EachBreach calls fn for every breach received in [from, to) (nil: no
	// bound), oldest first, reading a bounded number at a time so that memory
	// stays flat however many there are.
	EachBreach(ctx context.Context, from, to *time.Time, fn func(*Breach) error) error
	// UpdateDue lets fn change every breach with an alert due at now, in one
	// transaction, and returns how many there were.
	UpdateDue(ctx context.Context, now time.Time, fn func(*Breach) error) (int, error)
	// UpdateRunning lets fn change every breach with a running clock.
	UpdateRunning(ctx context.Context, fn func(*Breach) error) (int, error)
	RetentionStore
}

// RetentionStore applies the retention policy (retention.go).
type RetentionStore interface {
	// RedactBreach loads a breach with its whole trail and lets fn change
	// the breach (recording events) and the content of entries of the trail
	// it is given, then stores the breach, its new events and every entry
	// fn changed, atomically. Nothing is stored when fn fails. Errors:
	// ENOTFOUND, and fn's.
	RedactBreach(ctx context.Context, id string, fn func(b *Breach, trail []Event) error) (*Breach, error)
	// DeleteBreaches deletes each breach named by an entry with everything
	// stored for it (trail, index entries, reference, snapshots, mails,
	// idempotency keys) and writes the entries to the retention log, in one
	// transaction, and returns how many it deleted. A breach no longer there,
	// or no longer closed, is skipped, without an entry.
	DeleteBreaches(ctx context.Context, entries []RetentionEntry) (int, error)
	// RetentionLog returns the retention log, oldest first.
	RetentionLog(ctx context.Context) ([]RetentionEntry, error)
}

// TokenStore keeps API tokens, by the hash of their secret.
type TokenStore interface {
	// PutToken stores a token, replacing any token with the same ID.
	PutToken(ctx context.Context, t *Token) error
	// FindTokenByHash finds a token by the key it is stored under: the
	// HashSecret of an issued token's secret, or the Hash of a token read
	// before. Errors: ENOTFOUND.
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	// PutBootstrapToken stores t as the bootstrap admin token (its ID is
	// BootstrapTokenID) under a slow hash of secret, replacing the token with
	// that ID, and sets t.Hash to the key it is stored under.
	PutBootstrapToken(ctx context.Context, t *Token, secret string) error
	// FindBootstrapToken returns the bootstrap admin token stored under a
	// slow hash if secret is its secret. It is slow by design.
	// Errors: ENOTFOUND.
	FindBootstrapToken(ctx context.Context, secret string) (*Token, error)
	ListTokens(ctx context.Context) ([]*Token, error)
	RevokeToken(ctx context.Context, id string, at time.Time) error
	// TokenUsed records that the token was used at at (Token.LastUsedAt),
	// changing nothing else of it; an earlier instant than the one
	// recorded is ignored. Errors: ENOTFOUND.
	TokenUsed(ctx context.Context, id string, at time.Time) error
}

// Outbox is the mail queue the relay works from. The store implements it.
type Outbox interface {
	// EnqueueNotice puts a notice that belongs to no single change (the
	// digest) in the outbox, once per key: false if the key was used before.
	// A notice is one delivery per address of its To.
	EnqueueNotice(ctx context.Context, n Notice, once string) (bool, error)
	// DueMail returns up to limit pending mails whose next attempt is due.
	DueMail(ctx context.Context, now time.Time, limit int) ([]OutboxMail, error)
	// MarkSent moves mails out of the pending queue, in one transaction,
	// and lets go of the snapshots no other pending or dead mail needs.
	// Errors: ENOTFOUND.
	MarkSent(ctx context.Context, seqs []uint64, at time.Time) error
	// MarkFailed records a failed attempt and when to try again. Errors: ENOTFOUND.
	MarkFailed(ctx context.Context, seq uint64, next time.Time, reason string) error
	// MarkRefused records a refusal for good of a mail that is retried all
	// the same (OutboxMail.Refused), and when to try again. Errors: ENOTFOUND.
	MarkRefused(ctx context.Context, seq uint64, next time.Time, reason string) error
	// MarkDead takes a mail the receiving server refused for good out of the
	// queue and, in the same transaction, queues bounce (when not nil), a
	// notice that says so to the privacy mailbox. Errors: ENOTFOUND.
	MarkDead(ctx context.Context, seq uint64, at time.Time, reason string, bounce *Notice) error
	// RetryNow makes every pending mail that waits out a failure due at now,
	// and returns how many: a delivery just succeeded, so the relay is
	// reachable again. A refused mail (OutboxMail.Refused) keeps waiting.
	RetryNow(ctx context.Context, now time.Time) (int, error)
	// ResendDead puts the dead mail numbered seq back in the queue, due at
	// now. Errors: ENOTFOUND.
	ResendDead(ctx context.Context, seq uint64, now time.Time) error
	// ReaddressMailbox puts the pending and dead mail for the privacy
	// mailbox that goes to an address no longer in mailbox (its
	// configuration changed) to the configured addresses the mail was not
	// addressed to yet, due at now, or drops it when there are none: those
	// have a delivery of their own. It returns what it did.
	ReaddressMailbox(ctx context.Context, mailbox []string, now time.Time) ([]Readdressed, error)
	// PruneSentMail reduces up to limit mails sent before before to what the
	// log keeps of them (OutboxMail.Pruned), oldest first, and returns how
	// many. (Their snapshots went when they were sent: MarkSent.)
	PruneSentMail(ctx context.Context, before, now time.Time, limit int) (int, error)
	// ResendDeadSince puts every dead mail set aside at or after since back
	// in the queue, due at now, and returns how many.
	ResendDeadSince(ctx context.Context, since, now time.Time) (int, error)
	MailStats(ctx context.Context) (MailStats, error)
}

// Store is all the storage the service needs, for an adapter that keeps
// everything in one database.
// OrganisationStore keeps the suppliers' records.
type OrganisationStore interface {
	// PutOrganisation stores an organisation, replacing one of that name.
	PutOrganisation(ctx context.Context, o *Organisation) error
	// FindOrganisation returns the organisation of that name. Errors: ENOTFOUND.
	FindOrganisation(ctx context.Context, name string) (*Organisation, error)
	// ListOrganisations returns every organisation, by name.
	ListOrganisations(ctx context.Context) ([]*Organisation, error)
}

type Store interface {
	BreachStore
	TokenStore
	OrganisationStore
	AccountStore
	Outbox
}

// AccountStore keeps people's accounts, their sessions and the trail of
// sign-ins and account changes.
type AccountStore interface {
	// CreateAccount stores a new account with the first entry of its trail
	// and its mails (a nil one is none), in one change. Errors: ECONFLICT
	// (the address has an account).
	CreateAccount(ctx context.Context, acc *Account, e AccountEvent, notices ...*Notice) error
	// UpdateAccount changes an account through fn, which may return an
	// entry for its trail and a mail, written in the same change; nothing
	// is written when fn fails. Errors: ENOTFOUND, and fn's.
	UpdateAccount(ctx context.Context, id string, fn func(*Account) (*AccountEvent, *Notice, error)) (*Account, error)
	// FindAccount returns an account. Errors: ENOTFOUND.
	FindAccount(ctx context.Context, id string) (*Account, error)
	// FindAccountByEmail returns the account of an address (lower case).
	// Errors: ENOTFOUND.
	FindAccountByEmail(ctx context.Context, email string) (*Account, error)
	// FindAccountBySubject returns the account tied to an identity at an
	// OpenID provider (Account.Subject). Errors: ENOTFOUND.
	FindAccountBySubject(ctx context.Context, subject string) (*Account, error)
	// ListAccounts returns every account, by address.
	ListAccounts(ctx context.Context) ([]*Account, error)
	// DeleteAccountSessions ends every session of an account and returns
	// how many there were.
	DeleteAccountSessions(ctx context.Context, id string) (int, error)
	// ListAccountEvents returns the trail of an account, or of all accounts
	// for an empty id, oldest first.
	ListAccountEvents(ctx context.Context, id string) ([]AccountEvent, error)
	// AppendAccountEvent adds an entry to the trail.
	AppendAccountEvent(ctx context.Context, e AccountEvent) error
	// PutSession stores a session, replacing one with its ID.
	PutSession(ctx context.Context, s *Session) error
	// FindSession returns a session. Errors: ENOTFOUND.
	FindSession(ctx context.Context, id string) (*Session, error)
	// DeleteSession ends a session; an unknown one is no error.
	DeleteSession(ctx context.Context, id string) error
}
