package breach

import (
	"context"
	"time"
)

// The breach register of GDPR Art. 33(5) holds every breach, reported to
// the AP or not. Its columns, and how a person reads them, are presentation
// (datalek/breach/nl); who may read it is decided here.

// Register streams the register to fn, one breach at a time, oldest first,
// for breaches received in [from, to) (either may be nil). Only staff may
// read it. Errors: EFORBIDDEN, EINVALID, and whatever fn returns.
func (s *Service) Register(ctx context.Context, a Actor, from, to *time.Time, fn func(b *Breach, now time.Time) error) error {
	if err := requireRole(a, RoleAdviser, RoleController); err != nil {
		return err
	}
	var p Problems
	if periodProblems(&p, from, to); len(p) > 0 {
		return p.Err("De periode is niet geldig.")
	}
	now := s.now()
	return s.Breaches.EachBreach(ctx, from, to, func(b *Breach) error { return fn(b, now) })
}
