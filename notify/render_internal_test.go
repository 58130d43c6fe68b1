package notify

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestChangeValueSpeaksDutch(t *testing.T) {
	tests := []struct{ field, raw, want string }{
		{"stage", `"complete"`, "volledig"},
		{"stage", `"preliminary"`, "voorlopig"},
		{"item_disposition", `"partly_returned"`, "gedeeltelijk teruggestuurd"},
		{"personal_data", `["naam","gezondheidsgegevens"]`, "naam, gezondheidsgegevens (bijzonder)"},
		{"sent_items", `[]`, "niets verstuurd"},
		{"sent_items", `[{"description":"Brief","channel":"post","count":2}]`, "Brief, per post, 2 stuks"},
		{"reporter", `{"name":"J. Jansen","phone":"0612345678"}`, "J. Jansen, 0612345678"},
		{"ongoing", `true`, "ja"},
		{"started_at", `"2026-10-25T08:00:00Z"`, "zondag 25 oktober 2026 09:00 (CET)"},
		{"subjects_max", `150`, "150"},
		{"cause", `""`, "(leeg)"},
		{"cause", `null`, "(leeg)"},
		{"cause", ``, "(leeg)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, changeValue(tt.field, json.RawMessage(tt.raw)), "%s %s", tt.field, tt.raw)
	}
}
