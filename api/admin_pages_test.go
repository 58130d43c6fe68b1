package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/nl"
)

var bootstrapAdmin = breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}

// operator is a browser signed in as B. Beheer, the operator.
func (s *signIn) operator() *browser {
	s.t.Helper()
	return s.person("b.beheer@hetcak.example", "B. Beheer", "Functioneel beheerder", breach.RoleAdmin, "")
}

// accountByEmail is the stored account of an address.
func (s *signIn) accountByEmail(email string) *breach.Account {
	s.t.Helper()
	accounts, err := s.svc.ListAccounts(ctx, bootstrapAdmin)
	require.NoError(s.t, err)
	for _, acc := range accounts {
		if acc.Email == email {
			return acc
		}
	}
	return nil
}

// The operator invites a person, blocks, unblocks, invites again, resets
// the second factor and changes the role on the pages; every form shows
// its errors next to its fields in Dutch, keeps what was typed and stores
// nothing when it is refused; the account's trail reads in Dutch under the
// operator's name (issue 11).
func TestOperatorManagesAccountsOnThePages(t *testing.T) {
	s := newSignIn(t)
	_, err := s.svc.PutOrganisation(ctx, bootstrapAdmin, "Acme BV", breach.OrganisationRequest{})
	require.NoError(t, err)
	op := s.operator()

	status, body, header := op.do("GET", "/", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Accounts</h1>", "an operator's home")
	assert.Equal(t, "no-store", header.Get("Cache-Control"))
	assert.Contains(t, body, `<td><a href="/beheer/accounts/`)
	assert.Contains(t, body, "<td>Functioneel beheerder</td><td>b.beheer@hetcak.example</td><td>beheerder</td><td></td><td>actief</td><td>"+
		nl.Time(s.now)+"</td>", "role, status and last sign-in in Dutch")
	assert.Contains(t, body, `<option value="Acme BV">Acme BV</option>`, "the organisations to choose from")

	status, body, _ = op.do("POST", "/beheer/accounts", url.Values{"email": {"geen-adres"}, "name": {"P. Smit"}, "role": {""}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `E-mailadres <span class="field-error">is geen geldig e-mailadres</span>`, "the error next to its field")
	assert.Contains(t, body, `<li><a href="#email">E-mailadres: is geen geldig e-mailadres</a></li>`, "and listed above, linking to it")
	assert.Contains(t, body, `<li><a href="#role">Rol: kies er een</a></li>`)
	assert.Contains(t, body, `<li><a href="#function">Functie: is verplicht</a></li>`)
	assert.Contains(t, body, `value="geen-adres"`, "what was typed is kept")
	assert.Contains(t, body, `value="P. Smit"`)
	status, body, _ = op.do("POST", "/beheer/accounts", url.Values{"email": {"p.smit@acme.example"}, "name": {"P. Smit"},
		"function": {"Productieleider"}, "role": {"supplier"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "is verplicht voor een verwerker (rol verwerker)", "the role in Dutch")
	assert.Contains(t, body, `<option value="supplier" selected>verwerker</option>`)
	assert.Nil(t, s.accountByEmail("p.smit@acme.example"), "nothing stored from a refused form")

	invite := url.Values{"email": {"p.smit@acme.example"}, "name": {"P. Smit"}, "function": {"Productieleider"}, "role": {"supplier"},
		"organisation": {"Acme BV"}}
	status, body, _ = op.do("POST", "/beheer/accounts", invite)
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "<h1>Account van P. Smit</h1>")
	assert.Contains(t, body, "Het account is aangemaakt en de uitnodiging is per e-mail verstuurd.")
	assert.Contains(t, body, "<dt>Status</dt><dd>uitgenodigd</dd>")
	assert.Contains(t, body, "<td>uitgenodigd</td><td>B. Beheer, Functioneel beheerder</td>", "the trail names the operator")
	acc := s.accountByEmail("p.smit@acme.example")
	require.NotNil(t, acc)
	assert.Equal(t, breach.RoleSupplier, acc.Role)
	page := "/beheer/accounts/" + acc.ID
	status, body, _ = op.do("POST", "/beheer/accounts", invite)
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, body, "Er is al een account met het e-mailadres p.smit@acme.example.")

	for _, step := range []struct{ action, notice, status, trail string }{
		{"blokkeren", "Het account is geblokkeerd", "geblokkeerd", "<td>geblokkeerd</td>"},
		{"deblokkeren", "Het account is gedeblokkeerd.", "uitgenodigd", "<td>gedeblokkeerd</td>"},
		{"uitnodigen", "Er is een nieuwe uitnodiging per e-mail verstuurd", "uitgenodigd", "<td>uitgenodigd</td>"},
		{"tweede-factor", "Het wachtwoord en de tweede factor zijn gewist", "uitgenodigd", "<td>tweede factor hersteld (opnieuw uitgenodigd)</td>"},
	} {
		status, body, _ = op.do("POST", page+"/"+step.action, url.Values{})
		require.Equal(t, http.StatusOK, status, step.action)
		assert.Contains(t, body, step.notice, step.action)
		assert.Contains(t, body, "<dt>Status</dt><dd>"+step.status+"</dd>", step.action)
		assert.Contains(t, body, step.trail, step.action)
	}
	status, body, _ = op.do("POST", page+"/deblokkeren", url.Values{})
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, body, "Dit account is niet geblokkeerd.")

	status, body, _ = op.do("POST", page+"/rol", url.Values{"role": {"adviser"}, "organisation": {"Acme BV"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `Organisatie (alleen voor een medewerker van een verwerker) <span class="field-error">hoort alleen bij de rol verwerker</span>`)
	assert.Contains(t, body, `<option value="adviser" selected>`, "what was chosen is kept")
	assert.Equal(t, breach.RoleSupplier, s.accountByEmail("p.smit@acme.example").Role, "nothing changed")
	status, body, _ = op.do("POST", page+"/rol", url.Values{"role": {"adviser"}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "De rol is gewijzigd")
	assert.Contains(t, body, "<dt>Rol</dt><dd>Adviseur Privacy</dd>")
	assert.Contains(t, body, "<td>rol gewijzigd: Adviseur Privacy (was verwerker, Acme BV)</td><td>B. Beheer, Functioneel beheerder</td>")
	assert.Contains(t, body, `<option value="adviser" selected>`, "the role form starts from the account's role")
	changed := s.accountByEmail("p.smit@acme.example")
	assert.Equal(t, breach.RoleAdviser, changed.Role)
	assert.Empty(t, changed.Organisation)

	status, body, _ = op.do("GET", "/beheer/accounts/onbekend", nil)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, body, "Niet gevonden")
}

// An operator cannot block, reset or change the role of its own account;
// a changed role ends the person's sessions (issue 11).
func TestOperatorsOwnAccountAndRoleChangeEndsSessions(t *testing.T) {
	s := newSignIn(t)
	op := s.operator()
	self := s.accountByEmail("b.beheer@hetcak.example")
	status, body, _ := op.do("GET", "/beheer/accounts/"+self.ID, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Dit is uw eigen account.")
	assert.NotContains(t, body, "/blokkeren")
	assert.NotContains(t, body, "/rol")
	for _, action := range []string{"blokkeren", "tweede-factor", "rol"} {
		status, body, _ = op.do("POST", "/beheer/accounts/"+self.ID+"/"+action, url.Values{"role": {"adviser"}})
		assert.Equal(t, http.StatusConflict, status, action)
		assert.Contains(t, body, "vraag een andere beheerder", action)
	}
	assert.Equal(t, breach.RoleAdmin, s.accountByEmail("b.beheer@hetcak.example").Role)
	assert.Equal(t, breach.AccountActive, s.accountByEmail("b.beheer@hetcak.example").Status)

	adviser := s.person("k.visser@hetcak.example", "K. Visser", breach.DefaultFunction(breach.RoleAdviser), breach.RoleAdviser, "")
	adviser.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	status, _, _ = adviser.do("GET", "/overzicht", nil)
	require.Equal(t, http.StatusOK, status)
	status, _, _ = op.do("POST", "/beheer/accounts/"+s.accountByEmail("k.visser@hetcak.example").ID+"/rol", url.Values{"role": {"controller"}})
	require.Equal(t, http.StatusOK, status)
	status, _, header := adviser.do("GET", "/overzicht", nil)
	assert.Equal(t, http.StatusSeeOther, status, "the session ended with the role")
	assert.Equal(t, "/aanmelden", header.Get("Location"))
	assert.Equal(t, breach.DefaultFunction(breach.RoleController), s.accountByEmail("k.visser@hetcak.example").Function,
		"a default function follows the role")
}

// The operator adds an organisation and keeps its contract details and
// contacts on a form without script: lists one per line, contacts in rows
// with empty rows to fill; a problem is named by its line or row (issue 11).
func TestOperatorManagesOrganisationsOnThePages(t *testing.T) {
	s := newSignIn(t)
	op := s.operator()
	status, body, _ := op.do("GET", "/beheer/organisaties", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Er zijn nog geen organisaties.")

	status, body, _ = op.do("POST", "/beheer/organisaties", url.Values{"name": {" "}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `<li><a href="#name">Naam: is verplicht</a></li>`)
	status, body, _ = op.do("POST", "/beheer/organisaties", url.Values{"name": {"Acme BV"}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "<h1>Organisatie Acme BV</h1>")
	assert.Contains(t, body, "De organisatie is aangemaakt.")
	assert.Contains(t, body, `action="/beheer/organisaties/Acme%20BV"`)
	assert.Contains(t, body, `id="contacts-2-name" name="contacts[2].name"`, "empty rows to fill")
	status, body, _ = op.do("POST", "/beheer/organisaties", url.Values{"name": {"Acme BV"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "Deze organisatie bestaat al.")

	page := "/beheer/organisaties/Acme%20BV"
	bad := url.Values{"contract_references": {"INK25.005\n\n" + strings.Repeat("x", 201) + "\n"},
		"contact_official.name": {"K. Visser"}, "contacts[1].name": {"J. Jansen"}, "contacts[1].email": {"geen-adres"},
		"activities": {"Printen van beschikkingen"}}
	status, body, _ = op.do("POST", page, bad)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "<li><a href=\"#contract_references\">Contractreferenties: regel 3: ", "a list's problem by its line")
	assert.Contains(t, body, `<li><a href="#contact_official-email">Contactpersoon van de verwerkingsverantwoordelijke, e-mailadres: is verplicht`)
	assert.Contains(t, body, `<li><a href="#contacts-1-email">Contactpersoon 2, e-mailadres: is geen geldig e-mailadres</a></li>`,
		"a contact's problem by its row as typed, the empty row before it left out")
	assert.Contains(t, body, `id="contacts-1-email" name="contacts[1].email" value="geen-adres"`, "what was typed is kept")
	assert.Contains(t, body, "Printen van beschikkingen</textarea>")
	o, err := s.svc.FindOrganisation(ctx, bootstrapAdmin, "Acme BV")
	require.NoError(t, err)
	assert.Empty(t, o.Activities, "nothing stored from a refused form")

	good := url.Values{"contract_references": {"INK25.005\r\nINK26.001\r\n"}, "contact_official.name": {"K. Visser"},
		"contact_official.email": {"k.visser@hetcak.example"}, "contacts[1].name": {"J. Jansen"},
		"contacts[1].function": {"Security officer"}, "contacts[1].email": {"j.jansen@acme.example"},
		"sub_processors": {"Drukkerij Noord"}, "activities": {"Printen van beschikkingen"}}
	status, body, _ = op.do("POST", page, good)
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "De gegevens van de organisatie zijn opgeslagen.")
	assert.Contains(t, body, `id="contacts-0-name" name="contacts[0].name" value="J. Jansen"`)
	assert.Contains(t, body, `name="contacts[3].name" value=""`, "empty rows after those there are")
	o, err = s.svc.FindOrganisation(ctx, bootstrapAdmin, "Acme BV")
	require.NoError(t, err)
	assert.Equal(t, []string{"INK25.005", "INK26.001"}, o.ContractReferences)
	assert.Equal(t, []breach.Contact{{Name: "J. Jansen", Function: "Security officer", Email: "j.jansen@acme.example"}}, o.Contacts)
	assert.Equal(t, "k.visser@hetcak.example", o.ContactOfficial.Email)
	assert.Equal(t, "B. Beheer, Functioneel beheerder", o.UpdatedBy)

	_, body, _ = op.do("GET", "/beheer/organisaties", nil)
	assert.Contains(t, body, `<a href="/beheer/organisaties/Acme%20BV">Acme BV</a>`)
	assert.Contains(t, body, "<td>INK25.005, INK26.001</td>")
	status, _, _ = op.do("GET", "/beheer/organisaties/Onbekend", nil)
	assert.Equal(t, http.StatusNotFound, status)
	status, _, _ = op.do("POST", "/beheer/organisaties/Onbekend", good)
	assert.Equal(t, http.StatusNotFound, status)
	_, err = s.svc.FindOrganisation(ctx, bootstrapAdmin, "Onbekend")
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err), "not created by a post to its page")
}

var secretPattern = regexp.MustCompile(`dlk_[A-Za-z0-9_-]{43}`)

// The operator creates a token, sees its secret once (not kept by the
// browser), sees when it was last used (written at most once a minute) and
// revokes it after confirming (issue 11).
func TestOperatorManagesTokensOnThePages(t *testing.T) {
	s := newSignIn(t)
	op := s.operator()
	status, body, _ := op.do("POST", "/beheer/tokens", url.Values{"name": {""}, "role": {"supplier"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `<li><a href="#name">Naam: is verplicht</a></li>`)
	assert.Contains(t, body, `<li><a href="#organisation">Organisatie: is verplicht voor een verwerker (rol verwerker)</a></li>`)
	tokens, err := s.svc.ListTokens(ctx, bootstrapAdmin)
	require.NoError(t, err)
	assert.Empty(t, tokens, "nothing stored from a refused form")

	status, body, header := op.do("POST", "/beheer/tokens", url.Values{"name": {"acme-prod"}, "role": {"supplier"}, "organisation": {"Acme BV"}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "no-store", header.Get("Cache-Control"), "the secret is not kept by a browser or proxy")
	assert.Contains(t, body, "Kopieer het token nu")
	secret := secretPattern.FindString(body)
	require.NotEmpty(t, secret)
	_, err = s.svc.FindOrganisation(ctx, bootstrapAdmin, "Acme BV")
	assert.NoError(t, err, "a supplier's token makes the organisation's record")

	api := func() int {
		status, _, _ := op.do("GET", "/api/v1/breaches", nil, "Authorization", "Bearer "+secret)
		return status
	}
	used := s.now
	require.Equal(t, http.StatusOK, api())
	_, body, _ = op.do("GET", "/beheer/tokens", nil)
	assert.NotContains(t, body, secret, "the secret is shown once")
	assert.Contains(t, body, "<td>acme-prod</td><td>verwerker</td><td>Acme BV</td>")
	assert.Contains(t, body, "<td>"+nl.Time(used)+"</td>", "last used")
	lastUsed := func() time.Time {
		tokens, err := s.svc.ListTokens(ctx, bootstrapAdmin)
		require.NoError(t, err)
		require.Len(t, tokens, 1)
		require.NotNil(t, tokens[0].LastUsedAt)
		return *tokens[0].LastUsedAt
	}
	s.now = s.now.Add(50 * time.Second)
	require.Equal(t, http.StatusOK, api())
	assert.Equal(t, used, lastUsed(), "not written again within a minute")
	s.now = s.now.Add(20 * time.Second)
	require.Equal(t, http.StatusOK, api())
	assert.Equal(t, s.now, lastUsed(), "written again after a minute")

	tokens, err = s.svc.ListTokens(ctx, bootstrapAdmin)
	require.NoError(t, err)
	revoke := "/beheer/tokens/" + tokens[0].ID + "/intrekken"
	assert.Contains(t, body, `<a href="`+revoke+`">Token acme-prod intrekken</a>`)
	status, body, _ = op.do("GET", revoke, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Token acme-prod intrekken</h1>")
	assert.Contains(t, body, "Token acme-prod definitief intrekken")
	assert.Equal(t, http.StatusOK, api(), "not revoked by the confirmation page")
	status, body, _ = op.do("POST", revoke, url.Values{})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Het token is ingetrokken")
	assert.Contains(t, body, "ingetrokken "+nl.Time(s.now))
	assert.Equal(t, http.StatusUnauthorized, api())
	_, body, _ = op.do("GET", revoke, nil)
	assert.Contains(t, body, "Dit token is al ingetrokken")
	assert.NotContains(t, body, "definitief intrekken")
	status, _, _ = op.do("GET", "/beheer/tokens/onbekend/intrekken", nil)
	assert.Equal(t, http.StatusNotFound, status)
	status, _, _ = op.do("POST", "/beheer/tokens/onbekend/intrekken", url.Values{})
	assert.Equal(t, http.StatusNotFound, status)
	tokens, err = s.svc.ListTokens(ctx, bootstrapAdmin)
	require.NoError(t, err)
	n := len(tokens)
	_, form, _ := op.do("GET", "/beheer/tokens", nil)
	key := regexp.MustCompile(`name="form_key" value="([^"]+)"`).FindStringSubmatch(form)
	require.NotNil(t, key, "the form carries its key")
	twice := url.Values{"name": {"acme-test"}, "role": {"supplier"}, "organisation": {"Acme BV"}, "form_key": {key[1]}}
	_, body, _ = op.do("POST", "/beheer/tokens", twice)
	assert.Contains(t, body, "Kopieer het token nu")
	_, body, _ = op.do("POST", "/beheer/tokens", twice)
	assert.Contains(t, body, "Dit token is al aangemaakt", "a double click makes no second token")
	tokens, err = s.svc.ListTokens(ctx, bootstrapAdmin)
	require.NoError(t, err)
	assert.Len(t, tokens, n+1, "one more, not two")
}

// A supplier's staff, an adviser and a controller find none of the
// operator's pages and store nothing through their forms; a cross-site
// post is refused; the operator sees no breach content (issue 11).
func TestOperatorPagesAreOperatorOnly(t *testing.T) {
	s := newSignIn(t)
	b := s.file()
	op := s.operator()
	acc := s.accountByEmail("b.beheer@hetcak.example")
	others := []*browser{
		s.person("p.smit@acme.example", "P. Smit", "Productieleider", breach.RoleSupplier, "Acme BV"),
		s.person("k.visser@hetcak.example", "K. Visser", "Adviseur Privacy", breach.RoleAdviser, ""),
		s.person("m.bakker@hetcak.example", "M. Bakker", "Directeur", breach.RoleController, ""),
	}
	before, err := s.svc.ListAccounts(ctx, bootstrapAdmin)
	require.NoError(t, err)
	gets := []string{"/beheer/accounts", "/beheer/accounts/" + acc.ID, "/beheer/organisaties", "/beheer/organisaties/Acme%20BV",
		"/beheer/tokens", "/beheer/tokens/x/intrekken"}
	posts := map[string]url.Values{
		"/beheer/accounts":                          {"email": {"x@acme.example"}, "name": {"X"}, "function": {"Y"}, "role": {"admin"}},
		"/beheer/accounts/" + acc.ID + "/blokkeren": {}, "/beheer/accounts/" + acc.ID + "/tweede-factor": {},
		"/beheer/accounts/" + acc.ID + "/rol": {"role": {"supplier"}, "organisation": {"Acme BV"}},
		"/beheer/organisaties":                {"name": {"Nieuw BV"}},
		"/beheer/organisaties/Acme%20BV":      {"activities": {"Iets anders"}},
		"/beheer/tokens":                      {"name": {"eigen"}, "role": {"admin"}},
	}
	for _, who := range others {
		for _, path := range gets {
			status, body, _ := who.do("GET", path, nil)
			assert.Equal(t, http.StatusNotFound, status, path)
			assert.Contains(t, body, "Niet gevonden", path)
		}
		for path, form := range posts {
			status, _, _ := who.do("POST", path, form)
			assert.Equal(t, http.StatusNotFound, status, path)
		}
	}
	status, _, _ := op.do("POST", "/beheer/tokens", url.Values{"name": {"eigen"}, "role": {"admin"}}, "Sec-Fetch-Site", "cross-site")
	assert.Equal(t, http.StatusForbidden, status, "a cross-site post")

	after, err := s.svc.ListAccounts(ctx, bootstrapAdmin)
	require.NoError(t, err)
	assert.Equal(t, before, after, "no account changed")
	tokens, err := s.svc.ListTokens(ctx, bootstrapAdmin)
	require.NoError(t, err)
	assert.Empty(t, tokens, "no token made")
	o, err := s.svc.FindOrganisation(ctx, bootstrapAdmin, "Acme BV")
	require.NoError(t, err)
	assert.Empty(t, o.Activities, "no organisation changed")
	_, err = s.svc.FindOrganisation(ctx, bootstrapAdmin, "Nieuw BV")
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err))

	for _, path := range gets[:5] {
		_, body, _ := op.do("GET", path, nil)
		assert.NotContains(t, body, b.Report.Title, path)
		assert.NotContains(t, body, b.Reference, path)
	}
	anonymous := newBrowser(t, s)
	anonymous.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	status, _, header := anonymous.do("GET", "/beheer/accounts", nil)
	assert.Equal(t, http.StatusSeeOther, status)
	assert.Equal(t, "/aanmelden", header.Get("Location"))
}
