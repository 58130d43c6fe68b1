package breach

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// Reading breaches: one, a filtered page, and a trail.

// BreachFilter selects and orders breaches for a listing.
type BreachFilter struct {
	Status       Status
	Stage        Stage
	Organisation string
	Risk         Risk          // the latest assessment's conclusion
	Severity     SeverityLevel // the latest assessment's level
	From, To     *time.Time    // received in [From, To)
	// Sort is "received" (newest first, the default) or "deadline" (nearest
	// running deadline first, then breaches without one, newest first).
	Sort   Sort
	Limit  int
	Cursor string // opaque; from the previous page
}

// Sort is the order of a listing.
type Sort string

const (
	SortReceived Sort = "received"
	SortDeadline Sort = "deadline"
)

// Listing page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Match reports whether b passes the filter's conditions.
func (f *BreachFilter) Match(b *Breach) bool {
	a := b.LatestAssessment()
	return (f.Status == "" || b.Status == f.Status) &&
		(f.Stage == "" || b.Stage == f.Stage) &&
		(f.Organisation == "" || b.Organisation == f.Organisation) &&
		(f.Risk == "" || (a != nil && a.Risk == f.Risk)) &&
		(f.Severity == "" || (a != nil && a.Severity.Level == f.Severity)) &&
		(f.From == nil || !b.ReceivedAt.Before(*f.From)) &&
		(f.To == nil || b.ReceivedAt.Before(*f.To))
}

// Validate checks the filter for the actor and fills in defaults. Errors:
// EINVALID naming every bad parameter.
func (f *BreachFilter) Validate(a Actor) error {
	var p Problems
	if f.Risk != "" && !slices.Contains([]Risk{RiskNone, RiskSome, RiskHigh}, f.Risk) {
		p.Add("risk", "moet none, risk of high zijn")
	}
	if f.Severity != "" && !slices.Contains([]SeverityLevel{SeverityLow, SeverityMedium, SeverityHigh, SeverityVeryHigh}, f.Severity) {
		p.Add("severity", "moet low, medium, high of very_high zijn")
	}
	if !a.Side().SeesDeliberation() {
		const hidden = "is niet beschikbaar voor verwerkers: de beoordeling is van de verwerkingsverantwoordelijke"
		if f.Risk != "" {
			p.Add("risk", hidden)
		}
		if f.Severity != "" {
			p.Add("severity", hidden)
		}
	}
	periodProblems(&p, f.From, f.To)
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		p.Add("status", "onbekende status %q", f.Status)
	}
	if f.Stage != "" && f.Stage != StagePreliminary && f.Stage != StageComplete {
		p.Add("stage", "moet preliminary of complete zijn")
	}
	switch f.Sort {
	case "":
		f.Sort = SortReceived
	case SortReceived, SortDeadline:
	default:
		p.Add("sort", "moet received of deadline zijn")
	}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultPageSize
	case f.Limit < 1 || f.Limit > MaxPageSize:
		p.Add("limit", "moet tussen 1 en %d liggen", MaxPageSize)
	}
	return p.Err("De zoekvraag is niet geldig.")
}

// BreachPage is one page of a listing.
type BreachPage struct {
	Breaches   []*Breach
	NextCursor string // empty on the last page
}

// FindBreach returns a breach the actor may see, as the actor may see it.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) FindBreach(ctx context.Context, a Actor, id string) (*Breach, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	b, err := s.Breaches.FindBreach(ctx, a.Scope(), id)
	if err == nil {
		err = s.recordRead(ctx, a, b) // staff reading a breach's content: access log
	}
	return a.Side().Visible(b), err
}

// ListBreaches returns one page of the breaches the actor may see.
// Errors: EFORBIDDEN, EINVALID.
func (s *Service) ListBreaches(ctx context.Context, a Actor, f BreachFilter) (*BreachPage, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	if err := f.Validate(a); err != nil {
		return nil, err
	}
	page, err := s.Breaches.ListBreaches(ctx, a.Scope(), f)
	if page != nil {
		for i, b := range page.Breaches {
			page.Breaches[i] = a.Side().Visible(b)
		}
	}
	return page, err
}

// OpenBreaches returns every breach the actor may see that is not closed, as
// the actor may see it, in the order of a listing by deadline: the overview
// of what needs attention, read from the store's index of open breaches.
// Errors: EFORBIDDEN.
func (s *Service) OpenBreaches(ctx context.Context, a Actor) ([]*Breach, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	open, err := s.Breaches.OpenBreaches(ctx, a.Scope())
	if err != nil {
		return nil, err
	}
	side := a.Side()
	sortByDeadline(side, open)
	for i, b := range open {
		open[i] = side.Visible(b)
	}
	return open, nil
}

// sortByDeadline orders breaches as a listing by deadline (SortDeadline)
// does: by the nearest running deadline the side may see, then those
// without one, newest received first; ties by ID, as the store's index keys
// break them.
func sortByDeadline(side Side, breaches []*Breach) {
	type entry struct {
		b       *Breach
		due     time.Time
		running bool
	}
	entries := make([]entry, len(breaches))
	for i, b := range breaches { // once per breach, not once per comparison
		entries[i].b = b
		if ds := side.RunningDeadlines(b); len(ds) > 0 {
			entries[i].due, entries[i].running = ds[0].DueAt, true
		}
	}
	slices.SortFunc(entries, func(x, y entry) int {
		switch {
		case x.running && y.running:
			return cmp.Or(x.due.Compare(y.due), strings.Compare(x.b.ID, y.b.ID))
		case x.running:
			return -1
		case y.running:
			return 1
		}
		return cmp.Or(y.b.ReceivedAt.Compare(x.b.ReceivedAt), strings.Compare(y.b.ID, x.b.ID))
	})
	for i, e := range entries {
		breaches[i] = e.b
	}
}

// ListEvents returns a breach's audit trail, oldest first.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) ListEvents(ctx context.Context, a Actor, id string) ([]Event, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	events, err := s.Breaches.ListEvents(ctx, a.Scope(), id)
	return a.Side().VisibleEvents(events), err
}

// FindStaffBreach returns a breach with its deliberation, for staff only.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) FindStaffBreach(ctx context.Context, a Actor, id string) (*Breach, error) {
	if err := requireRole(a, RoleAdviser, RoleController); err != nil {
		return nil, err
	}
	b, err := s.Breaches.FindBreach(ctx, a.Scope(), id)
	if err == nil {
		err = s.recordRead(ctx, a, b) // access log
	}
	return b, err
}
