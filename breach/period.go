package breach

import "time"

// The instants a period may name (a listing's or the register's from and
// to). The store keys every instant it indexes (receipt, deadlines, alerts)
// as nanoseconds since 1970 in an unsigned 64-bit integer, which holds 1970
// to 2262 only: a bound outside that range seeks to the wrong place, and the
// register came back empty for from=1970-01-01 without saying why. Every
// instant the service stores lies well inside it: nothing is received, and
// no breach detected, before 2000 (detected_at and aware_at are refused
// before then), and 2200 is beyond any retention period of a breach
// register. A bound outside [EarliestInstant, LatestInstant] is refused,
// naming the parameter, rather than silently finding nothing. The bounds are
// midnight in Europe/Amsterdam, so that from=2000-01-01 (a date, which means
// its start there) is in.
var (
	EarliestInstant = time.Date(2000, time.January, 1, 0, 0, 0, 0, Amsterdam)
	LatestInstant   = time.Date(2200, time.January, 1, 0, 0, 0, 0, Amsterdam)
)

// periodProblems checks the bounds of a period [from, to); either may be nil.
func periodProblems(p *Problems, from, to *time.Time) {
	for _, b := range []struct {
		field string
		t     *time.Time
	}{{"from", from}, {"to", to}} {
		if b.t != nil && (b.t.Before(EarliestInstant) || b.t.After(LatestInstant)) {
			p.Add(b.field, "moet tussen %s en %s liggen", EarliestInstant.In(Amsterdam).Format(time.DateOnly), LatestInstant.In(Amsterdam).Format(time.DateOnly))
		}
	}
	if from != nil && to != nil && !p.Has("from") && !p.Has("to") && !from.Before(*to) {
		p.Add("to", "moet na from liggen")
	}
}
