package api_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach"
	"datalek/store"
)

var ctx = context.Background()

// signIn is a service with accounts on a real store, the argon2id
// passwords and the TOTP codes the binary uses, on a clock that starts at a
// fixed instant.
type signIn struct {
	t   testing.TB
	svc *breach.Service
	db  *store.DB
	now time.Time
}

func newSignIn(t testing.TB) *signIn {
	db, err := store.Open(filepath.Join(t.TempDir(), "datalek.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	s := &signIn{t: t, db: db, now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	s.svc = breach.NewService(db)
	s.svc.Now = func() time.Time { return s.now }
	s.svc.Passwords, s.svc.Codes = store.Passwords{}, api.TOTP{}
	return s
}

func (s *signIn) code(secret string) string {
	s.t.Helper()
	c, err := totp.GenerateCodeCustom(secret, s.now, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	require.NoError(s.t, err)
	return c
}

// invite invites K. Visser, Adviseur Privacy, at email and returns the link.
func (s *signIn) invite(email string) string {
	s.t.Helper()
	admin := breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}
	_, link, err := s.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: email, Name: "K. Visser", Function: "Adviseur Privacy",
		Role: breach.RoleAdviser})
	require.NoError(s.t, err)
	return link
}

// enrolled invites a person, who accepts with a password and enrols the
// second factor; it returns the signed-in cookie and the factor's secret.
func (s *signIn) enrolled(email string) (cookie, secret string, recovery []string) {
	s.t.Helper()
	link := s.invite(email)
	pending, err := s.svc.AcceptInvitation(ctx, strings.TrimPrefix(link, breach.InvitationPath), "een lange zin als wachtwoord", "192.0.2.1")
	require.NoError(s.t, err)
	secret, uri, err := s.svc.BeginEnrolment(ctx, pending)
	require.NoError(s.t, err)
	assert.Contains(s.t, uri, "otpauth://totp/")
	cookie, recovery, err = s.svc.GiveCode(ctx, pending, s.code(secret), "192.0.2.1")
	require.NoError(s.t, err)
	return cookie, secret, recovery
}

// A person accepts an invitation, enrols the second factor and is signed in
// under name and function; the half-done session does not sign in, and
// ends when the sign-in completes (issue 10).
func TestInvitationEnrolmentAndSession(t *testing.T) {
	s := newSignIn(t)
	link := strings.TrimPrefix(s.invite("a.de.boer@hetcak.example"), breach.InvitationPath)
	_, err := s.svc.AcceptInvitation(ctx, link, "kort", "")
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err), "too short")
	_, err = s.svc.AcceptInvitation(ctx, link+"x", "een lange zin als wachtwoord", "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "a wrong secret")
	pending, err := s.svc.AcceptInvitation(ctx, link, "een lange zin als wachtwoord", "")
	require.NoError(t, err)
	_, err = s.svc.AcceptInvitation(ctx, link, "een lange zin als wachtwoord", "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "used once")
	_, err = s.svc.SessionActor(ctx, pending)
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "not signed in before the second factor")

	secret, _, err := s.svc.BeginEnrolment(ctx, pending)
	require.NoError(t, err)
	again, _, err := s.svc.BeginEnrolment(ctx, pending)
	require.NoError(t, err)
	assert.Equal(t, secret, again, "the same secret until confirmed")
	_, _, err = s.svc.GiveCode(ctx, pending, "000000", "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err))
	cookie, recovery, err := s.svc.GiveCode(ctx, pending, s.code(secret), "")
	require.NoError(t, err)
	assert.Len(t, recovery, 10)
	a, err := s.svc.SessionActor(ctx, cookie)
	require.NoError(t, err)
	assert.Equal(t, "K. Visser, Adviseur Privacy", a.Label(), "recorded under the person's name and function")
	_, err = s.svc.SessionActor(ctx, pending)
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "the cookie changes at sign-in")

	s.now = s.now.Add(29 * time.Minute)
	_, err = s.svc.SessionActor(ctx, cookie)
	require.NoError(t, err, "within the idle time, which restarts")
	s.now = s.now.Add(30 * time.Minute)
	_, err = s.svc.SessionActor(ctx, cookie)
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "30 minutes unused")
}

// An expired invitation is refused (issue 10).
func TestExpiredInvitation(t *testing.T) {
	s := newSignIn(t)
	admin := breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}
	_, link, err := s.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: "x@hetcak.example", Name: "X", Function: "Y", Role: breach.RoleController})
	require.NoError(t, err)
	s.now = s.now.Add(breach.DefaultInvitationValid)
	_, err = s.svc.AcceptInvitation(ctx, strings.TrimPrefix(link, breach.InvitationPath), "een lange zin als wachtwoord", "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err))
}

// A code is taken once; a recovery code too; a wrong or replayed one counts
// as a failure (issue 10).
func TestCodesAreTakenOnce(t *testing.T) {
	s := newSignIn(t)
	_, secret, recovery := s.enrolled("k.visser@hetcak.example")
	pending, stage, err := s.svc.SignIn(ctx, "K.Visser@hetcak.example", "een lange zin als wachtwoord", "")
	require.NoError(t, err)
	assert.Equal(t, breach.StageSecondFactor, stage)
	_, _, err = s.svc.GiveCode(ctx, pending, s.code(secret), "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "the code of the enrolment, replayed")
	s.now = s.now.Add(30 * time.Second)
	_, _, err = s.svc.GiveCode(ctx, pending, s.code(secret), "")
	require.NoError(t, err, "the next one")

	pending, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "")
	require.NoError(t, err)
	_, _, err = s.svc.GiveCode(ctx, pending, strings.ToUpper(recovery[0]), "")
	require.NoError(t, err)
	pending, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "")
	require.NoError(t, err)
	_, _, err = s.svc.GiveCode(ctx, pending, recovery[0], "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "a recovery code works once")
}

// Ten wrong passwords lock the account for a while, and say so in Dutch;
// the right password does not open it before then (issue 10).
func TestTenWrongPasswordsLock(t *testing.T) {
	s := newSignIn(t)
	s.enrolled("k.visser@hetcak.example")
	for range 9 {
		_, _, err := s.svc.SignIn(ctx, "k.visser@hetcak.example", "fout wachtwoord!", "198.51.100.7")
		assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err))
	}
	_, _, err := s.svc.SignIn(ctx, "k.visser@hetcak.example", "fout wachtwoord!", "198.51.100.7")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err))
	assert.Contains(t, err.Error(), "tijdelijk geblokkeerd. Probeer het opnieuw na 10:15", "09:00 UTC is 10:00 in Amsterdam, plus 15 minutes")
	_, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err))
	s.now = s.now.Add(breach.LockOut)
	_, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "")
	require.NoError(t, err)

	_, _, err = s.svc.SignIn(ctx, "niemand@hetcak.example", "een lange zin als wachtwoord", "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "an unknown address, the same answer")
	events, err := s.db.ListAccountEvents(ctx, "")
	require.NoError(t, err)
	locked := 0
	for _, e := range events {
		if e.Action == breach.AccountLockedEvent {
			locked++
			assert.Equal(t, "198.51.100.7", e.Client)
		}
	}
	assert.Equal(t, 1, locked, "the lock-out is in the trail")
}

// A blocked account signs in no more and its sessions end; signing out
// everywhere ends every session (issue 10).
func TestBlockedAccountAndSignOutEverywhere(t *testing.T) {
	s := newSignIn(t)
	cookie, secret, _ := s.enrolled("k.visser@hetcak.example")
	s.now = s.now.Add(time.Minute)
	pending, _, err := s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "")
	require.NoError(t, err)
	second, _, err := s.svc.GiveCode(ctx, pending, s.code(secret), "")
	require.NoError(t, err)
	require.NoError(t, s.svc.SignOut(ctx, second, "", true))
	for _, c := range []string{cookie, second} {
		_, err = s.svc.SessionActor(ctx, c)
		assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "signed out everywhere")
	}

	s.now = s.now.Add(30 * time.Second)
	pending, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "")
	require.NoError(t, err)
	third, _, err := s.svc.GiveCode(ctx, pending, s.code(secret), "")
	require.NoError(t, err)
	acc, err := s.db.FindAccountByEmail(ctx, "k.visser@hetcak.example")
	require.NoError(t, err)
	admin := breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}
	_, err = s.svc.ChangeAccount(ctx, admin, acc.ID, breach.ChangeBlock)
	require.NoError(t, err)
	_, err = s.svc.SessionActor(ctx, third)
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "blocking ends the sessions it had")
	_, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err))
	assert.Contains(t, err.Error(), "geblokkeerd")
}

// Wrong codes lock the account too, even when the password is right each
// time: a right password does not wipe out the wrong codes before it
// (issue 10 review).
func TestTenWrongCodesLock(t *testing.T) {
	s := newSignIn(t)
	s.enrolled("k.visser@hetcak.example")
	var err error
	for i := range 10 {
		var pending string
		pending, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "198.51.100.7")
		require.NoError(t, err, "attempt %d", i+1)
		_, _, err = s.svc.GiveCode(ctx, pending, "000000", "198.51.100.7")
	}
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err))
	assert.Contains(t, err.Error(), "tijdelijk geblokkeerd")
	_, _, err = s.svc.SignIn(ctx, "k.visser@hetcak.example", "een lange zin als wachtwoord", "198.51.100.7")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "the right password while locked")
}

// A session in use ends after 12 hours all the same (issue 10).
func TestSessionEndsAfterTwelveHours(t *testing.T) {
	s := newSignIn(t)
	cookie, _, _ := s.enrolled("k.visser@hetcak.example")
	for range 12*3 - 1 { // used every 20 minutes: never idle for 30
		s.now = s.now.Add(20 * time.Minute)
		_, err := s.svc.SessionActor(ctx, cookie)
		require.NoError(t, err)
	}
	s.now = s.now.Add(20 * time.Minute)
	_, err := s.svc.SessionActor(ctx, cookie)
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "12 hours after sign-in")
}
