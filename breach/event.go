package breach

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Actions recorded in a breach's audit trail.
const (
	ActionFiled   = "breach.filed"   // the first report
	ActionAmended = "breach.amended" // report fields changed (PATCH)
	ActionUpdated = "breach.updated" // a development with a message (Article 9.2)
)

// Change is one field's old and new value, as JSON, so that history shows what
// was overwritten.
type Change struct {
	Field string          `json:"field"`
	Old   json.RawMessage `json:"old"`
	New   json.RawMessage `json:"new"`
}

// Event is one entry in a breach's audit trail: who did what, when. Events
// are chained: Hash covers the event and PrevHash, so removing or editing an
// entry breaks every hash after it (BIO: tampering with logs must show).
type Event struct {
	BreachID string    `json:"breach_id"`
	Seq      int       `json:"seq"`
	At       time.Time `json:"at"`
	Actor    Actor     `json:"actor"`
	Action   string    `json:"action"`
	Message  string    `json:"message,omitempty"`
	Changes  []Change  `json:"changes,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// digest is the hash of the event with its Hash field left empty.
func (e Event) digest() string {
	e.Hash = ""
	data, err := json.Marshal(e)
	if err != nil {
		panic(fmt.Sprintf("breach: event cannot be encoded: %v", err)) // only plain types: unreachable
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// record appends an event to the breach's trail, chained onto the last one,
// and keeps it pending until the store writes it with the breach.
func (b *Breach) record(at time.Time, actor Actor, action, message string, changes []Change) {
	b.Version++
	e := Event{BreachID: b.ID, Seq: b.Version, At: at, Actor: actor, Action: action,
		Message: message, Changes: changes, PrevHash: b.TrailHash}
	e.Hash = e.digest()
	b.TrailHash = e.Hash
	b.UpdatedAt = at
	b.pending = append(b.pending, e)
}

// PendingEvents returns the events recorded since the breach was loaded and
// forgets them; the store writes them in the transaction that writes the
// breach.
func (b *Breach) PendingEvents() []Event {
	p := b.pending
	b.pending = nil
	return p
}

// VerifyTrail checks that events are the complete, unaltered trail of b: in
// sequence from 1, each chained onto the one before, ending at b's TrailHash.
func VerifyTrail(b *Breach, events []Event) error {
	prev := ""
	for i, e := range events {
		switch {
		case e.Seq != i+1:
			return fmt.Errorf("breach %s: event %d has sequence %d", b.ID, i+1, e.Seq)
		case e.BreachID != b.ID:
			return fmt.Errorf("breach %s: event %d belongs to %s", b.ID, e.Seq, e.BreachID)
		case e.PrevHash != prev:
			return fmt.Errorf("breach %s: event %d does not chain onto event %d", b.ID, e.Seq, e.Seq-1)
		case e.digest() != e.Hash:
			return fmt.Errorf("breach %s: event %d was altered", b.ID, e.Seq)
		}
		prev = e.Hash
	}
	if len(events) != b.Version || prev != b.TrailHash {
		return fmt.Errorf("breach %s: trail has %d events, breach expects %d", b.ID, len(events), b.Version)
	}
	return nil
}
