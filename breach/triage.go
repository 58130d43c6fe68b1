package breach

import (
	"context"
)

// FindStaffBreach returns a breach with its deliberation, for staff only.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) FindStaffBreach(ctx context.Context, a Actor, id string) (*Breach, error) {
	if err := requireRole(a, RoleAdviser, RoleController); err != nil {
		return nil, err
	}
	return s.Breaches.FindBreach(ctx, a.Scope(), id)
}

// AuthorityForm returns what the AP's notification form is drafted from: the
// breach with its deliberation, for staff, and the moment to draft it at.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) AuthorityForm(ctx context.Context, a Actor, id string) (*Breach, time.Time, error) {
	b, err := s.FindStaffBreach(ctx, a, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	return b, s.now(), nil
}
