package api

// Single sign-on for staff (UI.md: "Aanmelden met <organisatie>"): the
// privacy adviser and the controller sign in through the organisation's
// OpenID provider (authorization code flow with PKCE, a nonce and a state),
// and breach.SignInExternal decides who may come in. This file holds the
// two routes and what they check; go-oidc verifies the ID token.

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"datalek/breach"
)

// The routes of single sign-on: the start, which sends the browser to the
// provider, and the way back (the redirect URL registered at the provider
// is the base URL followed by SSOCallbackPath).
const (
	SSOStartPath    = "/aanmelden/sso"
	SSOCallbackPath = "/aanmelden/sso/terug"
)

// DefaultSSOLabel names the organisation on the sign-in page unless
// OIDC.Label does.
const DefaultSSOLabel = "uw organisatie"

// ssoCookie keeps the state, the nonce and the PKCE verifier of one sign-in
// in the browser that started it, for ssoValid; only the pages of single
// sign-on see it.
const (
	ssoCookie = "datalek_sso"
	ssoValid  = 10 * time.Minute
)

// OIDC is the organisation's OpenID provider, for single sign-on of staff.
// The provider is discovered on first use, not at start-up: a provider that
// is briefly unreachable when the service starts then does not stop the
// service (nor password sign-in), and a failed discovery is tried again at
// the next sign-in.
type OIDC struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string // the service's base URL + SSOCallbackPath
	// RoleClaim names the ID token's claim that holds the person's roles
	// or groups: a string or an array of strings ("groups" unless set). A
	// name with dots that is not a claim itself is a path into nested
	// claims ("realm_access.roles").
	RoleClaim string
	// Roles maps a value of the role claim to a role. A person must have
	// exactly one staff role: none, or both, is refused.
	Roles map[string]breach.Role
	// FunctionClaim names an optional claim with the person's function; without
	// it, the function follows the role (breach.DefaultFunction).
	FunctionClaim string
	Label         string // "Aanmelden met <Label>"
	// HTTPClient talks to the provider (discovery, token, keys); a client
	// with a 10-second timeout unless set.
	HTTPClient *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
}

func (o *OIDC) client() *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// discover returns the provider, reading its discovery document once it
// answers; ctx carries the HTTP client.
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	p, err := oidc.NewProvider(ctx, o.Issuer)
	if err != nil {
		return nil, err
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL, Endpoint: p.Endpoint(),
		Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
}

// ssoLabel is what the sign-in page offers single sign-on as; empty
// without it.
func (s *Server) ssoLabel() string {
	switch {
	case s.SSO == nil:
		return ""
	case s.SSO.Label == "":
		return DefaultSSOLabel
	}
	return s.SSO.Label
}

// registerSSORoutes adds the routes of single sign-on. They answer 404
// while Server.SSO is nil, which is set after NewServer.
func (s *Server) registerSSORoutes(g pageRoutes) {
	g.GET(SSOStartPath, s.pageSSOStart)
	g.GET(SSOCallbackPath, s.pageSSOCallback)
}

var (
	errSSOUnreachable = breach.Errorf(breach.EUNAUTHORIZED, "De aanmelddienst van uw organisatie is nu niet bereikbaar. Probeer het over enkele minuten opnieuw.")
	errSSOState       = breach.Errorf(breach.EUNAUTHORIZED, "Deze aanmelding is verlopen of is niet in deze browser begonnen. Probeer het opnieuw.")
	errSSOProvider    = breach.Errorf(breach.EUNAUTHORIZED, "Uw organisatie heeft de aanmelding niet voltooid. Probeer het opnieuw.")
	errSSOFailed      = breach.Errorf(breach.EUNAUTHORIZED, "De aanmelding via uw organisatie is niet gelukt. Probeer het opnieuw.")
)

// pageSSOStart serves GET /aanmelden/sso: it sends the browser to the
// provider, with a new state, nonce and PKCE verifier kept in a short-lived
// cookie of this browser.
func (s *Server) pageSSOStart(c echo.Context) error {
	if s.SSO == nil {
		return echo.ErrNotFound
	}
	ctx := oidc.ClientContext(c.Request().Context(), s.SSO.client())
	p, err := s.SSO.discover(ctx)
	if err != nil {
		return s.ssoRefused(c, "discovery", err, errSSOUnreachable, http.StatusServiceUnavailable)
	}
	state, nonce, verifier := rand.Text(), rand.Text(), oauth2.GenerateVerifier()
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: state + "." + nonce + "." + verifier, Path: SSOStartPath, HttpOnly: true,
		Secure: !s.InsecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(ssoValid / time.Second)})
	return c.Redirect(http.StatusFound, s.SSO.oauth2(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
}

// pageSSOCallback serves GET /aanmelden/sso/terug, where the provider sends
// the browser back: the state must be the one this browser started with;
// the code is exchanged (with the PKCE verifier) for an ID token, whose
// signature, issuer, audience, expiry (on the service's clock) and nonce
// are checked; its claims make the identity the domain signs in.
func (s *Server) pageSSOCallback(c echo.Context) error {
	if s.SSO == nil {
		return echo.ErrNotFound
	}
	if !s.signIns.allow(c.RealIP(), s.now()) {
		return s.render(c, http.StatusTooManyRequests, "signin", page{Title: "Aanmelden", SSOLabel: s.ssoLabel(),
			Error: "Te veel aanmeldpogingen vanaf dit adres. Wacht een minuut en probeer het opnieuw."})
	}
	c.SetCookie(&http.Cookie{Name: ssoCookie, Path: SSOStartPath, HttpOnly: true, Secure: !s.InsecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1}) // once only
	var state, nonce, verifier string
	if ck, err := c.Cookie(ssoCookie); err == nil {
		parts := strings.Split(ck.Value, ".")
		if len(parts) == 3 {
			state, nonce, verifier = parts[0], parts[1], parts[2]
		}
	}
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(c.QueryParam("state"))) != 1 {
		return s.ssoRefused(c, "state", nil, errSSOState, 0)
	}
	if e := c.QueryParam("error"); e != "" {
		return s.ssoRefused(c, "provider", errors.New(clip(e)), errSSOProvider, 0)
	}
	ctx := oidc.ClientContext(c.Request().Context(), s.SSO.client())
	p, err := s.SSO.discover(ctx)
	if err != nil {
		return s.ssoRefused(c, "discovery", err, errSSOUnreachable, http.StatusServiceUnavailable)
	}
	tok, err := s.SSO.oauth2(p).Exchange(ctx, c.QueryParam("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) { // its body is not logged: it is the provider's to word
			err = errors.New(clip(re.ErrorCode + " " + re.ErrorDescription))
		}
		return s.ssoRefused(c, "exchange", err, errSSOFailed, 0)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return s.ssoRefused(c, "no_id_token", nil, errSSOFailed, 0)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.SSO.ClientID, Now: s.now}).Verify(ctx, raw)
	if err != nil {
		return s.ssoRefused(c, "id_token", err, errSSOFailed, 0)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return s.ssoRefused(c, "nonce", nil, errSSOFailed, 0)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return s.ssoRefused(c, "claims", err, errSSOFailed, 0)
	}
	cookie, err := s.Service.SignInExternal(c.Request().Context(), s.SSO.identity(idt, claims), c.RealIP())
	s.logSignIn(c, "sso", err)
	if err != nil {
		return s.pageError(c, err, "signin", page{Title: "Aanmelden", SSOLabel: s.ssoLabel()})
	}
	s.setSession(c, cookie, 0)
	return s.signedIn(c)
}

// ssoRefused logs why single sign-on stopped (a fixed reason, and an error
// of the library or the provider, which names no person) and shows shown
// on the sign-in page, with status unless it is 0.
func (s *Server) ssoRefused(c echo.Context, reason string, cause, shown error, status int) error {
	attrs := []any{"reason", reason, "origin", c.RealIP(), "request_id", c.Response().Header().Get(echo.HeaderXRequestID)}
	if cause != nil {
		attrs = append(attrs, "err", clip(cause.Error()))
	}
	s.Logger.Warn("sso refused", attrs...)
	p := page{Title: "Aanmelden", SSOLabel: s.ssoLabel()}
	if status != 0 { // the service's trouble, not the person's
		s.logSignIn(c, "sso", cause)
		p.Error = shown.Error()
		return s.render(c, status, "signin", p)
	}
	s.logSignIn(c, "sso", shown)
	return s.pageError(c, shown, "signin", p)
}

// clip shortens what a provider or library wrote, for the log.
func clip(s string) string {
	if r := []rune(strings.TrimSpace(s)); len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return strings.TrimSpace(s)
}

// identity reads the person from the ID token's claims: an address the
// provider does not say it verified is left out, and the role claim must map to
// exactly one role.
func (o *OIDC) identity(idt *oidc.IDToken, claims map[string]any) breach.ExternalIdentity {
	id := breach.ExternalIdentity{Issuer: idt.Issuer, Subject: idt.Subject}
	id.Email, _ = claims["email"].(string)
	if v := claims["email_verified"]; v != true && v != "true" { // unsaid is unverified: an address anyone could type
		id.Email = ""
	}
	id.Name, _ = claims["name"].(string)
	if id.Name == "" {
		given, _ := claims["given_name"].(string)
		family, _ := claims["family_name"].(string)
		id.Name = strings.TrimSpace(given + " " + family)
	}
	if o.FunctionClaim != "" {
		id.Function, _ = claim(claims, o.FunctionClaim).(string)
	}
	name := o.RoleClaim
	if name == "" {
		name = "groups"
	}
	var values []any
	switch v := claim(claims, name).(type) {
	case string:
		values = []any{v}
	case []any:
		values = v
	}
	for _, v := range values {
		s, _ := v.(string)
		r, ok := o.Roles[s]
		switch {
		case !ok || r == id.Role:
		case id.Role == "":
			id.Role = r
		default: // two roles: which one counts is not the service's to guess
			id.Role = ""
			return id
		}
	}
	return id
}

// claim returns the claim of that name, or, for a name with dots that is
// no claim, the value at that path into nested claims.
func claim(claims map[string]any, name string) any {
	if v, ok := claims[name]; ok {
		return v
	}
	var v any = claims
	for part := range strings.SplitSeq(name, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}
