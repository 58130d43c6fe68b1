package api_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/internal/browsertest"
)

// fixedSecret is the real TOTP with a fixed secret for the second factor,
// so that the enrolment page, QR code and all, looks the same at every run
// and its committed screenshot does not change.
type fixedSecret struct{ api.TOTP }

const browserSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func (fixedSecret) NewCodeSecret() (string, error) { return browserSecret, nil }

// browserSignIn is the service of signIn behind a real HTTP server, and a
// headless Chromium tab (internal/browsertest).
func browserSignIn(t *testing.T) (*signIn, string, context.Context) {
	s := newSignIn(t)
	s.svc.Codes = fixedSecret{}
	base := newBrowser(t, s).base // the service with InsecureCookies, on httptest
	return s, base, browsertest.Start(t)
}

// onPage asserts the page the tab shows by its heading, and runs axe-core
// on it: no WCAG 2.1 AA violation on any page (UI.md).
func onPage(t *testing.T, ctx context.Context, status int, heading string) {
	t.Helper()
	assert.Equal(t, http.StatusOK, status, heading)
	require.Equal(t, heading, browsertest.Eval[string](t, ctx, `document.querySelector('h1').textContent`))
	assert.Equal(t, heading+" – Datalekdienst", browsertest.Eval[string](t, ctx, `document.title`))
	browsertest.Axe(t, ctx)
}

// signedInAs is what the page's header says of who is signed in.
func signedInAs(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `document.querySelector('header .who p').textContent`)
}

// fill types value into the field with the id (its old value cleared).
func fill(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	// Emptied by script rather than chromedp.Clear, which fails on an empty textarea.
	browsertest.Eval[string](t, ctx, `document.getElementById(`+strconv.Quote(id)+`).value = ""`)
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID(id), value))
}

// click clicks the element and returns the status of the page it loads.
func click(t *testing.T, ctx context.Context, css string) int {
	t.Helper()
	return browsertest.Load(t, ctx, chromedp.Click(chromedp.CSS(css)))
}

// In Chromium: the invited adviser opens the invitation link, sets a
// password, enrols the second factor with the key shown on the page, sees
// the recovery codes, reaches the home page (for an adviser, the open
// breaches) signed in, signs out and signs
// in again with password and a new code; every page passes axe-core
// (issue 10, UI.md).
func TestBrowserSignInJourney(t *testing.T) {
	s, base, ctx := browserSignIn(t)
	link := s.invite("k.visser@hetcak.example")

	onPage(t, ctx, browsertest.Open(t, ctx, base+link), "Welkom bij de datalekdienst")
	fill(t, ctx, "password", "kort")
	assert.Equal(t, http.StatusUnprocessableEntity, click(t, ctx, "button[type=submit]"))
	assert.Equal(t, "true", browsertest.Eval[string](t, ctx, `document.getElementById('password').getAttribute('aria-invalid')`))
	assert.Contains(t, browsertest.Eval[string](t, ctx, `document.getElementById('password-fout').textContent`), "ten minste 12 tekens")
	browsertest.Axe(t, ctx) // the page with the error next to its field
	fill(t, ctx, "password", "een lange zin als wachtwoord")

	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Tweede factor instellen")
	assert.Equal(t, 200, browsertest.Eval[int](t, ctx, `document.querySelector('img').naturalWidth`),
		"the QR code shows under the CSP (img-src data:)")
	key := browsertest.Eval[string](t, ctx, `document.querySelector('code.secret').textContent`)
	require.Equal(t, browserSecret, key, "the key, as text")
	browsertest.Screenshot(t, ctx, "tweede-factor-instellen")
	fill(t, ctx, "code", s.code(key))

	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Uw herstelcodes")
	assert.Equal(t, 10, browsertest.Eval[int](t, ctx, `document.querySelectorAll('ul.codes li').length`))

	onPage(t, ctx, click(t, ctx, `a[href="/"]`), "Open datalekken") // an adviser's home page
	assert.Equal(t, "Aangemeld als K. Visser, Adviseur Privacy", signedInAs(t, ctx))

	onPage(t, ctx, click(t, ctx, `form[action="/afmelden"] button`), "Aanmelden")
	browsertest.Screenshot(t, ctx, "aanmelden")
	fill(t, ctx, "email", "k.visser@hetcak.example")
	fill(t, ctx, "password", "een lange zin als wachtwoord")
	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Tweede factor")
	s.now = s.now.Add(30 * time.Second) // a new code: the enrolment's is taken
	fill(t, ctx, "code", s.code(key))
	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Open datalekken")
	assert.Equal(t, "Aangemeld als K. Visser, Adviseur Privacy", signedInAs(t, ctx))
}

// With the keyboard only: on the sign-in page, Tab from the top reaches the
// skip link, the e-mail field, the password field and the button, in that
// order; Enter submits; the code page too (UI.md).
func TestBrowserSignInKeyboardOnly(t *testing.T) {
	s, base, ctx := browserSignIn(t)
	_, secret, _ := s.enrolled("k.visser@hetcak.example")
	s.now = s.now.Add(30 * time.Second)

	onPage(t, ctx, browsertest.Open(t, ctx, base+"/aanmelden"), "Aanmelden")
	focus := func(tag, id, text string) {
		t.Helper()
		browsertest.Tab(t, ctx)
		f := browsertest.Focused(t, ctx)
		assert.Equal(t, [3]string{tag, id, text}, [3]string{f.Tag, f.ID, f.Text}, "after Tab: %v", f)
	}
	focus("a", "", "Naar de inhoud")
	focus("input", "email", "E-mailadres")
	browsertest.Type(t, ctx, "k.visser@hetcak.example")
	focus("input", "password", "Wachtwoord")
	browsertest.Type(t, ctx, "een lange zin als wachtwoord")
	focus("button", "", "Aanmelden")
	onPage(t, ctx, browsertest.Enter(t, ctx), "Tweede factor")

	focus("a", "", "Naar de inhoud")
	focus("input", "code", "Code uit uw app (zes cijfers), of een herstelcode")
	browsertest.Type(t, ctx, s.code(secret))
	onPage(t, ctx, browsertest.Enter(t, ctx), "Open datalekken") // Enter in the field submits its form
	assert.Equal(t, "Aangemeld als K. Visser, Adviseur Privacy", signedInAs(t, ctx))
}
