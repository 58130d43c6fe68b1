package notify_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gomail "github.com/wneessen/go-mail"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
	"datalek/notify/smtptest"
)

// mailsSent is every mail the service sends: each kind of notice (and of
// alert) with the audiences the domain queues it for (breach: filing.go,
// question.go, workflow.go's mailbox, alert.go's alertAudiences, notice.go's
// Bounce, the digest and the invitation).
var mailsSent = []struct {
	kind      breach.NoticeKind
	alert     breach.AlertKind
	audiences []breach.Audience
}{
	{breach.NoticeFiled, "", []breach.Audience{breach.AudienceMailbox, breach.AudienceContactOfficial}},
	{breach.NoticeAcknowledged, "", []breach.Audience{breach.AudienceReporter}},
	{breach.NoticeAmended, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeUpdated, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeAwareness, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeStatus, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeAssessment, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeDecision, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeNotification, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeSubjectsInformed, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeClosed, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeQuestion, "", []breach.Audience{breach.AudienceMailbox, breach.AudienceReporter, breach.AudienceMailboxForReporter}},
	{breach.NoticeAnswer, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeBounce, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeDigest, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeInvitation, "", []breach.Audience{breach.AudienceAccount}},
	{breach.NoticeStaffAccess, "", []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeAlert, breach.AlertProcessorReminder, []breach.Audience{breach.AudienceReporter, breach.AudienceMailbox, breach.AudienceMailboxForReporter}},
	{breach.NoticeAlert, breach.AlertProcessorOverdue, []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeAlert, breach.AlertAuthorityReminder, []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeAlert, breach.AlertAuthorityOverdue, []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeAlert, breach.AlertQuestionReminder, []breach.Audience{breach.AudienceReporter, breach.AudienceMailbox, breach.AudienceMailboxForReporter}},
	{breach.NoticeAlert, breach.AlertQuestionOverdue, []breach.Audience{breach.AudienceMailbox}},
	{breach.NoticeAlert, breach.AlertSubjectsOverdue, []breach.Audience{breach.AudienceMailbox}},
}

// pageLink is every address a mail may carry: a page, never a route of the
// API (issue 11).
var pageLink = regexp.MustCompile(`^https://datalek\.cak\.example(/datalekken/b1|/meldingen/b1(\?vraag=q1#vraag-q1)?|/overzicht|/uitnodiging/[A-Za-z0-9._-]+|/meldingen/nieuw|/aanmelden)$`)

var (
	textLink = regexp.MustCompile(`https?://[^\s<>"]+`)
	htmlLink = regexp.MustCompile(`href="([^"]*)"`)
)

// Every mail the service can send, to every audience it goes to, sent over
// SMTP and read back: it shows no route of the API and no JSON body, every
// link in it is a page; the reporter's lead to the supplier's page (a
// question to its question), the mailbox's to the staff's pages; what a
// reporter is to do is said in words (issue 11).
func TestEveryMailLeadsToAPage(t *testing.T) {
	covered := map[string]bool{}
	var notices []breach.Notice
	for _, m := range mailsSent {
		covered[string(m.kind)], covered[string(m.alert)] = true, true
		for _, aud := range m.audiences {
			covered[string(aud)] = true
			notices = append(notices, fullNotice(t, m.kind, m.alert, aud))
		}
	}
	for _, c := range constantsOf(t, "NoticeKind", "AlertKind", "Audience") {
		assert.True(t, covered[c], "%q is in no mail of the test: add it to mailsSent", c)
	}

	server := smtptest.New(t)
	transport, err := notify.NewSMTP("smtp://"+server.Addr+"?tls=none", notify.TLS{})
	require.NoError(t, err)
	msgs := make([]*gomail.Msg, len(notices))
	for i, n := range notices {
		msgs[i], err = testComposer.Compose(n)
		require.NoError(t, err, "%s", n.ID)
	}
	for i, err := range transport.Send(ctx, msgs) {
		require.NoError(t, err, "%s", notices[i].ID)
	}
	byID := map[string]smtptest.Message{}
	for _, m := range server.WaitFor(len(notices), 10*time.Second) {
		byID[m.Parsed(t).Header.Get("Message-Id")] = m
	}

	for _, n := range notices {
		m, ok := byID["<"+testComposer.MessageID(n.ID)+">"]
		require.True(t, ok, "%s was not received", n.ID)
		text, html := body(t, m.Parsed(t))
		for part, s := range map[string]string{"text": text, "html": html} {
			assert.NotContains(t, s, "/api/", "%s, %s part: no route of the API", n.ID, part)
			assert.NotContains(t, s, `{"`, "%s, %s part: no JSON", n.ID, part)
			assert.NotContains(t, s, "via de API", "%s, %s part", n.ID, part)
		}
		links := textLink.FindAllString(text, -1)
		if n.Kind != breach.NoticeStaffAccess { // tells of a grant the operator undoes: no page of the reader's acts on it
			require.NotEmpty(t, links, "%s: every mail leads to a page", n.ID)
		}
		for _, h := range htmlLink.FindAllStringSubmatch(html, -1) {
			links = append(links, strings.ReplaceAll(h[1], "&amp;", "&"))
		}
		for _, l := range links {
			assert.Regexp(t, pageLink, l, "%s", n.ID)
			switch n.Audience {
			case breach.AudienceReporter:
				assert.Contains(t, l, "/meldingen/b1", "%s: the reporter's mail leads to the supplier's page", n.ID)
			case breach.AudienceMailbox, breach.AudienceContactOfficial:
				assert.NotContains(t, l, "/meldingen/", "%s: the mailbox's mail leads to the staff's pages", n.ID)
			}
		}
	}

	// What a reporter is asked to do, in words, on the page where it is done.
	says := func(id, want string) {
		t.Helper()
		text, _ := body(t, byID["<"+testComposer.MessageID(id)+">"].Parsed(t))
		assert.Contains(t, text, want, id)
	}
	page := "https://datalek.cak.example/meldingen/b1"
	says("b1.question.reporter", "Beantwoord de vraag op "+page+"?vraag=q1#vraag-q1")
	says("b1.alert.question_reminder.reporter", "Beantwoord de vraag op "+page+"?vraag=q1#vraag-q1")
	says("b1.alert.question_reminder.mailbox_for_reporter", "Geef dit door aan de melder. Beantwoord de vraag op "+page+"?vraag=q1#vraag-q1")
	says("b1.alert.processor_reminder.reporter", "Vul de melding aan op "+page)
	says("b1.acknowledged.reporter", "Vul de melding aan, en meld nieuwe ontwikkelingen (artikel 9.2 van de verwerkersovereenkomst), op "+page)
	says("b1.question.mailbox_for_reporter", "Bekijk in de datalekdienst: https://datalek.cak.example/datalekken/b1")
	noAccount := "Nog geen account voor de datalekdienst? Vraag de beheerder van de datalekdienst om een uitnodiging"
	says("b1.question.reporter", noAccount) // a reporter whose organisation files through an integration
	says("b1.question.mailbox_for_reporter", noAccount)
}

// fullNotice is a notice of kind (and alert) for aud about a preliminary
// breach that has everything a mail can show: a question, a development,
// an assessment, a decision, a notification to the AP, a message to the
// people affected, a closure.
func fullNotice(t *testing.T, kind breach.NoticeKind, alert breach.AlertKind, aud breach.Audience) breach.Notice {
	at := time.Date(2026, time.November, 23, 8, 30, 0, 0, time.UTC)
	f := breachtest.ExampleFiling(at)
	f.Cause = ""
	b := &breach.Breach{ID: "b1", Reference: "DL-2026-0001", Organisation: "Acme BV", Status: breach.StatusDecided,
		Stage: breach.StagePreliminary, ReceivedAt: at.Add(-2 * time.Hour), AwareAt: at.Add(-2 * time.Hour), Report: f.Report,
		Updates:     []breach.Update{{Seq: 1, ReceivedAt: at, By: "acme-prod", Message: "Alle brieven retour"}},
		Assessments: []breach.Assessment{{Seq: 1, Risk: breach.RiskHigh, Reasoning: "BSN", BreachTypes: []breach.BreachType{breach.TypeConfidentiality}}},
		Decisions: []breach.Decision{{Seq: 1, NotifyAuthority: true, AuthorityReasoning: "Risico", InformSubjects: breach.InformYes,
			DecidedAt: at.Add(-time.Hour)}},
		AuthorityNotifications: []breach.AuthorityNotification{{Seq: 1, Phase: breach.PhaseInitial, Reference: "M-1", SubmittedAt: at}},
		SubjectCommunications:  []breach.SubjectCommunication{{Seq: 1, SentAt: at, Channel: breach.SubjectLetter, Reached: 150, Text: "Beste"}},
		Closure:                &breach.Closure{Outcome: breach.OutcomeHandled, Reason: "Afgehandeld", ClosedAt: at},
		Questions:              []breach.Question{{ID: "q1", Question: "Hoeveel brieven?", AskedAt: at, DueAt: at.Add(24 * time.Hour)}},
	}
	reporter, _ := json.Marshal(b.Reporter)
	items, _ := json.Marshal(b.SentItems)
	n := breach.Notice{ID: "b1." + string(kind), Kind: kind, Audience: aud, To: []string{"x@example.org"}, At: at, Breach: b,
		Question: &b.Questions[0], Update: &b.Updates[0], Reason: "Telefonisch gemeld",
		Notification: &b.AuthorityNotifications[0], Communication: &b.SubjectCommunications[0],
		Changes: []breach.Change{{Field: "reporter", Old: reporter, New: reporter}, {Field: "sent_items", Old: []byte("null"), New: items},
			{Field: "stage", Old: []byte(`"preliminary"`), New: []byte(`"complete"`)}, {Field: "subjects_max", Old: []byte("100"), New: []byte("150")}}}
	if alert != "" {
		n.ID += "." + string(alert)
		n.Alert = &breach.Alert{Kind: alert, DueAt: at.Add(time.Hour), QuestionID: "q1"}
	}
	n.ID += "." + string(aud)
	switch kind {
	case breach.NoticeDigest:
		n.Breach, n.Breaches = nil, []*breach.Breach{b}
	case breach.NoticeBounce:
		lost := fullNotice(t, breach.NoticeQuestion, "", breach.AudienceReporter)
		n.Bounced, n.Reason = &lost, "550 5.1.1 <x@example.org>: no such user"
	case breach.NoticeInvitation:
		n.Breach = nil
		n.Invitation = &breach.InvitationNotice{Name: "J. Jansen", Link: breach.InvitationPath + "acc1.geheim", ExpiresAt: at.Add(72 * time.Hour)}
	case breach.NoticeStaffAccess:
		n.Breach = nil
		n.StaffAccess = &breach.StaffAccessNotice{Holder: "B. Beheer, Functioneel beheerder", Means: breach.AccessAccount, Role: breach.RoleAdviser}
	}
	return n
}

// constantsOf is the value of every constant of the types named in package
// breach, read from its source, so that a kind of mail added later is not
// missed by the test.
func constantsOf(t *testing.T, types ...string) []string {
	t.Helper()
	files, err := filepath.Glob("../breach/*.go")
	require.NoError(t, err)
	var values []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		require.NoError(t, err)
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				typ, ok := vs.Type.(*ast.Ident)
				if !ok || !slices.Contains(types, typ.Name) {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, err := strconv.Unquote(lit.Value)
						require.NoError(t, err)
						values = append(values, s)
					}
				}
			}
		}
	}
	require.NotEmpty(t, values)
	return values
}
