package api_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
)

// browser is an HTTP client with cookies, as a browser keeps them.
type browser struct {
	t      testing.TB
	client *http.Client
	base   string
	logs   *bytes.Buffer // what the service logged
}

func (b *browser) do(method, path string, form url.Values, header ...string) (int, string, http.Header) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	require.NoError(b.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.client.Do(req)
	require.NoError(b.t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(b.t, err)
	return res.StatusCode, string(data), res.Header
}

func newBrowser(t testing.TB, s *signIn) *browser {
	b := &browser{t: t, logs: &bytes.Buffer{}}
	srv := api.NewServer(s.svc, slog.New(slog.NewTextHandler(b.logs, nil)), api.DefaultBodyLimit)
	srv.InsecureCookies = true // httptest serves plain HTTP
	hs := httptest.NewServer(srv.Echo)
	t.Cleanup(hs.Close)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	b.client, b.base = &http.Client{Jar: jar}, hs.URL
	return b
}

// The invitation link opens a page to set the password (an error next to
// its field, in Dutch), then the enrolment of the second factor with a QR
// code and the key as text, then the recovery codes; the person is then
// signed in under name and function, on pages with the security headers;
// a cross-site post is refused; signing out ends it (issue 10).
func TestSignInPages(t *testing.T) {
	s := newSignIn(t)
	link := s.invite("k.visser@hetcak.example")
	b := newBrowser(t, s)

	status, body, header := b.do("GET", link, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `<html lang="nl">`)
	assert.Contains(t, header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	assert.NotContains(t, header.Get("Content-Security-Policy"), "unsafe-inline")
	assert.Equal(t, "no-referrer", header.Get("Referrer-Policy"))
	assert.Equal(t, "no-store", header.Get("Cache-Control"))
	assert.Equal(t, strings.Count(body, "<script"), strings.Count(body, `<script src="/static/app.js?v=`),
		"no script but the service's own file")
	status, body, _ = b.do("GET", "/static/style.css", nil)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, ".skip:focus", "the style sheet from the binary")

	status, body, _ = b.do("GET", link+"x", nil)
	assert.Equal(t, http.StatusUnauthorized, status, "a wrong link says so at once")
	assert.Contains(t, body, "Deze uitnodiging is ongeldig")
	assert.NotContains(t, body, `name="password"`)

	status, body, _ = b.do("POST", link, url.Values{"password": {"kort"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `aria-invalid="true"`)
	assert.Contains(t, body, "Het wachtwoord moet ten minste 12 tekens lang zijn")

	status, body, _ = b.do("POST", link, url.Values{"password": {"een lange zin als wachtwoord"}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "<h1>Tweede factor instellen</h1>")
	assert.Contains(t, body, `src="data:image/png;base64,`)
	secret := regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`).FindStringSubmatch(body)
	require.NotNil(t, secret, body)

	status, body, _ = b.do("POST", "/aanmelden/code", url.Values{"code": {"000000"}})
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, "<h1>Tweede factor instellen</h1>", "a wrong first code: the enrolment again")
	assert.Contains(t, body, `<code class="secret">`+secret[1]+`</code>`)
	assert.Contains(t, body, "Deze code is onjuist")

	status, body, _ = b.do("POST", "/aanmelden/code", url.Values{"code": {s.code(secret[1])}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, 10, strings.Count(body, "<li><code>"), "the recovery codes, shown once")

	status, body, _ = b.do("GET", "/", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Aangemeld als K. Visser, Adviseur Privacy")

	status, _, _ = b.do("POST", "/afmelden", url.Values{}, "Sec-Fetch-Site", "cross-site")
	assert.Equal(t, http.StatusForbidden, status, "a form posted from another site")
	status, body, _ = b.do("POST", "/afmelden", url.Values{})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Aanmelden</h1>", "signed out, back at the sign-in page")

	status, body, _ = b.do("POST", "/aanmelden", url.Values{"email": {"k.visser@hetcak.example"}, "password": {"fout wachtwoord!"}})
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, "Het e-mailadres of het wachtwoord is onjuist.")
	assert.Contains(t, body, `value="k.visser@hetcak.example"`, "what was typed is kept")
	s.now = s.now.Add(30 * 1e9)
	status, body, _ = b.do("POST", "/aanmelden", url.Values{"email": {"k.visser@hetcak.example"}, "password": {"een lange zin als wachtwoord"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Tweede factor</h1>")
	status, body, _ = b.do("POST", "/aanmelden/code", url.Values{"code": {s.code(secret[1])}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Aangemeld als K. Visser, Adviseur Privacy")
	logs := b.logs.String()
	assert.Contains(t, logs, "msg=sign-in step=password result=unauthorized")
	assert.Contains(t, logs, "msg=sign-in step=second_factor result=ok")
	for _, secret := range []string{"k.visser", "een lange zin", "fout wachtwoord"} {
		assert.NotContains(t, logs, secret, "no address, no password in the log")
	}
}

// Sign-in attempts are limited per client address, whichever accounts they
// try (issue 10).
func TestSignInAttemptsAreLimitedPerAddress(t *testing.T) {
	s := newSignIn(t)
	b := newBrowser(t, s)
	last := 0
	for i := range 11 {
		last, _, _ = b.do("POST", "/aanmelden", url.Values{"email": {"iemand" + string(rune('a'+i)) + "@hetcak.example"}, "password": {"x"}})
	}
	assert.Equal(t, http.StatusTooManyRequests, last)
	s.now = s.now.Add(6 * time.Second) // one more a minute, ten a minute, on the service's clock
	last, _, _ = b.do("POST", "/aanmelden", url.Values{"email": {"iemand@hetcak.example"}, "password": {"x"}})
	assert.Equal(t, http.StatusUnauthorized, last)
}
