// Package nl is the Dutch presentation of the domain: the words, numbers and
// times that people read in mails, the register, the authority form and
// (later) the web pages. It names every code of package breach in Dutch and
// holds the one formatter for each kind of value, so that a value reads the
// same wherever it is shown.
//
// The domain keeps the codes and the rules; this package decides nothing. It
// depends on the standard library and package breach only, and breach must
// never import it.
package nl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"datalek/breach"
)

var (
	weekdays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	months   = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
		"september", "oktober", "november", "december"}
)

// Time formats an instant for people: in Europe/Amsterdam, with the weekday,
// the date and the zone, e.g. "zondag 25 oktober 2026 09:00 (CET)". The zone
// is named because in the night daylight saving ends an hour repeats.
func Time(t time.Time) string {
	t = t.In(breach.Amsterdam)
	return fmt.Sprintf("%s %s (%s)", Day(t), t.Format("15:04"), t.Format("MST"))
}

// Day formats the date of an instant in Europe/Amsterdam, e.g.
// "zondag 25 oktober 2026".
func Day(t time.Time) string {
	t = t.In(breach.Amsterdam)
	return fmt.Sprintf("%s %d %s %d", weekdays[t.Weekday()], t.Day(), months[t.Month()-1], t.Year())
}

// Duration says how long, to the minute: "1 dag en 3 uur", "2 uur en 15
// minuten", "5 minuten". Minutes are left out once it is a day or more; a
// negative duration reads as its length.
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	days, hours, minutes := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, plural(days, "dag", "dagen"))
	}
	if hours > 0 {
		parts = append(parts, Count(hours)+" uur")
	}
	if minutes > 0 && days == 0 {
		parts = append(parts, plural(minutes, "minuut", "minuten"))
	}
	switch len(parts) {
	case 0:
		return "minder dan een minuut"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " en " + parts[len(parts)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Count(n) + " " + many
}

// Count formats a whole number the Dutch way, with a point between the
// thousands: 1.234, -12.345.678.
func Count(n int) string {
	digits := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Score formats an ENISA severity score the Dutch way, with two decimals
// and a decimal comma: 3,25. Scores are kept in quarter points, so two
// decimals are exact.
func Score(s float64) string {
	return strings.Replace(strconv.FormatFloat(s, 'f', 2, 64), ".", ",", 1)
}
