package breach

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"slices"
	"strings"
	"time"
)

// The second half of signing in: enrolling the second factor, giving a
// code or a recovery code, the session that follows, and signing out.

// BeginEnrolment returns the secret of the second factor to enrol, and the
// URI an authenticator app reads from a QR code, for a session at the
// enrolment stage. The same secret is returned until it is confirmed.
// Errors: EUNAUTHORIZED, ECONFLICT (enrolled already).
func (s *Service) BeginEnrolment(ctx context.Context, cookie string) (secret, uri string, err error) {
	now := s.now()
	ses, err := s.session(ctx, cookie, now)
	if err != nil {
		return "", "", err
	}
	if ses.Stage != StageEnrolment {
		return "", "", Errorf(ECONFLICT, "De tweede factor van dit account is al ingesteld.")
	}
	acc, err := s.Accounts.UpdateAccount(ctx, ses.AccountID, func(acc *Account) (*AccountEvent, *Notice, error) {
		if acc.CodeSecret != "" {
			return nil, nil, nil
		}
		secret, err := s.Codes.NewCodeSecret()
		acc.CodeSecret, acc.UpdatedAt = secret, now
		return nil, nil, err
	})
	if err != nil {
		return "", "", err
	}
	uri, err = s.Codes.CodeURI(acc.CodeSecret, acc.Email)
	return acc.CodeSecret, uri, err
}

// GiveCode completes a sign-in with a code of the second factor: at the
// enrolment stage it confirms the factor and returns new recovery codes
// (shown this once); at the second-factor stage a recovery code is taken
// too. A code is never taken twice, and a wrong one counts as a failed
// sign-in. The half-done session ends and a new one starts, so that its
// cookie changes at sign-in. Errors: EUNAUTHORIZED, EFORBIDDEN (locked).
func (s *Service) GiveCode(ctx context.Context, cookie, code, client string) (string, []string, error) {
	now := s.now()
	ses, err := s.session(ctx, cookie, now)
	if err != nil {
		return "", nil, err
	}
	if ses.Stage == StageSignedIn {
		return "", nil, Errorf(ECONFLICT, "U bent al aangemeld.")
	}
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	var recovery []string
	wrong := false
	acc, err := s.Accounts.UpdateAccount(ctx, ses.AccountID, func(acc *Account) (*AccountEvent, *Notice, error) {
		wrong, recovery = false, nil
		switch {
		case acc.locked(now):
			return nil, nil, lockedError(*acc.LockedUntil)
		case acc.Status == AccountBlocked:
			return nil, nil, Errorf(EFORBIDDEN, "Dit account is geblokkeerd. Neem contact op met de beheerder van de datalekdienst.")
		}
		step, ok := s.Codes.CodeStep(acc.CodeSecret, code, now)
		switch {
		case acc.CodeSecret != "" && ok && step > acc.LastCodeStep:
			acc.LastCodeStep, acc.FailedSignIns, acc.UpdatedAt = step, 0, now
			if ses.Stage == StageEnrolment {
				acc.CodeEnrolledAt = &now
				recovery, acc.RecoveryCodes = newRecoveryCodes()
				return &AccountEvent{At: now, Action: AccountFactorEnrolled, Client: client}, nil, nil
			}
			return &AccountEvent{At: now, Action: AccountSignedInEvent, Client: client}, nil, nil
		case ses.Stage == StageSecondFactor && slices.Contains(acc.RecoveryCodes, HashSecret(strings.ToLower(code))):
			acc.RecoveryCodes = slices.DeleteFunc(acc.RecoveryCodes, func(h string) bool { return h == HashSecret(strings.ToLower(code)) })
			acc.FailedSignIns, acc.UpdatedAt = 0, now
			return &AccountEvent{At: now, Action: AccountRecoveryUsed, Client: client}, nil, nil
		}
		wrong = true
		reason := "wrong code"
		if ok {
			reason = "code used before"
		}
		return acc.failed(now, client, reason), nil, nil
	})
	switch {
	case err != nil:
		return "", nil, err
	case wrong && acc.locked(now):
		return "", nil, lockedError(*acc.LockedUntil)
	case wrong:
		return "", nil, Errorf(EUNAUTHORIZED, "Deze code is onjuist of al gebruikt. Wacht op de volgende code van uw app en probeer het opnieuw.")
	}
	if err := s.Accounts.DeleteSession(ctx, ses.ID); err != nil {
		return "", nil, err
	}
	signedIn, err := s.startSession(ctx, acc, StageSignedIn, now)
	return signedIn, recovery, err
}

// newRecoveryCodes draws the recovery codes, and their hashes to keep.
func newRecoveryCodes() (codes, hashes []string) {
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	for range recoveryCodes {
		var b [10]byte
		_, _ = rand.Read(b[:])
		code := strings.ToLower(enc.EncodeToString(b[:]))
		codes, hashes = append(codes, code), append(hashes, HashSecret(code))
	}
	return codes, hashes
}

// SessionActor returns who a signed-in session's cookie acts as, and keeps
// the session alive (its idle time restarts; written at most once a minute).
// Errors: EUNAUTHORIZED (no session, timed out, not signed in, or the
// account blocked).
func (s *Service) SessionActor(ctx context.Context, cookie string) (Actor, error) {
	now := s.now()
	ses, err := s.session(ctx, cookie, now)
	if err != nil {
		return Actor{}, err
	}
	if ses.Stage != StageSignedIn {
		return Actor{}, Errorf(EUNAUTHORIZED, "U bent nog niet aangemeld.")
	}
	acc, err := s.Accounts.FindAccount(ctx, ses.AccountID)
	if err != nil || acc.Status != AccountActive {
		return Actor{}, Errorf(EUNAUTHORIZED, "Uw sessie is verlopen of bestaat niet; meld u opnieuw aan.")
	}
	if now.Sub(ses.SeenAt) >= time.Minute {
		ses.SeenAt = now
		if err := s.Accounts.PutSession(ctx, ses); err != nil {
			return Actor{}, err
		}
	}
	return acc.Actor(), nil
}

// SignOut ends the session of a cookie, or, everywhere, every session of
// its account. A cookie of no session is no error: signed out is signed out.
func (s *Service) SignOut(ctx context.Context, cookie, client string, everywhere bool) error {
	now := s.now()
	ses, err := s.session(ctx, cookie, now)
	if ErrorCode(err) == EUNAUTHORIZED {
		return nil
	}
	if err != nil {
		return err
	}
	if everywhere {
		_, err = s.Accounts.DeleteAccountSessions(ctx, ses.AccountID)
	} else {
		err = s.Accounts.DeleteSession(ctx, ses.ID)
	}
	if err != nil {
		return err
	}
	return s.Accounts.AppendAccountEvent(ctx, AccountEvent{At: now, AccountID: ses.AccountID, Action: AccountSignedOutEvent, Client: client})
}
