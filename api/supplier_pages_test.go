package api_test

import (
	"encoding/json"
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

// acmeStaff is a browser signed in as a supplier's staff member of Acme BV.
func (s *signIn) acmeStaff() *browser {
	s.t.Helper()
	return s.person("p.smit@acme.example", "P. Smit", "Productieleider", breach.RoleSupplier, "Acme BV")
}

// adviserActor asks questions through the domain, as the adviser would on
// the staff's pages.
var adviserActor = breach.Actor{AccountID: "acc-visser", Name: "K. Visser", Function: "Adviseur Privacy", Role: breach.RoleAdviser}

// dutchTime is an instant as a datetime-local field takes it.
func dutchTime(t time.Time) string { return t.In(breach.Amsterdam).Format("2006-01-02T15:04") }

// completeForm is the filing form filled in as a complete report, detected
// 45 minutes before now; the one sent item is typed in the second row.
func (s *signIn) completeForm() url.Values {
	return url.Values{"stage": {"complete"}, "title": {"Brieven naar verkeerd adres verstuurd"},
		"detected_at": {dutchTime(s.now.Add(-45 * time.Minute))}, "started_at": {dutchTime(s.now.Add(-3 * time.Hour))},
		"ongoing": {"nee"}, "cause": {"Adresbestand verkeerd gekoppeld in de printstraat"},
		"personal_data": {"naam", "bsn"}, "personal_data_other": {"kentekens\n\nother:klantnummers\n"},
		"subjects_min": {"120"}, "subjects_max": {"150"},
		"sent_items[0].description": {""}, "sent_items[1].description": {"Beschikking eigen bijdrage 2027"},
		"sent_items[1].channel": {"post"}, "sent_items[1].count": {"150"}, "sent_items[2].channel": {""},
		"item_disposition": {"partly_returned"}, "measures": {"Printstraat stilgezet"},
		"reporter.name": {"P. Smit"}, "reporter.function": {"Productieleider"}, "reporter.email": {"p.smit@acme.example"},
		"contract_reference": {"INK25.005"}, "filing_key": {"sleutel-1"}, "actie": {"melden"}}
}

// breaches are the breaches of Acme BV as the domain keeps them.
func (s *signIn) breaches() []*breach.Breach {
	s.t.Helper()
	list, err := s.svc.ListBreaches(ctx, adviserActor, breach.BreachFilter{Organisation: "Acme BV"})
	require.NoError(s.t, err)
	return list.Breaches
}

// A supplier's staff member files a complete report on the pages: the
// catalogue as grouped boxes, the person as the reporter, the 24 hours
// from the detection typed; the report is stored as the API would store it,
// under the person's name, and listed with its status (issue 11).
func TestSupplierFilesACompleteReport(t *testing.T) {
	s := newSignIn(t)
	smit := s.acmeStaff()
	status, body, header := smit.do("GET", "/meldingen/nieuw", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "no-store", header.Get("Cache-Control"))
	for _, c := range breach.Catalogue() {
		assert.Contains(t, body, `<input type="checkbox" id="personal_data-`+c.Code+`" name="personal_data" value="`+c.Code+`">`)
	}
	assert.Contains(t, body, "<legend>Naam en adres</legend>", "the catalogue by group")
	assert.Contains(t, body, `id="reporter-name" name="reporter.name" autocomplete="name" value="P. Smit"`, "the person as the reporter")
	assert.Contains(t, body, `<input type="radio" id="stage-complete" name="stage" value="complete" checked`)
	assert.Contains(t, body, `<script src="/static/supplier.js?v=`)

	status, body, _ = smit.do("GET", "/meldingen/termijn?detected_at="+dutchTime(s.now.Add(-45*time.Minute)), nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "nog 23 uur 15 min", "the 24 hours from the detection typed, on the service's clock")
	_, body, _ = smit.do("GET", "/meldingen/termijn?detected_at=", nil)
	assert.Contains(t, body, "Vul het moment van ontdekking in")
	_, body, _ = smit.do("GET", "/meldingen/termijn?detected_at=gisteren", nil)
	assert.Contains(t, body, "Het moment van ontdekking is geen datum met tijd", "why no countdown shows")
	_, body, _ = smit.do("GET", "/meldingen/termijn?detected_at=2027-03-28T02:30", nil)
	assert.Contains(t, body, "bestaat niet in Nederlandse tijd")
	_, body, _ = smit.do("GET", "/meldingen/termijn?detected_at="+dutchTime(s.now.Add(time.Hour)), nil)
	assert.Contains(t, body, "ligt in de toekomst")

	status, body, _ = smit.do("POST", "/meldingen", s.completeForm())
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "Uw melding is ontvangen.")
	list := s.breaches()
	require.Len(t, list, 1)
	b := list[0]
	assert.Contains(t, body, "<h1>"+b.Reference+": Brieven naar verkeerd adres verstuurd</h1>")
	assert.Equal(t, breach.StageComplete, b.Stage)
	assert.Equal(t, []string{"naam", "bsn", "other:kentekens", "other:klantnummers"}, b.Report.PersonalData)
	require.Len(t, b.Report.SentItems, 1, "empty rows do not count")
	assert.Equal(t, breach.SentItem{Description: "Beschikking eigen bijdrage 2027", Channel: breach.ChannelPost, Count: new(150)}, b.Report.SentItems[0])
	assert.Equal(t, s.now.Add(-45*time.Minute).Truncate(time.Minute), b.Report.DetectedAt)
	assert.Equal(t, new(false), b.Report.Ongoing)
	events, err := s.svc.ListEvents(ctx, adviserActor, b.ID)
	require.NoError(t, err)
	assert.Equal(t, "P. Smit, Productieleider", events[0].Actor.Label(), "filed under the person's name")

	status, _, _ = smit.do("POST", "/meldingen", s.completeForm())
	require.Equal(t, http.StatusOK, status, "the same form again: the same report")
	assert.Len(t, s.breaches(), 1, "not filed twice")
	again := s.completeForm()
	again.Set("title", "Iets anders")
	status, body, _ = smit.do("POST", "/meldingen", again)
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, body, "Deze melding is al gedaan met dit formulier")

	status, body, _ = smit.do("GET", "/meldingen", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `<a href="/meldingen/`+b.ID+`">`+b.Reference+`</a>`)
	assert.Contains(t, body, nl.Status(breach.StatusNew)+", "+nl.Stage(breach.StageComplete))
	assert.Contains(t, body, `data-state="met"><span>gehaald</span>`, "the 24 hours met")
}

// A preliminary report needs only the title, the detection and the
// reporter; errors come back next to their fields, named as the API names
// them, listed above the form with links, and what was typed is kept. A
// field that cannot be read stores nothing (issue 11).
func TestSupplierFilesAPreliminaryReportWithErrors(t *testing.T) {
	s := newSignIn(t)
	smit := s.acmeStaff()
	form := url.Values{"stage": {"preliminary"}, "title": {"Laptop kwijt"}, "detected_at": {dutchTime(s.now.Add(-time.Hour))},
		"reporter.name": {"P. Smit"}, "sent_items[1].description": {"Brief"}, "personal_data_other": {"\nkentekens\nkentekens"},
		"subjects_min": {"10"}, "subjects_max": {"5"}, "filing_key": {"k"}}
	status, body, _ := smit.do("POST", "/meldingen", form)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	assert.Contains(t, body, "De melding is niet volledig of niet geldig.")
	assert.Regexp(t, `Melder: wie de Adviseur Privacy kan bereiken <span class="field-error">geef een telefoonnummer of e-mailadres</span>`, body)
	assert.Contains(t, body, `<li><a href="#reporter-email">Melder: geef een telefoonnummer of e-mailadres</a></li>`)
	assert.Contains(t, body, `<label for="sent_items-0-channel">Hoe verstuurd <span class="field-error">kies er een</span></label>`,
		"the row typed, numbered as the domain names it")
	assert.Contains(t, body, `<li><a href="#sent_items-0-channel">Uiting 1, hoe verstuurd: kies er een</a></li>`)
	assert.Contains(t, body, `value="Brief"`, "what was typed is kept")
	assert.Contains(t, body, "Maximaal <span class=\"field-error\">is kleiner dan minimum aantal betrokkenen (10)</span>")
	assert.Contains(t, body, `regel 3: categorie &#34;kentekens&#34; staat er dubbel in`, "an other category by its line")
	assert.Empty(t, s.breaches())

	form.Set("detected_at", "gisteren")
	form.Set("reporter.phone", "+31 6 12345678")
	status, body, _ = smit.do("POST", "/meldingen", form)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "is geen datum met tijd")
	assert.Empty(t, s.breaches(), "a field that cannot be read stores nothing")

	form = url.Values{"stage": {"preliminary"}, "title": {"Laptop kwijt"}, "detected_at": {dutchTime(s.now.Add(-time.Hour))},
		"reporter.name": {"P. Smit"}, "reporter.phone": {"+31 6 12345678"}, "filing_key": {"k"}}
	status, body, _ = smit.do("POST", "/meldingen", form)
	require.Equal(t, http.StatusOK, status, body)
	list := s.breaches()
	require.Len(t, list, 1)
	b := list[0]
	assert.Equal(t, breach.StagePreliminary, b.Stage)
	assert.Contains(t, body, "Nog niet opgegeven:</strong> oorzaak, ontstaan op")
	assert.Contains(t, body, `<form method="post" action="/meldingen/`+b.ID+`/aanvullen" id="aanvullen"`)
	_, body, _ = smit.do("GET", "/meldingen", nil)
	assert.Contains(t, body, `<a href="/meldingen/`+b.ID+`#h-aanvullen">Melding aanvullen</a>: oorzaak,`, "what is still asked")
	assert.Contains(t, body, `data-due="2026-11-24T08:00:00Z">nog 23 uur 0 min`)
}

// "Meer regels" shows the form again with three more rows and what was
// typed; "Opslaan als concept" keeps the form on the person's account, to
// resume later (not shown to the operator); filing drops it (issue 11).
func TestSupplierDraftAndMoreRows(t *testing.T) {
	s := newSignIn(t)
	smit := s.acmeStaff()
	form := s.completeForm()
	form.Set("actie", "meer")
	form.Set("regels", "3")
	status, body, _ := smit.do("POST", "/meldingen", form)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `id="sent_items-5-description"`, "six rows")
	assert.NotContains(t, body, `id="sent_items-6-description"`)
	assert.Contains(t, body, `formaction="/meldingen#uiting-7"`)
	assert.Contains(t, body, `value="Beschikking eigen bijdrage 2027"`)
	assert.NotContains(t, body, "field-error", "not read yet")
	assert.Empty(t, s.breaches())

	form.Set("actie", "concept")
	form.Set("title", "Half af")
	status, body, _ = smit.do("POST", "/meldingen", form)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Uw concept is bewaard")
	assert.Empty(t, s.breaches(), "a draft is no report")

	resumed := s.person("p.smit2@acme.example", "P. Smit", "Productieleider", breach.RoleSupplier, "Acme BV")
	_, body, _ = resumed.do("GET", "/meldingen/nieuw", nil)
	assert.NotContains(t, body, "Half af", "a draft is the person's own")
	_, body, _ = smit.do("GET", "/meldingen/nieuw", nil)
	assert.Contains(t, body, "U gaat verder met uw concept van "+nl.Time(s.now))
	assert.Contains(t, body, `value="Half af"`)
	assert.Contains(t, body, `id="personal_data-bsn" name="personal_data" value="bsn" checked`)
	assert.Contains(t, body, "Concept weggooien")

	operator := s.person("b.beheer@hetcak.example", "B. Beheer", "Functioneel beheerder", breach.RoleAdmin, "")
	_, body, _ = operator.do("GET", "/beheer/accounts", nil)
	assert.NotContains(t, body, "Half af")
	accounts, err := s.svc.ListAccounts(ctx, breach.Actor{Role: breach.RoleAdmin, Name: "beheer"})
	require.NoError(t, err)
	for _, acc := range accounts {
		assert.Nil(t, acc.Draft, "the operator sees no draft")
	}

	form.Set("actie", "melden")
	status, body, _ = smit.do("POST", "/meldingen", form)
	require.Equal(t, http.StatusOK, status, body)
	assert.Len(t, s.breaches(), 1)
	_, body, _ = smit.do("GET", "/meldingen/nieuw", nil)
	assert.NotContains(t, body, "Half af", "filed: the draft is gone")
	assert.NotContains(t, body, "Concept weggooien")

	form.Set("actie", "concept")
	smit.do("POST", "/meldingen", form)
	status, body, _ = smit.do("POST", "/meldingen", url.Values{"actie": {"weggooien"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Het concept is weggegooid.")
	assert.NotContains(t, body, "Half af")
}

// On a report's page the supplier completes a preliminary report (only
// what is missing is asked), reports a development and answers a question;
// each with errors next to its field (issue 11).
func TestSupplierCompletesReportsAndAnswers(t *testing.T) {
	s := newSignIn(t)
	smit := s.acmeStaff()
	filing := url.Values{"stage": {"preliminary"}, "title": {"Laptop kwijt"}, "detected_at": {dutchTime(s.now.Add(-time.Hour))},
		"reporter.name": {"P. Smit"}, "reporter.email": {"p.smit@acme.example"}, "filing_key": {"k"}}
	status, _, _ := smit.do("POST", "/meldingen", filing)
	require.Equal(t, http.StatusOK, status)
	b := s.breaches()[0]
	page := "/meldingen/" + b.ID
	_, body, _ := smit.do("GET", page, nil)
	assert.NotContains(t, body, `name="title"`, "only what is missing")
	assert.Contains(t, body, `name="cause"`)
	assert.Contains(t, body, "Gegevens van Bijlage 3 volledig (binnen 24 uur na ontdekking):")
	assert.NotContains(t, body, "72 uur", "no trace of the controller's clock")

	status, body, _ = smit.do("POST", page+"/aanvullen", url.Values{"actie": {"aanvullen"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "vul ten minste een van de gegevens in")

	rest := s.completeForm()
	for _, f := range []string{"stage", "title", "detected_at", "reporter.name", "reporter.function", "reporter.email", "contract_reference", "filing_key", "ongoing"} {
		rest.Del(f)
	}
	rest.Set("actie", "aanvullen")
	rest.Set("item_disposition", "not_applicable")
	status, body, _ = smit.do("POST", page+"/aanvullen", rest)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "niet van toepassing (niets verstuurd) kan alleen als er niets is verstuurd", "codes in words")
	rest.Set("item_disposition", "destroyed")
	status, body, _ = smit.do("POST", page+"/aanvullen", rest)
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "Uw aanvulling is ontvangen.")
	assert.Contains(t, body, "<strong>Melding:</strong> "+nl.Stage(breach.StageComplete))
	assert.NotContains(t, body, `id="aanvullen"`)

	status, body, _ = smit.do("POST", page+"/ontwikkelingen", url.Values{"message": {" "}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `<li><a href="#message">Ontwikkeling: is verplicht</a></li>`)
	status, body, _ = smit.do("POST", page+"/ontwikkelingen", url.Values{"message": {"Alle brieven zijn terug."}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "P. Smit, Productieleider: Alle brieven zijn terug.")
	status, _, _ = smit.do("POST", page+"/ontwikkelingen", url.Values{"message": {"Alle brieven zijn terug."}})
	require.Equal(t, http.StatusOK, status, "the same development sent again (a double click)")
	again, err := s.svc.FindBreach(ctx, adviserActor, b.ID)
	require.NoError(t, err)
	assert.Len(t, again.Updates, 1, "stored once")

	_, q, err := s.svc.Ask(ctx, adviserActor, b.ID, breach.QuestionRequest{Question: "Zijn de brieven vernietigd?"})
	require.NoError(t, err)
	_, body, _ = smit.do("GET", "/meldingen", nil)
	assert.Contains(t, body, `<a href="/meldingen/`+b.ID+`#vraag-`+q.ID+`">Vraag beantwoorden</a>, uiterlijk `+nl.Time(q.DueAt))
	_, body, _ = smit.do("GET", page, nil)
	assert.Contains(t, body, `<article id="vraag-`+q.ID+`"`)
	assert.Contains(t, body, "<p>Zijn de brieven vernietigd?</p>", "the question's text, not the record behind it")
	assert.Contains(t, body, "Zijn de brieven vernietigd?")
	answer := page + "/vragen/" + q.ID + "/antwoord"
	status, body, _ = smit.do("POST", answer, url.Values{"answer": {""}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `<li><a href="#answer-`+q.ID+`">Antwoord: is verplicht</a></li>`)
	assert.Regexp(t, `<label for="answer-`+q.ID+`">Uw antwoord <span class="field-error">is verplicht`, body)
	status, body, _ = smit.do("POST", answer, url.Values{"answer": {"Ja, alle 150."}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Uw antwoord is doorgegeven")
	stored, err := s.svc.FindBreach(ctx, adviserActor, b.ID)
	require.NoError(t, err)
	assert.Equal(t, "Ja, alle 150.", stored.Questions[0].Answer)
	assert.Equal(t, "P. Smit, Productieleider", stored.Questions[0].AnsweredBy)
	status, body, _ = smit.do("POST", answer, url.Values{"answer": {"Ja, alle 150."}})
	assert.Equal(t, http.StatusOK, status, "the same answer sent again: no error page")
	assert.Contains(t, body, "Uw antwoord is doorgegeven")
	status, _, _ = smit.do("POST", answer, url.Values{"answer": {"Nogmaals"}})
	assert.Equal(t, http.StatusConflict, status, "answered already")
	status, _, _ = smit.do("POST", page+"/vragen/q9/antwoord", url.Values{"answer": {"?"}})
	assert.Equal(t, http.StatusNotFound, status)
}

// Another organisation's staff find another's report nowhere, and store
// nothing through its forms; staff and the operator have pages of their
// own and find nothing here; a form posted from another site is refused
// (issue 11).
func TestSupplierPagesAreTheOrganisationsOnly(t *testing.T) {
	s := newSignIn(t)
	b := s.file()
	_, q, err := s.svc.Ask(ctx, adviserActor, b.ID, breach.QuestionRequest{Question: "Hoeveel?"})
	require.NoError(t, err)
	other := s.person("a.de.wit@drukkerij.example", "A. de Wit", "Directeur", breach.RoleSupplier, "Drukkerij BV")
	adviser := s.person("k.visser@hetcak.example", "K. Visser", "Adviseur Privacy", breach.RoleAdviser, "")
	operator := s.person("b.beheer@hetcak.example", "B. Beheer", "Functioneel beheerder", breach.RoleAdmin, "")
	page := "/meldingen/" + b.ID
	for who, br := range map[string]*browser{"another supplier": other, "staff": adviser, "the operator": operator} {
		status, body, _ := br.do("GET", page, nil)
		assert.Equal(t, http.StatusNotFound, status, who)
		assert.Contains(t, body, "<h1>Niet gevonden</h1>", who)
		assert.NotContains(t, body, b.Report.Title, who)
		for _, form := range []string{"/aanvullen", "/ontwikkelingen", "/vragen/" + q.ID + "/antwoord"} {
			status, body, _ = br.do("POST", page+form, url.Values{"cause": {"x"}, "message": {"x"}, "answer": {"x"}})
			assert.Equal(t, http.StatusNotFound, status, "%s %s", who, form)
			assert.NotContains(t, body, b.Report.Title, who)
		}
	}
	_, body, _ := other.do("GET", page, nil)
	assert.Contains(t, body, `<a href="/meldingen/nieuw">Nieuwe melding</a>`, "not found, with a supplier's navigation")
	_, body, _ = other.do("GET", "/meldingen", nil)
	assert.NotContains(t, body, b.Reference)
	for _, path := range []string{"/meldingen", "/meldingen/nieuw"} {
		status, _, _ := adviser.do("GET", path, nil)
		assert.Equal(t, http.StatusNotFound, status, path)
		status, _, _ = operator.do("GET", path, nil)
		assert.Equal(t, http.StatusNotFound, status, path)
	}
	status, _, _ := adviser.do("POST", "/meldingen", s.completeForm())
	assert.Equal(t, http.StatusNotFound, status, "staff file through the API, on a supplier's behalf")
	stored, err := s.svc.FindBreach(ctx, adviserActor, b.ID)
	require.NoError(t, err)
	assert.Empty(t, stored.Updates)
	assert.Empty(t, stored.Questions[0].Answer)
	assert.Equal(t, b.Report.Cause, stored.Report.Cause)

	smit := s.acmeStaff()
	smit.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	status, _, _ = smit.do("POST", "/meldingen", s.completeForm(), "Sec-Fetch-Site", "cross-site")
	assert.Equal(t, http.StatusForbidden, status)
	status, _, _ = smit.do("POST", page+"/ontwikkelingen", url.Values{"message": {"x"}}, "Origin", "https://aanvaller.example")
	assert.Equal(t, http.StatusForbidden, status)
	assert.Len(t, s.breaches(), 1, "nothing filed from another site")
	status, body, _ = smit.do("GET", page, nil)
	require.Equal(t, http.StatusOK, status)
	assert.Empty(t, regexp.MustCompile(`Ontwikkelingen</h2>\s*<ul>`).FindString(body), "no development from another site")
	assert.True(t, strings.Contains(body, b.Report.Title), "the organisation's own")
}

// A draft is the person's own, for the organisation it was written for: a
// person moved to another organisation does not get it back; it is
// bounded, needs a person (not an integration's token) and leaves the
// account's trail alone (issue 11).
func TestSupplierDraftStaysWithItsOrganisation(t *testing.T) {
	s := newSignIn(t)
	s.session("p.smit@acme.example", "P. Smit", "Productieleider", breach.RoleSupplier, "Acme BV")
	acc, err := s.db.FindAccountByEmail(ctx, "p.smit@acme.example")
	require.NoError(t, err)
	trail, err := s.db.ListAccountEvents(ctx, acc.ID)
	require.NoError(t, err)
	smit := acc.Actor()
	_, err = s.svc.SaveDraft(ctx, smit, json.RawMessage(`{"title":["Half af"]}`))
	require.NoError(t, err)
	d, err := s.svc.Draft(ctx, smit)
	require.NoError(t, err)
	require.NotNil(t, d)
	assert.JSONEq(t, `{"title":["Half af"]}`, string(d.Form))
	moved := smit
	moved.Organisation = "Drukkerij BV"
	d, err = s.svc.Draft(ctx, moved)
	require.NoError(t, err)
	assert.Nil(t, d, "not for another organisation")
	after, err := s.db.ListAccountEvents(ctx, acc.ID)
	require.NoError(t, err)
	assert.Len(t, after, len(trail), "a draft is no change of the account")
	_, err = s.svc.ChangeAccountRole(ctx, breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}, acc.ID,
		breach.RoleSupplier, "Drukkerij BV")
	require.NoError(t, err)
	changed, err := s.db.FindAccountByEmail(ctx, "p.smit@acme.example")
	require.NoError(t, err)
	assert.Nil(t, changed.Draft, "another role or organisation: the old one's report being written is gone")

	_, err = s.svc.SaveDraft(ctx, smit, json.RawMessage(`"`+strings.Repeat("x", breach.MaxDraftBytes)+`"`))
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err))
	_, err = s.svc.SaveDraft(ctx, supplierActor, json.RawMessage(`{}`))
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "an integration's token has no account")

	colleague := s.person("q.de.graaf@acme.example", "Q. de Graaf", "Teamleider", breach.RoleSupplier, "Acme BV")
	status, body, _ := colleague.do("GET", "/meldingen?verder=onzin", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, status, "a page link that cannot be read")
	assert.Contains(t, body, "De zoekvraag is niet geldig.")
}
