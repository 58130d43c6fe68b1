package api

// The operator's pages (UI.md "Beheer", issue 11): organisations, accounts
// and API tokens. No breach content. They call the same use cases as the
// JSON API, as the operator signed in, so that every change names the
// person; anyone else finds nothing here.

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"datalek/breach"
	"datalek/breach/nl"
)

// AdminHome is where an operator lands after signing in.
const AdminHome = "/beheer/accounts"

// registerAdminRoutes adds the operator's pages; p has a signed-in person.
func (s *Server) registerAdminRoutes(p pageRoutes) {
	a := pageRoutes{p.e, append(slices.Clip(p.mw), s.only(breach.RoleAdmin))}
	a.GET("/beheer/accounts", func(c echo.Context) error { return s.renderAccounts(c, http.StatusOK, s.adminPage(c)) })
	a.POST("/beheer/accounts", s.postInvite)
	a.GET("/beheer/accounts/:id", func(c echo.Context) error { return s.renderAccount(c, http.StatusOK, s.adminPage(c)) })
	a.POST("/beheer/accounts/:id/blokkeren", s.postAccountChange("geblokkeerd", breach.ChangeBlock))
	a.POST("/beheer/accounts/:id/deblokkeren", s.postAccountChange("gedeblokkeerd", breach.ChangeUnblock))
	a.POST("/beheer/accounts/:id/tweede-factor", s.postAccountChange("tweede-factor", breach.ChangeResetSecondFactor))
	a.POST("/beheer/accounts/:id/uitnodigen", s.postAccountChange("uitnodiging", breach.ChangeReinvite))
	a.POST("/beheer/accounts/:id/rol", s.postRole)
	a.GET("/beheer/organisaties", func(c echo.Context) error { return s.renderOrganisations(c, http.StatusOK, s.adminPage(c)) })
	a.POST("/beheer/organisaties", s.postNewOrganisation)
	a.GET("/beheer/organisaties/:name", func(c echo.Context) error { return s.renderOrganisation(c, http.StatusOK, s.adminPage(c)) })
	a.POST("/beheer/organisaties/:name", s.postOrganisation)
	a.GET("/beheer/tokens", func(c echo.Context) error { return s.renderTokens(c, http.StatusOK, s.adminPage(c)) })
	a.POST("/beheer/tokens", s.postToken)
	a.GET("/beheer/tokens/:id/intrekken", s.pageRevoke)
	a.POST("/beheer/tokens/:id/intrekken", s.postRevoke)
}

// adminNotice confirms what a form of the operator's stored, after its
// redirect.
var adminNotice = map[string]string{
	"uitgenodigd":        "Het account is aangemaakt en de uitnodiging is per e-mail verstuurd.",
	"geblokkeerd":        "Het account is geblokkeerd; de sessies ervan zijn beëindigd.",
	"gedeblokkeerd":      "Het account is gedeblokkeerd.",
	"tweede-factor":      "Het wachtwoord en de tweede factor zijn gewist; er is een nieuwe uitnodiging per e-mail verstuurd.",
	"uitnodiging":        "Er is een nieuwe uitnodiging per e-mail verstuurd; de vorige link werkt niet meer.",
	"rol":                "De rol is gewijzigd; de sessies van het account zijn beëindigd.",
	"nieuwe-organisatie": "De organisatie is aangemaakt. Vul hieronder de contractgegevens en contactpersonen aan.",
	"organisatie":        "De gegevens van de organisatie zijn opgeslagen.",
	"ingetrokken":        "Het token is ingetrokken: het werkt niet meer.",
}

// adminPage is the frame of an operator's page, with what a form just
// stored.
func (s *Server) adminPage(c echo.Context) page {
	return page{Notice: adminNotice[c.QueryParam("opgeslagen")]}
}

// framed gives p the frame of a signed-in person's page titled title,
// keeping what p carries of a form.
func (s *Server) framed(c echo.Context, p page, title string, data any) page {
	frame := s.personPage(c, title)
	p.Title, p.Actor, p.Staff, p.Role, p.Now, p.Data = frame.Title, frame.Actor, frame.Staff, frame.Role, frame.Now, data
	return p
}

// adminView is what one of the operator's pages shows; View names which.
type adminView struct {
	View          string
	Accounts      []accountRow
	Account       *accountRow
	Events        []accountEventView
	Organisations []organisationRow
	Organisation  *breach.Organisation
	Path          string // the organisation's page
	Contacts      []contactRow
	Tokens        []tokenRow
	Token         *tokenRow
	Secret        string   // a new token's, shown this once
	Choices       []option // the organisations, for a select
}

// accountRow is an account as the operator's pages show it.
type accountRow struct {
	ID, Email, Name, Function, Role, Organisation, Status, LastSignIn string
	Blocked, Invited, Self                                            bool
	Enrolled, Created                                                 string
}

// signInActions are the entries of a trail that say the person signed in.
var signInActions = []breach.AccountAction{breach.AccountSignedInEvent, breach.AccountSignedInSSOEvent,
	breach.AccountFactorEnrolled, breach.AccountRecoveryUsed}

func (s *Server) accountRow(c echo.Context, acc *breach.Account, events []breach.AccountEvent) accountRow {
	r := accountRow{ID: acc.ID, Email: acc.Email, Name: acc.Name, Function: acc.Function, Role: nl.Role(acc.Role),
		Organisation: acc.Organisation, Status: nl.AccountStatus(acc.Status), Blocked: acc.Status == breach.AccountBlocked,
		Invited: acc.Status == breach.AccountInvited, Self: acc.ID == actor(c).AccountID,
		Created: nl.Time(acc.CreatedAt) + ", door " + acc.CreatedBy, Enrolled: "nee"}
	if acc.LockedUntil != nil && s.now().Before(*acc.LockedUntil) {
		r.Status += ", tijdelijk vergrendeld tot " + nl.Time(*acc.LockedUntil)
	}
	if acc.CodeEnrolledAt != nil {
		r.Enrolled = "ja, sinds " + nl.Time(*acc.CodeEnrolledAt)
	}
	if acc.Subject != "" {
		r.Enrolled = "meldt aan met eenmalige aanmelding van de eigen organisatie"
	}
	for _, e := range slices.Backward(events) {
		if e.AccountID == acc.ID && slices.Contains(signInActions, e.Action) {
			r.LastSignIn = nl.Time(e.At)
			break
		}
	}
	return r
}

// organisationChoices are the organisations there are, for a select.
func (s *Server) organisationChoices(c echo.Context) ([]*breach.Organisation, []option, error) {
	orgs, err := s.Service.ListOrganisations(c.Request().Context(), actor(c))
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(orgs, func(a, b *breach.Organisation) int { return strings.Compare(a.Name, b.Name) })
	opts := make([]option, len(orgs))
	for i, o := range orgs {
		opts[i] = option{o.Name, o.Name}
	}
	return orgs, opts, nil
}

// renderAccounts shows every account, with the form to invite one.
func (s *Server) renderAccounts(c echo.Context, status int, p page) error {
	ctx, a := c.Request().Context(), actor(c)
	accounts, err := s.Service.ListAccounts(ctx, a)
	if err != nil {
		return err
	}
	events, err := s.Service.AccountEvents(ctx, a, "")
	if err != nil {
		return err
	}
	_, choices, err := s.organisationChoices(c)
	if err != nil {
		return err
	}
	v := adminView{View: "accounts", Choices: choices}
	slices.SortFunc(accounts, func(x, y *breach.Account) int { return strings.Compare(x.Name, y.Name) })
	for _, acc := range accounts {
		v.Accounts = append(v.Accounts, s.accountRow(c, acc, events))
	}
	return s.render(c, status, "beheer", s.framed(c, p, "Accounts", v))
}

// accountEventView is an entry of an account's trail, in words.
type accountEventView struct{ At, What, By, Client string }

// renderAccount shows an account, what the operator may do with it, and
// its trail, newest first.
func (s *Server) renderAccount(c echo.Context, status int, p page) error {
	ctx, a := c.Request().Context(), actor(c)
	acc, err := s.Service.FindAccount(ctx, a, c.Param("id"))
	if err != nil {
		return s.pageProblem(c, err)
	}
	events, err := s.Service.AccountEvents(ctx, a, acc.ID)
	if err != nil {
		return err
	}
	_, choices, err := s.organisationChoices(c)
	if err != nil {
		return err
	}
	row := s.accountRow(c, acc, events)
	v := adminView{View: "account", Account: &row, Choices: choices}
	for _, e := range slices.Backward(events) {
		by := e.By
		if by == "" {
			by = "de persoon zelf"
		}
		v.Events = append(v.Events, accountEventView{At: nl.Time(e.At), What: nl.AccountEventText(e), By: by, Client: e.Client})
	}
	p.Prefill = map[string]url.Values{"rol": {"role": {string(acc.Role)}, "organisation": {acc.Organisation}}}
	return s.render(c, status, "beheer", s.framed(c, p, "Account van "+acc.Name, v))
}

// renderOrganisations shows every organisation, with the form to add one.
func (s *Server) renderOrganisations(c echo.Context, status int, p page) error {
	orgs, _, err := s.organisationChoices(c)
	if err != nil {
		return err
	}
	v := adminView{View: "organisations"}
	for _, o := range orgs {
		v.Organisations = append(v.Organisations, organisationRow{o, organisationPage(o.Name, "")})
	}
	return s.render(c, status, "beheer", s.framed(c, p, "Organisaties", v))
}

// organisationRow is an organisation in the list, with its page.
type organisationRow struct {
	*breach.Organisation
	Path string
}

// contactRow is a row of the contacts on an organisation's form: its
// fields' names start with Name (contacts[0]: contacts[0].name, …).
type contactRow struct{ Name, Label string }

// emptyContacts is how many empty rows of contacts the form offers after
// those there are: without a script, a row is not added by a button.
const emptyContacts = 3

// renderOrganisation shows an organisation's record as a form to edit.
func (s *Server) renderOrganisation(c echo.Context, status int, p page) error {
	o, err := s.Service.FindOrganisation(c.Request().Context(), actor(c), organisationName(c))
	if err != nil {
		return s.pageProblem(c, err)
	}
	prefill := url.Values{"contract_references": {strings.Join(o.ContractReferences, "\n")},
		"sub_processors": {strings.Join(o.SubProcessors, "\n")}, "activities": {strings.Join(o.Activities, "\n")}}
	if co := o.ContactOfficial; co != nil {
		setContact(prefill, "contact_official", *co)
	}
	for i, co := range o.Contacts {
		setContact(prefill, contactName(i), co)
	}
	p.Prefill = map[string]url.Values{"organisatie": prefill}
	rows := len(o.Contacts) + emptyContacts
	if p.Active == "organisatie" { // as many rows as were posted
		rows = max(postedContacts(p.Values), emptyContacts)
	}
	v := adminView{View: "organisation", Organisation: o, Path: organisationPage(o.Name, "")}
	for i := range rows {
		v.Contacts = append(v.Contacts, contactRow{Name: contactName(i), Label: fmt.Sprintf("Contactpersoon %d", i+1)})
	}
	return s.render(c, status, "beheer", s.framed(c, p, "Organisatie "+o.Name, v))
}

// tokenRow is an API token as the operator's pages show it.
type tokenRow struct {
	ID, Name, Role, Organisation, Created, LastUsed, Revoked string
}

func tokenRowOf(t *breach.Token) tokenRow {
	r := tokenRow{ID: t.ID, Name: t.Name, Role: nl.Role(t.Role), Organisation: t.Organisation,
		Created: nl.Time(t.CreatedAt) + ", door " + t.CreatedBy, LastUsed: "nog niet gebruikt"}
	if t.LastUsedAt != nil {
		r.LastUsed = nl.Time(*t.LastUsedAt)
	}
	if t.RevokedAt != nil {
		r.Revoked = nl.Time(*t.RevokedAt)
	}
	return r
}

// renderTokens shows every API token, revoked ones too, newest first, with
// the form to create one.
func (s *Server) renderTokens(c echo.Context, status int, p page) error {
	tokens, err := s.Service.ListTokens(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	_, choices, err := s.organisationChoices(c)
	if err != nil {
		return err
	}
	slices.SortFunc(tokens, func(x, y *breach.Token) int { return y.CreatedAt.Compare(x.CreatedAt) })
	v := adminView{View: "tokens", Choices: choices}
	for _, t := range tokens {
		v.Tokens = append(v.Tokens, tokenRowOf(t))
	}
	return s.render(c, status, "beheer", s.framed(c, p, "API-tokens", v))
}

// pageRevoke asks to confirm revoking a token.
func (s *Server) pageRevoke(c echo.Context) error {
	t, err := s.findToken(c)
	if err != nil {
		return s.pageProblem(c, err)
	}
	row := tokenRowOf(t)
	return s.render(c, http.StatusOK, "beheer", s.framed(c, page{}, "Token "+t.Name+" intrekken", adminView{View: "revoke", Token: &row}))
}

// findToken is the token of the path's id. Errors: ENOTFOUND.
func (s *Server) findToken(c echo.Context) (*breach.Token, error) {
	tokens, err := s.Service.ListTokens(c.Request().Context(), actor(c))
	if err != nil {
		return nil, err
	}
	for _, t := range tokens {
		if t.ID == c.Param("id") {
			return t, nil
		}
	}
	return nil, breach.Errorf(breach.ENOTFOUND, "Token bestaat niet.")
}

// tokenCreated shows a new token's secret, this once: the page is not kept
// (no-store, as every page of a person) and the secret is stored only as
// a hash.
func (s *Server) tokenCreated(c echo.Context, t *breach.Token, secret string) error {
	row := tokenRowOf(t)
	return s.render(c, http.StatusOK, "beheer", s.framed(c, page{}, "Token "+t.Name+" aangemaakt",
		adminView{View: "created", Token: &row, Secret: secret}))
}
