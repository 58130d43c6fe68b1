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

// AuthorityForm returns the AP's notification form prefilled from the
// breach, for staff. Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) AuthorityForm(ctx context.Context, a Actor, id string) (*AuthorityForm, error) {
	b, err := s.FindStaffBreach(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return NewAuthorityForm(b, s.now()), nil
}
