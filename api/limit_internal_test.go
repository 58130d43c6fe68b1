package api

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/time/rate"
)

// A token in debt (writes charged afterwards for the breach they left) is
// not forgotten while it is: forgetting a bucket gives a full one, and would
// forgive the debt.
func TestDebtIsNotForgotten(t *testing.T) {
	w := &writeLimiter{limit: rate.Limit(1), burst: 60, tokens: map[string]*tokenLimiter{}}
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	_, ok := w.allow("abuser", 1, now)
	assert.True(t, ok)
	for range 10 {
		w.charge("abuser", 59, now) // ten corrections of a breach of 240 KB: about ten minutes of debt
	}
	later := now.Add(w.forgetAfter() + time.Second)
	for i := range 1000 { // the calls that make the limiter forget unused buckets
		w.allow(fmt.Sprintf("honest-%d", i), 1, later)
	}
	wait, ok := w.allow("abuser", 1, later)
	assert.False(t, ok, "still in debt")
	assert.Greater(t, wait, 5*time.Minute)

	_, ok = w.allow("abuser", 60, now.Add(20*time.Minute))
	assert.True(t, ok, "paid off")
}
