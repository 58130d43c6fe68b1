package breach

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func trail(t *testing.T) (*Breach, []Event) {
	t.Helper()
	b := &Breach{ID: "b1"}
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	a := Actor{TokenID: "t1", Name: "acme", Role: RoleSupplier, Organisation: "Acme BV"}
	b.record(at, a, ActionFiled, "", nil)
	b.record(at.Add(time.Hour), a, ActionUpdated, "Printstraat stilgezet", nil)
	b.record(at.Add(2*time.Hour), a, ActionAmended, "", []Change{{Field: "cause", Old: []byte(`""`), New: []byte(`"x"`)}})
	events := b.PendingEvents()
	require.Len(t, events, 3)
	require.Empty(t, b.PendingEvents(), "taken events are forgotten")
	require.NoError(t, VerifyTrail(b, events))
	return b, events
}

func TestVerifyTrailDetectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(b *Breach, events []Event) []Event
		want   string
	}{
		{"edited message", func(b *Breach, e []Event) []Event { e[1].Message = "niets aan de hand"; return e }, "altered"},
		{"edited actor", func(b *Breach, e []Event) []Event { e[0].Actor.Name = "someone else"; return e }, "altered"},
		{"removed middle event", func(b *Breach, e []Event) []Event { return append(e[:1:1], e[2:]...) }, "sequence"},
		{"removed last event", func(b *Breach, e []Event) []Event { return e[:2] }, "trail has 2 events"},
		{"swapped events", func(b *Breach, e []Event) []Event { e[0], e[1] = e[1], e[0]; return e }, "sequence"},
		{"rehashed edit without chaining", func(b *Breach, e []Event) []Event {
			e[1].Message = "x"
			e[1].Hash = e[1].digest()
			return e
		}, "does not chain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, events := trail(t)
			err := VerifyTrail(b, tt.tamper(b, events))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
