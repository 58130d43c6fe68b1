package api_test

import (
	"net/http"
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

// accountsAPI is the test API with the passwords and codes the binary uses,
// so that a person invited through the API can sign in.
func accountsAPI(t *testing.T) *testAPI {
	ta := newTestAPI(t)
	ta.Service.Passwords, ta.Service.Codes = store.Passwords{}, api.TOTP{}
	return ta
}

// visserInvite is the person the tests invite.
var visserInvite = map[string]string{"email": "K.Visser@HetCAK.example", "name": "K. Visser", "function": "Adviseur Privacy", "role": "adviser"}

// inviteVisser invites K. Visser as the bootstrap operator and returns the
// response's body.
func inviteVisser(t *testing.T, ta *testAPI) map[string]any {
	t.Helper()
	res := ta.do("POST", "/api/v1/accounts", adminSecret, visserInvite)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	return res.JSON(t)
}

// invitationMails returns the invitation links queued for address.
func invitationMails(t *testing.T, ta *testAPI, address string) []string {
	t.Helper()
	due, err := ta.DB.DueMail(t.Context(), ta.Now.Add(time.Minute), 100)
	require.NoError(t, err)
	var links []string
	for _, m := range due {
		if m.Notice.Kind == breach.NoticeInvitation && m.Recipient == address {
			links = append(links, m.Notice.Invitation.Link)
		}
	}
	return links
}

// requireProblem checks that res is a problem document with status.
func requireProblem(t *testing.T, res response, status int) map[string]any {
	t.Helper()
	require.Equal(t, status, res.Status, "%s", res.Body)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	p := res.JSON(t)
	assert.EqualValues(t, status, p["status"])
	return p
}

// Every account route is the operator's: a supplier's, adviser's or
// controller's token gets 403, no token 401.
func TestAccountRoutesAreForAdminOnly(t *testing.T) {
	ta := accountsAPI(t)
	id := inviteVisser(t, ta)["id"].(string)
	tokens := map[string]string{
		"supplier":   ta.token("supplier", "Acme BV", "acme"),
		"adviser":    ta.token("adviser", "", "adviseur"),
		"controller": ta.token("controller", "", "verantwoordelijke"),
	}
	other := map[string]string{"email": "x@hetcak.example", "name": "X", "function": "Y", "role": "adviser"}
	routes := []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/accounts", other},
		{"GET", "/api/v1/accounts", nil},
		{"GET", "/api/v1/accounts/" + id, nil},
		{"POST", "/api/v1/accounts/" + id + "/block", nil},
		{"POST", "/api/v1/accounts/" + id + "/unblock", nil},
		{"POST", "/api/v1/accounts/" + id + "/reset-second-factor", nil},
		{"POST", "/api/v1/accounts/" + id + "/reinvite", nil},
		{"GET", "/api/v1/accounts/" + id + "/events", nil},
	}
	for _, r := range routes {
		for role, token := range tokens {
			p := requireProblem(t, ta.do(r.method, r.path, token, r.body), http.StatusForbidden)
			assert.Equal(t, "Geen toegang", p["title"], "%s %s as %s", r.method, r.path, role)
		}
		requireProblem(t, ta.do(r.method, r.path, "", r.body), http.StatusUnauthorized)
	}
	acc, err := ta.Service.FindAccount(t.Context(), breach.Actor{Name: "beheer", Role: breach.RoleAdmin}, id)
	require.NoError(t, err)
	assert.Equal(t, breach.AccountInvited, acc.Status, "nothing changed")
	assert.Len(t, invitationMails(t, ta, "x@hetcak.example"), 0, "nobody was invited")
}

// The operator invites a person: the account without secrets and the link,
// shown this once and mailed; the account is listed and read without the
// link; an address is one account.
func TestInviteAccount(t *testing.T) {
	ta := accountsAPI(t)
	res := ta.do("POST", "/api/v1/accounts", adminSecret, visserInvite)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	acc := res.JSON(t)
	id := acc["id"].(string)
	assert.Equal(t, "k.visser@hetcak.example", acc["email"], "kept in lower case")
	assert.Equal(t, "invited", acc["status"])
	assert.Equal(t, "bootstrap (admin)", acc["created_by"])
	assert.Equal(t, testStart.Format(time.RFC3339), acc["created_at"])
	link := acc["invitation_url"].(string)
	assert.True(t, strings.HasPrefix(link, breach.InvitationPath+id+"."), "the link's path: %s", link)
	for _, secret := range []string{"password_hash", "code_secret", "recovery_codes", "invitation"} {
		assert.NotContains(t, acc, secret)
	}
	assert.Equal(t, []string{link}, invitationMails(t, ta, "k.visser@hetcak.example"), "the same link is mailed")

	list := ta.do("GET", "/api/v1/accounts", adminSecret, nil)
	require.Equal(t, http.StatusOK, list.Status, "%s", list.Body)
	items := list.JSON(t)["items"].([]any)
	require.Len(t, items, 1)
	assert.Equal(t, id, items[0].(map[string]any)["id"])
	view := ta.do("GET", "/api/v1/accounts/"+id, adminSecret, nil)
	require.Equal(t, http.StatusOK, view.Status, "%s", view.Body)
	for _, body := range []response{list, view} {
		assert.NotContains(t, string(body.Body), link[len(breach.InvitationPath):], "the link is shown once")
		assert.NotContains(t, string(body.Body), "invitation")
	}
	assert.Equal(t, "K. Visser", view.JSON(t)["name"])
	requireProblem(t, ta.do("GET", "/api/v1/accounts/nope", adminSecret, nil), http.StatusNotFound)
	requireProblem(t, ta.do("GET", "/api/v1/accounts/nope/events", adminSecret, nil), http.StatusNotFound)

	again := map[string]string{"email": "k.visser@hetcak.example", "name": "K. Visser", "function": "Controller", "role": "controller"}
	p := requireProblem(t, ta.do("POST", "/api/v1/accounts", adminSecret, again), http.StatusConflict)
	assert.Equal(t, "In strijd met de huidige toestand", p["title"])
	assert.Contains(t, p["detail"], "k.visser@hetcak.example")
	assert.Len(t, invitationMails(t, ta, "k.visser@hetcak.example"), 1, "no second mail")

	supplier := map[string]string{"email": "j.jansen@acme.example", "name": "J. Jansen", "function": "Security officer",
		"role": "supplier", "organisation": "Acme BV"}
	res = ta.do("POST", "/api/v1/accounts", adminSecret, supplier)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	assert.Equal(t, "Acme BV", res.JSON(t)["organisation"])
}

// A bad body is a problem naming every field at once; unknown fields and
// bad JSON are 400.
func TestInviteAccountInvalid(t *testing.T) {
	ta := accountsAPI(t)
	p := requireProblem(t, ta.do("POST", "/api/v1/accounts", adminSecret,
		map[string]string{"email": "geen adres", "role": "supplier"}), http.StatusUnprocessableEntity)
	assert.Equal(t, "Ongeldige invoer", p["title"])
	assert.ElementsMatch(t, []string{"email", "name", "function", "organisation"}, fieldNames(t, p))
	p = requireProblem(t, ta.do("POST", "/api/v1/accounts", adminSecret,
		map[string]string{"email": "a@hetcak.example", "name": "A", "function": "B", "role": "adviser", "organisation": "Acme BV"}),
		http.StatusUnprocessableEntity)
	assert.Equal(t, []string{"organisation"}, fieldNames(t, p))
	p = requireProblem(t, ta.do("POST", "/api/v1/accounts", adminSecret,
		map[string]string{"email": "a@hetcak.example", "name": "A", "function": "B", "role": "god"}), http.StatusUnprocessableEntity)
	assert.Equal(t, []string{"role"}, fieldNames(t, p))
	p = requireProblem(t, ta.do("POST", "/api/v1/accounts", adminSecret, `{"email": "a@hetcak.example", "password": "x"}`), http.StatusBadRequest)
	assert.Equal(t, []string{"password"}, fieldNames(t, p))
	requireProblem(t, ta.do("POST", "/api/v1/accounts", adminSecret, `{"email": `), http.StatusBadRequest)

	list := ta.do("GET", "/api/v1/accounts", adminSecret, nil)
	assert.JSONEq(t, `{"items": []}`, string(list.Body), "nothing was created")
}

// accountCode is the second factor's code at the test API's clock.
func accountCode(t *testing.T, ta *testAPI, secret string) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, ta.Now, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	require.NoError(t, err)
	return c
}

const visserPassword = "een lange zin als wachtwoord"

// A blocked account signs in no more and its session ends; unblocked it
// signs in again; after a reset it enrols a new second factor. Every change
// is in the account's trail under the token's name.
func TestBlockUnblockAndResetAccount(t *testing.T) {
	ta := accountsAPI(t)
	ops := ta.token("admin", "", "ops-script")
	invited := inviteVisser(t, ta)
	id, link := invited["id"].(string), invited["invitation_url"].(string)
	ctx := t.Context()
	pending, err := ta.Service.AcceptInvitation(ctx, strings.TrimPrefix(link, breach.InvitationPath), visserPassword, "192.0.2.1")
	require.NoError(t, err)
	secret, _, err := ta.Service.BeginEnrolment(ctx, pending)
	require.NoError(t, err)
	cookie, _, err := ta.Service.GiveCode(ctx, pending, accountCode(t, ta, secret), "192.0.2.1")
	require.NoError(t, err)
	_, err = ta.Service.SessionActor(ctx, cookie)
	require.NoError(t, err)

	ta.Now = ta.Now.Add(time.Minute)
	res := ta.do("POST", "/api/v1/accounts/"+id+"/block", ops, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "blocked", res.JSON(t)["status"])
	assert.Equal(t, ta.Now.Format(time.RFC3339), res.JSON(t)["updated_at"])
	_, err = ta.Service.SessionActor(ctx, cookie)
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "the session ended")
	_, _, err = ta.Service.SignIn(ctx, "k.visser@hetcak.example", visserPassword, "192.0.2.1")
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "blocked")
	assert.Contains(t, err.Error(), "geblokkeerd")
	assert.Equal(t, "blocked", ta.do("GET", "/api/v1/accounts/"+id, adminSecret, nil).JSON(t)["status"])

	ta.Now = ta.Now.Add(time.Minute)
	res = ta.do("POST", "/api/v1/accounts/"+id+"/unblock", ops, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "active", res.JSON(t)["status"])
	_, stage, err := ta.Service.SignIn(ctx, "k.visser@hetcak.example", visserPassword, "192.0.2.1")
	require.NoError(t, err, "unblocked")
	assert.Equal(t, breach.StageSecondFactor, stage)
	p := requireProblem(t, ta.do("POST", "/api/v1/accounts/"+id+"/unblock", ops, nil), http.StatusConflict)
	assert.Contains(t, p["detail"], "niet geblokkeerd")
	p = requireProblem(t, ta.do("POST", "/api/v1/accounts/"+id+"/reinvite", ops, nil), http.StatusConflict)
	assert.Contains(t, p["detail"], "al aangenomen")

	ta.Now = ta.Now.Add(time.Minute)
	res = ta.do("POST", "/api/v1/accounts/"+id+"/reset-second-factor", ops, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.NotContains(t, res.JSON(t), "code_enrolled_at")
	assert.Equal(t, "invited", res.JSON(t)["status"])
	_, _, err = ta.Service.SignIn(ctx, "k.visser@hetcak.example", visserPassword, "192.0.2.1")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "the password alone enrols no factor of a thief's")
	links := invitationMails(t, ta, "k.visser@hetcak.example")
	require.Len(t, links, 2, "a new invitation, mailed to the person's own address")
	pending, err = ta.Service.AcceptInvitation(ctx, strings.TrimPrefix(links[1], breach.InvitationPath), visserPassword, "192.0.2.1")
	require.NoError(t, err)
	_, _, err = ta.Service.BeginEnrolment(ctx, pending)
	require.NoError(t, err, "a new second factor to enrol")

	for _, action := range []string{"block", "unblock", "reset-second-factor", "reinvite"} {
		requireProblem(t, ta.do("POST", "/api/v1/accounts/nope/"+action, ops, nil), http.StatusNotFound)
	}

	res = ta.do("GET", "/api/v1/accounts/"+id+"/events", adminSecret, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var byOperator []string
	for _, item := range res.JSON(t)["items"].([]any) {
		e := item.(map[string]any)
		assert.Equal(t, id, e["account_id"])
		if by, _ := e["by"].(string); by != "" {
			byOperator = append(byOperator, e["action"].(string)+" by "+by)
		}
	}
	assert.Equal(t, []string{"invited by bootstrap (admin)", "blocked by ops-script (admin)", "unblocked by ops-script (admin)",
		"second_factor_reset by ops-script (admin)"}, byOperator)
}

// An invitation not yet accepted is sent again with a new link; the old one
// stops working.
func TestReinviteAccount(t *testing.T) {
	ta := accountsAPI(t)
	invited := inviteVisser(t, ta)
	id, first := invited["id"].(string), invited["invitation_url"].(string)
	ta.Now = ta.Now.Add(time.Hour)
	res := ta.do("POST", "/api/v1/accounts/"+id+"/reinvite", adminSecret, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	again := res.JSON(t)
	second := again["invitation_url"].(string)
	assert.Equal(t, "invited", again["status"])
	assert.True(t, strings.HasPrefix(second, breach.InvitationPath+id+"."))
	assert.NotEqual(t, first, second)
	assert.Equal(t, []string{first, second}, invitationMails(t, ta, "k.visser@hetcak.example"), "mailed again")

	_, err := ta.Service.AcceptInvitation(t.Context(), strings.TrimPrefix(first, breach.InvitationPath), visserPassword, "")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "the old link stopped working")
	_, err = ta.Service.AcceptInvitation(t.Context(), strings.TrimPrefix(second, breach.InvitationPath), visserPassword, "")
	require.NoError(t, err)

	events := ta.do("GET", "/api/v1/accounts/"+id+"/events", adminSecret, nil).JSON(t)["items"].([]any)
	var actions []string
	for _, e := range events {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	assert.Equal(t, []string{"invited", "invited", "invitation_accepted"}, actions)
}

// An operator signed in with an account cannot block or reset its own
// (another operator must); an operator's token, which is no account, can
// block an operator's account. The API takes tokens only, so the rule is
// checked on the service behind it.
func TestOperatorCannotBlockItself(t *testing.T) {
	ta := accountsAPI(t)
	res := ta.do("POST", "/api/v1/accounts", adminSecret,
		map[string]string{"email": "beheer@hetcak.example", "name": "B. Heer", "function": "Beheerder", "role": "admin"})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	id := res.JSON(t)["id"].(string)
	acc, err := ta.Service.FindAccount(t.Context(), breach.Actor{Name: "beheer", Role: breach.RoleAdmin}, id)
	require.NoError(t, err)
	for _, change := range []breach.AccountChange{breach.ChangeBlock, breach.ChangeResetSecondFactor} {
		_, err = ta.Service.ChangeAccount(t.Context(), acc.Actor(), id, change)
		assert.Equal(t, breach.ECONFLICT, breach.ErrorCode(err), "%s", change)
	}
	res = ta.do("POST", "/api/v1/accounts/"+id+"/block", adminSecret, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "blocked", res.JSON(t)["status"])
}

// Every account route's answers, for every role, match /openapi.json.
func TestAccountResponsesMatchOpenAPI(t *testing.T) {
	w := newWorkflow(t)
	w.Service.Passwords, w.Service.Codes = store.Passwords{}, api.TOTP{}
	c := newContract(t, w)
	w.observe = c.check
	for _, role := range []string{"supplier", "adviser", "controller", "admin"} {
		res := w.do("POST", "/api/v1/accounts", w.tokens[role], map[string]string{"email": role + "@hetcak.example",
			"name": "N. " + role, "function": "Functie", "role": "controller"})
		id := "nope"
		if res.Status == http.StatusCreated {
			id = res.JSON(t)["id"].(string)
		}
		w.do("GET", "/api/v1/accounts", w.tokens[role], nil)
		for _, p := range []string{"", "/events"} {
			w.do("GET", "/api/v1/accounts/"+id+p, w.tokens[role], nil)
		}
		for _, action := range []string{"block", "unblock", "reset-second-factor", "unblock", "reinvite"} {
			w.do("POST", "/api/v1/accounts/"+id+"/"+action, w.tokens[role], nil)
		}
		w.do("GET", "/api/v1/accounts/"+id+"/events", w.tokens[role], nil)
	}
	w.do("POST", "/api/v1/accounts", adminSecret, map[string]string{"email": "admin@hetcak.example", "name": "X", "function": "Y", "role": "adviser"})
	w.do("POST", "/api/v1/accounts", adminSecret, map[string]string{"email": "x", "role": "supplier"})
	w.do("POST", "/api/v1/accounts", adminSecret, `{"wachtwoord": "x"}`)
	w.do("GET", "/api/v1/accounts/nope", adminSecret, nil)
}
