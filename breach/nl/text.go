package nl

import (
	"strings"

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

// Categories names personal-data categories, separated by commas, marking
// the special and criminal-law ones: "Naam, Gezondheidsgegevens
// (bijzonder)". A code outside the catalogue shows as it is.
func Categories(codes []string) string {
	labels := make([]string, len(codes))
	for i, code := range codes {
		c, ok := breach.LookupCategory(code)
		switch {
		case !ok:
			labels[i] = code
		case c.Special():
			labels[i] = c.Label + " (" + string(c.Class) + ")"
		default:
			labels[i] = c.Label
		}
	}
	return strings.Join(labels, ", ")
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
