package notify_test

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
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
	"datalek/store"
)

var ctx = context.Background()

// world is the service on a real bbolt file with a settable clock and a relay.
type world struct {
	now     time.Time
	db      *store.DB
	svc     *breach.Service
	relay   *notify.Relay
	supplie breach.Actor
}

func newWorld(t *testing.T, transport notify.Transport) *world {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "datalek.db"))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Check()); db.Close() })
	w := &world{now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), db: db,
		supplie: breach.Actor{TokenID: "t1", Name: "acme-prod", Role: breach.RoleSupplier, Organisation: "Acme BV"}}
	w.svc = breach.NewService(db)
	w.svc.Now = func() time.Time { return w.now }
	composer := &notify.Composer{From: "datalek@cak.example", BaseURL: "https://datalek.cak.example"}
	w.relay = notify.NewRelay(w.svc, composer, transport, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.relay.Backoff = notify.ExponentialBackoff(time.Minute, 10*time.Minute)
	return w
}

func (w *world) file(t *testing.T, f breach.Filing) *breach.Breach {
	t.Helper()
	b, _, err := w.svc.FileBreach(ctx, w.supplie, f, "")
	require.NoError(t, err)
	return b
}

// body returns the decoded text/plain and text/html parts of a message.
func body(t *testing.T, m *mail.Message) (text, html string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mt, "plain text with an HTML alternative")
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		var rd io.Reader = p
		switch p.Header.Get("Content-Transfer-Encoding") {
		case "quoted-printable":
			rd = quotedprintable.NewReader(p)
		case "base64":
			rd = base64.NewDecoder(base64.StdEncoding, p)
		}
		data, err := io.ReadAll(rd)
		require.NoError(t, err)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			text = string(data)
		case "text/html":
			html = string(data)
		}
	}
	require.NotEmpty(t, text, "text part")
	require.NotEmpty(t, html, "html part")
	return text, html
}

func subjectOf(t *testing.T, m *mail.Message) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	require.NoError(t, err)
	return s
}

func TestMailsOverRealSMTP(t *testing.T) {
	server := smtptest.New(t)
	server.User, server.Password = "datalek", "geheim-wachtwoord"
	transport, err := notify.NewSMTP("smtp://datalek:geheim-wachtwoord@"+server.Addr+"?tls=none", notify.TLS{})
	require.NoError(t, err)
	w := newWorld(t, transport)

	f := breachtest.ExampleFiling(w.now)
	f.Stage, f.Cause, f.Measures = breach.StagePreliminary, "", ""
	b := w.file(t, f)
	sent, err := w.relay.Flush(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, sent, "the new report and the acknowledgement")

	msgs := server.WaitFor(2, 5*time.Second)
	byTo := map[string]*mail.Message{}
	for _, m := range msgs {
		require.Len(t, m.To, 1)
		byTo[m.To[0]] = m.Parsed(t)
		assert.Equal(t, "datalek@cak.example", m.From)
	}

	filed := byTo[breach.DefaultMailTo]
	require.NotNil(t, filed, "the report goes to datalekken@hetcak.nl")
	assert.Equal(t, "[Datalek "+b.Reference+"] Nieuwe melding van Acme BV: Brieven naar verkeerd adres verstuurd (voorlopig)", subjectOf(t, filed))
	assert.Equal(t, "auto-generated", filed.Header.Get("Auto-Submitted"))
	filedID := filed.Header.Get("Message-Id")
	assert.Equal(t, "<datalek."+b.ID+".1.filed@datalek.cak.example>", filedID)
	assert.Empty(t, filed.Header.Get("In-Reply-To"), "the first mail starts the thread")
	text, html := body(t, filed)
	for _, want := range []string{
		"Acme BV heeft een (vermoedelijk) datalek gemeld op vrijdag 20 november 2026 10:00 (CET).",
		"Dit is een voorlopige melding. Nog niet gegeven: oorzaak, maatregelen.",
		"uiterlijk vrijdag 21 november 2026" /* not a real weekday: checked below */, "burgerservicenummer (BSN)",
		"Beschikking eigen bijdrage 2027, per post, 150 stuks", "gedeeltelijk teruggestuurd",
		"Melding Autoriteit Persoonsgegevens (72 uur na kennisname): kennisname vrijdag 20 november 2026 10:00 (CET); uiterlijk maandag 23 november 2026 10:00 (CET)",
		"https://datalek.cak.example/datalekken/" + b.ID, // the breach's page: the mailbox's readers are people
	} {
		if strings.Contains(want, "21 november") {
			assert.Contains(t, text, "uiterlijk zaterdag 21 november 2026 09:00 (CET)", "24 h after detection at 09:00 CET")
			continue
		}
		assert.Contains(t, text, want)
	}
	assert.Contains(t, html, "<th align=\"left\" valign=\"top\" style=\"padding-right: 12px;\">Oorzaak</th><td>(nog niet opgegeven)</td>")
	assert.Contains(t, html, "Acme BV heeft een (vermoedelijk) datalek gemeld")
	assert.NotContains(t, text, "/api/", "no JSON endpoint for a person (issue 10)")

	ack := byTo["j.jansen@acme.example"]
	require.NotNil(t, ack, "the acknowledgement goes to the reporter")
	assert.Equal(t, "[Datalek "+b.Reference+"] Ontvangstbevestiging van uw melding", subjectOf(t, ack))
	text, _ = body(t, ack)
	assert.Contains(t, text, "Beste J. Jansen,")
	assert.Contains(t, text, "ontvangen onder kenmerk "+b.Reference)
	assert.Contains(t, text, "Wat er nu gebeurt")

	// The 1-hour reminder goes to the reporter, in the reporter's thread; at
	// the deadline the escalation goes to the mailbox, in the mailbox's thread.
	w.now = b.ProcessorDue().Add(-time.Hour)
	_, err = w.svc.Sweep(ctx)
	require.NoError(t, err)
	w.now = b.ProcessorDue()
	_, err = w.svc.Sweep(ctx)
	require.NoError(t, err)
	sent, err = w.relay.Flush(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, sent, "the reminder, the mailbox's copy of it, the escalation")
	msgs = server.WaitFor(5, 5*time.Second)
	var reminder, escalation *mail.Message
	for _, m := range msgs[2:] {
		switch id := m.Parsed(t).Header.Get("Message-Id"); {
		case strings.Contains(id, ".alert.processor_reminder@"):
			assert.Equal(t, []string{"j.jansen@acme.example"}, m.To)
			reminder = m.Parsed(t)
		case strings.Contains(id, ".alert.processor_overdue@"):
			assert.Equal(t, []string{breach.DefaultMailTo}, m.To)
			escalation = m.Parsed(t)
		default:
			assert.Contains(t, id, ".alert.processor_reminder.mailbox@")
			assert.Equal(t, []string{breach.DefaultMailTo}, m.To)
		}
	}
	require.NotNil(t, reminder)
	require.NotNil(t, escalation)
	assert.Equal(t, "[Datalek "+b.Reference+"] Herinnering: volledige melding uiterlijk zaterdag 21 november 2026 09:00 (CET)", subjectOf(t, reminder))
	assert.Equal(t, ack.Header.Get("Message-Id"), reminder.Header.Get("In-Reply-To"))
	text, _ = body(t, reminder)
	assert.NotContains(t, text, "Autoriteit Persoonsgegevens", "the 72-hour clock is the controller's, not the reporter's")
	assert.Contains(t, text, "Verwerker: minimale gegevens volledig (24 uur na ontdekking)")
	assert.Equal(t, filedID, escalation.Header.Get("In-Reply-To"))
	assert.Equal(t, filedID, escalation.Header.Get("References"))
	assert.Contains(t, subjectOf(t, escalation), "Termijn verwerker verstreken: volledige melding ontbreekt")
	assert.NotContains(t, subjectOf(t, escalation), "nog", "at its deadline the time is up")
	text, _ = body(t, escalation)
	assert.Contains(t, text, "Nog niet gegeven: oorzaak, maatregelen. Neem contact op met de melder.")

	stats, err := w.db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, breach.MailStats{Pending: 0, Sent: 5}, stats)
}

func TestSMTPWithWrongPasswordIsRetried(t *testing.T) {
	server := smtptest.New(t)
	server.User, server.Password = "datalek", "goed"
	transport, err := notify.NewSMTP("smtp://datalek:fout@"+server.Addr+"?tls=none", notify.TLS{})
	require.NoError(t, err)
	w := newWorld(t, transport)
	w.file(t, breachtest.ExampleFiling(w.now))
	sent, err := w.relay.Flush(ctx)
	require.NoError(t, err)
	assert.Zero(t, sent)
	assert.Empty(t, server.Messages())
	stats, err := w.db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, stats.Pending, "refused mail stays queued")
}

func TestRelayRetriesWithBackoffUntilTheServerIsBack(t *testing.T) {
	server := smtptest.New(t)
	server.Stop()
	transport, err := notify.NewSMTP("smtp://"+server.Addr+"?tls=none", notify.TLS{})
	require.NoError(t, err)
	w := newWorld(t, transport)
	w.file(t, breachtest.ExampleFiling(w.now))

	for i, wait := range []time.Duration{0, time.Minute, 2 * time.Minute, 4 * time.Minute} {
		w.now = w.now.Add(wait)
		sent, err := w.relay.Flush(ctx)
		require.NoError(t, err)
		assert.Zero(t, sent, "attempt %d", i+1)
		due, err := w.db.DueMail(ctx, w.now, 10)
		require.NoError(t, err)
		assert.Empty(t, due, "after attempt %d nothing is due until the back-off has passed", i+1)
	}
	pending, err := w.db.DueMail(ctx, w.now.Add(time.Hour), 10)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	assert.Equal(t, 4, pending[0].Attempts)
	assert.Contains(t, pending[0].LastError, "connect")

	server.Start()
	w.now = w.now.Add(10 * time.Minute)
	sent, err := w.relay.Flush(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, sent)
	ids := map[string]int{}
	for _, m := range server.WaitFor(2, 5*time.Second) {
		ids[m.Parsed(t).Header.Get("Message-Id")]++
	}
	assert.Len(t, ids, 2)
	for id, n := range ids {
		assert.Equal(t, 1, n, "%s delivered once", id)
	}
}

func TestFilesTransport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	w := newWorld(t, notify.Files{Dir: dir})
	b := w.file(t, breachtest.ExampleFiling(w.now))
	sent, err := w.relay.Flush(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, sent)

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"datalek." + b.ID + ".1.filed.eml", "datalek." + b.ID + ".1.acknowledged.eml"}, names, "no temporary files left")
	data, err := os.ReadFile(filepath.Join(dir, "datalek."+b.ID+".1.filed.eml"))
	require.NoError(t, err)
	m, err := mail.ReadMessage(strings.NewReader(string(data)))
	require.NoError(t, err)
	assert.Equal(t, "<datalek."+b.ID+".1.filed@datalek.cak.example>", m.Header.Get("Message-Id"))

	// Sending the same mail again replaces its file: one mail, one file.
	composer := &notify.Composer{From: "datalek@cak.example", BaseURL: "https://datalek.cak.example"}
	msg, err := composer.Compose(breach.Notice{ID: b.ID + ".1.filed", Kind: breach.NoticeFiled, To: []string{"a@b.example"}, At: w.now, Breach: b})
	require.NoError(t, err)
	require.Equal(t, []error{nil}, notify.Files{Dir: dir}.Send(ctx, []*gomail.Msg{msg}))
	entries, _ = os.ReadDir(dir)
	assert.Len(t, entries, 2)
}

// Every kind of mail the service queues composes, and says what it is about.
func TestEveryNoticeComposes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	w := newWorld(t, notify.Files{Dir: dir})
	adviser := breach.Actor{TokenID: "a", Name: "adviseur", Role: breach.RoleAdviser}
	controller := breach.Actor{TokenID: "c", Name: "verantwoordelijke", Role: breach.RoleController}
	f := breachtest.ExampleFiling(w.now)
	f.Stage, f.Measures = breach.StagePreliminary, ""
	b := w.file(t, f)
	step := func(err error) {
		t.Helper()
		require.NoError(t, err)
		w.now = w.now.Add(time.Minute)
	}
	_, err := w.svc.AmendBreach(ctx, w.supplie, b.ID, breach.ReportPatch{Measures: ptrTo("Printstraat stilgezet")})
	step(err)
	_, err = w.svc.AddUpdate(ctx, w.supplie, b.ID, breach.UpdateRequest{Message: "Alle ontvangers gebeld"})
	step(err)
	_, err = w.svc.MoveAwareness(ctx, adviser, b.ID, breach.AwarenessRequest{AwareAt: b.ReceivedAt.Add(-time.Hour), Reason: "Telefonisch gemeld"})
	step(err)
	_, err = w.svc.StartTriage(ctx, adviser, b.ID)
	step(err)
	_, q, err := w.svc.Ask(ctx, adviser, b.ID, breach.QuestionRequest{Question: "Zijn alle brieven retour?"})
	step(err)
	w.now = q.DueAt.Add(-2 * time.Hour)
	_, err = w.svc.Sweep(ctx) // the question's reminder
	step(err)
	_, _, err = w.svc.Answer(ctx, w.supplie, b.ID, q.ID, breach.AnswerRequest{Answer: "Ja"})
	step(err)
	_, err = w.svc.Assess(ctx, adviser, b.ID, breach.AssessmentRequest{BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
		EI: "significant", CB: breach.Circumstances{Confidentiality: "limited", Integrity: "none", Availability: "none"},
		Consequences: "Bekende ontvangers", Risk: breach.RiskSome, Reasoning: "Brieven retour", DeviationReason: "Niet alle brieven retour"})
	step(err)
	_, err = w.svc.Decide(ctx, controller, b.ID, breach.DecisionRequest{NotifyAuthority: ptrTo(true), AuthorityReasoning: "Risico", InformSubjects: "planned"})
	step(err)
	_, err = w.svc.RecordAuthorityNotification(ctx, controller, b.ID, breach.AuthorityNotificationRequest{Phase: "initial",
		SubmittedAt: w.now, Reference: "AP-77", DelayReason: "Omvang laat duidelijk"})
	step(err)
	_, err = w.svc.RecordSubjectCommunication(ctx, controller, b.ID, breach.SubjectCommunicationRequest{SentAt: w.now,
		Channel: breach.SubjectLetter, Reached: ptrTo(150), Text: "Beste heer, mevrouw,\nUw brief is bij een ander terechtgekomen."})
	step(err)
	_, err = w.svc.Close(ctx, controller, b.ID, breach.CloseRequest{Outcome: "handled", Reason: "Afgehandeld"})
	step(err)
	_, err = w.svc.Digest(ctx)
	step(err)

	sent, err := w.relay.Flush(ctx)
	require.NoError(t, err)
	stats, err := w.db.MailStats(ctx)
	require.NoError(t, err)
	require.Zero(t, stats.Pending, "every mail composed and left")

	var subjects []string
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, sent)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		m, err := mail.ReadMessage(strings.NewReader(string(data)))
		require.NoError(t, err)
		subjects = append(subjects, subjectOf(t, m))
	}
	all := strings.Join(subjects, "\n")
	for _, want := range []string{
		"Nieuwe melding van Acme BV", "Ontvangstbevestiging", "Melding aangevuld: nu volledig", "Nieuwe ontwikkeling",
		"Start van de 72-uurstermijn verplaatst", "In behandeling genomen", "Vraag over uw melding",
		"Herinnering: antwoord op vraag 1", "Antwoord van Acme BV op vraag 1", "Beoordeling: risico, ernst gemiddeld (2,50)",
		"Besluit: melden bij de Autoriteit Persoonsgegevens; betrokkenen informeren: gepland",
		"Melding Autoriteit Persoonsgegevens: eerste melding (meldingsnummer AP-77)", "Afgesloten: afgehandeld",
		"Overzicht open datalekken",
	} {
		assert.Contains(t, all, want)
	}
}

func ptrTo[T any](v T) *T { return &v }

// A reporter's address that the server refuses for good does not block the
// queue: the mail is set aside, the privacy mailbox is told, the rest leaves.
func TestRefusedAddressIsSetAsideAndReported(t *testing.T) {
	server := smtptest.New(t)
	server.Refuse = func(rcpt string) bool { return rcpt == "j.jansen@acme.example" }
	transport, err := notify.NewSMTP("smtp://"+server.Addr+"?tls=none", notify.TLS{})
	require.NoError(t, err)
	w := newWorld(t, transport)
	b := w.file(t, breachtest.ExampleFiling(w.now))
	adviser := breach.Actor{TokenID: "a", Name: "adviseur", Role: breach.RoleAdviser}
	_, _, err = w.svc.Ask(ctx, adviser, b.ID, breach.QuestionRequest{Question: "Zijn alle brieven retour?"})
	require.NoError(t, err)

	_, err = w.relay.Flush(ctx) // the refusals are set aside and bounces queued
	require.NoError(t, err)
	_, err = w.relay.Flush(ctx) // the bounces leave
	require.NoError(t, err)
	stats, err := w.db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, stats.Pending, "nothing is stuck")
	assert.Equal(t, 2, stats.Dead, "the acknowledgement and the question to the reporter")

	var subjects []string
	for _, m := range server.Messages() {
		assert.Equal(t, []string{breach.DefaultMailTo}, m.To)
		subjects = append(subjects, subjectOf(t, m.Parsed(t)))
	}
	all := strings.Join(subjects, "\n")
	assert.Contains(t, all, "Nieuwe melding van Acme BV")
	assert.Contains(t, all, "Vraag 1 gesteld aan Acme BV", "the mailbox's copy of the question is not held up")
	assert.Equal(t, 2, strings.Count(all, "Mail aan j.jansen@acme.example niet afgeleverd"))
}
