package breach

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"
	"unicode/utf8"
)

// Signing in on the pages: a password, then a one-time code of the second
// factor (or a recovery code), which everyone must have; a person who
// accepts an invitation sets the password and enrols the factor first. A
// session is kept on the server; its cookie holds the session's ID and a
// secret the store keeps only as a hash. Every sign-in, failure, lock-out
// and factor change is an entry of the account's trail.

// Passwords hashes and checks people's passwords with a slow hash; an
// adapter implements it (argon2id).
type Passwords interface {
	HashPassword(password string) string
	CheckPassword(password, hash string) bool
}

// OneTimeCodes draws the secrets of the second factor and checks its codes
// (TOTP, RFC 6238); an adapter implements it.
type OneTimeCodes interface {
	// NewCodeSecret returns a new secret.
	NewCodeSecret() (string, error)
	// CodeURI is the URI of a secret for the account, as an authenticator
	// app reads it from a QR code.
	CodeURI(secret, account string) (string, error)
	// CodeStep returns the time step for which code is valid at now (the
	// step before and after included, for clocks that drift), and false
	// for a wrong code.
	CodeStep(secret, code string, now time.Time) (int64, bool)
}

// SessionStage is how far a session's sign-in has come.
type SessionStage string

const (
	StageEnrolment    SessionStage = "enrolment"     // the password is set; the second factor is to be enrolled
	StageSecondFactor SessionStage = "second_factor" // the password was right; a code is to be given
	StageSignedIn     SessionStage = "signed_in"
)

// Session is a session of an account, kept on the server.
type Session struct {
	ID        string       `json:"id"`
	Hash      string       `json:"hash"` // HashSecret of the cookie's secret
	AccountID string       `json:"account_id"`
	Stage     SessionStage `json:"stage"`
	CreatedAt time.Time    `json:"created_at"`
	SeenAt    time.Time    `json:"seen_at"`
}

// The limits of sign-in and sessions, unless the service sets its own.
const (
	DefaultSessionIdle = 30 * time.Minute
	DefaultSessionMax  = 12 * time.Hour
	// PendingSessionMax bounds a sign-in half done: between the password
	// and the code, or the enrolment of the second factor.
	PendingSessionMax = 15 * time.Minute
	MaxFailedSignIns  = 10
	LockOut           = 15 * time.Minute
	MinPasswordLength = 12
	recoveryCodes     = 10
)

var errSignIn = Errorf(EUNAUTHORIZED, "Het e-mailadres of het wachtwoord is onjuist.")

// startSession stores a new session of the account and returns its cookie.
func (s *Service) startSession(ctx context.Context, acc *Account, stage SessionStage, now time.Time) (string, error) {
	secret := NewSecret()
	ses := &Session{ID: NewID(), Hash: HashSecret(secret), AccountID: acc.ID, Stage: stage, CreatedAt: now, SeenAt: now}
	if err := s.Accounts.PutSession(ctx, ses); err != nil {
		return "", err
	}
	return ses.ID + "." + secret, nil
}

// session returns the session of a cookie, if it is one and has not timed
// out at now: after SessionIdle without use, after SessionMax in all, or a
// sign-in half done after PendingSessionMax.
func (s *Service) session(ctx context.Context, cookie string, now time.Time) (*Session, error) {
	expired := Errorf(EUNAUTHORIZED, "Uw sessie is verlopen of bestaat niet; meld u opnieuw aan.")
	id, secret, ok := strings.Cut(cookie, ".")
	if !ok {
		return nil, expired
	}
	ses, err := s.Accounts.FindSession(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, expired
	case err != nil:
		return nil, err
	case subtle.ConstantTimeCompare([]byte(ses.Hash), []byte(HashSecret(secret))) != 1:
		return nil, expired
	}
	idle, max := s.SessionIdle, s.SessionMax
	if idle <= 0 {
		idle = DefaultSessionIdle
	}
	if max <= 0 {
		max = DefaultSessionMax
	}
	if ses.Stage != StageSignedIn {
		max = PendingSessionMax
	}
	if !now.Before(ses.SeenAt.Add(idle)) || !now.Before(ses.CreatedAt.Add(max)) {
		return nil, expired
	}
	return ses, nil
}

// validPassword checks a new password: long enough to resist guessing,
// and not the address itself.
func validPassword(p *Problems, password, email string) {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		p.Add("password", "moet ten minste %d tekens lang zijn; een zin van een paar woorden is sterk en goed te onthouden", MinPasswordLength)
	case n > 256:
		p.Add("password", "mag hoogstens 256 tekens lang zijn")
	case strings.Contains(strings.ToLower(password), strings.Split(email, "@")[0]):
		p.Add("password", "mag uw e-mailadres niet bevatten")
	}
}

// AcceptInvitation sets the password of an invited account, from the
// invitation link ("<account id>.<secret>"), and starts a session in which
// the person enrols the second factor. Errors: EUNAUTHORIZED (a wrong,
// used or expired link), EINVALID.
func (s *Service) AcceptInvitation(ctx context.Context, link, password, client string) (string, error) {
	now := s.now()
	id, secret, _ := strings.Cut(link, ".")
	var p Problems
	acc, err := s.Accounts.UpdateAccount(ctx, id, func(acc *Account) (*AccountEvent, *Notice, error) {
		if !acc.invitedBy(secret, now) {
			return nil, nil, errInvitation
		}
		if validPassword(&p, password, acc.Email); p.Err("") != nil {
			return nil, nil, p.Err("Het wachtwoord is niet geschikt.")
		}
		acc.PasswordHash, acc.Status, acc.Invitation, acc.UpdatedAt = s.Passwords.HashPassword(password), AccountActive, nil, now
		return &AccountEvent{At: now, Action: AccountAcceptedEvent, Client: client}, nil, nil
	})
	if ErrorCode(err) == ENOTFOUND {
		return "", errInvitation
	}
	if err != nil {
		return "", err
	}
	return s.startSession(ctx, acc, StageEnrolment, now)
}

var errInvitation = Errorf(EUNAUTHORIZED, "Deze uitnodiging is ongeldig, al gebruikt of verlopen; vraag de beheerder om een nieuwe.")

// invitedBy reports whether the account's invitation is the secret's and
// still open.
func (acc *Account) invitedBy(secret string, now time.Time) bool {
	inv := acc.Invitation
	return acc.Status == AccountInvited && inv != nil && now.Before(inv.ExpiresAt) &&
		subtle.ConstantTimeCompare([]byte(inv.Hash), []byte(HashSecret(secret))) == 1
}

// CheckInvitation reports whether an invitation link still works, without
// using it, so that the page says so before a password is typed.
// Errors: EUNAUTHORIZED.
func (s *Service) CheckInvitation(ctx context.Context, link string) error {
	id, secret, _ := strings.Cut(link, ".")
	acc, err := s.Accounts.FindAccount(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND || (err == nil && !acc.invitedBy(secret, s.now())):
		return errInvitation
	}
	return err
}

// SignIn checks an address and password and starts the second half of the
// sign-in: the code, or the enrolment of the second factor for an account
// without one. Ten failures in a row lock the account for LockOut. An
// unknown address costs the same slow hash as a known one.
// Errors: EUNAUTHORIZED, EFORBIDDEN (locked or blocked).
func (s *Service) SignIn(ctx context.Context, email, password, client string) (string, SessionStage, error) {
	now := s.now()
	email = strings.ToLower(strings.TrimSpace(email))
	acc, err := s.Accounts.FindAccountByEmail(ctx, email)
	if ErrorCode(err) == ENOTFOUND || err == nil && acc.PasswordHash == "" {
		s.Passwords.CheckPassword(password, unknownPassword)
		if err := s.Accounts.AppendAccountEvent(ctx, AccountEvent{At: now, Action: AccountSignInFailed, Client: client,
			Reason: "unknown address or no password yet"}); err != nil {
			return "", "", err
		}
		return "", "", errSignIn
	}
	if err != nil {
		return "", "", err
	}
	if acc.locked(now) {
		return "", "", lockedError(*acc.LockedUntil)
	}
	right := s.Passwords.CheckPassword(password, acc.PasswordHash)
	acc, err = s.Accounts.UpdateAccount(ctx, acc.ID, func(acc *Account) (*AccountEvent, *Notice, error) {
		if acc.locked(now) { // locked by a guess running beside this one
			return nil, nil, lockedError(*acc.LockedUntil)
		}
		if right { // the failures count on until the second factor is given too (GiveCode)
			return nil, nil, nil
		}
		return acc.failed(now, client, "wrong password"), nil, nil
	})
	switch {
	case err != nil:
		return "", "", err
	case !right && acc.locked(now):
		return "", "", lockedError(*acc.LockedUntil)
	case !right:
		return "", "", errSignIn
	case acc.Status == AccountBlocked:
		return "", "", Errorf(EFORBIDDEN, "Dit account is geblokkeerd. Neem contact op met de beheerder van de datalekdienst.")
	}
	stage := StageSecondFactor
	if acc.CodeEnrolledAt == nil {
		stage = StageEnrolment
	}
	cookie, err := s.startSession(ctx, acc, stage, now)
	return cookie, stage, err
}

// unknownPassword is a hash no password matches, checked for an unknown
// address so that it takes as long as a known one.
const unknownPassword = "$argon2id$v=19$m=47104,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// locked reports whether too many failures keep the account out at now.
func (acc *Account) locked(now time.Time) bool {
	return acc.LockedUntil != nil && now.Before(*acc.LockedUntil)
}

// failed counts a wrong password or code, and locks the account at
// MaxFailedSignIns; it returns the entry for the trail.
func (acc *Account) failed(now time.Time, client, reason string) *AccountEvent {
	acc.FailedSignIns++
	if acc.FailedSignIns >= MaxFailedSignIns {
		acc.FailedSignIns, acc.LockedUntil = 0, new(now.Add(LockOut))
		return &AccountEvent{At: now, Action: AccountLockedEvent, Client: client, Reason: reason}
	}
	return &AccountEvent{At: now, Action: AccountSignInFailed, Client: client, Reason: reason}
}

func lockedError(until time.Time) error {
	return Errorf(EFORBIDDEN, "Na te veel mislukte pogingen is dit account tijdelijk geblokkeerd. Probeer het opnieuw na %s.",
		until.In(Amsterdam).Format("15:04"))
}
