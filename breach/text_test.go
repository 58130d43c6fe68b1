package breach_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
)

// Text that reads differently in a mail, the AP form or a spreadsheet than
// it is stored is refused. A title goes into a mail's Subject, where a mail
// client decodes RFC 2047 encoded words: "Laptop =?utf-8?q?=E2=80=AE?=fdp.exe"
// showed as "Laptop ‮fdp.exe" with a right-to-left override, past the check
// on control characters. A bare CR, and the Unicode line and paragraph
// separators, start a new line in some viewers and not in others, so free
// text could forge a line of the AP form or of a mail.
func TestTextThatReadsDifferentlyIsRefused(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *breach.Filing)
		want   []string
	}{
		{"encoded word in the title, the issue's example", func(f *breach.Filing) { f.Title = "Laptop =?utf-8?q?=E2=80=AE?=fdp.exe" }, []string{"title"}},
		{"encoded word in base64", func(f *breach.Filing) { f.Title = "Laptop =?UTF-8?B?4oCu?=fdp.exe" }, []string{"title"}},
		{"harmless-looking encoded word", func(f *breach.Filing) { f.Title = "=?iso-8859-1?q?Geen_datalek?=" }, []string{"title"}},
		{"encoded word with a language", func(f *breach.Filing) { f.Reporter.Name = "=?utf-8*nl?q?Jansen?=" }, []string{"reporter.name"}},
		{"encoded word in a contract reference", func(f *breach.Filing) { f.ContractReference = "=?utf-8?q?INK=0A?=" }, []string{"contract_reference"}},
		{"question and equals signs that are no encoded word", func(f *breach.Filing) { f.Title = "Kosten =? onbekend ?= of a=?b" }, nil},
		{"bare CR in the cause, forging a line of the AP form", func(f *breach.Filing) {
			f.Cause = "Adresbestand verkeerd gekoppeld\rBesluit: geen melding nodig"
		}, []string{"cause"}},
		{"CR before a CRLF", func(f *breach.Filing) { f.Measures = "Gestopt\r\r\nVerder niets" }, []string{"measures"}},
		{"CRLF line breaks are line breaks", func(f *breach.Filing) { f.Cause = "Regel een\r\nRegel twee" }, nil},
		{"line separator U+2028 in free text", func(f *breach.Filing) { f.Cause = "Regel een\u2028Besluit: geen melding nodig" }, []string{"cause"}},
		{"paragraph separator U+2029 in the title", func(f *breach.Filing) { f.Title = "Laptop\u2029kwijt" }, []string{"title"}},
		{"next line NEL in free text", func(f *breach.Filing) { f.Measures = "Gestopt\u0085Besluit: niets" }, []string{"measures"}},
		{"bare CR in a sent item", func(f *breach.Filing) { f.SentItems[0].Description = "Brief\rKenmerk: vals" }, []string{"sent_items[0].description"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := completeFiling()
			tt.change(&f)
			assert.Equal(t, tt.want, fieldsOf(t, f.Validate(now)))
		})
	}
}
