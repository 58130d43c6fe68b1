package breach

import (
	"context"
	"strings"
	"time"
)

// Accounts of people: the privacy adviser, the controller, a supplier's
// staff and the operator sign in on the web pages with an account of their
// own, so that what they do is recorded under their name and function, not
// under a token shared by an integration. The operator invites a person;
// the invitation link lets the person set a password and enrol the second
// factor, which everyone must use.

// AccountStatus says whether an account may sign in.
type AccountStatus string

const (
	AccountInvited AccountStatus = "invited" // the invitation was not accepted yet
	AccountActive  AccountStatus = "active"
	AccountBlocked AccountStatus = "blocked" // by the operator; signs in no more
)

// Account is a person who signs in. Its password is kept only as a slow
// hash, its second-factor secret as the factor needs it, its recovery codes
// and invitation as fast hashes of secrets the service drew.
type Account struct {
	ID           string        `json:"id"`
	Email        string        `json:"email"`
	Name         string        `json:"name"`
	Function     string        `json:"function"`
	Role         Role          `json:"role"`
	Organisation string        `json:"organisation,omitempty"`
	Status       AccountStatus `json:"status"`
	// Subject is the account's identity at the OpenID provider (issuer and
	// subject), for an account that signs in through single sign-on.
	Subject string `json:"subject,omitempty"`

	PasswordHash string `json:"password_hash,omitempty"`
	// CodeSecret is the second factor's secret (TOTP); CodeEnrolledAt is
	// when the person confirmed it with a first code, and LastCodeStep the
	// time step of the last code used, so that no code is used twice.
	CodeSecret     string     `json:"code_secret,omitempty"`
	CodeEnrolledAt *time.Time `json:"code_enrolled_at,omitempty"`
	LastCodeStep   int64      `json:"last_code_step,omitempty"`
	RecoveryCodes  []string   `json:"recovery_codes,omitempty"` // HashSecret of each unused one

	Invitation *Invitation `json:"invitation,omitempty"`
	// FailedSignIns counts wrong passwords and codes since the last
	// sign-in; at MaxFailedSignIns the account is locked until LockedUntil.
	FailedSignIns int        `json:"failed_sign_ins,omitempty"`
	LockedUntil   *time.Time `json:"locked_until,omitempty"`
	// Draft is the report the person is writing on the pages (draft.go).
	Draft *Draft `json:"draft,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Invitation is a one-time link to set a password: the hash of its secret
// and when it expires.
type Invitation struct {
	Hash      string    `json:"hash"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Actor is who the account acts as: the person, by name and function.
func (acc *Account) Actor() Actor {
	return Actor{AccountID: acc.ID, Name: acc.Name, Function: acc.Function, Role: acc.Role, Organisation: acc.Organisation}
}

// Public is the account as the operator sees it: without its hashes and
// secrets.
func (acc *Account) Public() *Account {
	c := *acc
	c.PasswordHash, c.CodeSecret, c.RecoveryCodes, c.Invitation = "", "", nil, nil
	c.Draft = nil // a report being written: breach content, the person's own
	return &c
}

// AccountRequest asks for an account, or changes one.
type AccountRequest struct {
	Email        string `json:"email"`
	Name         string `json:"name"`
	Function     string `json:"function"`
	Role         Role   `json:"role"`
	Organisation string `json:"organisation,omitempty"`
}

// validate checks the request, as for a token: a supplier's staff belongs to
// one organisation, anyone else to none.
func (r *AccountRequest) validate() error {
	var p Problems
	r.Email = strings.ToLower(strings.TrimSpace(r.Email))
	r.Name, r.Function, r.Organisation = strings.TrimSpace(r.Name), strings.TrimSpace(r.Function), strings.TrimSpace(r.Organisation)
	if !validEmail(r.Email) {
		p.Add("email", "is geen geldig e-mailadres")
	}
	line(&p, "name", r.Name, maxShort, true)
	line(&p, "function", r.Function, maxShort, true)
	roleAndOrganisation(&p, r.Role, r.Organisation)
	return p.Err("Het account is niet geldig.")
}

// DefaultInvitationValid is how long an invitation link works.
const DefaultInvitationValid = 72 * time.Hour

// InviteAccount creates an account for a person and mails the invitation
// link to the person's address, in one change. The link is returned too,
// for an operator who hands it over another way. Errors: EFORBIDDEN,
// EINVALID, ECONFLICT (the address has an account).
func (s *Service) InviteAccount(ctx context.Context, a Actor, req AccountRequest) (*Account, string, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, "", err
	}
	if err := req.validate(); err != nil {
		return nil, "", err
	}
	if req.Role == RoleSupplier {
		if err := s.ensureOrganisation(ctx, a, req.Organisation); err != nil {
			return nil, "", err
		}
	}
	now := s.now()
	acc := &Account{ID: NewID(), Email: req.Email, Name: req.Name, Function: req.Function, Role: req.Role,
		Organisation: req.Organisation, Status: AccountInvited, CreatedAt: now, CreatedBy: a.Label(), UpdatedAt: now}
	link, n := s.invitation(acc, a, now)
	err := s.Accounts.CreateAccount(ctx, acc, AccountEvent{At: now, Action: AccountInvitedEvent, By: a.Label()}, n,
		s.staffAccessNotice(a, acc.Name+", "+acc.Function, AccessAccount, acc.Role, "account/"+acc.ID, now))
	if err != nil {
		return nil, "", err
	}
	s.mailQueued()
	if err := s.recordAccess(ctx, a, AccessAccountChange, acc.ID, "invited: "+roleText(acc.Role, acc.Organisation)+", "+acc.Email, 0); err != nil {
		return nil, "", err
	}
	return acc.Public(), link, nil
}

// invite gives the account a new invitation and returns its link path,
// "/uitnodiging/<account id>.<secret>"; an earlier link stops working.
func (acc *Account) invite(now time.Time, valid time.Duration) string {
	secret := NewSecret()
	acc.Invitation = &Invitation{Hash: HashSecret(secret), ExpiresAt: now.Add(valid)}
	return InvitationPath + acc.ID + "." + secret
}

// InvitationPath is where an invitation link leads, under the base URL.
const InvitationPath = "/uitnodiging/"

func (s *Service) invitationValid() time.Duration {
	if s.InvitationValid > 0 {
		return s.InvitationValid
	}
	return DefaultInvitationValid
}

// InviteFirstOperator creates an operator account from the command line,
// where no operator exists to invite one, and returns the invitation link
// path; no mail is sent. Errors: EINVALID, ECONFLICT.
func (s *Service) InviteFirstOperator(ctx context.Context, req AccountRequest) (*Account, string, error) {
	req.Role = RoleAdmin
	if err := req.validate(); err != nil {
		return nil, "", err
	}
	now := s.now()
	acc := &Account{ID: NewID(), Email: req.Email, Name: req.Name, Function: req.Function, Role: RoleAdmin,
		Status: AccountInvited, CreatedAt: now, CreatedBy: "opdrachtregel (datalekd invite-operator)", UpdatedAt: now}
	link := acc.invite(now, s.invitationValid())
	if err := s.Accounts.CreateAccount(ctx, acc, AccountEvent{At: now, Action: AccountInvitedEvent, By: acc.CreatedBy}, nil); err != nil {
		return nil, "", err
	}
	return acc.Public(), link, nil
}

// ListAccounts returns every account, without secrets. Errors: EFORBIDDEN.
func (s *Service) ListAccounts(ctx context.Context, a Actor) ([]*Account, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	accounts, err := s.Accounts.ListAccounts(ctx)
	for i, acc := range accounts {
		accounts[i] = acc.Public()
	}
	return accounts, err
}

// AccountChange is what an operator does to an account.
type AccountChange string

const (
	ChangeBlock             AccountChange = "block"               // signs in no more; its sessions end
	ChangeUnblock           AccountChange = "unblock"             // may sign in again
	ChangeResetSecondFactor AccountChange = "reset_second_factor" // password and factor anew through a mailed invitation; its sessions end
	ChangeReinvite          AccountChange = "reinvite"            // a new invitation link, mailed; the old one stops working
)

// ChangeAccount blocks, unblocks, resets the second factor of or invites
// again an account, and records it. Blocking or a reset ends the account's
// sessions. An operator cannot block or reset itself: another operator
// must. Errors: EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
func (s *Service) ChangeAccount(ctx context.Context, a Actor, id string, change AccountChange) (*Account, error) {
	acc, _, err := s.changeAccount(ctx, a, id, change)
	return acc, err
}

// ReinviteAccount is ChangeAccount with ChangeReinvite, and returns the new
// invitation's link path too, as InviteAccount does, for an operator who
// hands it over another way. Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT (the
// invitation was accepted).
func (s *Service) ReinviteAccount(ctx context.Context, a Actor, id string) (*Account, string, error) {
	return s.changeAccount(ctx, a, id, ChangeReinvite)
}

// changeAccount does ChangeAccount and returns the new invitation's link
// path for ChangeReinvite.
func (s *Service) changeAccount(ctx context.Context, a Actor, id string, change AccountChange) (*Account, string, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, "", err
	}
	if a.AccountID == id && change != ChangeReinvite {
		return nil, "", Errorf(ECONFLICT, "U kunt uw eigen account niet blokkeren of de tweede factor ervan herstellen; vraag een andere beheerder.")
	}
	now := s.now()
	var notice *Notice
	var link string
	acc, err := s.Accounts.UpdateAccount(ctx, id, func(acc *Account) (*AccountEvent, *Notice, error) {
		e := &AccountEvent{At: now, By: a.Label()}
		switch change {
		case ChangeBlock:
			acc.Status, e.Action = AccountBlocked, AccountBlockedEvent
		case ChangeUnblock:
			if acc.Status != AccountBlocked {
				return nil, nil, Errorf(ECONFLICT, "Dit account is niet geblokkeerd.")
			}
			acc.Status, e.Action = AccountActive, AccountUnblockedEvent
			if acc.PasswordHash == "" {
				acc.Status = AccountInvited
			}
		case ChangeResetSecondFactor:
			// The password goes too: with a factor to enrol at the next
			// sign-in, whoever knew the password would enrol one of their
			// own. The person starts again from a link mailed to the
			// account's own address.
			acc.CodeSecret, acc.CodeEnrolledAt, acc.RecoveryCodes, e.Action = "", nil, nil, AccountFactorResetEvent
			acc.PasswordHash, acc.LastCodeStep = "", 0
			if acc.Status != AccountBlocked {
				acc.Status = AccountInvited
			}
			link, notice = s.invitation(acc, a, now)
		case ChangeReinvite:
			if acc.Status != AccountInvited {
				return nil, nil, Errorf(ECONFLICT, "Dit account heeft zijn uitnodiging al aangenomen.")
			}
			link, notice = s.invitation(acc, a, now)
			e.Action = AccountInvitedEvent
		default:
			var p Problems
			p.Add("change", "moet block, unblock, reset_second_factor of reinvite zijn")
			return nil, nil, p.Err("De wijziging is niet geldig.")
		}
		acc.UpdatedAt = now
		return e, notice, nil
	})
	if err != nil {
		return nil, "", err
	}
	if change == ChangeBlock || change == ChangeResetSecondFactor {
		if _, err := s.Accounts.DeleteAccountSessions(ctx, id); err != nil {
			return nil, "", err
		}
	}
	if notice != nil {
		s.mailQueued()
	}
	if err := s.recordAccess(ctx, a, AccessAccountChange, id, string(change), 0); err != nil {
		return nil, "", err
	}
	return acc.Public(), link, nil
}

// invitation gives the account a new invitation and returns its link and
// the mail that carries it.
func (s *Service) invitation(acc *Account, a Actor, now time.Time) (string, *Notice) {
	link := acc.invite(now, s.invitationValid())
	return link, &Notice{ID: "invitation." + NewID(), Kind: NoticeInvitation, Audience: AudienceAccount, To: []string{acc.Email},
		At: now, Actor: &a, Invitation: &InvitationNotice{Name: acc.Name, Link: link, ExpiresAt: acc.Invitation.ExpiresAt}}
}

// FindAccount returns an account, without secrets. Errors: EFORBIDDEN,
// ENOTFOUND.
func (s *Service) FindAccount(ctx context.Context, a Actor, id string) (*Account, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	acc, err := s.Accounts.FindAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	return acc.Public(), nil
}

// AccountAction is what an entry of an account's trail records.
type AccountAction string

const (
	AccountInvitedEvent     AccountAction = "invited"
	AccountAcceptedEvent    AccountAction = "invitation_accepted" // the password was set
	AccountSignedInEvent    AccountAction = "signed_in"
	AccountSignInFailed     AccountAction = "sign_in_failed"
	AccountLockedEvent      AccountAction = "locked" // too many failures
	AccountFactorEnrolled   AccountAction = "second_factor_enrolled"
	AccountFactorResetEvent AccountAction = "second_factor_reset"
	AccountRecoveryUsed     AccountAction = "recovery_code_used"
	AccountBlockedEvent     AccountAction = "blocked"
	AccountUnblockedEvent   AccountAction = "unblocked"
	AccountSignedOutEvent   AccountAction = "signed_out"
)

// AccountActions lists every action of an account's trail, those of single
// sign-on too (signin_sso.go), so that each has a name in Dutch.
var AccountActions = []AccountAction{AccountInvitedEvent, AccountAcceptedEvent, AccountSignedInEvent, AccountSignInFailed,
	AccountLockedEvent, AccountFactorEnrolled, AccountFactorResetEvent, AccountRecoveryUsed, AccountBlockedEvent,
	AccountUnblockedEvent, AccountSignedOutEvent, AccountSignedInSSOEvent, AccountProvisionedEvent, AccountLinkedEvent,
	AccountRoleChangedEvent}

// AccountEvent is an entry of the trail of sign-ins and account changes.
// AccountID is empty for a failed sign-in with an unknown address; the
// address tried is not kept (it may be someone's mistyped password).
type AccountEvent struct {
	At        time.Time     `json:"at"`
	AccountID string        `json:"account_id,omitempty"`
	Action    AccountAction `json:"action"`
	By        string        `json:"by,omitempty"`     // who did it, when not the account's person
	Client    string        `json:"client,omitempty"` // the address the request came from
	Reason    string        `json:"reason,omitempty"` // why a sign-in failed
}

// AccountEvents returns the trail of an account, oldest first, or of every
// account for an empty id. Errors: EFORBIDDEN.
func (s *Service) AccountEvents(ctx context.Context, a Actor, id string) ([]AccountEvent, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	return s.Accounts.ListAccountEvents(ctx, id)
}
