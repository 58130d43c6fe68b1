package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach"
	"datalek/breach/nl"
	"datalek/internal/browsertest"
)

// signInInBrowser signs an enrolled person in on the pages with password
// and a fresh code, and lands on the overview.
func signInInBrowser(t *testing.T, s *signIn, ctx context.Context, base, email, secret string) {
	t.Helper()
	onPage(t, ctx, browsertest.Open(t, ctx, base+"/aanmelden"), "Aanmelden")
	fill(t, ctx, "email", email)
	fill(t, ctx, "password", "een lange zin als wachtwoord")
	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Tweede factor")
	s.now = s.now.Add(30 * time.Second) // the enrolment's code is taken
	fill(t, ctx, "code", s.code(secret))
	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Open datalekken")
}

// tabTo presses Tab until the focus satisfies is, at most 80 times.
func tabTo(t *testing.T, ctx context.Context, what string, is func(browsertest.Element) bool) {
	t.Helper()
	for i := 0; !is(browsertest.Focused(t, ctx)); i++ {
		require.Less(t, i, 80, "%s is not reached with Tab", what)
		browsertest.Tab(t, ctx)
	}
}

// tabToID presses Tab until the element with the id has the focus.
func tabToID(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	tabTo(t, ctx, id, func(e browsertest.Element) bool { return e.ID == id })
}

// text is the text of the first element css selects.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, browsertest.Timeout)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(css)))
	require.NoError(t, err, css)
	return strings.TrimSpace(v)
}

// apiAssessment is the latest assessment as the JSON API gives it, read
// with an adviser's token.
func apiAssessment(t *testing.T, s *signIn, base, id string) breach.Assessment {
	t.Helper()
	_, token, err := s.svc.CreateToken(ctx, breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin},
		breach.TokenRequest{Role: breach.RoleAdviser, Name: "controle"})
	require.NoError(t, err)
	req, err := http.NewRequest("GET", base+"/api/v1/breaches/"+id+"/assessments", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, "%s", data)
	var list struct{ Items []breach.Assessment }
	require.NoError(t, json.Unmarshal(data, &list))
	require.NotEmpty(t, list.Items)
	return list.Items[len(list.Items)-1]
}

// In Chromium: the adviser signs in with password and code, finds the
// breach on the overview by its reference, takes it into handling, assesses
// it (the severity shown as the form is filled is the API's) and asks the
// supplier a question; every page passes axe-core (issue 10).
func TestBrowserAdviserAssessesAndAsks(t *testing.T) {
	s, base, ctx := browserSignIn(t)
	b := s.file()
	s.file() // another breach, which the search leaves out
	_, secret, _ := s.enrolled("k.visser@hetcak.example")
	signInInBrowser(t, s, ctx, base, "k.visser@hetcak.example", secret)
	assert.Equal(t, 2, browsertest.Eval[int](t, ctx, `document.querySelectorAll('table.overview tbody tr').length`))
	browsertest.Screenshot(t, ctx, "overzicht")

	fill(t, ctx, "f-kenmerk", b.Reference)
	onPage(t, ctx, click(t, ctx, ".filters button[type=submit]"), "Open datalekken")
	assert.Equal(t, 1, browsertest.Eval[int](t, ctx, `document.querySelectorAll('table.overview tbody tr').length`))
	title := b.Reference + ": " + b.Report.Title
	onPage(t, ctx, click(t, ctx, `a[href="/datalekken/`+b.ID+`"]`), title)
	assert.Contains(t, text(t, ctx, "#termijnen"), "nog 3 dagen 0 uur", "the AP's clock, on the service's clock: 30 s after receipt, to the minute")
	onPage(t, ctx, click(t, ctx, `form[action$="/behandeling"] button`), title)
	assert.Equal(t, "De melding is in behandeling genomen.", text(t, ctx, ".notice"))

	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.ID("type-confidentiality")),
		chromedp.SetValue(chromedp.ID("dpc"), "3"),
		chromedp.SetValue(chromedp.ID("ei"), "maximum"),
		chromedp.SetValue(chromedp.ID("cb-confidentiality"), "limited"),
		chromedp.SetValue(chromedp.ID("cb-integrity"), "none"),
		chromedp.SetValue(chromedp.ID("cb-availability"), "none"),
		chromedp.Click(chromedp.ID("cb-malicious")), // a change event: the preview asks the server
	)
	pctx, cancel := context.WithTimeout(ctx, browsertest.Timeout)
	defer cancel()
	_, err := chromedp.Run(pctx, chromedp.Poll[bool](`(e => !e.dataset.pending && e.textContent.includes('Ernst:'))(document.getElementById('ernst'))`))
	require.NoError(t, err, "the live severity appears")
	preview := text(t, ctx, "#ernst")
	fill(t, ctx, "consequences", "Ontvangers zien het inkomen van een ander.")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("risk-high")))
	fill(t, ctx, "reasoning", "BSN en inkomen bij onbekende ontvangers, met opzet.")
	onPage(t, ctx, click(t, ctx, `form[action$="/beoordeling"] button[type=submit]`), title)
	assert.Equal(t, "De beoordeling is vastgelegd.", text(t, ctx, ".notice"))

	as := apiAssessment(t, s, base, b.ID)
	shown := nl.Severity(as.Severity.Level) + " (score " + nl.Score(as.Severity.Score) + ")"
	assert.Contains(t, preview, "Ernst: "+shown, "the live severity is the API's")
	assert.Contains(t, preview, nl.Recommendation(as.Recommendation))
	assert.Contains(t, text(t, ctx, "#beoordeling"), nl.Severity(as.Severity.Level)+", score "+nl.Score(as.Severity.Score))

	fill(t, ctx, "question", "Zijn alle brieven terug?")
	onPage(t, ctx, click(t, ctx, `form[action$="/vragen"] button`), title)
	assert.Contains(t, text(t, ctx, "#vraag"), "Zijn alle brieven terug?")
	timeline := text(t, ctx, "#tijdlijn")
	assert.Contains(t, timeline, "beoordeling vastgelegd, door K. Visser, Adviseur Privacy")
	assert.Contains(t, timeline, "vraag gesteld aan de verwerker, door K. Visser, Adviseur Privacy")
	browsertest.Screenshot(t, ctx, "datalek")

	onPage(t, ctx, browsertest.Open(t, ctx, base+"/datalekken/"+b.ID+"/ap-formulier"), "Concept melding Autoriteit Persoonsgegevens: "+b.Reference)
	onPage(t, ctx, browsertest.Open(t, ctx, base+"/datalekken/"+b.ID+"/brief"), "Concept brief aan de betrokkenen: "+b.Reference)
	onPage(t, ctx, browsertest.Open(t, ctx, base+"/register"), "Datalekregister")
}

// With the keyboard only, the adviser reaches the assessment form from the
// top of the breach's page, fills it in and submits it; errors come back
// next to their fields, and the corrected form is stored (issue 10).
func TestBrowserAssessmentWithTheKeyboardOnly(t *testing.T) {
	s, base, ctx := browserSignIn(t)
	b := s.file()
	_, err := s.svc.StartTriage(ctx, breach.Actor{Role: breach.RoleAdviser, Name: "voorbereiding"}, b.ID)
	require.NoError(t, err)
	_, secret, _ := s.enrolled("k.visser@hetcak.example")
	signInInBrowser(t, s, ctx, base, "k.visser@hetcak.example", secret)
	title := b.Reference + ": " + b.Report.Title
	onPage(t, ctx, browsertest.Open(t, ctx, base+"/datalekken/"+b.ID), title)

	tabToID(t, ctx, "type-confidentiality") // the first box of the form: it is reachable
	key := func(k string, times int) {
		for range times {
			browsertest.Type(t, ctx, k)
		}
	}
	key(" ", 1) // tick vertrouwelijkheid
	steps := []struct {
		id   string
		down int // arrow-down presses on a select: its n-th option
	}{{"dpc", 3}, {"ei", 4}, {"cb-confidentiality", 2}, {"cb-integrity", 1}, {"cb-availability", 1}}
	for _, st := range steps {
		tabToID(t, ctx, st.id)
		key(kb.ArrowDown, st.down)
	}
	tabToID(t, ctx, "consequences")
	browsertest.Type(t, ctx, "Ontvangers zien het inkomen van een ander.")
	browsertest.Tab(t, ctx) // the first option of the conclusion
	key(kb.ArrowDown, 1)    // risico
	assert.Equal(t, string(breach.RiskSome), browsertest.Eval[string](t, ctx, `document.querySelector('input[name=risk]:checked').value`))
	tabTo(t, ctx, "the submit button", func(e browsertest.Element) bool { return e.Tag == "button" })
	assert.Equal(t, http.StatusUnprocessableEntity, browsertest.Enter(t, ctx), "no reasoning yet")
	browsertest.Axe(t, ctx) // the form with its errors
	assert.Contains(t, text(t, ctx, `label[for="reasoning"]`), "is verplicht", "the error next to its field")
	assert.Equal(t, "reasoning", browsertest.Focused(t, ctx).ID, "the focus on the first field with an error")
	assert.Equal(t, "Ontvangers zien het inkomen van een ander.", browsertest.Eval[string](t, ctx, `document.getElementById('consequences').value`),
		"what was typed is kept")

	browsertest.Type(t, ctx, "BSN en inkomen bij bekende ontvangers.")
	tabToID(t, ctx, "deviation_reason")
	browsertest.Type(t, ctx, "De ontvangers zijn gebeld en vernietigen de brieven.")
	tabTo(t, ctx, "the submit button", func(e browsertest.Element) bool { return e.Tag == "button" })
	onPage(t, ctx, browsertest.Enter(t, ctx), title)
	assert.Equal(t, "De beoordeling is vastgelegd.", text(t, ctx, ".notice"))
	as := apiAssessment(t, s, base, b.ID)
	assert.Equal(t, breach.RiskSome, as.Risk)
	assert.Equal(t, 3, as.DPC)
	assert.Equal(t, breach.EIMaximum, as.EI)
	assert.Equal(t, breach.ConfidentialityLimited, as.CB.Confidentiality)
}

// In Chromium: the controller signs in through the organisation's OpenID
// provider (a test provider), decides on the breach the adviser assessed,
// records the notification to the AP and closes it; the timeline then
// names each person with their function, and every page passes axe-core
// (issue 10).
func TestBrowserControllerDecidesNotifiesAndCloses(t *testing.T) {
	sso := newSSO(t, controllerClaims)
	s := sso.s
	ctx := browsertest.Start(t)
	b := s.file()
	adviser := breach.Actor{AccountID: "acc-visser", Name: "K. Visser", Function: "Adviseur Privacy", Role: breach.RoleAdviser}
	_, err := s.svc.StartTriage(ctx, adviser, b.ID)
	require.NoError(t, err)
	dpc := 3
	_, err = s.svc.Assess(ctx, adviser, b.ID, breach.AssessmentRequest{BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
		DPC: &dpc, EI: breach.EIMaximum, CB: breach.Circumstances{Confidentiality: breach.ConfidentialityLimited,
			Integrity: breach.IntegrityNone, Availability: breach.AvailabilityNone},
		Consequences: "Inkomen zichtbaar voor een ander.", Risk: breach.RiskSome, Reasoning: "Bekende ontvangers.",
		DeviationReason: "De ontvangers vernietigen de brieven."})
	require.NoError(t, err)

	onPage(t, ctx, browsertest.Open(t, ctx, sso.base+"/aanmelden"), "Aanmelden")
	onPage(t, ctx, click(t, ctx, `a[href="`+api.SSOStartPath+`"]`), "Open datalekken") // to the provider and back
	assert.Equal(t, "Aangemeld als M. Jansen, Verwerkingsverantwoordelijke", signedInAs(t, ctx))
	title := b.Reference + ": " + b.Report.Title
	onPage(t, ctx, click(t, ctx, `a[href="/datalekken/`+b.ID+`"]`), title)

	browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("notify-ja")), chromedp.SetValue(chromedp.ID("inform_subjects"), "no"))
	fill(t, ctx, "authority_reasoning", "Risico voor de betrokkenen: BSN en inkomen.")
	fill(t, ctx, "subjects_reasoning", "Geen hoog risico: de ontvangers zijn bekend.")
	onPage(t, ctx, click(t, ctx, `form[action$="/besluit"] button`), title)
	assert.Equal(t, "Het besluit is vastgelegd.", text(t, ctx, ".notice"))

	s.now = s.now.Add(10 * time.Minute)
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID("phase"), "initial"),
		chromedp.SetValue(chromedp.ID("submitted_at"), s.now.Add(-5*time.Minute).In(breach.Amsterdam).Format("2006-01-02T15:04")))
	fill(t, ctx, "reference", "M-2026-0042")
	onPage(t, ctx, click(t, ctx, `form[action$="/ap-meldingen"] button`), title)
	assert.Equal(t, "De melding bij de Autoriteit Persoonsgegevens is vastgelegd.", text(t, ctx, ".notice"))
	assert.Contains(t, text(t, ctx, "#termijnen"), "gehaald", "the 72 hours met")

	browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("outcome-handled")))
	fill(t, ctx, "close-reason", "Gemeld bij de AP; de brieven zijn vernietigd.")
	onPage(t, ctx, click(t, ctx, `form[action$="/afsluiten"] button`), title)
	assert.Equal(t, "Het datalek is afgesloten.", text(t, ctx, ".notice"))

	timeline := text(t, ctx, "#tijdlijn")
	for _, step := range []string{"beoordeling vastgelegd, door K. Visser, Adviseur Privacy",
		"besluit vastgelegd, door M. Jansen, Verwerkingsverantwoordelijke",
		"melding bij de Autoriteit Persoonsgegevens vastgelegd, door M. Jansen, Verwerkingsverantwoordelijke",
		"afgesloten, door M. Jansen, Verwerkingsverantwoordelijke"} {
		assert.Contains(t, timeline, step)
	}
	onPage(t, ctx, browsertest.Open(t, ctx, sso.base+"/overzicht"), "Open datalekken")
	assert.Equal(t, 0, browsertest.Eval[int](t, ctx, `document.querySelectorAll('table.overview tbody tr').length`), "closed: off the overview")
}
