package breach

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// A trail that proves itself. Each breach's trail is a SHA-256 chain
// (event.go), which anyone holding the database file can rewrite end to end
// so that it is consistent again. Two things make that show:
//
//   - its head, anchored with a key the database does not hold (HMAC-SHA256
//     under DATALEK_AUDIT_KEY), goes out daily in the digest mail, so that a
//     copy exists outside the service; datalekd verify -heads checks a store
//     or a backup against those copies;
//   - what is not a breach's own history but says who could see or change
//     what (tokens issued and revoked, accounts changed, staff reading a
//     breach's content) is recorded in an access log of its own, chained the
//     same way.

// ChainHead is a breach's trail as the digest anchors it: the reference,
// the number of events and the anchor of the last one's hash.
type ChainHead struct {
	Reference string `json:"reference"`
	Events    int    `json:"events"`
	Anchor    string `json:"anchor"`
}

// String is the head as one line of the digest, which datalekd verify
// -heads reads back: "DL-2026-K7QM4 12 9f3a…".
func (h ChainHead) String() string { return fmt.Sprintf("%s %d %s", h.Reference, h.Events, h.Anchor) }

// AnchorLen is the length in hex digits of an anchor: the first 128 bits
// of the HMAC.
const AnchorLen = 32

// Anchor is HMAC-SHA256(key, hash), shortened to AnchorLen hex digits: a
// chain head that only the key's holder can produce.
func Anchor(key []byte, hash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(hash))
	return hex.EncodeToString(m.Sum(nil))[:AnchorLen]
}

// Head returns the breach's anchored chain head.
func Head(key []byte, b *Breach) ChainHead {
	return ChainHead{Reference: b.Reference, Events: b.Version, Anchor: Anchor(key, b.TrailHash)}
}

// AccessKind is what an entry of the access log records.
type AccessKind string

// The kinds of access recorded.
const (
	AccessTokenCreated  AccessKind = "token.created"
	AccessTokenRevoked  AccessKind = "token.revoked"
	AccessAccountChange AccessKind = "account.changed"
	AccessBreachRead    AccessKind = "breach.read"
)

// AccessReadInterval is how often one person's reading of one breach is
// recorded at most, so that the log stays bounded however often a page is
// reloaded.
const AccessReadInterval = time.Hour

// AccessEntry is one entry of the access log: who did what to which
// subject (a token, an account, a breach by its ID), when. Entries are
// chained as a breach's events are: Hash covers the entry and PrevHash.
type AccessEntry struct {
	Seq      uint64     `json:"seq"`
	At       time.Time  `json:"at"`
	Actor    string     `json:"actor"`    // Actor.Label()
	ActorID  string     `json:"actor_id"` // the account, else the token
	Kind     AccessKind `json:"kind"`
	Subject  string     `json:"subject"`
	Detail   string     `json:"detail,omitempty"`
	PrevHash string     `json:"prev_hash,omitempty"`
	Hash     string     `json:"hash,omitempty"`
}

// Digest is the hash of the entry with its Hash field left empty.
func (e AccessEntry) Digest() string {
	e.Hash = ""
	data, err := json.Marshal(e)
	if err != nil {
		panic(fmt.Sprintf("breach: access entry cannot be encoded: %v", err)) // only plain types: unreachable
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Chain sets the entry's sequence number and hashes, after prev (nil: the
// first entry).
func (e *AccessEntry) Chain(prev *AccessEntry) {
	e.Seq, e.PrevHash = 1, ""
	if prev != nil {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.Hash = e.Digest()
}

// VerifyAccessLog checks that entries, oldest first, are the complete,
// unaltered log: numbered from 1, each chained onto the one before. It
// returns a problem per broken link.
func VerifyAccessLog(entries []AccessEntry) []error {
	var problems []error
	prev := ""
	for i, e := range entries {
		switch {
		case e.Seq != uint64(i+1):
			problems = append(problems, fmt.Errorf("access log: entry %d has sequence %d", i+1, e.Seq))
		case e.PrevHash != prev:
			problems = append(problems, fmt.Errorf("access log: entry %d does not chain onto entry %d", e.Seq, e.Seq-1))
		case e.Digest() != e.Hash:
			problems = append(problems, fmt.Errorf("access log: entry %d was altered", e.Seq))
		}
		prev = e.Hash
	}
	return problems
}

// AccessLog keeps the access log. The store implements it.
type AccessLog interface {
	// RecordAccess appends e, chained onto the last entry. With within > 0
	// nothing is written when an entry of the same actor, kind and subject
	// was recorded less than within before e.At; it says whether it wrote.
	RecordAccess(ctx context.Context, e AccessEntry, within time.Duration) (bool, error)
	// AccessEntries returns the log, oldest first.
	AccessEntries(ctx context.Context) ([]AccessEntry, error)
}

// accessLog is the store's access log, when it keeps one (the store
// adapter does; a test double may not).
func (s *Service) accessLog() AccessLog {
	l, _ := s.Accounts.(AccessLog)
	return l
}

// recordAccess appends an entry for what a did to the access log.
func (s *Service) recordAccess(ctx context.Context, a Actor, kind AccessKind, subject, detail string, within time.Duration) error {
	l := s.accessLog()
	if l == nil {
		return nil
	}
	id := a.AccountID
	if id == "" {
		id = a.TokenID
	}
	_, err := l.RecordAccess(ctx, AccessEntry{At: s.now(), Actor: a.Label(), ActorID: id, Kind: kind, Subject: subject, Detail: detail}, within)
	return err
}

// recordRead records that a staff member read a breach's content, at most
// once per AccessReadInterval per person and breach.
func (s *Service) recordRead(ctx context.Context, a Actor, b *Breach) error {
	if b == nil || !a.Role.Staff() {
		return nil
	}
	return s.recordAccess(ctx, a, AccessBreachRead, b.ID, b.Reference, AccessReadInterval)
}

// AccessEntries returns the access log, for an admin. Errors: EFORBIDDEN.
func (s *Service) AccessEntries(ctx context.Context, a Actor) ([]AccessEntry, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	if l := s.accessLog(); l != nil {
		return l.AccessEntries(ctx)
	}
	return nil, nil
}

// EventHash is the hash an event carries (Event.Hash), computed afresh:
// for tools and tests that check or rebuild a trail.
func EventHash(e Event) string { return e.digest() }
