package nl

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"datalek/breach"
)

// YesNo says ja or nee, and nothing when the answer was not given.
func YesNo(v *bool) string {
	switch {
	case v == nil:
		return ""
	case *v:
		return "ja"
	}
	return "nee"
}

// Categories names personal-data categories, separated by commas, as
// words in a sentence, marking the special and criminal-law ones: "naam,
// burgerservicenummer (BSN), gezondheidsgegevens (bijzonder)". A code
// outside the catalogue shows as it is.
func Categories(codes []string) string {
	labels := make([]string, len(codes))
	for i, code := range codes {
		labels[i] = CategoryLabel(code)
		if c, ok := breach.LookupCategory(code); ok && c.Special() {
			labels[i] += " (" + string(c.Class) + ")"
		}
	}
	return strings.Join(labels, ", ")
}

// CategoryLabel names a category as a word in a sentence: the catalogue's
// label starts with a capital, which stays only in an abbreviation ("IBAN",
// "A-nummer"), so "Naam" is "naam".
func CategoryLabel(code string) string {
	c, ok := breach.LookupCategory(code)
	if !ok {
		return code
	}
	first, size := utf8.DecodeRuneInString(c.Label)
	if next, _ := utf8.DecodeRuneInString(c.Label[size:]); unicode.IsLower(next) {
		return string(unicode.ToLower(first)) + c.Label[size:]
	}
	return c.Label
}

// SentItems describes the sent items in one line: "Brief, per post, 2
// stuks; …"; "niets verstuurd" for an empty list, and nothing for nil, which
// means the report does not say yet.
func SentItems(items []breach.SentItem) string {
	switch {
	case items == nil:
		return ""
	case len(items) == 0:
		return "niets verstuurd"
	}
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.Description + ", " + Channel(it.Channel)
		if it.Count != nil {
			parts[i] += ", " + Count(*it.Count) + " stuks"
		}
	}
	return strings.Join(parts, "; ")
}

// Subjects describes the number of data subjects from its bounds: "120 tot
// 150", "minstens 120", "hoogstens 150", or nothing when neither is known.
func Subjects(min, max *int) string {
	switch {
	case min == nil && max == nil:
		return ""
	case min == nil:
		return "hoogstens " + Count(*max)
	case max == nil:
		return "minstens " + Count(*min)
	case *min == *max:
		return Count(*min)
	}
	return Count(*min) + " tot " + Count(*max)
}
