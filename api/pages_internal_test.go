package api

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/time/rate"
)

// Sign-in attempts are limited per client: an IPv6 host that draws a new
// address from its /64 for every try is one client; those at rest are
// forgotten first when the table is full, so a guesser's count survives a
// flood of other addresses (issue 10 review).
func TestSignInLimiterPerClient(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l := &signInLimiter{clients: map[string]*rate.Limiter{}}
	for i := range 10 {
		assert.True(t, l.allow(fmt.Sprintf("2001:db8:1:2::%x", i+1), now), "try %d", i+1)
	}
	assert.False(t, l.allow("2001:db8:1:2:ffff::1", now), "the same /64")
	assert.True(t, l.allow("2001:db8:1:3::1", now), "another /64")
	assert.True(t, l.allow("192.0.2.1", now))

	var at time.Time
	for i := range 10000 { // a flood of others, one a millisecond: the earliest are at rest again after 6 s
		at = now.Add(time.Duration(i) * time.Millisecond)
		l.allow(fmt.Sprintf("10.%d.%d.1", i/256, i%256), at)
	}
	assert.True(t, l.allow("2001:db8:1:2::99", at), "one try regained in 10 s")
	assert.False(t, l.allow("2001:db8:1:2::99", at), "but not ten: the guesser is not forgotten")
}

// The domain's messages name statuses, instants and fields for integrators;
// a person reads them in words (issue 10 review).
func TestDutchText(t *testing.T) {
	for in, want := range map[string]string{
		`Datalek DL-2026-K7QM4 heeft status "assessed": afsluiten kan alleen bij status triage, decided.`: "Datalek DL-2026-K7QM4 heeft status beoordeeld: afsluiten kan alleen bij status in behandeling, besloten.",
		"ligt voor het begin van het datalek (2026-11-22T15:00:00Z)":                                      "ligt voor het begin van het datalek (zondag 22 november 2026 16:00 (CET))",
		"is verplicht als dpc afwijkt van 3":                                                              "is verplicht als ernst van de gegevens (dpc) afwijkt van 3",
		"hoort alleen bij inform_subjects no":                                                             "hoort alleen bij betrokkenen informeren no",
	} {
		assert.Equal(t, want, dutchText(in))
	}
}
