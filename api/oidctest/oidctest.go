// Package oidctest is an OpenID provider for tests, in the test's process:
// discovery, keys, an authorization endpoint that signs in the configured
// person at once (no page of its own), and a token endpoint that returns an
// ID token signed with RS256. It honours the nonce, PKCE (S256 only) and
// the client's secret, as a real provider does, so that the service's
// checks are exercised; Tamper lets a test break the token.
//
//	p := oidctest.New(t, oidctest.Claims{Subject: "c-1", Email: "m.jansen@hetcak.example",
//		Name: "M. Jansen", Groups: []string{"dl-verwerkingsverantwoordelijke"}})
//	p.Now = func() time.Time { return serviceNow } // the service's clock
//	srv.SSO = &api.OIDC{Issuer: p.URL, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
//		RedirectURL: base + api.SSOCallbackPath, Roles: map[string]breach.Role{...}}
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Claims is the person the provider signs in.
type Claims struct {
	Subject string
	Email   string // with "email_verified": true
	Name    string
	Groups  []string // the claim "groups"
	// Extra holds further claims, or replaces the ones above (such as
	// "email_verified": false, or "groups" as one string).
	Extra map[string]any
}

// The client the provider knows.
const (
	ClientID     = "datalekdienst"
	ClientSecret = "geheim-van-de-test"
)

// TokenValid is how long an ID token is valid after it is issued.
const TokenValid = 5 * time.Minute

// Provider is a running test provider.
type Provider struct {
	URL          string // the issuer, and where discovery starts
	ClientID     string
	ClientSecret string
	// Now is the provider's clock, for the token's iat and exp: set it to
	// the service's clock when that is fixed. time.Now unless set.
	Now func() time.Time
	// Tamper, when set, may change the ID token's claims just before they
	// are signed ("nonce", "iss", "aud", "exp", ...).
	Tamper func(claims map[string]any)
	// Refuse, when set, is the error ("access_denied") the authorization
	// endpoint sends the browser back with, instead of a code.
	Refuse string

	mu     sync.Mutex
	user   Claims
	grants map[string]grant
	signed int
}

// grant is what an authorization code stands for until it is exchanged.
type grant struct {
	user                       Claims
	nonce, challenge, redirect string
}

var signingKey = sync.OnceValue(func() *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return key
})

const keyID = "oidctest-1"

// New starts a provider that signs in user, and stops it when the test
// ends.
func New(t testing.TB, user Claims) *Provider {
	t.Helper()
	p := &Provider{ClientID: ClientID, ClientSecret: ClientSecret, user: user, grants: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /keys", p.keys)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// SetUser makes user the person signed in from now on.
func (p *Provider) SetUser(user Claims) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.user = user
}

// Issued is how many ID tokens the provider has issued.
func (p *Provider) Issued() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.signed
}

func (p *Provider) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.URL,
		"authorization_endpoint":                p.URL + "/authorize",
		"token_endpoint":                        p.URL + "/token",
		"jwks_uri":                              p.URL + "/keys",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid", "profile", "email"},
	})
}

func (p *Provider) keys(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &signingKey().PublicKey, KeyID: keyID, Algorithm: string(jose.RS256), Use: "sig"}}})
}

// authorize signs the configured person in at once and sends the browser
// back to the client with a code and the client's state.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("client_id") != p.ClientID || err != nil || !redirect.IsAbs():
		http.Error(w, "unknown client or redirect_uri", http.StatusBadRequest)
		return
	case q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		http.Error(w, "response_type code with a S256 code_challenge required", http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	if p.Refuse != "" {
		back.Set("error", p.Refuse)
	} else {
		code := rand.Text()
		p.mu.Lock()
		p.grants[code] = grant{user: p.user, nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		p.mu.Unlock()
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// token exchanges a code, once, for an ID token: for the client that
// asked for it, with its secret (Basic or in the form), the same
// redirect_uri and the PKCE verifier of its challenge.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	} else {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	code := r.PostFormValue("code")
	p.mu.Lock()
	g, ok := p.grants[code]
	delete(p.grants, code)
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if r.PostFormValue("grant_type") != "authorization_code" || !ok || r.PostFormValue("redirect_uri") != g.redirect ||
		base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	now := p.now()
	claims := map[string]any{"iss": p.URL, "sub": g.user.Subject, "aud": p.ClientID, "iat": now.Unix(),
		"exp": now.Add(TokenValid).Unix(), "nonce": g.nonce}
	if g.user.Email != "" {
		claims["email"], claims["email_verified"] = g.user.Email, true
	}
	if g.user.Name != "" {
		claims["name"] = g.user.Name
	}
	if g.user.Groups != nil {
		claims["groups"] = g.user.Groups
	}
	maps.Copy(claims, g.user.Extra)
	if g.nonce == "" {
		delete(claims, "nonce")
	}
	if p.Tamper != nil {
		p.Tamper(claims)
	}
	idToken, err := sign(claims)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	p.mu.Lock()
	p.signed++
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": rand.Text(), "token_type": "Bearer",
		"expires_in": int(TokenValid / time.Second), "id_token": idToken})
}

func sign(claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: signingKey(), KeyID: keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
