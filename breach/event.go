package breach

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Action is what an entry of the audit trail records. Each use case names
// its own beside it.
type Action string

// Actions of filing and following up a report.
const (
	ActionFiled   Action = "breach.filed"   // the first report
	ActionAmended Action = "breach.amended" // report fields changed (PATCH)
	ActionUpdated Action = "breach.updated" // a development with a message (Article 9.2)
)

// Actions lists every action of a breach's trail, for those who name them.
var Actions = []Action{ActionFiled, ActionAmended, ActionUpdated, ActionStatusChanged, ActionAssessed, ActionAwarenessMoved,
	ActionQuestionAsked, ActionQuestionAnswered, ActionDecided, ActionAuthorityNotification, ActionSubjectsInformed,
	ActionOtherControllers, ActionAlertRaised, ActionClosed, ActionPurged}

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
	Seq      int       `json:"seq,omitempty"`
	At       time.Time `json:"at"`
	Actor    Actor     `json:"actor"`
	Action   Action    `json:"action"`
	Message  string    `json:"message,omitempty"`
	Changes  []Change  `json:"changes,omitempty"`
	PrevHash string    `json:"prev_hash,omitempty"`
	Hash     string    `json:"hash,omitempty"`
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
func (b *Breach) record(at time.Time, actor Actor, action Action, message string, changes []Change) {
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
	prev, redacted := "", redactedDigests(events) // a purge redacts earlier entries (retention.go)
	for i, e := range events {
		switch {
		case e.Seq != i+1:
			return fmt.Errorf("breach %s: event %d has sequence %d", b.ID, i+1, e.Seq)
		case e.BreachID != b.ID:
			return fmt.Errorf("breach %s: event %d belongs to %s", b.ID, e.Seq, e.BreachID)
		case e.PrevHash != prev:
			return fmt.Errorf("breach %s: event %d does not chain onto event %d", b.ID, e.Seq, e.Seq-1)
		case e.digest() != e.Hash && (redacted == nil || e.digest() != redacted[e.Seq]):
			return fmt.Errorf("breach %s: event %d was altered", b.ID, e.Seq)
		}
		prev = e.Hash
	}
	if len(events) != b.Version || prev != b.TrailHash {
		return fmt.Errorf("breach %s: trail has %d events, breach expects %d", b.ID, len(events), b.Version)
	}
	return replay(b, events)
}

// replay rebuilds the report and the start of the 72-hour clock from the
// trail (the report as filed, then every recorded change) and compares them
// with the breach, so that an edit of the record itself shows too.
func replay(b *Breach, events []Event) error {
	if len(events) == 0 || events[0].Action != ActionFiled || len(events[0].Changes) != 1 {
		return fmt.Errorf("breach %s: the trail does not start with the filed report", b.ID)
	}
	var report map[string]json.RawMessage
	if err := json.Unmarshal(events[0].Changes[0].New, &report); err != nil {
		return fmt.Errorf("breach %s: filed report: %w", b.ID, err)
	}
	awareAt, _ := json.Marshal(events[0].At)
	for _, e := range events[1:] {
		for _, c := range e.Changes {
			switch {
			case c.Field == "aware_at":
				awareAt = c.New
			case isReportField(c.Field) && string(c.New) == "null":
				delete(report, c.Field)
			case isReportField(c.Field):
				report[c.Field] = c.New
			}
		}
	}
	stored := reportFields(b.Report)
	for _, f := range reportFieldOrder {
		if !bytes.Equal(compact(report[f]), compact(stored[f])) {
			return fmt.Errorf("breach %s: %s differs from what its trail records", b.ID, f)
		}
	}
	if want, _ := json.Marshal(b.AwareAt); !bytes.Equal(compact(awareAt), want) {
		return fmt.Errorf("breach %s: aware_at differs from what its trail records", b.ID)
	}
	return nil
}

func isReportField(f string) bool { return slices.Contains(reportFieldOrder, f) }

// compact strips insignificant whitespace, so equal JSON compares equal.
func compact(v json.RawMessage) []byte {
	if v == nil {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return v
	}
	return buf.Bytes()
}
