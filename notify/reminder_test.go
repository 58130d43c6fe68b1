package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify/smtptest"
)

// Issue 8, number 3: the mailbox gets its own copy of every reminder to the
// reporter, in its own thread, saying what the reporter was reminded of.
func TestRemindersToTheReporterHaveAMailboxCopy(t *testing.T) {
	server := smtptest.New(t)
	w := smtpWorld(t, server)
	f := breachtest.ExampleFiling(w.now)
	f.Stage, f.Measures = breach.StagePreliminary, ""
	b := w.file(t, f)
	adviser := breach.Actor{TokenID: "a", Name: "adviseur", Role: breach.RoleAdviser}
	_, q, err := w.svc.Ask(ctx, adviser, b.ID, breach.QuestionRequest{Question: "Zijn alle brieven retour?",
		DueAt: ptrTo(b.ProcessorDue().Add(3 * time.Hour))})
	require.NoError(t, err)
	flush(t, w)
	before := len(server.Messages())

	w.now = b.ProcessorDue().Add(-6 * time.Hour)
	_, err = w.svc.Sweep(ctx)
	require.NoError(t, err)
	w.now = q.DueAt.Add(-2 * time.Hour)
	_, err = w.svc.Sweep(ctx)
	require.NoError(t, err)
	flush(t, w)

	filedID := "<datalek." + b.ID + ".1.filed@datalek.cak.example>"
	subjects := map[string][]string{}
	for _, m := range server.Messages()[before:] {
		msg := m.Parsed(t)
		s := subjectOf(t, msg)
		subjects[m.To[0]] = append(subjects[m.To[0]], s)
		if m.To[0] == breach.DefaultMailTo && strings.Contains(s, "Herinnering") {
			assert.Equal(t, filedID, msg.Header.Get("In-Reply-To"), "%s: in the mailbox's thread", s)
			text, _ := body(t, msg)
			assert.Contains(t, text, "j.jansen@acme.example", "%s: says whom the reminder went to", s)
		}
	}
	reporter, mailbox := strings.Join(subjects["j.jansen@acme.example"], "\n"), strings.Join(subjects[breach.DefaultMailTo], "\n")
	assert.Contains(t, reporter, "Herinnering: volledige melding uiterlijk")
	assert.Contains(t, reporter, "Herinnering: antwoord op vraag 1")
	assert.Contains(t, mailbox, "Herinnering aan de melder: volledige melding uiterlijk")
	assert.Contains(t, mailbox, "Herinnering aan de melder: antwoord op vraag 1")
}
