package api_test

import (
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gomail "github.com/wneessen/go-mail"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
)

// mailBase is the service's public URL in the mails of these tests.
const mailBase = "https://datalek.cak.example"

var mailLink = regexp.MustCompile(`https?://[^\s<>"]+`)

// Every mail two breaches send in their lives, read from the outbox and
// composed as the relay composes it, leads to a page that opens (200) for
// its reader signed in: the mailbox's links for the adviser, the
// reporter's (and those the mailbox is to pass on to a reporter without an
// e-mail address) for a supplier's staff member of the reporter's
// organisation, a question's at its question; an invitation's for whoever
// has the link (issue 11).
func TestEveryMailLinkOpensAPage(t *testing.T) {
	s := newSignIn(t)
	admin := breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin}
	_, err := s.svc.PutOrganisation(ctx, admin, "Acme BV", breach.OrganisationRequest{
		ContactOfficial: &breach.Contact{Name: "K. Visser", Email: "k.visser@hetcak.example"}})
	require.NoError(t, err)
	// Two preliminary reports, one by a reporter without an e-mail address;
	// a question on each; the sweep as the clock runs past the supplier's
	// deadlines and the AP's; the answer, the complete report, a
	// development; the digest.
	adviser := breach.Actor{AccountID: "acc-visser", Name: "K. Visser", Function: "Adviseur Privacy", Role: breach.RoleAdviser}
	var ids []string
	for _, email := range []string{"j.jansen@acme.example", ""} {
		f := breachtest.ExampleFiling(s.now)
		f.Stage, f.Cause, f.Reporter.Email = breach.StagePreliminary, "", email
		b, _, err := s.svc.FileBreach(ctx, supplierActor, f, "")
		require.NoError(t, err)
		_, err = s.svc.StartTriage(ctx, adviser, b.ID)
		require.NoError(t, err)
		_, _, err = s.svc.Ask(ctx, adviser, b.ID, breach.QuestionRequest{Question: "Zijn alle brieven terug?"})
		require.NoError(t, err)
		ids = append(ids, b.ID)
	}
	start := s.now
	for _, after := range []time.Duration{17 * time.Hour, 22 * time.Hour, 24 * time.Hour, 72 * time.Hour} {
		s.now = start.Add(after)
		_, err := s.svc.Sweep(ctx)
		require.NoError(t, err)
		if after == 24*time.Hour {
			_, _, err = s.svc.Answer(ctx, supplierActor, ids[0], "q1", breach.AnswerRequest{Answer: "Ja, alle 150."})
			require.NoError(t, err)
			cause := "Adresbestand verkeerd gekoppeld"
			_, err = s.svc.AmendBreach(ctx, supplierActor, ids[0], breach.ReportPatch{Cause: &cause})
			require.NoError(t, err)
			_, err = s.svc.AddUpdate(ctx, supplierActor, ids[0], breach.UpdateRequest{Message: "De printstraat draait weer."})
			require.NoError(t, err)
		}
	}
	_, err = s.svc.Digest(ctx)
	require.NoError(t, err)

	// The readers sign in now, days later: a session of the start would
	// have ended.
	readers := map[string]*browser{ // by the page a link leads to
		"/datalekken/":  s.person("k.visser@hetcak.example", "K. Visser", "Adviseur Privacy", breach.RoleAdviser, ""),
		"/meldingen/":   s.person("j.jansen@acme.example", "J. Jansen", "Security officer", breach.RoleSupplier, "Acme BV"),
		"/uitnodiging/": newBrowser(t, s), // nobody signed in: the link is the key
	}
	readers["/overzicht"] = readers["/datalekken/"]
	used := []string{"k.visser@hetcak.example", "j.jansen@acme.example"} // invitations accepted just now
	_, _, err = s.svc.InviteAccount(ctx, admin, breach.AccountRequest{Email: "p.de.vries@acme.example", Name: "P. de Vries",
		Function: "Productieleider", Role: breach.RoleSupplier, Organisation: "Acme BV"})
	require.NoError(t, err)

	mails, err := s.db.DueMail(ctx, s.now.Add(time.Hour), 1000)
	require.NoError(t, err)
	composer := &notify.Composer{From: "datalek@hetcak.example", BaseURL: mailBase}
	seen, opened := map[string]bool{}, map[string]bool{} // kinds and audiences; pages
	var supplierLinks []string
	for _, m := range mails {
		n := m.Notice
		what := string(n.Kind) + " " + alertOf(n) + " to " + string(n.Audience)
		seen[string(n.Kind)+alertOf(n)], seen[string(n.Audience)] = true, true
		if n.Kind == breach.NoticeInvitation && slices.Contains(used, m.Recipient) {
			continue // a link used once says so (api/pages_test.go)
		}
		links := mailLink.FindAllString(mailText(t, composer, n), -1)
		if n.Kind == breach.NoticeStaffAccess {
			continue // tells of a grant the operator undoes: no page of the reader's acts on it (notify/links_test.go)
		}
		require.NotEmpty(t, links, what)
		for _, link := range links {
			require.True(t, strings.HasPrefix(link, mailBase+"/"), "%s: %s", what, link)
			path := strings.TrimPrefix(link, mailBase)
			switch n.Audience {
			case breach.AudienceReporter:
				assert.True(t, strings.HasPrefix(path, "/meldingen/"), "%s: the reporter's link leads to the supplier's page: %s", what, path)
			case breach.AudienceMailbox, breach.AudienceContactOfficial:
				assert.False(t, strings.HasPrefix(path, "/meldingen/"), "%s: the mailbox's link leads to the staff's page: %s", what, path)
			}
			if strings.HasPrefix(path, "/meldingen/") {
				supplierLinks = append(supplierLinks, path)
			}
			if !opened[path] {
				opened[path] = true
				opens(t, readers, path, what)
			}
		}
	}
	for _, want := range []string{"filed", "acknowledged", "amended", "updated", "status", "question", "answer", "digest", "invitation",
		"alertprocessor_reminder", "alertprocessor_overdue", "alertquestion_reminder", "alertquestion_overdue", "alertauthority_reminder",
		"alertauthority_overdue", "mailbox", "reporter", "mailbox_for_reporter", "contact_official", "account"} {
		assert.True(t, seen[want], "no mail %s in the life of the breaches", want)
	}
	for _, id := range ids {
		assert.True(t, opened["/datalekken/"+id], "the mailbox's mails of %s lead to its page", id)
	}
	assert.True(t, opened["/overzicht"], "the digest leads to the overview")
	assert.Contains(t, supplierLinks, "/meldingen/"+ids[0]+"?vraag=q1#vraag-q1", "the question's mail leads to the question")
	assert.Contains(t, supplierLinks, "/meldingen/"+ids[1]+"?vraag=q1#vraag-q1", "so does the one the mailbox passes on")
}

// opens opens the page of a mail's link as the person the page is for, and
// expects it, not the sign-in page it would redirect to; a question's
// anchor is on the page.
func opens(t *testing.T, readers map[string]*browser, path, what string) {
	t.Helper()
	page, anchor, _ := strings.Cut(path, "#")
	var reader *browser
	for prefix, b := range readers {
		if strings.HasPrefix(page, prefix) {
			reader = b
		}
	}
	require.NotNil(t, reader, "%s: no reader for %s", what, path)
	res, err := reader.client.Get(reader.base + page)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode, "%s: %s", what, path)
	assert.Equal(t, page, res.Request.URL.RequestURI(), "%s: %s opens itself, not another page", what, path)
	if anchor != "" {
		assert.Contains(t, string(body), `id="`+anchor+`"`, "%s: %s", what, path)
	}
}

// mailText is the plain text of the mail the relay would send for n.
func mailText(t *testing.T, c *notify.Composer, n breach.Notice) string {
	t.Helper()
	m, err := c.Compose(n)
	require.NoError(t, err, n.ID)
	for _, p := range m.GetParts() {
		if p.GetContentType() == gomail.TypeTextPlain {
			text, err := p.GetContent()
			require.NoError(t, err)
			return string(text)
		}
	}
	t.Fatalf("%s: no plain text", n.ID)
	return ""
}

func alertOf(n breach.Notice) string {
	if n.Alert == nil {
		return ""
	}
	return string(n.Alert.Kind)
}
