package breach

import (
	"context"
	"encoding/json"
	"time"
)

// Drafts: a person who files a report on the pages can save the form as it
// is typed and go on later, from another browser too. The draft is kept on
// the person's own account (Account.Draft), never shown to anyone else (the
// operator sees accounts without it, Account.Public), and dropped once the
// report is filed.

// Draft is a report being written: the form as typed, which need not be
// valid yet, and the organisation it is for.
type Draft struct {
	// Organisation is the supplier the person filed for when it was saved;
	// a person who has since moved to another organisation does not get
	// it back.
	Organisation string          `json:"organisation,omitempty"`
	SavedAt      time.Time       `json:"saved_at"`
	Form         json.RawMessage `json:"form"`
}

// MaxDraftBytes bounds a draft's form: a report is at most MaxReportBytes,
// and a form says the same with its field names.
const MaxDraftBytes = 2 * MaxReportBytes

// SaveDraft keeps form (JSON) as the person's draft, in place of an earlier
// one. It records nothing in the account's trail: a draft is the person's
// own typing, not a change of the account. Errors: EFORBIDDEN (not a person
// who may file), EINVALID (too large, or not JSON), ENOTFOUND.
func (s *Service) SaveDraft(ctx context.Context, a Actor, form json.RawMessage) (*Draft, error) {
	if err := requireDrafter(a); err != nil {
		return nil, err
	}
	var p Problems
	switch {
	case len(form) > MaxDraftBytes:
		p.Add("draft", "is te groot (%d bytes, hoogstens %d): vat lange teksten samen", len(form), MaxDraftBytes)
	case !json.Valid(form):
		p.Add("draft", "is geen JSON")
	}
	if err := p.Err("Het concept kan niet worden bewaard."); err != nil {
		return nil, err
	}
	d := &Draft{Organisation: a.Organisation, SavedAt: s.now(), Form: form}
	_, err := s.Accounts.UpdateAccount(ctx, a.AccountID, func(acc *Account) (*AccountEvent, *Notice, error) {
		acc.Draft = d
		return nil, nil, nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Draft returns the person's draft, or nil when there is none (or only one
// for another organisation than the person's now). Errors: EFORBIDDEN,
// ENOTFOUND.
func (s *Service) Draft(ctx context.Context, a Actor) (*Draft, error) {
	if err := requireDrafter(a); err != nil {
		return nil, err
	}
	acc, err := s.Accounts.FindAccount(ctx, a.AccountID)
	if err != nil {
		return nil, err
	}
	if acc.Draft == nil || acc.Draft.Organisation != a.Organisation {
		return nil, nil
	}
	return acc.Draft, nil
}

// DropDraft throws the person's draft away; without one it does nothing.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) DropDraft(ctx context.Context, a Actor) error {
	if err := requireDrafter(a); err != nil {
		return err
	}
	acc, err := s.Accounts.FindAccount(ctx, a.AccountID)
	if err != nil || acc.Draft == nil {
		return err
	}
	_, err = s.Accounts.UpdateAccount(ctx, a.AccountID, func(acc *Account) (*AccountEvent, *Notice, error) {
		acc.Draft = nil
		return nil, nil, nil
	})
	return err
}

// requireDrafter lets a person who may file keep a draft; an integration's
// token has no account to keep it on.
func requireDrafter(a Actor) error {
	if err := requireRole(a, reporters...); err != nil {
		return err
	}
	if a.AccountID == "" {
		return Errorf(EFORBIDDEN, "Alleen wie met een eigen account is aangemeld kan een concept bewaren.")
	}
	return nil
}

// OwnAccount returns the signed-in person's own account, without secrets:
// what the person's pages may fill in for them (their address as the
// reporter's). Errors: EFORBIDDEN (not a person), ENOTFOUND.
func (s *Service) OwnAccount(ctx context.Context, a Actor) (*Account, error) {
	if a.AccountID == "" {
		return nil, Errorf(EFORBIDDEN, "Alleen een persoon die is aangemeld heeft een eigen account.")
	}
	acc, err := s.Accounts.FindAccount(ctx, a.AccountID)
	if err != nil {
		return nil, err
	}
	return acc.Public(), nil
}
