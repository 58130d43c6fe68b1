package breach

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Retention: how long a closed breach keeps the personal data in it, and how
// long it is kept at all. The register's facts (reference, dates,
// categories, counts, assessment, decision, notifications) stay until the
// whole record goes; the reporter's contact details and the free texts that
// may name people go first.

// ActionPurged is the trail entry of emptying a closed breach's personal
// data after its retention period. It names the fields emptied, never their
// values, and the earlier entries of the trail that were redacted with them.
const ActionPurged Action = "breach.purged"

// Period is a retention period: calendar years (so that three years are
// three years, leap days included) plus a duration. The zero Period is
// "for ever".
type Period struct {
	Years    int
	Duration time.Duration
}

// IsZero reports whether the period is for ever.
func (p Period) IsZero() bool { return p.Years == 0 && p.Duration == 0 }

// Before is the instant a period before now.
func (p Period) Before(now time.Time) time.Time { return now.AddDate(-p.Years, 0, 0).Add(-p.Duration) }

// String is the period as ParsePeriod reads it.
func (p Period) String() string {
	switch {
	case p.IsZero():
		return "0"
	case p.Duration == 0:
		return strconv.Itoa(p.Years) + "y"
	case p.Years == 0 && p.Duration%(24*time.Hour) == 0:
		return strconv.Itoa(int(p.Duration/(24*time.Hour))) + "d"
	case p.Years == 0:
		return p.Duration.String()
	}
	return fmt.Sprintf("%dy+%s", p.Years, p.Duration)
}

// Longer reports whether p is longer than q at now.
func (p Period) Longer(q Period, now time.Time) bool { return p.Before(now).Before(q.Before(now)) }

// ParsePeriod reads a period: "3y" (calendar years), "90d" (days), a Go
// duration ("8760h"), or "0" (for ever).
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return Period{}, nil
	}
	if n, ok := strings.CutSuffix(s, "y"); ok {
		y, err := strconv.Atoi(n)
		if err != nil || y <= 0 || y > 100 {
			return Period{}, fmt.Errorf("%q is not a number of years (1y to 100y)", s)
		}
		return Period{Years: y}, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d <= 0 || d > 36500 {
			return Period{}, fmt.Errorf("%q is not a number of days", s)
		}
		return Period{Duration: time.Duration(d) * 24 * time.Hour}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return Period{}, fmt.Errorf("%q is not a period (3y, 90d, 720h or 0)", s)
	}
	return Period{Duration: d}, nil
}

// Retention is the policy: how long after closing the personal data of a
// breach are kept, and the whole record. A zero period keeps for ever.
type Retention struct {
	Personal Period
	Record   Period
}

// Validate refuses a record period shorter than the personal one: the
// record would go before its personal data could be purged, which is
// allowed only by saying so (Personal 0).
func (r Retention) Validate(now time.Time) error {
	if !r.Personal.IsZero() && !r.Record.IsZero() && r.Personal.Longer(r.Record, now) {
		return fmt.Errorf("the record period (%s) is shorter than the personal-data period (%s)", r.Record, r.Personal)
	}
	return nil
}

// RetentionEntry is one line of the retention log: a whole record deleted
// after its retention period. It holds what identifies the breach in the
// register and in mails, never its content.
type RetentionEntry struct {
	BreachID     string    `json:"breach_id"`
	Reference    string    `json:"reference"`
	Organisation string    `json:"organisation"`
	ReceivedAt   time.Time `json:"received_at"`
	ClosedAt     time.Time `json:"closed_at"`
	DeletedAt    time.Time `json:"deleted_at"`
}

// retainChunk is how many records one transaction deletes.
const retainChunk = 128

// Retain applies the retention policy at now: it empties the personal data
// of breaches closed longer ago than Retention.Personal (recording
// ActionPurged on each), and deletes breaches closed longer ago than
// Retention.Record with everything stored for them (recording each in the
// retention log). Open breaches are never touched. Running it again changes
// nothing until more time has passed.
func (s *Service) Retain(ctx context.Context) (purged, deleted int, err error) {
	r := s.Retention
	if r.Personal.IsZero() && r.Record.IsZero() {
		return 0, 0, nil
	}
	now := s.now()
	if err := r.Validate(now); err != nil {
		return 0, 0, err
	}
	personalBefore, recordBefore := r.Personal.Before(now), r.Record.Before(now)
	expired := func(p Period, before time.Time, b *Breach) bool {
		return !p.IsZero() && b.Closure.ClosedAt.Before(before)
	}
	// A breach is received before it is closed, so only those received
	// before the later of the two instants can be due.
	to := personalBefore
	if r.Personal.IsZero() {
		to = recordBefore
	}
	var purge []string
	var remove []RetentionEntry
	err = s.Breaches.EachBreach(ctx, nil, &to, func(b *Breach) error {
		if b.Status != StatusClosed || b.Closure == nil {
			return nil
		}
		switch {
		case expired(r.Record, recordBefore, b):
			remove = append(remove, RetentionEntry{BreachID: b.ID, Reference: b.Reference, Organisation: b.Organisation,
				ReceivedAt: b.ReceivedAt, ClosedAt: b.Closure.ClosedAt, DeletedAt: now})
		case expired(r.Personal, personalBefore, b) && len(personalFields(b)) > 0:
			purge = append(purge, b.ID)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	for _, id := range purge {
		if err := ctx.Err(); err != nil {
			return purged, deleted, err
		}
		_, err := s.Breaches.RedactBreach(ctx, id, func(b *Breach, trail []Event) error {
			if b.Status != StatusClosed {
				return Errorf(ECONFLICT, "Datalek %s is niet (meer) afgesloten.", b.Reference)
			}
			b.purgePersonal(now, trail)
			return nil
		})
		if err != nil {
			return purged, deleted, fmt.Errorf("purge breach %s: %w", id, err)
		}
		purged++
	}
	for chunk := range slices.Chunk(remove, retainChunk) {
		n, err := s.Breaches.DeleteBreaches(ctx, chunk)
		deleted += n
		if err != nil {
			return purged, deleted, fmt.Errorf("delete breaches: %w", err)
		}
	}
	return purged, deleted, nil
}

// The fields a purge empties, as the purge entry names them.
const (
	purgeReporter      = "reporter"
	purgeCause         = "cause"
	purgeMeasures      = "measures"
	purgeUpdates       = "updates.message"
	purgeAnswers       = "questions.answer"
	purgeCommunication = "subject_communications.text"
	// purgeTrail is the change of a purge entry that lists the entries of
	// the trail it redacted, each with the hash of its redacted content.
	purgeTrail = "redacted_events"
)

// personalFields names the fields of b that hold personal data a purge
// empties: the reporter's contact details and the free texts a supplier or
// the people affected may have written names, addresses or health details
// in. The controller's own reasoning (assessment, decision, notifications,
// closure), the questions asked, the other controllers and the items sent
// are the register's facts and stay.
func personalFields(b *Breach) []string {
	var fields []string
	add := func(name string, has bool) {
		if has {
			fields = append(fields, name)
		}
	}
	add(purgeReporter, b.Reporter != Reporter{})
	add(purgeCause, b.Cause != "")
	add(purgeMeasures, b.Measures != "")
	add(purgeUpdates, slices.ContainsFunc(b.Updates, func(u Update) bool { return u.Message != "" }))
	add(purgeAnswers, slices.ContainsFunc(b.Questions, func(q Question) bool { return q.Answer != "" }))
	add(purgeCommunication, slices.ContainsFunc(b.SubjectCommunications, func(c SubjectCommunication) bool { return c.Text != "" }))
	return fields
}

// emptyReporter is the reporter after a purge, as JSON.
var emptyReporter = func() json.RawMessage { data, _ := json.Marshal(Reporter{}); return data }()

// purgePersonal empties the personal data of b and redacts the same data in
// the earlier entries of its trail, and records ActionPurged naming the
// fields and the redacted entries (with the hash of each as redacted, so
// that VerifyTrail still proves the trail). The redacted entries keep their
// hash: the chain still links them, and the purge entry vouches for what is
// left of them.
func (b *Breach) purgePersonal(now time.Time, trail []Event) {
	fields := personalFields(b)
	b.Reporter, b.Cause, b.Measures = Reporter{}, "", ""
	for i := range b.Updates {
		b.Updates[i].Message = ""
	}
	for i := range b.Questions {
		b.Questions[i].Answer = ""
	}
	for i := range b.SubjectCommunications {
		b.SubjectCommunications[i].Text = ""
	}
	redacted := map[string]string{}
	for i := range trail {
		if redactEvent(&trail[i]) {
			redacted[strconv.Itoa(trail[i].Seq)] = trail[i].digest()
		}
	}
	list, _ := json.Marshal(redacted)
	null := json.RawMessage("null")
	changes := []Change{
		{Field: purgeReporter, Old: null, New: emptyReporter},
		{Field: purgeCause, Old: null, New: null},
		{Field: purgeMeasures, Old: null, New: null},
		{Field: purgeTrail, Old: null, New: list},
	}
	b.record(now, System, ActionPurged, "Na de bewaartermijn geleegd: "+strings.Join(fields, ", "), changes)
}

// redactEvent removes from one entry of the trail what a purge empties in
// the record, and reports whether it changed anything.
func redactEvent(e *Event) bool {
	changed := false
	set := func(dst *json.RawMessage, v json.RawMessage) {
		if string(compact(*dst)) != string(v) {
			*dst, changed = v, true
		}
	}
	null := json.RawMessage("null")
	if e.Action == ActionUpdated && e.Message != "" {
		e.Message, changed = "", true
	}
	for i := range e.Changes {
		c := &e.Changes[i]
		switch {
		case c.Field == "report": // the report as filed
			var report map[string]json.RawMessage
			if json.Unmarshal(c.New, &report) != nil {
				continue
			}
			_, cause := report[purgeCause]
			_, measures := report[purgeMeasures]
			if cause || measures || string(compact(report[purgeReporter])) != string(emptyReporter) {
				delete(report, purgeCause)
				delete(report, purgeMeasures)
				report[purgeReporter] = emptyReporter
				c.New, _ = json.Marshal(report)
				changed = true
			}
		case c.Field == purgeReporter:
			set(&c.Old, emptyReporter)
			set(&c.New, emptyReporter)
		case c.Field == purgeCause || c.Field == purgeMeasures:
			set(&c.Old, null)
			set(&c.New, null)
		case e.Action == ActionQuestionAnswered && strings.HasSuffix(c.Field, ".answer"):
			set(&c.New, json.RawMessage(`""`))
		case e.Action == ActionSubjectsInformed && c.Field == "subject_communications":
			var sc SubjectCommunication
			if json.Unmarshal(c.New, &sc) == nil && sc.Text != "" {
				sc.Text = ""
				c.New, _ = json.Marshal(sc)
				changed = true
			}
		}
	}
	return changed
}

// redactedDigests collects, from the purge entries of a trail, the hash of
// each entry before them as it was redacted: VerifyTrail accepts an entry
// whose content has that hash in place of its own.
func redactedDigests(events []Event) map[int]string {
	var out map[int]string
	for _, e := range events {
		if e.Action != ActionPurged {
			continue
		}
		for _, c := range e.Changes {
			var m map[string]string
			if c.Field != purgeTrail || json.Unmarshal(c.New, &m) != nil {
				continue
			}
			for seq, digest := range m {
				if n, err := strconv.Atoi(seq); err == nil && n < e.Seq {
					if out == nil {
						out = map[int]string{}
					}
					out[n] = digest
				}
			}
		}
	}
	return out
}
