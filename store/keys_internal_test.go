package store

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
)

// Every instant the domain lets through sorts by time as a key: the range
// of breach.EarliestInstant to breach.LatestInstant lies inside what
// nanoseconds since 1970 in an unsigned 64-bit integer can hold.
func TestTimeKeysSortOverTheDomainsRange(t *testing.T) {
	instants := []time.Time{
		breach.EarliestInstant, breach.EarliestInstant.Add(time.Nanosecond),
		time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		breach.LatestInstant.Add(-time.Nanosecond), breach.LatestInstant,
	}
	for i := 1; i < len(instants); i++ {
		assert.Equal(t, -1, bytes.Compare(timeKey(instants[i-1]), timeKey(instants[i])), "%s before %s", instants[i-1], instants[i])
		assert.True(t, instants[i].Equal(time.Unix(0, int64(instantOf(timeKey(instants[i]))))), "%s round-trips", instants[i])
	}
}

func instantOf(k []byte) uint64 {
	var v uint64
	for _, b := range k[:8] {
		v = v<<8 | uint64(b)
	}
	return v
}
