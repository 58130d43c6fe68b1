package api

// The operator's forms: each reads its fields (named as the API names them,
// so that the domain's errors land next to them), calls the use case as the
// operator signed in, and either goes on to the page of what it changed or
// shows its page again with the errors and what was typed.

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

// adminEnding ends a form of the operator's: on to the page to, or back to
// its page (render) with the errors.
func (s *Server) adminEnding(c echo.Context, to func() string, render func(echo.Context, int, page) error) formEnding {
	return formEnding{
		stored: func() error { return c.Redirect(http.StatusSeeOther, to()) },
		show:   func(status int, p page) error { return render(c, status, p) },
		place:  adminProblem,
	}
}

// accountPage is the page of the path's account, with a confirmation.
func accountPage(c echo.Context, notice string) string {
	return "/beheer/accounts/" + url.PathEscape(c.Param("id")) + "?opgeslagen=" + notice
}

func (s *Server) postInvite(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	acc, _, err := s.Service.InviteAccount(c.Request().Context(), actor(c), breach.AccountRequest{Email: f.text("email"),
		Name: f.text("name"), Function: f.text("function"), Role: breach.Role(f.text("role")), Organisation: f.text("organisation")})
	return s.formEnd(c, f, "uitnodigen", err, s.adminEnding(c, func() string {
		return "/beheer/accounts/" + url.PathEscape(acc.ID) + "?opgeslagen=uitgenodigd"
	}, s.renderAccounts))
}

// postAccountChange blocks, unblocks, resets the second factor of or
// invites again the path's account; notice names the confirmation.
func (s *Server) postAccountChange(notice string, change breach.AccountChange) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := readForm(c)
		if err != nil {
			return err
		}
		_, err = s.Service.ChangeAccount(c.Request().Context(), actor(c), c.Param("id"), change)
		return s.formEnd(c, f, notice, err, s.adminEnding(c, func() string { return accountPage(c, notice) }, s.renderAccount))
	}
}

func (s *Server) postRole(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	_, err = s.Service.ChangeAccountRole(c.Request().Context(), actor(c), c.Param("id"), breach.Role(f.text("role")), f.text("organisation"))
	return s.formEnd(c, f, "rol", err, s.adminEnding(c, func() string { return accountPage(c, "rol") }, s.renderAccount))
}

// organisationPage is the page of the organisation named name, with a
// confirmation when notice is not empty.
func organisationPage(name, notice string) string {
	path := "/beheer/organisaties/" + url.PathEscape(name)
	if notice != "" {
		path += "?opgeslagen=" + notice
	}
	return path
}

// postNewOrganisation adds an organisation by its name, for the operator to
// fill in on its own page; a name that has one already is refused rather
// than its record replaced.
func (s *Server) postNewOrganisation(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	ctx, name := c.Request().Context(), f.text("name")
	if _, err = s.Service.FindOrganisation(ctx, actor(c), name); err == nil {
		var p breach.Problems
		p.Add("name", "is al een organisatie: kies die in de lijst")
		err = p.Err("Deze organisatie bestaat al.")
	} else if breach.ErrorCode(err) == breach.ENOTFOUND {
		_, err = s.Service.PutOrganisation(ctx, actor(c), name, breach.OrganisationRequest{ContractReferences: []string{},
			Contacts: []breach.Contact{}, SubProcessors: []string{}, Activities: []string{}})
	}
	return s.formEnd(c, f, "nieuwe-organisatie", err, s.adminEnding(c, func() string {
		return organisationPage(strings.TrimSpace(name), "nieuwe-organisatie")
	}, s.renderOrganisations))
}

// postOrganisation replaces an organisation's record with the form: its
// lists one item per line, its contacts by row; a problem is named by the
// line or the row as typed.
func (s *Server) postOrganisation(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	ctx, name := c.Request().Context(), organisationName(c)
	if _, err := s.Service.FindOrganisation(ctx, actor(c), name); err != nil {
		return s.pageProblem(c, err)
	}
	req, at := organisationRequest(f)
	_, err = s.Service.PutOrganisation(ctx, actor(c), name, req)
	at.rename(err)
	return s.formEnd(c, f, "organisatie", err, s.adminEnding(c, func() string { return organisationPage(name, "organisatie") },
		s.renderOrganisation))
}

// typedAt says where on the form each item of a request was typed: the
// line of each item of a list, the row of each contact.
type typedAt struct {
	lines map[string][]int
	rows  []int
}

// rename names the domain's problems with an item by where it was typed:
// "contract_references[2]" as the field, "regel 4: …"; "contacts[0].email"
// as the row's field, "contacts[3].email".
func (at typedAt) rename(err error) {
	var de *breach.Error
	if !errors.As(err, &de) {
		return
	}
	for i, fe := range de.Fields {
		list, rest, ok := strings.Cut(fe.Field, "[")
		index, part, _ := strings.Cut(rest, "]")
		k, bad := strconv.Atoi(index)
		switch {
		case !ok || bad != nil:
		case list == "contacts" && k < len(at.rows):
			de.Fields[i].Field = contactName(at.rows[k]) + part
		case k < len(at.lines[list]):
			de.Fields[i] = breach.FieldError{Field: list, Message: fmt.Sprintf("regel %d: %s", at.lines[list][k], fe.Message)}
		}
	}
}

// organisationRequest reads the organisation form: a list's items one per
// line, empty lines left out; a contact's row left out when it is empty.
func organisationRequest(f *form) (breach.OrganisationRequest, typedAt) {
	at := typedAt{lines: map[string][]int{}}
	list := func(name string) []string {
		items := []string{}
		n := 0
		for line := range strings.Lines(f.values.Get(name)) {
			n++
			if strings.TrimSpace(line) != "" {
				items = append(items, strings.TrimSpace(line))
				at.lines[name] = append(at.lines[name], n)
			}
		}
		return items
	}
	req := breach.OrganisationRequest{ContractReferences: list("contract_references"), SubProcessors: list("sub_processors"),
		Activities: list("activities"), Contacts: []breach.Contact{}}
	if co, ok := f.contact("contact_official"); ok {
		req.ContactOfficial = &co
	}
	for i := range postedContacts(f.values) {
		if co, ok := f.contact(contactName(i)); ok {
			req.Contacts = append(req.Contacts, co)
			at.rows = append(at.rows, i)
		}
	}
	return req, at
}

// contact reads the contact whose fields' names start with prefix; false
// when each is empty.
func (f *form) contact(prefix string) (breach.Contact, bool) {
	co := breach.Contact{Name: f.text(prefix + ".name"), Function: f.text(prefix + ".function"), Email: f.text(prefix + ".email"),
		Phone: f.text(prefix + ".phone")}
	return co, co != breach.Contact{}
}

// setContact fills the fields of a contact whose names start with prefix.
func setContact(v url.Values, prefix string, co breach.Contact) {
	v.Set(prefix+".name", co.Name)
	v.Set(prefix+".function", co.Function)
	v.Set(prefix+".email", co.Email)
	v.Set(prefix+".phone", co.Phone)
}

// contactName is how the fields of the contact in row i are named, as the
// domain names the contacts: contacts[i].name and so on.
func contactName(i int) string { return "contacts[" + strconv.Itoa(i) + "]" }

// maxContactRows bounds the rows of contacts a form is read for.
const maxContactRows = 100

// postedContacts is how many rows of contacts a form has: one past the
// highest row named.
func postedContacts(v url.Values) int {
	n := 0
	for name := range v {
		if rest, ok := strings.CutPrefix(name, "contacts["); ok {
			index, _, _ := strings.Cut(rest, "]")
			if k, err := strconv.Atoi(index); err == nil && k >= n && k < maxContactRows {
				n = k + 1
			}
		}
	}
	return n
}

// adminLabels name the fields of the operator's forms; a contact's fields
// are named by contactLabels after whose they are.
var (
	adminLabels = map[string]string{"email": "E-mailadres", "name": "Naam", "function": "Functie", "role": "Rol",
		"organisation": "Organisatie", "contract_references": "Contractreferenties", "sub_processors": "Subverwerkers",
		"activities": "Verwerkingen", "contacts": "Contactpersonen",
		"contact_official": "Contactpersoon van de verwerkingsverantwoordelijke"}
	contactLabels = map[string]string{"name": "naam", "function": "functie", "email": "e-mailadres", "phone": "telefoonnummer"}
)

// adminProblem places a problem of an operator's form at its field, named
// by the field's label.
func adminProblem(fe breach.FieldError) formProblem {
	label := adminLabels[fe.Field]
	if whose, part, ok := strings.Cut(fe.Field, "."); ok {
		label = adminLabels[whose]
		if rest, ok := strings.CutPrefix(whose, "contacts["); ok {
			k, _ := strconv.Atoi(strings.TrimSuffix(rest, "]"))
			label = fmt.Sprintf("Contactpersoon %d", k+1)
		}
		label += ", " + contactLabels[part]
	}
	if label == "" {
		label = fe.Field
	}
	return formProblem{"#" + fieldID(fe.Field), label + ": " + fe.Message}
}

func (s *Server) postToken(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	if !s.sentForms.first(f.text("form_key"), s.now()) { // a second token no one would see the secret of
		return s.renderTokens(c, http.StatusOK, page{Notice: "Dit token is al aangemaakt toen het formulier de eerste keer werd " +
			"verstuurd; het geheim is toen getoond, en wordt niet opnieuw getoond. Trek het in als u het geheim niet heeft."})
	}
	t, secret, err := s.Service.CreateToken(c.Request().Context(), actor(c), breach.TokenRequest{Name: f.text("name"),
		Role: breach.Role(f.text("role")), Organisation: f.text("organisation")})
	end := s.adminEnding(c, nil, s.renderTokens)
	end.stored = func() error { return s.tokenCreated(c, t, secret) }
	return s.formEnd(c, f, "token", err, end)
}

func (s *Server) postRevoke(c echo.Context) error {
	f, err := readForm(c)
	if err != nil {
		return err
	}
	err = s.Service.RevokeToken(c.Request().Context(), actor(c), c.Param("id"))
	return s.formEnd(c, f, "intrekken", err, s.adminEnding(c, func() string { return "/beheer/tokens?opgeslagen=ingetrokken" }, s.renderTokens))
}

// sentForms remembers the forms sent in the last resendWindow by their
// form_key, so that one sent twice does its work once.
type sentForms struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// first reports whether key is sent for the first time; an empty key (a
// form without one) always is.
func (f *sentForms) first(key string, now time.Time) bool {
	if key == "" {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, at := range f.seen { // forget what is old, so that it cannot grow for ever
		if now.Sub(at) > resendWindow {
			delete(f.seen, k)
		}
	}
	if _, ok := f.seen[key]; ok {
		return false
	}
	f.seen[key] = now
	return true
}
