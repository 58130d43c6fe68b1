package breach

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func trail(t *testing.T) (*Breach, []Event) {
	t.Helper()
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	b := &Breach{ID: "b1", ReceivedAt: at, AwareAt: at, Report: Report{Title: "Brieven", DetectedAt: at.Add(-time.Hour)}}
	a := Actor{TokenID: "t1", Name: "acme", Role: RoleSupplier, Organisation: "Acme BV"}
	filed, _ := json.Marshal(b.Report)
	b.record(at, a, ActionFiled, "", []Change{{Field: "report", Old: []byte("null"), New: filed}})
	b.record(at.Add(time.Hour), a, ActionUpdated, "Printstraat stilgezet", nil)
	b.Cause = "x"
	b.record(at.Add(2*time.Hour), a, ActionAmended, "", []Change{{Field: "cause", Old: []byte(`null`), New: []byte(`"x"`)}})
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
		{"report changed without an event", func(b *Breach, e []Event) []Event { b.Measures = "alles opgelost"; return e }, "measures differs"},
		{"clock moved without an event", func(b *Breach, e []Event) []Event { b.AwareAt = b.AwareAt.Add(time.Hour); return e }, "aware_at differs"},
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
