package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/internal/browsertest"
	"datalek/notify"
)

// typeMoment types a time into the datetime-local field that has the
// focus, key by key, as a person does: its parts in the order the
// browser's locale shows them (day or month first, a 12- or 24-hour
// clock), moving on from the year, which takes more digits, with the right
// arrow.
func typeMoment(t *testing.T, ctx context.Context, at time.Time) {
	t.Helper()
	parts := browsertest.Eval[[]struct{ Type, Value string }](t, ctx, fmt.Sprintf(`new Intl.DateTimeFormat(navigator.language,
		{year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'})
		.formatToParts(new Date(%d, %d, %d, %d, %d)).map(p => ({Type: p.type, Value: p.value}))`,
		at.Year(), at.Month()-1, at.Day(), at.Hour(), at.Minute()))
	for _, p := range parts {
		switch p.Type {
		case "literal":
		case "year":
			browsertest.Type(t, ctx, p.Value+kb.ArrowRight)
		case "dayPeriod":
			browsertest.Type(t, ctx, p.Value[:1])
		default:
			browsertest.Type(t, ctx, p.Value)
		}
	}
}

// In Chromium: a supplier's staff member invited by the operator enrols
// the second factor, files a preliminary report with the keyboard only
// (the 24 hours counting down from the detection typed), completes it,
// follows the question's mail to the question after signing in and
// answers it; the adviser sees the answer on the breach's page. Another
// supplier's staff member finds the report nowhere. axe-core on every
// page (issue 11).
func TestBrowserSupplierFilesCompletesAndAnswers(t *testing.T) {
	s, base, ctx := browserSignIn(t)
	admin := breach.Actor{AccountID: "acc-beheer", Name: "B. Beheer", Function: "Functioneel beheerder", Role: breach.RoleAdmin}
	_, link, err := s.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: "p.smit@drukkerij.example", Name: "P. Smit",
		Function: "Productieleider", Role: breach.RoleSupplier, Organisation: "Drukkerij Smit BV"})
	require.NoError(t, err)

	onPage(t, ctx, browsertest.Open(t, ctx, base+link), "Welkom bij de datalekdienst")
	fill(t, ctx, "password", "een lange zin als wachtwoord")
	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Tweede factor instellen")
	key := browsertest.Eval[string](t, ctx, `document.querySelector('code.secret').textContent`)
	fill(t, ctx, "code", s.code(key))
	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Uw herstelcodes")
	onPage(t, ctx, click(t, ctx, `a[href="/"]`), "Mijn meldingen") // a supplier's home
	assert.Equal(t, "Aangemeld als P. Smit, Productieleider", signedInAs(t, ctx))

	// With the keyboard only: to the form, a preliminary report, filed.
	tabTo(t, ctx, "the new report's link", func(e browsertest.Element) bool { return e.Tag == "a" && e.Text == "Nieuwe melding" })
	onPage(t, ctx, browsertest.Enter(t, ctx), "Melding doen")
	tabToID(t, ctx, "stage-complete")
	browsertest.Type(t, ctx, kb.ArrowDown) // the next option of the group: voorlopig
	assert.Equal(t, "preliminary", browsertest.Eval[string](t, ctx, `document.querySelector('input[name=stage]:checked').value`))
	tabToID(t, ctx, "detected_at")
	typeMoment(t, ctx, s.now.Add(-45*time.Minute).In(breach.Amsterdam))
	waitFor(t, ctx, `document.getElementById('termijn').textContent.includes('nog 23 uur 15 min')`,
		"the 24 hours from the detection typed, on the service's clock")
	browsertest.Screenshot(t, ctx, "melding-doen")
	submit := func(e browsertest.Element) bool { return e.Tag == "button" && e.Text == "Melding doen" }
	tabFar(t, ctx, "the button to file", submit) // past the catalogue's boxes
	assert.Equal(t, http.StatusUnprocessableEntity, browsertest.Enter(t, ctx), "no title")
	browsertest.Axe(t, ctx) // the form with its errors
	assert.Contains(t, text(t, ctx, `label[for="title"]`), "is verplicht", "the error next to its field")
	assert.Equal(t, "title", browsertest.Focused(t, ctx).ID, "the focus on the field with the error")
	assert.Equal(t, "p.smit@drukkerij.example", browsertest.Eval[string](t, ctx, `document.getElementById('reporter-email').value`),
		"the person's own address, filled in as the reporter's")
	browsertest.Type(t, ctx, "Brieven naar verkeerd adres verstuurd")
	tabFar(t, ctx, "the button to file", submit)
	title := "Brieven naar verkeerd adres verstuurd"
	status := browsertest.Enter(t, ctx)
	b := reportOf(t, s, "Drukkerij Smit BV")
	onPage(t, ctx, status, b.Reference+": "+title)
	assert.Equal(t, "Uw melding is ontvangen. De Adviseur Privacy heeft haar per e-mail gekregen.", text(t, ctx, ".notice"))
	assert.Equal(t, breach.StagePreliminary, b.Stage)
	assert.Equal(t, "P. Smit", b.Report.Reporter.Name, "the person as the reporter")

	// Completing it: only what is missing is asked.
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID("started_at"), dutchTime(s.now.Add(-3*time.Hour))),
		chromedp.Click(chromedp.ID("personal_data-naam")), chromedp.Click(chromedp.ID("personal_data-bsn")),
		chromedp.SetValue(chromedp.ID("sent_items-0-channel"), "post"), chromedp.Click(chromedp.ID("item_disposition-partly_returned")))
	fill(t, ctx, "cause", "Adresbestand verkeerd gekoppeld in de printstraat")
	fill(t, ctx, "subjects_min", "120")
	fill(t, ctx, "subjects_max", "150")
	fill(t, ctx, "sent_items-0-description", "Beschikking eigen bijdrage 2027")
	fill(t, ctx, "sent_items-0-count", "150")
	fill(t, ctx, "measures", "Printstraat stilgezet; ontvangers gebeld met verzoek te vernietigen")
	onPage(t, ctx, click(t, ctx, `#aanvullen button[value=aanvullen]`), b.Reference+": "+title)
	assert.Equal(t, "Uw aanvulling is ontvangen.", text(t, ctx, ".notice"))
	assert.Equal(t, breach.StageComplete, reportOf(t, s, "Drukkerij Smit BV").Stage)

	// A question, by mail: its link leads to the question after signing in.
	_, q, err := s.svc.Ask(ctx, adviserActor, b.ID, breach.QuestionRequest{Question: "Zijn alle brieven terug?"})
	require.NoError(t, err)
	path := questionLink(t, s, base, "p.smit@drukkerij.example")
	assert.Equal(t, "/meldingen/"+b.ID+"?vraag="+q.ID+"#vraag-"+q.ID, path)
	onPage(t, ctx, click(t, ctx, `form[action="/afmelden"] button`), "Aanmelden")
	onPage(t, ctx, browsertest.Open(t, ctx, base+path), "Aanmelden")
	fill(t, ctx, "email", "p.smit@drukkerij.example")
	fill(t, ctx, "password", "een lange zin als wachtwoord")
	onPage(t, ctx, click(t, ctx, "button[type=submit]"), "Tweede factor")
	s.now = s.now.Add(30 * time.Second) // a new code
	fill(t, ctx, "code", s.code(key))
	onPage(t, ctx, click(t, ctx, "button[type=submit]"), b.Reference+": "+title)
	assert.Equal(t, "#vraag-"+q.ID, browsertest.Eval[string](t, ctx, `location.hash`), "signed in, at the question")
	assert.Contains(t, text(t, ctx, "#vraag-"+q.ID), "Zijn alle brieven terug?")
	fill(t, ctx, "answer-"+q.ID, "Ja, alle 150 zijn terug of vernietigd.")
	onPage(t, ctx, click(t, ctx, "#vraag-"+q.ID+" button"), b.Reference+": "+title)
	assert.Equal(t, "Uw antwoord is doorgegeven aan de Adviseur Privacy.", text(t, ctx, ".notice"))
	onPage(t, ctx, click(t, ctx, `header a[href="/meldingen"]`), "Mijn meldingen")
	assert.Contains(t, text(t, ctx, "table.reports"), b.Reference)

	// The adviser sees the answer on the breach's page.
	onPage(t, ctx, click(t, ctx, `form[action="/afmelden"] button`), "Aanmelden")
	_, secret, _ := s.enrolled("k.visser@hetcak.example")
	signInInBrowser(t, s, ctx, base, "k.visser@hetcak.example", secret)
	onPage(t, ctx, browsertest.Open(t, ctx, base+"/datalekken/"+b.ID), b.Reference+": "+title)
	assert.Contains(t, text(t, ctx, "#vraag"), "Antwoord (maandag 23 november 2026 10:00 (CET), P. Smit, Productieleider): Ja, alle 150 zijn terug of vernietigd.")

	// Another supplier's staff member finds it nowhere.
	onPage(t, ctx, click(t, ctx, `form[action="/afmelden"] button`), "Aanmelden")
	signedInTab(t, ctx, base, s.session("a.de.wit@acme.example", "A. de Wit", "Directeur", breach.RoleSupplier, "Acme BV"))
	assert.Equal(t, http.StatusNotFound, browsertest.Open(t, ctx, base+"/meldingen/"+b.ID))
	assert.Equal(t, "Niet gevonden", text(t, ctx, "h1"))
	browsertest.Axe(t, ctx)
	onPage(t, ctx, browsertest.Open(t, ctx, base+"/meldingen"), "Mijn meldingen")
	assert.NotContains(t, text(t, ctx, "main"), b.Reference)
}

// tabFar presses Tab until the focus satisfies is, through a long form:
// the catalogue of personal data has some 60 boxes.
func tabFar(t *testing.T, ctx context.Context, what string, is func(browsertest.Element) bool) {
	t.Helper()
	for range 300 {
		if is(browsertest.Focused(t, ctx)) {
			return
		}
		browsertest.Tab(t, ctx)
	}
	t.Fatalf("%s is not reached with Tab", what)
}

// waitFor waits until the script's condition holds on the page.
func waitFor(t *testing.T, ctx context.Context, condition, what string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, browsertest.Timeout)
	defer cancel()
	_, err := chromedp.Run(tctx, chromedp.Poll[bool](condition))
	require.NoError(t, err, what)
}

// reportOf is the one report of an organisation, as the domain keeps it.
func reportOf(t *testing.T, s *signIn, org string) *breach.Breach {
	t.Helper()
	list, err := s.svc.ListBreaches(ctx, adviserActor, breach.BreachFilter{Organisation: org})
	require.NoError(t, err)
	require.Len(t, list.Breaches, 1)
	return list.Breaches[0]
}

// questionLink is the path of the link in the question's mail to the
// reporter at email, read from the outbox and composed as it is sent.
func questionLink(t *testing.T, s *signIn, base, email string) string {
	t.Helper()
	mails, err := s.db.DueMail(ctx, s.now.Add(time.Hour), 100)
	require.NoError(t, err)
	composer := &notify.Composer{From: "datalek@hetcak.example", BaseURL: base}
	for _, m := range mails {
		if m.Notice.Kind == breach.NoticeQuestion && m.Recipient == email {
			link := mailLink.FindString(mailText(t, composer, m.Notice))
			return strings.TrimPrefix(link, base)
		}
	}
	t.Fatalf("no question mailed to %s", email)
	return ""
}
