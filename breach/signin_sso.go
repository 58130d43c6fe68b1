package breach

import (
	"context"
	"strings"
	"time"
)

// Signing in through the organisation's single sign-on (OpenID Connect):
// the privacy adviser and the controller may sign in with the account the
// organisation gives them, instead of a password and a code. An adapter
// talks to the provider, checks what it sends, and hands the person over
// as an ExternalIdentity; the rules of who may come in this way are here.

// ExternalIdentity is a person as the organisation's OpenID provider
// vouches for them, after the adapter has checked the provider's token.
type ExternalIdentity struct {
	Issuer  string // the provider
	Subject string // the person's identity at the provider, which never changes
	// Email is the address the provider gives; empty when the provider says
	// it is not verified.
	Email    string
	Name     string
	Function string // empty when the provider has none: a default by role
	// Role is what the provider's role claim maps to; empty when it maps to
	// no role, or to more than one.
	Role Role
}

// SubjectKey is how the identity is kept in Account.Subject: the issuer
// and the subject, separated by a space (an issuer is a URL, which holds
// none).
func (id ExternalIdentity) SubjectKey() string { return id.Issuer + " " + id.Subject }

// What the trail records of single sign-on. A refusal is an
// AccountSignInFailed with a Reason that starts with "single sign-on".
const (
	AccountSignedInSSOEvent AccountAction = "signed_in_sso" // a sign-in through the provider
	AccountProvisionedEvent AccountAction = "provisioned"   // created at a first sign-in through the provider
	AccountLinkedEvent      AccountAction = "sso_linked"    // an account found by address, tied to the provider's identity
	AccountRoleChangedEvent AccountAction = "role_changed"  // the provider gave another staff role; Reason: "new (was old)"
)

// DefaultFunction is the function of a staff member whose provider gives
// none.
func DefaultFunction(r Role) string {
	switch r {
	case RoleAdviser:
		return "Adviseur privacy"
	case RoleController:
		return "Verwerkingsverantwoordelijke"
	}
	return ""
}

var (
	errBlocked  = Errorf(EFORBIDDEN, "Dit account is geblokkeerd. Neem contact op met de beheerder van de datalekdienst.")
	errSSORole  = Errorf(EFORBIDDEN, "Uw organisatie heeft u voor de datalekdienst niet één rol als privacyadviseur of als verwerkingsverantwoordelijke gegeven. Alleen zij kunnen zich met eenmalige aanmelding aanmelden; vraag de beheerder van uw organisatie om de juiste rol.")
	errSSOStaff = Errorf(EFORBIDDEN, "Uw account bij de datalekdienst is geen account van een privacyadviseur of verwerkingsverantwoordelijke. Meld u aan met uw e-mailadres en wachtwoord.")
	errSSOOther = Errorf(EFORBIDDEN, "Uw e-mailadres hoort bij een account dat met een andere identiteit bij uw organisatie aanmeldt. Neem contact op met de beheerder van de datalekdienst.")
	errSSOEmail = Errorf(EUNAUTHORIZED, "Uw organisatie heeft geen bevestigd e-mailadres van u doorgegeven, en de datalekdienst kent u nog niet. Neem contact op met de beheerder van uw organisatie.")
	errSSOName  = Errorf(EINVALID, "De naam of functie die uw organisatie over u doorgeeft, kan de datalekdienst niet gebruiken (te lang, of met onzichtbare tekens). Neem contact op met de beheerder van uw organisatie.")
)

// SignInExternal signs in a staff member whom the organisation's OpenID
// provider vouches for, and returns the cookie of a signed-in session: the
// provider did the second factor, so there is no half-done stage. The rules:
//
//   - Only the staff roles (adviser, controller) come in this way; an
//     identity with another role, or none, is refused (EFORBIDDEN), and so
//     is an existing account with another role (a supplier's staff or an
//     operator signs in with password and code).
//   - The account is the one tied to the identity (issuer and subject);
//     else the one of the provider's address, which is then tied to the
//     identity (AccountLinkedEvent) unless it is tied to another identity
//     already (refused: an address can move to another person at the
//     provider, a subject cannot). An invited account becomes active; its
//     invitation stops working.
//   - Without an account, one is created, active, with the provider's role,
//     name (else the address) and function (else DefaultFunction of the
//     role): AccountProvisionedEvent. It has no password: it signs in only
//     through the provider.
//   - A blocked account is refused, with the message of the password path.
//     A lock-out after wrong passwords does not stop this path: it guards
//     the password against guessing, and the provider checked the person.
//   - The provider's role counts: when it differs, the account takes it
//     (AccountRoleChangedEvent), and a function that was the old role's
//     default becomes the new one's. A name or function the provider gives
//     replaces the account's. The address is never changed (it keys the
//     account).
//   - The session starts with a new cookie, as after a password and code,
//     with the same idle and absolute timeouts.
//
// Every sign-in, refusal and change is in the account's trail, with the
// client's address; a refusal for want of an account has no account ID.
// Errors: EFORBIDDEN, EUNAUTHORIZED, EINVALID.
func (s *Service) SignInExternal(ctx context.Context, id ExternalIdentity, client string) (string, error) {
	now := s.now()
	id.Email = strings.ToLower(strings.TrimSpace(id.Email))
	id.Name, id.Function = strings.TrimSpace(id.Name), strings.TrimSpace(id.Function)
	if id.Issuer == "" || id.Subject == "" {
		return "", Errorf(EUNAUTHORIZED, "Uw organisatie heeft niet doorgegeven wie u bent. Probeer het opnieuw.")
	}
	refuse := func(accountID, reason string, err error) (string, error) {
		e := AccountEvent{At: now, AccountID: accountID, Action: AccountSignInFailed, Client: client, Reason: "single sign-on: " + reason}
		if aerr := s.Accounts.AppendAccountEvent(ctx, e); aerr != nil {
			return "", aerr
		}
		return "", err
	}
	acc, err := s.externalAccount(ctx, id)
	if err != nil {
		return "", err
	}
	switch {
	case acc != nil && acc.Status == AccountBlocked:
		return refuse(acc.ID, "account blocked", errBlocked)
	case !id.Role.Staff():
		return refuse(accountID(acc), "no single staff role from the provider", errSSORole)
	case acc != nil && !acc.Role.Staff():
		return refuse(acc.ID, "account is not staff", errSSOStaff)
	case acc != nil && acc.Subject != "" && acc.Subject != id.SubjectKey():
		return refuse(acc.ID, "address tied to another identity", errSSOOther)
	case acc == nil && !validEmail(id.Email):
		return refuse("", "no verified address for a new account", errSSOEmail)
	}
	if id.Name == "" && acc == nil {
		id.Name = id.Email
	}
	var p Problems
	line(&p, "name", id.Name, maxShort, false)
	line(&p, "function", id.Function, maxShort, false)
	if p.Err("") != nil {
		return refuse(accountID(acc), "unusable name or function", errSSOName)
	}
	by := "eenmalige aanmelding (" + id.Issuer + ")"
	if acc == nil {
		if acc, err = s.provision(ctx, id, by, client, now); err != nil {
			return "", err
		}
	} else {
		var later []AccountEvent
		acc, err = s.Accounts.UpdateAccount(ctx, acc.ID, func(acc *Account) (*AccountEvent, *Notice, error) {
			later = nil
			switch { // the account may have changed since it was read
			case acc.Status == AccountBlocked:
				return nil, nil, errBlocked
			case !acc.Role.Staff():
				return nil, nil, errSSOStaff
			}
			events := acc.takeIdentity(id, now, by, client)
			acc.UpdatedAt = now
			if len(events) == 0 {
				return nil, nil, nil
			}
			later = events[1:]
			return &events[0], nil, nil
		})
		if err != nil {
			return "", err
		}
		for _, e := range later {
			if err := s.Accounts.AppendAccountEvent(ctx, e); err != nil {
				return "", err
			}
		}
	}
	if err := s.Accounts.AppendAccountEvent(ctx, AccountEvent{At: now, AccountID: acc.ID, Action: AccountSignedInSSOEvent,
		Client: client}); err != nil {
		return "", err
	}
	return s.startSession(ctx, acc, StageSignedIn, now)
}

// externalAccount finds the account of an identity: by the identity, else
// by its address; nil when there is none.
func (s *Service) externalAccount(ctx context.Context, id ExternalIdentity) (*Account, error) {
	acc, err := s.Accounts.FindAccountBySubject(ctx, id.SubjectKey())
	if ErrorCode(err) == ENOTFOUND && id.Email != "" {
		acc, err = s.Accounts.FindAccountByEmail(ctx, id.Email)
		// An account with a password of its own is not taken over by an
		// identity that merely carries its address: the provider's say-so
		// would skip the person's own password and second factor.
		if err == nil && acc.PasswordHash != "" {
			return nil, Errorf(EFORBIDDEN, "Voor dit e-mailadres bestaat al een account dat zich aanmeldt met wachtwoord en code. "+
				"Meld u op die manier aan, of vraag de beheerder van de datalekdienst dat account te koppelen aan uw organisatieaccount.")
		}
	}
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	}
	return acc, err
}

// provision creates the account of a staff member's first sign-in.
func (s *Service) provision(ctx context.Context, id ExternalIdentity, by, client string, now time.Time) (*Account, error) {
	function := id.Function
	if function == "" {
		function = DefaultFunction(id.Role)
	}
	acc := &Account{ID: NewID(), Email: id.Email, Name: id.Name, Function: function, Role: id.Role, Status: AccountActive,
		Subject: id.SubjectKey(), CreatedAt: now, CreatedBy: by, UpdatedAt: now}
	err := s.Accounts.CreateAccount(ctx, acc, AccountEvent{At: now, Action: AccountProvisionedEvent, By: by, Client: client}, nil)
	return acc, err
}

// takeIdentity brings the account in line with what the provider says, and
// returns the entries for the trail.
func (acc *Account) takeIdentity(id ExternalIdentity, now time.Time, by, client string) []AccountEvent {
	var events []AccountEvent
	if acc.Role != id.Role {
		events = append(events, AccountEvent{At: now, AccountID: acc.ID, Action: AccountRoleChangedEvent, By: by, Client: client,
			Reason: string(id.Role) + " (was " + string(acc.Role) + ")"})
		if acc.Function == "" || acc.Function == DefaultFunction(acc.Role) {
			acc.Function = DefaultFunction(id.Role)
		}
		acc.Role = id.Role
	}
	if acc.Subject != id.SubjectKey() {
		acc.Subject = id.SubjectKey()
		events = append(events, AccountEvent{At: now, AccountID: acc.ID, Action: AccountLinkedEvent, By: by, Client: client})
	}
	if acc.Status == AccountInvited {
		acc.Status, acc.Invitation = AccountActive, nil
	}
	if id.Name != "" {
		acc.Name = id.Name
	}
	if id.Function != "" {
		acc.Function = id.Function
	}
	return events
}

func accountID(acc *Account) string {
	if acc == nil {
		return ""
	}
	return acc.ID
}
