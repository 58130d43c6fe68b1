package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach"
	"datalek/internal/browsertest"
)

// signedInTab gives the browser's tab the session cookie of a person signed
// in already (signing in itself is walked through in browser_signin_test.go).
func signedInTab(t *testing.T, ctx context.Context, base, cookie string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: api.SessionCookie, Value: cookie, URL: base})
		return err
	}))
}

// In Chromium: the operator adds a supplier and fills in its contract
// details and contacts, invites one of its staff, blocks the account,
// creates an API token (its secret shown once) and revokes it after
// confirming; each form's errors are shown next to their fields, and every
// page passes axe-core (issue 11, UI.md).
func TestBrowserOperatorManagesSuppliersAccountsAndTokens(t *testing.T) {
	s, base, ctx := browserSignIn(t)
	signedInTab(t, ctx, base, s.session("b.beheer@hetcak.example", "B. Beheer", "Functioneel beheerder", breach.RoleAdmin, ""))

	onPage(t, ctx, browsertest.Open(t, ctx, base+"/"), "Accounts") // an operator's home
	onPage(t, ctx, click(t, ctx, `header a[href="/beheer/organisaties"]`), "Organisaties")
	fill(t, ctx, "name", "Acme BV")
	onPage(t, ctx, click(t, ctx, `form[action="/beheer/organisaties"] button`), "Organisatie Acme BV")
	fill(t, ctx, "contract_references", "INK25.005\nINK26.001")
	fill(t, ctx, "contact_official-name", "K. Visser")
	fill(t, ctx, "contacts-0-name", "J. Jansen")
	fill(t, ctx, "contacts-0-email", "j.jansen@acme.example")
	assert.Equal(t, http.StatusUnprocessableEntity, click(t, ctx, "main form button[type=submit]"))
	browsertest.Axe(t, ctx) // the page with the errors next to their fields
	assert.Contains(t, text(t, ctx, ".error"), "Contactpersoon van de verwerkingsverantwoordelijke, e-mailadres: is verplicht")
	assert.Equal(t, "contact_official-email", browsertest.Eval[string](t, ctx, `document.activeElement.id`), "the first field with an error has the focus")
	assert.Equal(t, "J. Jansen", browsertest.Eval[string](t, ctx, `document.getElementById('contacts-0-name').value`), "what was typed is kept")
	fill(t, ctx, "contact_official-email", "k.visser@hetcak.example")
	onPage(t, ctx, click(t, ctx, "main form button[type=submit]"), "Organisatie Acme BV")
	assert.Equal(t, "De gegevens van de organisatie zijn opgeslagen.", text(t, ctx, ".notice"))
	o, err := s.svc.FindOrganisation(ctx, bootstrapAdmin, "Acme BV")
	require.NoError(t, err)
	assert.Equal(t, []string{"INK25.005", "INK26.001"}, o.ContractReferences)
	assert.Equal(t, "j.jansen@acme.example", o.Contacts[0].Email)

	onPage(t, ctx, click(t, ctx, `header a[href="/beheer/accounts"]`), "Accounts")
	fill(t, ctx, "email", "p.smit@acme.example")
	fill(t, ctx, "name", "P. Smit")
	fill(t, ctx, "function", "Productieleider")
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID("role"), "supplier"))
	assert.Equal(t, http.StatusUnprocessableEntity, click(t, ctx, "main form button[type=submit]"))
	browsertest.Axe(t, ctx)
	assert.Equal(t, "organisation", browsertest.Eval[string](t, ctx, `document.activeElement.id`))
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID("organisation"), "Acme BV"))
	onPage(t, ctx, click(t, ctx, "main form button[type=submit]"), "Account van P. Smit")
	assert.Contains(t, text(t, ctx, ".notice"), "de uitnodiging is per e-mail verstuurd")
	onPage(t, ctx, click(t, ctx, `form[action$="/blokkeren"] button`), "Account van P. Smit")
	assert.Contains(t, text(t, ctx, ".notice"), "Het account is geblokkeerd")
	assert.Equal(t, breach.AccountBlocked, s.accountByEmail("p.smit@acme.example").Status)
	onPage(t, ctx, click(t, ctx, `a[href="/beheer/accounts"]`), "Accounts")
	browsertest.Screenshot(t, ctx, "beheer-accounts")

	onPage(t, ctx, click(t, ctx, `header a[href="/beheer/tokens"]`), "API-tokens")
	fill(t, ctx, "name", "acme-prod")
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID("role"), "supplier"), chromedp.SetValue(chromedp.ID("organisation"), "Acme BV"))
	onPage(t, ctx, click(t, ctx, "main form button[type=submit]"), "Token acme-prod aangemaakt")
	secret := text(t, ctx, "#token-geheim")
	require.Regexp(t, secretPattern, secret)
	assert.False(t, browsertest.Eval[bool](t, ctx, `document.querySelector('button[data-copy]').hidden`), "a copy button, with script")
	bearer := func() int {
		req, err := http.NewRequest("GET", base+"/api/v1/breaches", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	require.Equal(t, http.StatusOK, bearer())

	onPage(t, ctx, click(t, ctx, `main a[href="/beheer/tokens"]`), "API-tokens")
	assert.NotContains(t, text(t, ctx, "main"), secret, "the secret is shown once")
	onPage(t, ctx, click(t, ctx, `a[href$="/intrekken"]`), "Token acme-prod intrekken")
	onPage(t, ctx, click(t, ctx, `form[action$="/intrekken"] button`), "API-tokens")
	assert.Equal(t, "Het token is ingetrokken: het werkt niet meer.", text(t, ctx, ".notice"))
	assert.Equal(t, http.StatusUnauthorized, bearer())
}
