package breach

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The checks of free text and one-line fields: lengths, and what would read
// differently in a mail, the AP form or a spreadsheet than it is stored.

// text checks free text of several lines (a cause, measures, a message).
func text(p *Problems, field, s string, max int, required bool) {
	checkText(p, field, s, max, required, true)
}

// line checks text of one line (a title, a name): no line breaks and no
// RFC 2047 encoded words, since it may end up in a mail header.
func line(p *Problems, field, s string, max int, required bool) {
	checkText(p, field, s, max, required, false)
}

// encodedWord matches an RFC 2047 encoded word (=?charset?q?text?= or
// =?charset?b?text?=), as leniently as mail clients decode one.
var encodedWord = regexp.MustCompile(`=\?[^?]*\?[bBqQ]\?[^?]*\?=`)

// checkText refuses control characters (but LF, CRLF and tabs in multi-line
// text), invisible format characters such as right-to-left overrides, and
// the Unicode line and paragraph separators, which can make what a person
// reads differ from what is stored: a bare CR or U+2028 starts a new line in
// some viewers and not in others, and could forge a line of the AP form or
// a mail. Text of one line also may not hold an RFC 2047 encoded word: a
// mail client decodes it in a Subject into whatever it encodes (a
// right-to-left override, other words), while the API, the register and the
// form show it as it is. It is refused rather than neutralised when the mail
// is composed, so that every place shows the same text; nobody writes
// "=?utf-8?q?" in a title by accident. A required text needs at least one
// visible character.
func checkText(p *Problems, field, s string, max int, required, multiline bool) {
	visible := false
	for i, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case multiline && r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case r == '\r' && multiline:
			p.Add(field, "bevat een losse regelterugloop (CR, U+000D) zonder regelovergang; gebruik LF of CRLF")
			return
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp) || r == utf8.RuneError:
			p.Add(field, "bevat een teken dat niet is toegestaan (U+%04X)", r)
			return
		case !unicode.IsSpace(r):
			visible = true
		}
	}
	switch {
	case !multiline && encodedWord.MatchString(s):
		p.Add(field, "bevat een gecodeerd woord volgens RFC 2047 (%s) dat een mailprogramma anders toont dan het hier staat", encodedWord.FindString(s))
	case required && !visible:
		p.Add(field, "is verplicht")
	case utf8.RuneCountInString(s) > max:
		p.Add(field, "is te lang (hoogstens %d tekens)", max)
	}
}
