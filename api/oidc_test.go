package api_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/api/oidctest"
	"datalek/breach"
)

// ssoBrowser is a browser on a service with single sign-on through a test
// provider, on the service's fixed clock.
type ssoBrowser struct {
	*browser
	s   *signIn
	p   *oidctest.Provider
	srv *api.Server
}

var controllerClaims = oidctest.Claims{Subject: "0b7c-jansen", Email: "M.Jansen@hetcak.example", Name: "M. Jansen",
	Groups: []string{"medewerkers", "dl-verwerkingsverantwoordelijke"}}

var ssoAdmin = breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}

// newSSO starts the service and the provider. The browser follows
// redirects (to the provider and back) but stops at the service's "/",
// where sign-in ends and the pages begin.
func newSSO(t *testing.T, user oidctest.Claims) *ssoBrowser {
	s := newSignIn(t)
	b := &ssoBrowser{browser: &browser{t: t, logs: &bytes.Buffer{}}, s: s, p: oidctest.New(t, user)}
	b.p.Now = func() time.Time { return s.now }
	b.srv = api.NewServer(s.svc, slog.New(slog.NewTextHandler(b.logs, nil)), api.DefaultBodyLimit)
	b.srv.InsecureCookies = true
	hs := httptest.NewServer(b.srv.Echo)
	t.Cleanup(hs.Close)
	b.srv.SSO = &api.OIDC{Issuer: b.p.URL, ClientID: b.p.ClientID, ClientSecret: b.p.ClientSecret,
		RedirectURL: hs.URL + api.SSOCallbackPath, Label: "Het CAK",
		Roles: map[string]breach.Role{"dl-privacyadviseur": breach.RoleAdviser, "dl-verwerkingsverantwoordelijke": breach.RoleController}}
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	b.client = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Host == hs.Listener.Addr().String() && req.URL.Path == "/" {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	b.base = hs.URL
	return b
}

// signIn goes through the provider and returns the status and body where
// it ends: 303 to "/" when signed in, else the sign-in page with the error.
func (b *ssoBrowser) signIn() (int, string, http.Header) {
	b.t.Helper()
	return b.do("GET", api.SSOStartPath, nil)
}

// session is the session cookie the browser holds.
func (b *ssoBrowser) session() string {
	u, _ := url.Parse(b.base)
	for _, ck := range b.client.Jar.Cookies(u) {
		if ck.Name == api.SessionCookie {
			return ck.Value
		}
	}
	return ""
}

func (b *ssoBrowser) trail(email string) []breach.AccountAction {
	b.t.Helper()
	acc, err := b.s.db.FindAccountByEmail(ctx, email)
	require.NoError(b.t, err)
	events, err := b.s.svc.AccountEvents(ctx, ssoAdmin, acc.ID)
	require.NoError(b.t, err)
	var actions []breach.AccountAction
	for _, e := range events {
		actions = append(actions, e.Action)
		if e.Action != breach.AccountBlockedEvent {
			assert.Equal(b.t, "127.0.0.1", e.Client, "the address the request came from")
		}
	}
	return actions
}

// The controller signs in through the organisation's provider: the sign-in
// page offers it, the provider's ID token makes an account (provisioned,
// with the default function of the role) and a signed-in session under the
// person's name and function; the next sign-in finds the account, with a
// new cookie. The trail records both; the log names no person.
func TestSSOControllerSignsIn(t *testing.T) {
	b := newSSO(t, controllerClaims)
	status, body, _ := b.do("GET", "/aanmelden", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `<a href="/aanmelden/sso">Aanmelden met Het CAK</a>`)

	status, body, header := b.signIn()
	require.Equal(t, http.StatusSeeOther, status, body)
	assert.Equal(t, "/", header.Get("Location"))
	first := b.session()
	a, err := b.s.svc.SessionActor(ctx, first)
	require.NoError(t, err)
	assert.NotEmpty(t, a.AccountID, "a person, not a token")
	assert.Equal(t, breach.RoleController, a.Role)
	assert.Equal(t, "M. Jansen, Verwerkingsverantwoordelijke", a.Label(), "name and the role's default function")
	assert.Equal(t, 1, b.p.Issued())
	u, _ := url.Parse(b.base + api.SSOStartPath)
	for _, ck := range b.client.Jar.Cookies(u) {
		assert.NotEqual(t, "datalek_sso", ck.Name, "the state cookie is used once")
	}
	acc, err := b.s.db.FindAccountByEmail(ctx, "m.jansen@hetcak.example")
	require.NoError(t, err)
	assert.Equal(t, breach.AccountActive, acc.Status)
	assert.Equal(t, b.p.URL+" 0b7c-jansen", acc.Subject)
	assert.Empty(t, acc.PasswordHash, "no password: it signs in through the provider only")

	b.s.now = b.s.now.Add(time.Hour)
	status, body, _ = b.signIn()
	require.Equal(t, http.StatusSeeOther, status, body)
	assert.NotEqual(t, first, b.session(), "a new cookie at every sign-in")
	_, err = b.s.svc.SessionActor(ctx, b.session())
	require.NoError(t, err)
	assert.Equal(t, []breach.AccountAction{breach.AccountProvisionedEvent, breach.AccountSignedInSSOEvent, breach.AccountSignedInSSOEvent},
		b.trail("m.jansen@hetcak.example"))

	logs := b.logs.String()
	assert.Contains(t, logs, "msg=sign-in step=sso result=ok")
	for _, personal := range []string{"jansen", "Jansen", "0b7c", "hetcak.example", oidctest.ClientSecret} {
		assert.NotContains(t, logs, personal, "no person and no secret in the log")
	}
}

// A function claim, when configured, gives the person's function.
func TestSSOFunctionClaim(t *testing.T) {
	user := oidctest.Claims{Subject: "a-1", Email: "p.de.vries@hetcak.example", Name: "P. de Vries",
		Extra: map[string]any{"groups": "dl-privacyadviseur", "job_title": "Functionaris gegevensbescherming"}}
	b := newSSO(t, user)
	b.srv.SSO.FunctionClaim = "job_title"
	status, body, _ := b.signIn()
	require.Equal(t, http.StatusSeeOther, status, body)
	a, err := b.s.svc.SessionActor(ctx, b.session())
	require.NoError(t, err)
	assert.Equal(t, breach.RoleAdviser, a.Role, "the role claim as one string")
	assert.Equal(t, "P. de Vries, Functionaris gegevensbescherming", a.Label())
}

// A role claim that maps to no staff role, or to both, is refused in
// Dutch, and the refusal is in the trail (without an account: none is
// made).
func TestSSORoleRefused(t *testing.T) {
	b := newSSO(t, oidctest.Claims{Subject: "x-1", Email: "l.bakker@hetcak.example", Name: "L. Bakker", Groups: []string{"medewerkers"}})
	status, body, _ := b.signIn()
	assert.Equal(t, http.StatusForbidden, status)
	assert.Contains(t, body, "Uw organisatie heeft u voor de datalekdienst niet één rol als privacyadviseur of als verwerkingsverantwoordelijke gegeven.")
	assert.Contains(t, body, "Aanmelden met Het CAK", "the way back to try again")
	assert.Empty(t, b.session())
	_, err := b.s.db.FindAccountByEmail(ctx, "l.bakker@hetcak.example")
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err), "no account made")

	b.p.SetUser(oidctest.Claims{Subject: "x-1", Email: "l.bakker@hetcak.example", Name: "L. Bakker",
		Groups: []string{"dl-privacyadviseur", "dl-verwerkingsverantwoordelijke"}})
	status, _, _ = b.signIn()
	assert.Equal(t, http.StatusForbidden, status, "two roles: which one is not the service's to guess")

	events, err := b.s.svc.AccountEvents(ctx, ssoAdmin, "")
	require.NoError(t, err)
	require.Len(t, events, 2)
	assert.Equal(t, breach.AccountSignInFailed, events[0].Action)
	assert.Equal(t, "single sign-on: no single staff role from the provider", events[0].Reason)
	assert.Contains(t, b.logs.String(), "msg=sign-in step=sso result=forbidden")
}

// A blocked account is refused through the provider as with a password.
func TestSSOBlockedAccount(t *testing.T) {
	b := newSSO(t, controllerClaims)
	status, _, _ := b.signIn()
	require.Equal(t, http.StatusSeeOther, status)
	acc, err := b.s.db.FindAccountByEmail(ctx, "m.jansen@hetcak.example")
	require.NoError(t, err)
	_, err = b.s.svc.ChangeAccount(ctx, ssoAdmin, acc.ID, breach.ChangeBlock)
	require.NoError(t, err)
	_, err = b.s.svc.SessionActor(ctx, b.session())
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "blocking ends the session")

	status, body, _ := b.signIn()
	assert.Equal(t, http.StatusForbidden, status)
	assert.Contains(t, body, "Dit account is geblokkeerd. Neem contact op met de beheerder van de datalekdienst.")
	assert.Equal(t, []breach.AccountAction{breach.AccountProvisionedEvent, breach.AccountSignedInSSOEvent, breach.AccountBlockedEvent,
		breach.AccountSignInFailed}, b.trail("m.jansen@hetcak.example"))
	events, err := b.s.svc.AccountEvents(ctx, ssoAdmin, acc.ID)
	require.NoError(t, err)
	last := events[len(events)-1]
	assert.Equal(t, breach.AccountSignInFailed, last.Action)
	assert.Equal(t, "single sign-on: account blocked", last.Reason)
}

// The way back from the provider is refused with a state this browser did
// not start with, without the state cookie, or when used twice; and when the
// provider refuses.
func TestSSOWrongState(t *testing.T) {
	b := newSSO(t, controllerClaims)
	status, body, _ := b.do("GET", api.SSOCallbackPath+"?state=ABC&code=XYZ", nil)
	assert.Equal(t, http.StatusUnauthorized, status, "no sign-in started in this browser")
	assert.Contains(t, body, "Deze aanmelding is verlopen of is niet in deze browser begonnen.")

	// Start, and stop on the way back from the provider.
	stop := b.client.CheckRedirect
	b.client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == api.SSOCallbackPath {
			return http.ErrUseLastResponse
		}
		return stop(req, via)
	}
	_, _, header := b.do("GET", api.SSOStartPath, nil)
	back, err := url.Parse(header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, api.SSOCallbackPath, back.Path)
	q := back.Query()
	right := q.Get("state")
	q.Set("state", "ANDERS")
	status, body, _ = b.do("GET", api.SSOCallbackPath+"?"+q.Encode(), nil)
	assert.Equal(t, http.StatusUnauthorized, status, "another state")
	assert.Contains(t, body, "Deze aanmelding is verlopen of is niet in deze browser begonnen.")
	q.Set("state", right)
	status, _, _ = b.do("GET", api.SSOCallbackPath+"?"+q.Encode(), nil)
	assert.Equal(t, http.StatusUnauthorized, status, "the state cookie went with the first attempt")
	assert.Empty(t, b.session())
	assert.Zero(t, b.p.Issued(), "no code was exchanged")

	b.client.CheckRedirect = stop
	b.p.Refuse = "access_denied"
	status, body, _ = b.signIn()
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, "Uw organisatie heeft de aanmelding niet voltooid.")
	assert.Contains(t, b.logs.String(), "reason=state")
	assert.Regexp(t, `msg="sso refused" reason=provider .* err=access_denied`, b.logs.String())
}

// An ID token with another nonce, from another issuer, for another client
// or expired on the service's clock is refused.
func TestSSOTokenChecks(t *testing.T) {
	b := newSSO(t, controllerClaims)
	for name, tamper := range map[string]func(map[string]any){
		"nonce":    func(c map[string]any) { c["nonce"] = "een-andere-nonce" },
		"no nonce": func(c map[string]any) { delete(c, "nonce") },
		"issuer":   func(c map[string]any) { c["iss"] = "https://login.elders.example" },
		"audience": func(c map[string]any) { c["aud"] = "een-andere-dienst" },
		"expired":  func(c map[string]any) { c["exp"] = b.s.now.Add(-time.Second).Unix() },
	} {
		b.p.Tamper = tamper
		status, body, _ := b.signIn()
		assert.Equal(t, http.StatusUnauthorized, status, name)
		assert.Contains(t, body, "De aanmelding via uw organisatie is niet gelukt. Probeer het opnieuw.", name)
		assert.Empty(t, b.session(), name)
	}
	assert.Equal(t, 5, b.p.Issued())
	logs := b.logs.String()
	assert.Contains(t, logs, "reason=nonce")
	assert.Contains(t, logs, "reason=id_token")
	_, err := b.s.db.FindAccountByEmail(ctx, "m.jansen@hetcak.example")
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err), "nothing reached the domain")

	b.p.Tamper = nil
	status, _, _ := b.signIn()
	assert.Equal(t, http.StatusSeeOther, status, "the token as the provider makes it")
}

// An address the provider does not say it verified makes no account: an
// address claim anyone can set must not name a person (issue 10 review).
func TestSSOUnverifiedAddress(t *testing.T) {
	b := newSSO(t, controllerClaims)
	b.p.Tamper = func(c map[string]any) { delete(c, "email_verified") }
	status, body, _ := b.signIn()
	assert.NotEqual(t, http.StatusSeeOther, status, "%.300s", body)
	assert.Empty(t, b.session())
	_, err := b.s.db.FindAccountByEmail(ctx, "m.jansen@hetcak.example")
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err), "no account made")
}

// A wrong client secret is refused by the provider; the service says so
// without the secret in its log.
func TestSSOWrongSecret(t *testing.T) {
	b := newSSO(t, controllerClaims)
	b.srv.SSO.ClientSecret = "fout-geheim"
	status, body, _ := b.signIn()
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, "De aanmelding via uw organisatie is niet gelukt.")
	assert.Regexp(t, `msg="sso refused" reason=exchange .* err=invalid_client`, b.logs.String())
	assert.NotContains(t, b.logs.String(), "fout-geheim")
}

// Without single sign-on its routes do not exist and the sign-in page does
// not offer it; a provider that cannot be reached gives a Dutch page, and
// is discovered once it can.
func TestSSOOffAndUnreachable(t *testing.T) {
	b := newSSO(t, controllerClaims)
	sso := b.srv.SSO
	b.srv.SSO = nil
	status, body, _ := b.do("GET", "/aanmelden", nil)
	require.Equal(t, http.StatusOK, status)
	assert.NotContains(t, body, "/aanmelden/sso")
	status, _, _ = b.do("GET", api.SSOStartPath, nil)
	assert.Equal(t, http.StatusNotFound, status)

	b.srv.SSO = sso
	sso.HTTPClient = &http.Client{Transport: unreachable{}}
	status, body, _ = b.signIn()
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Contains(t, body, "De aanmelddienst van uw organisatie is nu niet bereikbaar.")
	assert.Contains(t, b.logs.String(), "reason=discovery")
	sso.HTTPClient = nil
	status, _, _ = b.signIn()
	assert.Equal(t, http.StatusSeeOther, status, "discovered at the next attempt")
}

type unreachable struct{}

func (unreachable) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connection refused")
}
