package notify_test

import (
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
)

// TestSupplierMailShowsNoDeliberation composes every kind of mail about a
// breach full of the controller's deliberation for each audience: what goes
// to the reporter, or to the mailbox to be passed on, shows none of it,
// whatever the kind; what the mailbox keeps does. The secrets are markers
// that only the deliberation holds.
func TestSupplierMailShowsNoDeliberation(t *testing.T) {
	at := time.Date(2026, time.November, 23, 8, 30, 0, 0, time.UTC)
	b := &breach.Breach{ID: "b1", Reference: "DL-2026-0001", Organisation: "Acme BV", Status: breach.StatusClosed,
		Stage: breach.StageComplete, ReceivedAt: at.Add(-2 * time.Hour), AwareAt: at.Add(-30 * time.Hour),
		Report:      breachtest.ExampleFiling(at).Report,
		Assessments: []breach.Assessment{{Seq: 1, Risk: breach.RiskHigh, Reasoning: "GEHEIM-BEOORDELING", Consequences: "GEHEIM-GEVOLGEN"}},
		Decisions: []breach.Decision{{Seq: 1, NotifyAuthority: false, AuthorityReasoning: "GEHEIM-BESLUIT",
			InformSubjects: breach.InformNo, SubjectsReasoning: "GEHEIM-BETROKKENEN"}},
		AuthorityNotifications: []breach.AuthorityNotification{{Seq: 1, Phase: breach.PhaseInitial, Reference: "GEHEIM-AP-NUMMER", SubmittedAt: at}},
		Closure:                &breach.Closure{Outcome: breach.OutcomeHandled, Reason: "GEHEIM-AFSLUITING", ClosedAt: at},
		Questions:              []breach.Question{{ID: "q1", Question: "Hoeveel brieven?", AskedAt: at, DueAt: at.Add(24 * time.Hour)}},
	}
	secrets := []string{"GEHEIM-", "72 uur na kennisname"}
	kinds := []breach.NoticeKind{breach.NoticeFiled, breach.NoticeAcknowledged, breach.NoticeAmended, breach.NoticeStatus,
		breach.NoticeAssessment, breach.NoticeDecision, breach.NoticeClosed, breach.NoticeQuestion, breach.NoticeAnswer}
	var notices []breach.Notice
	for _, kind := range kinds {
		notices = append(notices, breach.Notice{ID: "b1.9." + string(kind), Kind: kind, Breach: b, At: at, Question: &b.Questions[0]})
	}
	for _, kind := range []breach.AlertKind{breach.AlertProcessorReminder, breach.AlertProcessorOverdue, breach.AlertQuestionReminder} {
		notices = append(notices, breach.Notice{ID: "b1.9.alert." + string(kind), Kind: breach.NoticeAlert, Breach: b, At: at,
			Alert: &breach.Alert{Kind: kind, DueAt: at.Add(time.Hour), QuestionID: "q1"}, Question: &b.Questions[0]})
	}
	controllers := map[breach.NoticeKind]bool{breach.NoticeStatus: true, breach.NoticeAssessment: true,
		breach.NoticeDecision: true, breach.NoticeClosed: true}
	for _, n := range notices {
		for _, aud := range []breach.Audience{breach.AudienceReporter, breach.AudienceMailboxForReporter, breach.AudienceMailbox} {
			n.Audience, n.To = aud, []string{"x@example.org"}
			if controllers[n.Kind] && aud != breach.AudienceMailbox {
				_, err := testComposer.Compose(n)
				require.Error(t, err, "%s is the controller's: not composed for %s", n.ID, aud)
				continue
			}
			raw, text := composed(t, n)
			_, html := body(t, parse(t, raw))
			if aud == breach.AudienceMailbox {
				continue
			}
			for _, secret := range secrets {
				assert.NotContains(t, text, secret, "%s to %s", n.ID, aud)
				assert.NotContains(t, html, secret, "%s to %s", n.ID, aud)
			}
		}
	}
	// The markers are there to be found: the mailbox's copy of the
	// handling mails shows them.
	_, text := composed(t, breach.Notice{ID: "b1.9.closed", Kind: breach.NoticeClosed, Audience: breach.AudienceMailbox,
		To: []string{"x@example.org"}, Breach: b, At: at})
	assert.Contains(t, text, "GEHEIM-AP-NUMMER")
	assert.Contains(t, text, "72 uur na kennisname")
}

// testComposer composes the mails of the tests that need no relay.
var testComposer = &notify.Composer{From: "datalek@cak.example", BaseURL: "https://datalek.cak.example"}

// composed composes n and returns the message as sent and its plain text.
func composed(t *testing.T, n breach.Notice) (raw, text string) {
	t.Helper()
	m, err := testComposer.Compose(n)
	require.NoError(t, err, "%s to %s", n.ID, n.Audience)
	var sb strings.Builder
	_, err = m.WriteTo(&sb)
	require.NoError(t, err)
	text, _ = body(t, parse(t, sb.String()))
	return sb.String(), text
}

func parse(t *testing.T, raw string) *mail.Message {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(raw))
	require.NoError(t, err)
	return m
}

// A token is no person: a handling mail names the role that acted and the
// token it used, and says plainly how the breach was closed (issue 9).
func TestHandlingMailNamesTheRoleAndSaysHowItClosed(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	b := &breach.Breach{ID: "b1", Reference: "DL-2026-K7QM4", Organisation: "Acme BV", Status: breach.StatusClosed,
		ReceivedAt: at, AwareAt: at, Report: breach.Report{Title: "Brieven", DetectedAt: at},
		Closure: &breach.Closure{Outcome: breach.OutcomeNoBreach, Reason: "Eigen organisatie", ClosedAt: at}}
	actor := breach.Actor{TokenID: "t2", Name: "cak-vv", Role: breach.RoleController}
	_, text := composed(t, breach.Notice{ID: "b1.2.closed", Kind: breach.NoticeClosed, Audience: breach.AudienceMailbox,
		To: []string{"x@example.org"}, Breach: b, At: at, Actor: &actor})
	assert.Contains(t, text, "De verwerkingsverantwoordelijke (token cak-vv) heeft de melding afgesloten: het is geen datalek.")
	assert.NotContains(t, text, "afgesloten als geen datalek")
}

// The contact official for the supplier's contract receives the new report
// as the privacy mailbox does (Bijlage 3 §2): the controller's side.
func TestNewReportForTheContactOfficial(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	b := &breach.Breach{ID: "b1", Reference: "DL-2026-K7QM4", Organisation: "Acme BV", Status: breach.StatusNew,
		ReceivedAt: at, AwareAt: at, Report: breach.Report{Title: "Brieven", DetectedAt: at, Cause: "Adresbestand verkeerd gekoppeld"}}
	raw, text := composed(t, breach.Notice{ID: "b1.1.filed.contact", Kind: breach.NoticeFiled, Audience: breach.AudienceContactOfficial,
		To: []string{"k.visser@hetcak.example"}, Breach: b, At: at})
	assert.Contains(t, text, "Adresbestand verkeerd gekoppeld")
	assert.Contains(t, text, "72 uur na kennisname", "the controller's clock: the official is the controller's")
	assert.Contains(t, raw, "To: <k.visser@hetcak.example>")
}

// The daily digest shows both duties of Bijlage 3: whether the supplier
// informed within the 24 hours, and the clock of the minimum facts.
func TestDigestShowsBothDutiesOfBijlage3(t *testing.T) {
	detected := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	b := &breach.Breach{ID: "b1", Reference: "DL-2026-K7QM4", Organisation: "Acme BV", Status: breach.StatusNew, Stage: breach.StagePreliminary,
		ReceivedAt: detected.Add(2 * time.Hour), AwareAt: detected.Add(2 * time.Hour), Report: breach.Report{Title: "Brieven", DetectedAt: detected}}
	at := detected.Add(30 * time.Hour)
	_, text := composed(t, breach.Notice{ID: "digest.2026-11-21", Kind: breach.NoticeDigest, Audience: breach.AudienceMailbox,
		To: []string{"x@example.org"}, At: at, Breaches: []*breach.Breach{b}})
	assert.Contains(t, text, "Er staat 1 datalek open.")
	assert.Contains(t, text, "| binnen 24 uur gemeld |", "the preliminary report came in time")
	assert.Contains(t, text, "verwerker: verstreken op", "the minimum facts did not")
}
