package breach

import (
	"context"
	"strings"
	"time"
)

// ChangeAccountRole gives an account another role, with the organisation
// that goes with it (a supplier's staff belong to one, anyone else to
// none), and records it in the account's trail (AccountRoleChangedEvent,
// Reason "new (was old)", each "role" or "role, organisation"). A function
// that was the old role's default becomes the new one's, as at a single
// sign-on. The account's sessions end: what the person may see changes. An
// operator cannot change its own role: another operator must (and so one
// always remains). A staff account tied to the organisation's OpenID
// provider takes the provider's role again at its next sign-in there.
// Errors: EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT (its own, or no change).
func (s *Service) ChangeAccountRole(ctx context.Context, a Actor, id string, role Role, organisation string) (*Account, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	if a.AccountID == id {
		return nil, Errorf(ECONFLICT, "U kunt uw eigen rol niet wijzigen; vraag een andere beheerder.")
	}
	var p Problems
	organisation = strings.TrimSpace(organisation)
	roleAndOrganisation(&p, role, organisation)
	if err := p.Err("De rol is niet geldig."); err != nil {
		return nil, err
	}
	if _, err := s.Accounts.FindAccount(ctx, id); err != nil {
		return nil, err // an unknown account creates no organisation
	}
	if role == RoleSupplier {
		if err := s.ensureOrganisation(ctx, a, organisation); err != nil {
			return nil, err
		}
	}
	now := s.now()
	var told *Notice
	acc, err := s.Accounts.UpdateAccount(ctx, id, func(acc *Account) (*AccountEvent, *Notice, error) {
		if acc.Role == role && acc.Organisation == organisation {
			return nil, nil, Errorf(ECONFLICT, "Dit account heeft deze rol al.")
		}
		e := &AccountEvent{At: now, Action: AccountRoleChangedEvent, By: a.Label(),
			Reason: roleText(role, organisation) + " (was " + roleText(acc.Role, acc.Organisation) + ")"}
		if acc.Function == "" || acc.Function == DefaultFunction(acc.Role) {
			if f := DefaultFunction(role); f != "" {
				acc.Function = f
			}
		}
		told = nil
		if !acc.Role.Staff() { // access to breach content it did not have: the privacy mailbox is told
			told = s.staffAccessNotice(a, acc.Name+", "+acc.Function, AccessAccount, role, "account/"+acc.ID+"/"+now.Format(time.RFC3339Nano), now)
		}
		// A report being written was the old role's organisation's: it goes.
		acc.Role, acc.Organisation, acc.Draft, acc.UpdatedAt = role, organisation, nil, now
		return e, told, nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.Accounts.DeleteAccountSessions(ctx, id); err != nil {
		return nil, err
	}
	if told != nil {
		s.mailQueued()
	}
	if err := s.recordAccess(ctx, a, AccessAccountChange, id, "role: "+roleText(role, organisation), 0); err != nil {
		return nil, err
	}
	return acc.Public(), nil
}

// roleText is a role as the trail's Reason names it: "role", or "role,
// organisation" for a supplier's staff.
func roleText(role Role, organisation string) string {
	if organisation == "" {
		return string(role)
	}
	return string(role) + ", " + organisation
}
