package breach

import (
	"time"
	_ "time/tzdata" // Europe/Amsterdam must work on a minimal image too
)

// The two clocks of a breach.
const (
	// ProcessorWindow is how long the supplier has, from detection, to deliver
	// the complete Bijlage 3 report.
	ProcessorWindow = 24 * time.Hour
	// AuthorityWindow is how long the controller has, from becoming aware, to
	// notify the Autoriteit Persoonsgegevens (GDPR Art. 33(1)).
	AuthorityWindow = 72 * time.Hour
)

// Amsterdam is the time zone in which times are shown to people. Deadlines are
// absolute instants computed in UTC, so daylight saving never moves them.
var Amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err) // the embedded tzdata has it: unreachable
	}
	return loc
}()

// Clock names one of a breach's two deadlines.
type Clock string

const (
	ClockProcessor Clock = "processor" // the supplier's 24 hours
	ClockAuthority Clock = "authority" // the controller's 72 hours
	// ClockSubjects runs from a decision to inform the people affected until
	// a communication to them is recorded (Art. 34: without undue delay).
	ClockSubjects Clock = "subjects"
)

// DeadlineState says where a deadline stands at a given moment.
type DeadlineState string

const (
	DeadlineRunning DeadlineState = "running" // not fulfilled, not yet due
	DeadlineOverdue DeadlineState = "overdue" // not fulfilled, past due
	DeadlineMet     DeadlineState = "met"     // fulfilled in time
	DeadlineLate    DeadlineState = "late"    // fulfilled after the due time
	DeadlineStopped DeadlineState = "stopped" // no longer applies
)

// Deadline is one clock of a breach as seen at a moment.
type Deadline struct {
	// AwareAt is when the 72-hour clock started; only on the authority clock.
	AwareAt     *time.Time    `json:"aware_at,omitempty"`
	DueAt       time.Time     `json:"due_at"`
	Met         bool          `json:"met"`
	State       DeadlineState `json:"state"`
	FulfilledAt *time.Time    `json:"fulfilled_at,omitempty"`
	// LateBySeconds is how far past due it was fulfilled, or, while overdue,
	// how far past due it is now.
	LateBySeconds int64 `json:"late_by_seconds,omitempty"`
}

// Deadlines are both clocks of a breach.
type Deadlines struct {
	// Informed is Bijlage 3's first duty: the supplier informs within 24
	// hours of detection, by any report, a preliminary one too. It is met
	// or late from the first report on.
	Informed  Deadline `json:"informed"`
	Processor Deadline `json:"processor"` // its second: the minimum facts complete within the same 24 hours
	Authority Deadline `json:"authority"`
}

// DeadlineAt is how a deadline due at due stands at now, fulfilled at
// fulfilled (nil: not yet): one rule for every clock, a question's too.
func DeadlineAt(due time.Time, fulfilled *time.Time, now time.Time) Deadline {
	d := Deadline{DueAt: due, FulfilledAt: fulfilled}
	switch {
	case fulfilled != nil && !fulfilled.After(due):
		d.State, d.Met = DeadlineMet, true
	case fulfilled != nil:
		d.State, d.LateBySeconds = DeadlineLate, int64(fulfilled.Sub(due)/time.Second)
	case !now.Before(due): // at the due instant itself, with nothing done, it is overdue
		d.State, d.LateBySeconds = DeadlineOverdue, int64(now.Sub(due)/time.Second)
	default:
		d.State = DeadlineRunning
	}
	return d
}

// ProcessorDue is when the complete report is due: 24 hours after detection.
func (b *Breach) ProcessorDue() time.Time { return b.DetectedAt.Add(ProcessorWindow) }

// AuthorityDue is when the authority must be notified: 72 hours after the
// controller became aware, which is the first report unless corrected.
func (b *Breach) AuthorityDue() time.Time { return b.AwareAt.Add(AuthorityWindow) }

// processorStopped: a breach closed before its report was complete needs
// no complete report any more.
func (b *Breach) processorStopped() bool { return b.CompletedAt == nil && b.Status == StatusClosed }

// authorityState says whether the 72-hour deadline was fulfilled (by the
// initial notification to the AP) or no longer applies (the controller
// decided not to notify, or the breach was closed without notifying).
func (b *Breach) authorityState() (fulfilled *time.Time, stopped bool) {
	if n := b.InitialNotification(); n != nil {
		t := n.SubmittedAt
		return &t, false
	}
	if d := b.DecisionInForce(); d != nil && !d.NotifyAuthority {
		return nil, true
	}
	return nil, b.Status == StatusClosed // as no breach: closing as handled needs the notification first
}

func stop(d Deadline) Deadline {
	d.State, d.Met, d.LateBySeconds = DeadlineStopped, false, 0
	return d
}

// DeadlinesAt returns both clocks as they stand at now.
func (b *Breach) DeadlinesAt(now time.Time) Deadlines {
	aware := b.AwareAt
	fulfilled, stopped := b.authorityState()
	auth := DeadlineAt(b.AuthorityDue(), fulfilled, now)
	if stopped {
		auth = stop(auth)
	}
	auth.AwareAt = &aware
	proc := DeadlineAt(b.ProcessorDue(), b.CompletedAt, now)
	if b.processorStopped() {
		// Closed before the report was complete: no deadline as no breach;
		// as handled, missed, and by as much as it was when it was closed.
		if b.Closure != nil && b.Closure.Outcome == OutcomeHandled {
			proc = DeadlineAt(b.ProcessorDue(), nil, b.Closure.ClosedAt)
		} else {
			proc = stop(proc)
		}
	}
	received := b.ReceivedAt
	return Deadlines{Informed: DeadlineAt(b.ProcessorDue(), &received, now), Processor: proc, Authority: auth}
}

// RunningDeadline is a clock that has not been fulfilled or stopped.
type RunningDeadline struct {
	Clock Clock
	DueAt time.Time
}

// RunningDeadlines returns the deadlines still open on the breach, nearest
// first. The store indexes them for the views by nearest deadline.
func (b *Breach) RunningDeadlines() []RunningDeadline {
	var rs []RunningDeadline
	if b.CompletedAt == nil && b.Status != StatusClosed {
		rs = append(rs, RunningDeadline{ClockProcessor, b.ProcessorDue()})
	}
	if fulfilled, stopped := b.authorityState(); fulfilled == nil && !stopped {
		rs = append(rs, RunningDeadline{ClockAuthority, b.AuthorityDue()})
	}
	if len(rs) == 2 && rs[1].DueAt.Before(rs[0].DueAt) {
		rs[0], rs[1] = rs[1], rs[0]
	}
	return rs
}
