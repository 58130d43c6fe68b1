package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
)

func TestSweepRaisesEachAlertOnceAndQueuesItsMail(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	var prelim []*breach.Breach
	for i := range 3 {
		prelim = append(prelim, file(t, svc, acme, preliminary(fmt.Sprintf("voorlopig %d", i), start.Add(-time.Hour))))
	}
	file(t, svc, acme, filing("volledig", start.Add(-time.Hour)))
	queued := func() int {
		st, err := db.MailStats(ctx)
		require.NoError(t, err)
		return st.Pending
	}
	require.Equal(t, 5, queued(), "filed for each of 4; acknowledged only to the reporter with an e-mail address")

	n, err := svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing due at filing")

	c.t = prelim[0].ProcessorDue().Add(-6 * time.Hour)
	n, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "the 6-hour reminder of each preliminary report")
	assert.Equal(t, 8, queued(), "reporters without e-mail: the reminders go to the mailbox")
	n, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "a second sweep at the same moment raises nothing")

	// Completing one report stops its processor clock.
	_, err = svc.AmendBreach(ctx, acme, prelim[0].ID, breach.ReportPatch{
		Cause: ptr("x"), StartedAt: ptr(start.Add(-2 * time.Hour)), PersonalData: ptr([]string{"naam"}),
		SubjectsMin: ptr(1), SubjectsMax: ptr(1), SentItems: ptr([]breach.SentItem{}),
		ItemDisposition: ptr(breach.DispositionNotApplicable), Measures: ptr("y"),
	})
	require.NoError(t, err)
	c.t = prelim[0].ProcessorDue()
	n, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "escalations for the two still preliminary")

	events, err := svc.ListEvents(ctx, adviser, prelim[1].ID)
	require.NoError(t, err)
	var alerts []string
	for _, e := range events {
		if e.Action == breach.ActionAlertRaised {
			kind, _, _ := strings.Cut(e.Message, ":")
			alerts = append(alerts, kind)
			assert.Equal(t, breach.System, e.Actor)
		}
	}
	assert.Equal(t, []string{"processor_reminder", "processor_overdue"}, alerts)
}

func TestDigestOncePerDay(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	later := file(t, svc, acme, filing("later deadline", start.Add(-time.Hour)))
	c.t = start.Add(time.Minute)
	sooner := file(t, svc, acme, preliminary("sooner deadline", start.Add(-20*time.Hour)))

	c.t = time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC) // Monday 08:00 in Amsterdam
	queued, err := svc.Digest(ctx)
	require.NoError(t, err)
	assert.True(t, queued)
	queued, err = svc.Digest(ctx)
	require.NoError(t, err)
	assert.False(t, queued, "one digest a day, however often it is asked for")

	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	var digest *breach.Notice
	for _, m := range mails {
		if m.Notice.Kind == breach.NoticeDigest {
			digest = &m.Notice
		}
	}
	require.NotNil(t, digest)
	assert.Equal(t, "digest.2026-11-23", digest.ID)
	require.Len(t, digest.Breaches, 2)
	assert.Equal(t, []string{sooner.ID, later.ID}, []string{digest.Breaches[0].ID, digest.Breaches[1].ID}, "nearest deadline first")
}

func TestDecisionStopsTheAuthorityRemindersAndQuestionsHaveTheirOwn(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	controller := breach.Actor{TokenID: "tok-ctl", Name: "verantwoordelijke", Role: breach.RoleController}
	b, err := svc.FindBreach(ctx, adviser, file(t, svc, acme, filing("volledig", start.Add(-time.Hour))).ID) // a supplier's view has no aware_at
	require.NoError(t, err)
	kinds := func(id string) []string {
		events, err := svc.ListEvents(ctx, adviser, id)
		require.NoError(t, err)
		var ks []string
		for _, e := range events {
			if e.Action == breach.ActionAlertRaised {
				kind, _, _ := strings.Cut(e.Message, ":")
				ks = append(ks, kind)
			}
		}
		return ks
	}

	c.t = b.AuthorityDue().Add(-48 * time.Hour)
	_, err = svc.Sweep(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"authority_reminder"}, kinds(b.ID))

	_, q, err := svc.Ask(ctx, adviser, b.ID, breach.QuestionRequest{Question: "Zijn alle brieven retour?"})
	require.NoError(t, err)
	assert.Equal(t, c.t.Add(24*time.Hour), q.DueAt)
	_, err = svc.Assess(ctx, adviser, b.ID, breach.AssessmentRequest{BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
		EI: "limited", CB: breach.Circumstances{Confidentiality: "limited", Integrity: "none", Availability: "none"},
		Consequences: "beperkt", Risk: breach.RiskSome, Reasoning: "bekende ontvangers", DeviationReason: "niet alle brieven terug"})
	require.NoError(t, err)
	_, err = svc.Decide(ctx, controller, b.ID, breach.DecisionRequest{NotifyAuthority: ptr(true), AuthorityReasoning: "Risico", InformSubjects: "no", SubjectsReasoning: "geen hoog risico"})
	require.NoError(t, err)

	// Past the question's due time and the 72 hours: only the question alerts.
	for _, at := range []time.Time{q.DueAt.Add(-2 * time.Hour), q.DueAt, b.AuthorityDue(), b.AuthorityDue().Add(48 * time.Hour)} {
		c.t = at
		_, err = svc.Sweep(ctx)
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"authority_reminder", "question_reminder", "question_overdue",
		"authority_overdue", "question_overdue", "authority_overdue", "question_overdue"}, kinds(b.ID),
		"the decision stopped the reminders before the 72 hours; with no notification recorded the overdue alert still came, "+
			"at the deadline and once for the two days after; the open question alerted at its due time, a day later, and once for the two days after")

	got, err := svc.FindBreach(ctx, adviser, b.ID)
	require.NoError(t, err)
	assert.Equal(t, breach.DeadlineOverdue, got.DeadlinesAt(c.t).Authority.State, "decided to notify, not notified yet: still open")

	_, _, err = svc.Answer(ctx, acme, b.ID, q.ID, breach.AnswerRequest{Answer: "Ja, alle 150"})
	require.NoError(t, err)
	_, err = svc.RecordAuthorityNotification(ctx, controller, b.ID, breach.AuthorityNotificationRequest{Phase: breach.PhaseInitial,
		SubmittedAt: c.t, Reference: "AP-9", DelayReason: "Besluit laat uitgevoerd"})
	require.NoError(t, err)
	c.t = c.t.Add(72 * time.Hour)
	n, err := svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "an answered question and a notified AP alert no more")
}

// Issue 8, number 6: a fresh install mails no digest before the first breach
// is filed; from then on the daily digest comes on every working day, also
// when nothing is open, as a sign that the service and its mail work.
func TestNoDigestBeforeTheFirstBreach(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	c.t = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	queued, err := svc.Digest(ctx)
	require.NoError(t, err)
	assert.False(t, queued, "nothing was ever filed")
	st, err := db.MailStats(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Pending+st.Sent)

	b := file(t, svc, supplier("Acme BV"), filing("Eerste", c.t.Add(-time.Hour)))
	queued, err = svc.Digest(ctx)
	require.NoError(t, err)
	assert.True(t, queued, "the first breach is there: today's digest is still due")

	_, err = svc.Close(ctx, breach.Actor{TokenID: "c", Name: "verantwoordelijke", Role: breach.RoleController}, b.ID,
		breach.CloseRequest{Outcome: "no_breach", Reason: "Geen persoonsgegevens"})
	require.NoError(t, err)
	c.t = c.t.Add(24 * time.Hour)
	queued, err = svc.Digest(ctx)
	require.NoError(t, err)
	assert.True(t, queued, "nothing open: the digest says so")
}

// A decision to inform the people affected that is not carried out alerts
// the privacy mailbox after Schedule.SubjectsWithin, then daily, until a
// communication is recorded; a supplier sees none of it (issue 9).
func TestUnfulfilledDecisionToInformAlerts(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	controller := breach.Actor{TokenID: "tok-ctl", Name: "verantwoordelijke", Role: breach.RoleController}
	b := file(t, svc, acme, filing("volledig", start.Add(-time.Hour)))
	_, err := svc.Assess(ctx, adviser, b.ID, breach.AssessmentRequest{BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
		EI: "maximum", CB: breach.Circumstances{Confidentiality: "wide", Integrity: "none", Availability: "none"},
		Consequences: "Online", Risk: breach.RiskHigh, Reasoning: "Openbaar", DeviationReason: "Openbaar"})
	require.NoError(t, err)
	c.t = start.Add(2 * time.Hour)
	decided := c.t
	_, err = svc.Decide(ctx, controller, b.ID, breach.DecisionRequest{NotifyAuthority: ptr(false), AuthorityReasoning: "Geen",
		InformSubjects: breach.InformYes})
	require.NoError(t, err)
	subjectsAlerts := func() int { return alertsRaised(t, svc, b.ID, breach.AlertSubjectsOverdue) }

	c.t = decided.Add(72*time.Hour - time.Minute)
	_, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, subjectsAlerts(), "not yet")
	c.t = decided.Add(72 * time.Hour)
	_, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, subjectsAlerts())
	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	last := mails[len(mails)-1]
	assert.Equal(t, breach.NoticeAlert, last.Notice.Kind)
	assert.Equal(t, breach.AlertSubjectsOverdue, last.Notice.Alert.Kind)
	assert.Equal(t, breach.AudienceMailbox, last.Notice.Audience)
	c.t = decided.Add(96 * time.Hour)
	_, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, subjectsAlerts(), "daily")

	_, err = svc.RecordSubjectCommunication(ctx, controller, b.ID, breach.SubjectCommunicationRequest{SentAt: c.t,
		Channel: breach.SubjectLetter, Reached: ptr(10), Text: "Beste heer, mevrouw,"})
	require.NoError(t, err)
	c.t = decided.Add(200 * time.Hour)
	_, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, subjectsAlerts(), "carried out: no more")
	require.NoError(t, db.Check())

	events, err := svc.ListEvents(ctx, acme, b.ID)
	require.NoError(t, err)
	for _, e := range events {
		assert.NotContains(t, e.Message, string(breach.AlertSubjectsOverdue), "the controller's clock, not the supplier's")
	}
}
