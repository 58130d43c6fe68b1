package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/breach/nl"
)

var supplierActor = breach.Actor{TokenID: "tok-acme", Name: "acme-prod", Role: breach.RoleSupplier, Organisation: "Acme BV"}

// session invites someone with a role, who accepts and enrols; it returns
// the cookie of the person's session.
func (s *signIn) session(email, name, function string, role breach.Role, org string) string {
	s.t.Helper()
	admin := breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}
	_, link, err := s.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: email, Name: name, Function: function, Role: role, Organisation: org})
	require.NoError(s.t, err)
	pending, err := s.svc.AcceptInvitation(ctx, strings.TrimPrefix(link, breach.InvitationPath), "een lange zin als wachtwoord", "")
	require.NoError(s.t, err)
	secret, _, err := s.svc.BeginEnrolment(ctx, pending)
	require.NoError(s.t, err)
	cookie, _, err := s.svc.GiveCode(ctx, pending, s.code(secret), "")
	require.NoError(s.t, err)
	return cookie
}

// person is a browser signed in as a new person with a role.
func (s *signIn) person(email, name, function string, role breach.Role, org string) *browser {
	s.t.Helper()
	cookie := s.session(email, name, function, role, org)
	b := newBrowser(s.t, s)
	u, err := url.Parse(b.base)
	require.NoError(s.t, err)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: api.SessionCookie, Value: cookie, Path: "/"}})
	return b
}

// file files the example report as a supplier and returns the breach.
func (s *signIn) file() *breach.Breach {
	s.t.Helper()
	b, _, err := s.svc.FileBreach(ctx, supplierActor, breachtest.ExampleFiling(s.now), "")
	require.NoError(s.t, err)
	return b
}

// assessment is a complete assessment form: limited identification of
// financial data sent to known recipients, concluded as a risk.
func assessmentForm() url.Values {
	return url.Values{"breach_types": {"confidentiality"}, "dpc": {"3"}, "ei": {"maximum"}, "cb.confidentiality": {"limited"},
		"cb.integrity": {"none"}, "cb.availability": {"none"}, "consequences": {"Ontvangers zien het inkomen van een ander."},
		"risk": {"risk"}, "reasoning": {"BSN en inkomen bij bekende ontvangers."},
		"deviation_reason": {"De ontvangers zijn gebeld en hebben de brieven vernietigd."}}
}

// The adviser and the controller handle a breach on the pages from the
// overview to closing; every form stores as the person, shows errors next
// to their fields in Dutch and keeps what was typed (issue 10).
func TestStaffHandleABreachOnThePages(t *testing.T) {
	s := newSignIn(t)
	b := s.file()
	adviser := s.person("k.visser@hetcak.example", "K. Visser", "Adviseur Privacy", breach.RoleAdviser, "")
	controller := s.person("m.bakker@hetcak.example", "M. Bakker", "Directeur", breach.RoleController, "")

	status, body, header := adviser.do("GET", "/overzicht", nil)
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, b.Reference)
	assert.Contains(t, body, "wacht op behandeling")
	assert.Contains(t, body, `data-state="met"><span>gehaald`, "the supplier's clock: the report came complete")
	assert.Contains(t, body, `data-due="2026-11-26T09:00:00Z">nog 3 dagen 0 uur`, "the AP's 72 hours from receipt")
	assert.Equal(t, "no-store", header.Get("Cache-Control"))
	assert.Contains(t, header.Get("Content-Security-Policy"), "frame-ancestors 'none'")

	page := "/datalekken/" + b.ID
	status, body, _ = adviser.do("GET", page, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Adresbestand verkeerd gekoppeld in de printstraat")
	assert.Contains(t, body, "In behandeling nemen")

	status, body, _ = adviser.do("POST", page+"/behandeling", url.Values{})
	require.Equal(t, http.StatusOK, status) // followed the redirect
	assert.Contains(t, body, "De melding is in behandeling genomen.")
	assert.Contains(t, body, `<form method="post" action="/datalekken/`+b.ID+`/beoordeling"`, "on to the assessment")

	form := assessmentForm()
	form.Del("reasoning")
	form.Set("consequences", "Wat ik al had getypt")
	status, body, _ = adviser.do("POST", page+"/beoordeling", form)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "De beoordeling is niet volledig of niet geldig.")
	assert.Regexp(t, `Onderbouwing <span class="field-error">is verplicht`, body, "the error next to its field")
	assert.Contains(t, body, "Wat ik al had getypt", "what was typed is kept")
	assert.Contains(t, body, `<li><a href="#reasoning">Onderbouwing: is verplicht</a></li>`, "the summary links to the field")

	form = assessmentForm()
	form.Del("deviation_reason")
	_, body, _ = adviser.do("POST", page+"/beoordeling", form)
	assert.Contains(t, body, "wijkt af van de aanbeveling ("+nl.Recommendation(breach.RecommendNotifyAuthorityAndSubjects)+")",
		"codes read as their Dutch names")
	assert.Contains(t, body, "de conclusie ("+nl.Risk(breach.RiskSome)+")")

	form = assessmentForm()
	form.Set("dpc", "drie")
	status, body, _ = adviser.do("POST", page+"/beoordeling", form)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "is geen geheel getal")
	status, body, _ = adviser.do("POST", page+"/vragen", url.Values{"question": {"Alles terug?"}, "due_at": {"morgen"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "is geen datum met tijd")
	_, body, _ = adviser.do("POST", page+"/vragen", url.Values{"question": {"Alles terug?"}, "due_at": {"2027-03-28T02:30"}})
	assert.Contains(t, body, "bestaat niet in Nederlandse tijd", "the hour skipped in March")
	_, body, _ = adviser.do("POST", page+"/vragen", url.Values{"question": {"Alles terug?"}, "due_at": {"2027-10-31T02:30"}})
	assert.Contains(t, body, "komt twee keer voor", "the hour repeated in October")
	stored, err := s.svc.FindBreach(ctx, breach.Actor{Role: breach.RoleAdviser, Name: "x"}, b.ID)
	require.NoError(t, err)
	assert.Empty(t, stored.Assessments, "a field that cannot be read stores nothing")
	assert.Empty(t, stored.Questions)

	status, body, _ = adviser.do("POST", page+"/ernst", assessmentForm())
	require.Equal(t, http.StatusOK, status, body)
	want, err := breach.Score(3, breach.EIMaximum, breach.Circumstances{Confidentiality: breach.ConfidentialityLimited,
		Integrity: breach.IntegrityNone, Availability: breach.AvailabilityNone})
	require.NoError(t, err)
	assert.Contains(t, body, `"severity":"`+nl.Severity(want.Level)+" (score "+nl.Score(want.Score)+`)"`, "the domain's score")
	assert.Contains(t, body, nl.Recommendation(breach.Recommend(want.Level)))

	status, body, _ = adviser.do("POST", page+"/beoordeling", assessmentForm())
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "De beoordeling is vastgelegd.")
	assert.Contains(t, body, `<option value="3" selected>`, "the next assessment starts from the latest")
	assert.Contains(t, body, `id="risk-risk" name="risk" value="risk" checked`)
	status, _, _ = adviser.do("POST", page+"/vragen", url.Values{"question": {"Zijn alle brieven terug?"}})
	require.Equal(t, http.StatusOK, status)
	status, body, _ = adviser.do("POST", page+"/andere-verantwoordelijken", url.Values{"controllers": {"; eerst zonder naam\nSVB; privacy@svb.example\n\n; zonder naam\n"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "regel 1: is verplicht; regel 4: is verplicht", "each line with a problem, as typed")
	assert.Contains(t, body, "\n; zonder naam", "what was typed is kept")
	status, body, _ = adviser.do("POST", page+"/andere-verantwoordelijken", url.Values{"controllers": {"SVB; privacy@svb.example\n"}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "<li>SVB (privacy@svb.example)</li>")
	earlier := s.now.Add(-30 * time.Minute).In(breach.Amsterdam).Format("2006-01-02T15:04")
	status, body, _ = adviser.do("POST", page+"/kennisname", url.Values{"aware_at": {earlier}, "reason": {"Telefonisch gemeld"}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "nog 2 dagen 23 uur", "the 72 hours from the earlier moment")
	status, body, _ = adviser.do("GET", page+"/brief", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Concept brief aan de betrokkenen: "+b.Reference)

	status, body, _ = controller.do("POST", page+"/besluit", url.Values{"notify_authority": {"ja"}, "inform_subjects": {"no"},
		"authority_reasoning": {"Risico voor de betrokkenen."},
		"subjects_reasoning":  {"Geen hoog risico."}})
	require.Equal(t, http.StatusOK, status, body)
	s.now = s.now.Add(20 * time.Minute) // within the sessions' idle time
	submitted := s.now.Add(-10 * time.Minute).In(breach.Amsterdam).Format("2006-01-02T15:04")
	status, body, _ = controller.do("POST", page+"/ap-meldingen", url.Values{"phase": {"initial"}, "submitted_at": {submitted},
		"reference": {"M-2026-0042"}})
	require.Equal(t, http.StatusOK, status, body)
	status, body, _ = controller.do("POST", page+"/afsluiten", url.Values{"outcome": {"handled"}, "reason": {"Gemeld bij de AP; brieven vernietigd."}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "Het datalek is afgesloten.")

	events, err := s.svc.ListEvents(ctx, breach.Actor{Role: breach.RoleAdviser, Name: "x"}, b.ID)
	require.NoError(t, err)
	by := map[breach.Action]string{}
	for _, e := range events {
		by[e.Action] = e.Actor.Label()
	}
	assert.Equal(t, "K. Visser, Adviseur Privacy", by[breach.ActionAssessed])
	assert.Equal(t, "K. Visser, Adviseur Privacy", by[breach.ActionQuestionAsked])
	assert.Equal(t, "M. Bakker, Directeur", by[breach.ActionDecided])
	assert.Equal(t, "M. Bakker, Directeur", by[breach.ActionAuthorityNotification])
	assert.Equal(t, "M. Bakker, Directeur", by[breach.ActionClosed])
	assert.Contains(t, body, "besluit vastgelegd, door M. Bakker, Directeur", "the page's timeline names the person")
	assert.Contains(t, body, "status gewijzigd: van nieuw naar in behandeling, door K. Visser, Adviseur Privacy")

	_, body, _ = adviser.do("GET", "/overzicht", nil)
	assert.NotContains(t, body, b.Reference, "a closed breach leaves the overview")
	_, body, _ = adviser.do("GET", "/register", nil)
	assert.Contains(t, body, b.Reference, "and stays in the register")
	status, body, header = adviser.do("GET", "/register/download?format=csv", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, header.Get("Content-Type"), "text/csv")
	assert.Contains(t, body, b.Reference)
}

// A supplier's staff reach no staff page and no breach page, not even of
// their own organisation's breach; nobody signed out reaches any (issue 10).
func TestStaffPagesAreStaffOnly(t *testing.T) {
	s := newSignIn(t)
	b := s.file()
	supplier := s.person("p.smit@acme.example", "P. Smit", "Productieleider", breach.RoleSupplier, "Acme BV")
	for _, path := range []string{"/overzicht", "/datalekken/" + b.ID, "/datalekken/" + b.ID + "/ap-formulier", "/register",
		"/register/download?format=csv"} {
		status, body, _ := supplier.do("GET", path, nil)
		assert.Equal(t, http.StatusNotFound, status, path)
		assert.NotContains(t, body, b.Report.Title, path)
	}
	operator := s.person("b.beheer@hetcak.example", "B. Beheer", "Functioneel beheerder", breach.RoleAdmin, "")
	for _, path := range []string{"/overzicht", "/datalekken/" + b.ID, "/register"} {
		status, body, _ := operator.do("GET", path, nil)
		assert.Equal(t, http.StatusNotFound, status, "the operator sees no breach content: %s", path)
		assert.NotContains(t, body, b.Report.Title, path)
	}
	for _, form := range []string{"behandeling", "beoordeling", "ernst", "vragen", "besluit", "ap-meldingen", "betrokkenen",
		"afsluiten", "kennisname", "andere-verantwoordelijken"} {
		status, body, _ := supplier.do("POST", "/datalekken/"+b.ID+"/"+form, assessmentForm())
		assert.Contains(t, []int{http.StatusNotFound, http.StatusForbidden}, status, form)
		assert.NotContains(t, body, b.Report.Title, form)
	}
	stored, err := s.svc.FindBreach(ctx, breach.Actor{Role: breach.RoleAdviser, Name: "x"}, b.ID)
	require.NoError(t, err)
	assert.Equal(t, breach.StatusNew, stored.Status, "nothing a supplier posted was stored")

	anonymous := newBrowser(t, s)
	anonymous.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	status, _, header := anonymous.do("GET", "/datalekken/"+b.ID, nil)
	assert.Equal(t, http.StatusSeeOther, status)
	assert.Equal(t, "/aanmelden", header.Get("Location"))
}

// A staff form posted from another site is refused, and nothing is stored;
// a session unused for 30 minutes sends the person to sign in again
// (issue 10).
func TestStaffFormsRefuseCrossSitePostsAndExpiredSessions(t *testing.T) {
	s := newSignIn(t)
	b := s.file()
	adviser := s.person("k.visser@hetcak.example", "K. Visser", "Adviseur Privacy", breach.RoleAdviser, "")
	adviser.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	page := "/datalekken/" + b.ID
	status, _, _ := adviser.do("POST", page+"/behandeling", url.Values{}, "Sec-Fetch-Site", "cross-site")
	assert.Equal(t, http.StatusForbidden, status)
	status, _, _ = adviser.do("POST", page+"/behandeling", url.Values{}, "Origin", "https://aanvaller.example")
	assert.Equal(t, http.StatusForbidden, status)
	stored, err := s.svc.FindBreach(ctx, breach.Actor{Role: breach.RoleAdviser, Name: "x"}, b.ID)
	require.NoError(t, err)
	assert.Equal(t, breach.StatusNew, stored.Status, "nothing stored")

	status, _, _ = adviser.do("GET", page, nil)
	require.Equal(t, http.StatusOK, status)
	s.now = s.now.Add(30 * time.Minute)
	status, _, header := adviser.do("GET", page, nil)
	assert.Equal(t, http.StatusSeeOther, status, "idle for 30 minutes")
	assert.Equal(t, "/aanmelden", header.Get("Location"))
	status, _, _ = adviser.do("POST", page+"/behandeling", url.Values{})
	assert.Equal(t, http.StatusSeeOther, status)
	stored, err = s.svc.FindBreach(ctx, breach.Actor{Role: breach.RoleAdviser, Name: "x"}, b.ID)
	require.NoError(t, err)
	assert.Equal(t, breach.StatusNew, stored.Status, "an expired session stores nothing")
}

// A link from a mail to a breach's page leads there after signing in, not
// to the home page; only a path of the service's own is followed (issue 10
// review).
func TestSignInReturnsToThePageAskedFor(t *testing.T) {
	s := newSignIn(t)
	b := s.file()
	_, secret, _ := s.enrolled("k.visser@hetcak.example")
	signInVia := func(br *browser) string {
		t.Helper()
		status, _, _ := br.do("POST", "/aanmelden", url.Values{"email": {"k.visser@hetcak.example"}, "password": {"een lange zin als wachtwoord"}})
		require.Equal(t, http.StatusOK, status)
		s.now = s.now.Add(30 * time.Second)
		status, body, _ := br.do("POST", "/aanmelden/code", url.Values{"code": {s.code(secret)}})
		require.Equal(t, http.StatusOK, status)
		return body
	}
	br := newBrowser(t, s)
	status, body, _ := br.do("GET", "/datalekken/"+b.ID+"#vraag", nil, "Accept", "text/html,application/xhtml+xml")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Aanmelden</h1>")
	status, _, _ = br.do("GET", "/meldingen/termijn?detected_at=2026-11-23T09:00", nil, "Accept", "*/*")
	require.Equal(t, http.StatusOK, status, "a script's request behind the page, after it: no page to come back to")
	assert.Contains(t, signInVia(br), "<h1>"+b.Reference+": "+b.Report.Title+"</h1>", "back at the breach")

	evil := newBrowser(t, s)
	u, err := url.Parse(evil.base)
	require.NoError(t, err)
	evil.client.Jar.SetCookies(u, []*http.Cookie{{Name: "datalek_terug", Value: "//aanvaller.example/", Path: "/"}})
	assert.Contains(t, signInVia(evil), "<h1>Open datalekken</h1>", "not to another site")

	question := newBrowser(t, s)
	question.client.Jar.SetCookies(u, []*http.Cookie{{Name: "datalek_terug", Value: "/meldingen/" + b.ID + "?vraag=q1", Path: "/"}})
	status, _, _ = question.do("POST", "/aanmelden", url.Values{"email": {"k.visser@hetcak.example"}, "password": {"een lange zin als wachtwoord"}})
	require.Equal(t, http.StatusOK, status)
	s.now = s.now.Add(30 * time.Second)
	question.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	status, _, header := question.do("POST", "/aanmelden/code", url.Values{"code": {s.code(secret)}})
	assert.Equal(t, http.StatusSeeOther, status)
	assert.Equal(t, "/meldingen/"+b.ID+"?vraag=q1#vraag-q1", header.Get("Location"), "a question's link lands at the question")
}

// A decision taken before a later assessment is shown as lapsed, and the
// forms that need a decision in force are not offered (issue 10 review).
func TestLapsedDecisionOnThePage(t *testing.T) {
	s := newSignIn(t)
	b := s.file()
	adviser := breach.Actor{AccountID: "acc-a", Name: "K. Visser", Function: "Adviseur Privacy", Role: breach.RoleAdviser}
	controller := s.person("m.bakker@hetcak.example", "M. Bakker", "Directeur", breach.RoleController, "")
	_, err := s.svc.StartTriage(ctx, adviser, b.ID)
	require.NoError(t, err)
	assess := func() {
		dpc := 1
		_, err := s.svc.Assess(ctx, adviser, b.ID, breach.AssessmentRequest{BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
			DPC: &dpc, EI: breach.EINegligible, CB: breach.Circumstances{Confidentiality: breach.ConfidentialityNone,
				Integrity: breach.IntegrityNone, Availability: breach.AvailabilityNone},
			Consequences: "Geen.", Risk: breach.RiskNone, Reasoning: "Laag.", DPCReason: "Alleen namen."})
		require.NoError(t, err)
	}
	assess()
	notify := true
	_, err = s.svc.Decide(ctx, breach.Actor{AccountID: "acc-c", Name: "M. Bakker", Function: "Directeur", Role: breach.RoleController}, b.ID,
		breach.DecisionRequest{NotifyAuthority: &notify, AuthorityReasoning: "Voor de zekerheid.", InformSubjects: breach.InformNo,
			SubjectsReasoning: "Geen hoog risico."})
	require.NoError(t, err)
	_, body, _ := controller.do("GET", "/datalekken/"+b.ID, nil)
	assert.Contains(t, body, `action="/datalekken/`+b.ID+`/ap-meldingen"`, "a decision in force: the AP form")
	assert.NotContains(t, body, "Dit besluit is vervallen")

	assess()
	_, body, _ = controller.do("GET", "/datalekken/"+b.ID, nil)
	assert.Contains(t, body, "Dit besluit is vervallen")
	assert.NotContains(t, body, `action="/datalekken/`+b.ID+`/ap-meldingen"`)
	assert.Contains(t, body, `action="/datalekken/`+b.ID+`/besluit"`, "a new decision can be taken")
}
