package breach

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// Service holds the use cases. Now is replaced in tests; every rule that
// depends on time reads it once per call.
type Service struct {
	Breaches      BreachStore
	Tokens        TokenStore
	Organisations OrganisationStore
	Accounts      AccountStore
	Outbox        Outbox
	Now           func() time.Time
	// MailTo is the privacy mailbox (Bijlage 3: datalekken@hetcak.nl).
	MailTo []string
	// Schedule is when the clocks remind and alert.
	Schedule Schedule
	// Controller is the controller's profile, for the AP form and letters.
	Controller ControllerProfile
	// MailKeep is how long a sent mail is kept whole before it is pruned
	// (PruneSentMail); 0 keeps it whole for ever.
	MailKeep time.Duration
	// MailQueued, when set, is called after a change put mail in the outbox,
	// so that the relay need not wait for its next poll.
	MailQueued func()
	// InvitationValid is how long an invitation link works;
	// DefaultInvitationValid when 0.
	InvitationValid time.Duration
	// Passwords and Codes are the slow hash of passwords and the second
	// factor's codes, which adapters implement.
	Passwords Passwords
	Codes     OneTimeCodes
	// SessionIdle and SessionMax end a session after so long unused, and
	// so long in all; DefaultSessionIdle and DefaultSessionMax when 0.
	SessionIdle, SessionMax time.Duration
	// Retention is how long closed breaches are kept (Retain); zero periods
	// keep them for ever.
	Retention Retention
	// AuditKey anchors the chain heads the digest mails (audit.go); without
	// it the heads are not anchored.
	AuditKey []byte

	operator operatorSecret
}

// DefaultMailTo is the privacy adviser's mailbox of Bijlage 3.
const DefaultMailTo = "datalekken@hetcak.nl"

// NewService returns a service on store with the real clock, the default
// mailbox and the default schedule.
func NewService(store Store) *Service {
	return &Service{Breaches: store, Tokens: store, Organisations: store, Accounts: store, Outbox: store, Now: time.Now,
		MailTo: []string{DefaultMailTo}, Schedule: DefaultSchedule()}
}

// mailQueued tells the relay that there is mail, if anyone listens.
func (s *Service) mailQueued() {
	if s.MailQueued != nil {
		s.MailQueued()
	}
}

// update changes one breach for the actor through the store, keeps its
// alerts in step with whatever fn changed, and returns the breach as the
// actor may see it.
func (s *Service) update(ctx context.Context, a Actor, id string, fn func(*Breach) error) (*Breach, error) {
	b, err := s.Breaches.UpdateBreach(ctx, a.Scope(), id, func(b *Breach) error {
		if err := fn(b); err != nil {
			return err
		}
		if n := b.size(); n > MaxBreachBytes {
			return Errorf(ECONFLICT, "Datalek %s is met deze wijziging te omvangrijk (%d bytes, hoogstens %d); neem contact op met de Adviseur Privacy.",
				b.Reference, n, MaxBreachBytes)
		}
		b.Reschedule(s.Schedule)
		return nil
	})
	if err == nil {
		s.mailQueued()
	}
	return a.Side().Visible(b), err
}

func (s *Service) now() time.Time { return s.Now().UTC().Round(0) }

// MaxBreachBytes bounds a breach as stored: its report, developments,
// questions and deliberation together. Every change stores the breach again,
// so a breach that keeps growing (two hundred long developments) would make
// each change cost a megabyte; one that reaches this bound is a matter for a
// phone call, not another change.
const MaxBreachBytes = 512 << 10

// size is the breach's length as JSON, as it is stored.
func (b *Breach) size() int {
	data, _ := json.Marshal(b)
	return len(data)
}

// requireRole returns EFORBIDDEN unless the actor has one of roles.
func requireRole(a Actor, roles ...Role) error {
	if slices.Contains(roles, a.Role) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Deze actie is niet toegestaan voor de rol %q.", a.Role)
}

// reporters may file and follow up breaches.
var reporters = []Role{RoleSupplier, RoleAdviser, RoleController}

// MailStats says how the outbox stands, for readiness: a mail that silently
// does not leave is the worst failure of this service.
func (s *Service) MailStats(ctx context.Context) (MailStats, error) {
	return s.Outbox.MailStats(ctx)
}

// ControllerProfile is what the documents for the outside world say of the
// controller (the AP form, the letter to the people affected): configured
// once for the service. A field left empty stays open in them.
type ControllerProfile struct {
	// Name, Address and Registration (the KvK or OIN number) identify the
	// organisation, as the AP form asks.
	Name, Address, Registration string
	// DPO is the data-protection officer's contact: name, phone, e-mail.
	DPO string
	// Notifier is who files with the AP by default: name, function, phone,
	// e-mail.
	Notifier string
	// SubjectsContact is the contact point the letter to the people
	// affected names (Art. 34(2)); the DPO when empty.
	SubjectsContact string
}

// ContactForSubjects is the contact point for the people affected.
func (p ControllerProfile) ContactForSubjects() string {
	if p.SubjectsContact != "" {
		return p.SubjectsContact
	}
	return p.DPO
}
