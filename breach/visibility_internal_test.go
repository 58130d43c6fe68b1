package breach

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSideOfEveryReader(t *testing.T) {
	for _, tc := range []struct {
		reader string
		side   Side
		got    Side
	}{
		{"supplier token", SideSupplier, Actor{Role: RoleSupplier, Organisation: "Acme BV"}.Side()},
		{"adviser", SideController, Actor{Role: RoleAdviser}.Side()},
		{"controller", SideController, Actor{Role: RoleController}.Side()},
		{"admin (no breach data)", SideSupplier, Actor{Role: RoleAdmin}.Side()},
		{"the system", SideSupplier, System.Side()},
		{"a supplier's scope", SideSupplier, Actor{Role: RoleSupplier, Organisation: "Acme BV"}.Scope().Side()},
		{"staff scope", SideController, StaffScope().Side()},
		{"the zero scope", SideSupplier, Scope{}.Side()},
		{"mail to the mailbox", SideController, Notice{Audience: AudienceMailbox}.Side()},
		{"mail to the mailbox to pass on to a reporter without e-mail", SideSupplier, Notice{Audience: AudienceMailboxForReporter}.Side()},
		{"mail to the reporter", SideSupplier, Notice{Audience: AudienceReporter}.Side()},
		{"mail of no audience", SideSupplier, Notice{}.Side()},
	} {
		assert.Equal(t, tc.side, tc.got, tc.reader)
	}
}

func TestSupplierSeesNoDeliberation(t *testing.T) {
	received := time.Date(2026, time.November, 23, 8, 30, 0, 0, time.UTC)
	b := started(received.Add(-time.Hour), received, false)
	b.Assessments = []Assessment{{Seq: 1, Risk: RiskHigh}}
	b.Decisions = []Decision{{Seq: 1, NotifyAuthority: true}}
	b.Questions = []Question{{ID: "q1", Question: "Hoeveel brieven?"}}
	b.Version, b.TrailHash = 7, "abc"

	supplier := SideSupplier.Deadlines(b, received)
	assert.Equal(t, received.Add(23*time.Hour), supplier.Processor.DueAt)
	assert.Equal(t, DeadlineMet, supplier.Informed.State, "informed by the report itself, an hour after detection")
	assert.Nil(t, supplier.Authority, "the 72 hours are the controller's")
	controller := SideController.Deadlines(b, received)
	require.NotNil(t, controller.Authority)
	assert.Equal(t, received.Add(72*time.Hour), controller.Authority.DueAt)

	assert.Len(t, SideController.RunningDeadlines(b), 2)
	assert.Equal(t, []RunningDeadline{{ClockProcessor, received.Add(23 * time.Hour)}}, SideSupplier.RunningDeadlines(b))
	assert.True(t, SideSupplier.SeesClock(questionClock("q1")))
	assert.False(t, SideSupplier.SeesClock(Clock("controller_clock_to_come")), "a new clock is the controller's until named")

	b.AuthorityNotifications = []AuthorityNotification{{Seq: 1, Phase: PhaseInitial}}
	b.Closure = &Closure{Outcome: OutcomeHandled, Reason: "Afgehandeld na overleg"}

	seen := SideSupplier.Visible(b)
	assert.Nil(t, seen.Assessments)
	assert.Nil(t, seen.Decisions)
	assert.Nil(t, seen.AuthorityNotifications)
	assert.Nil(t, seen.Closure, "the reason for closing is the controller's")
	assert.Zero(t, seen.Alerting)
	assert.Zero(t, seen.Version, "would count the trail entries hidden from the supplier")
	assert.Zero(t, seen.TrailHash)
	assert.Equal(t, b.Questions, seen.Questions, "the supplier's own questions stay")
	assert.Equal(t, b.Report, seen.Report)
	assert.NotNil(t, b.Assessments, "the stored breach is not changed")
	assert.Same(t, b, SideController.Visible(b))

	hidden := []Action{ActionAssessed, ActionDecided, ActionAuthorityNotification, ActionClosed, ActionAwarenessMoved}
	events := []Event{{Seq: 1, Action: ActionFiled, Hash: "h1"}}
	for i, action := range hidden {
		events = append(events, Event{Seq: i + 2, Action: action, PrevHash: "h", Hash: "h"})
	}
	events = append(events, Event{Seq: 9, Action: ActionQuestionAsked, PrevHash: "h", Hash: "h9"})
	assert.Equal(t, []Event{{Action: ActionFiled}, {Action: ActionQuestionAsked}}, SideSupplier.VisibleEvents(slices.Clone(events)),
		"every entry of the deliberation is left out, and numbers and hashes that would show where")
	assert.Equal(t, events, SideController.VisibleEvents(slices.Clone(events)))
}

func TestMailAudienceAddressesAndThreads(t *testing.T) {
	mailbox := []string{"datalekken@hetcak.nl"}
	b := &Breach{ID: "b1", Version: 3, Report: Report{Reporter: Reporter{Name: "J. Jansen", Email: "j@acme.example"}}}
	b.queue(AudienceMailbox, mailbox, Notice{ID: b.thread(AudienceMailbox), Kind: NoticeFiled})
	b.queue(AudienceReporter, mailbox, Notice{ID: b.thread(AudienceReporter), Kind: NoticeAcknowledged})
	b.queue(AudienceReporter, mailbox, Notice{ID: b.noticeID(NoticeQuestion, ".reporter"), Kind: NoticeQuestion})
	b.queue(AudienceMailboxForReporter, mailbox, Notice{ID: b.noticeID(NoticeAlert, ""), Kind: NoticeAlert})
	got := b.PendingNotices()
	require.Len(t, got, 4)
	assert.Equal(t, mailbox, got[0].To)
	assert.Empty(t, got[0].ThreadID, "the first mail to the mailbox starts its thread")
	assert.Equal(t, []string{"j@acme.example"}, got[1].To)
	assert.Empty(t, got[1].ThreadID, "the acknowledgement starts the reporter's thread")
	assert.Equal(t, "b1.1.acknowledged", got[2].ThreadID)
	assert.Equal(t, mailbox, got[3].To)
	assert.Equal(t, "b1.1.filed", got[3].ThreadID)

	bounce := got[2].Bounce(mailbox, time.Date(2026, time.November, 23, 9, 0, 0, 0, time.UTC), "550 no such user")
	require.NotNil(t, bounce)
	assert.Equal(t, AudienceMailbox, bounce.Audience)
	assert.Equal(t, mailbox, bounce.To)
	assert.Equal(t, "b1.1.filed", bounce.ThreadID, "in the mailbox's thread of the breach")
	assert.Equal(t, "b1.3.question.reporter.bounce", bounce.ID)
	assert.Nil(t, got[0].Bounce(mailbox, time.Time{}, "550"), "mail to the mailbox itself has nobody else to tell")

	b.Reporter.Email = ""
	assert.Equal(t, AudienceMailboxForReporter, b.reporterAudience())
	assert.Equal(t, []Audience{AudienceMailboxForReporter}, b.alertAudiences(Alert{Kind: AlertProcessorReminder}))
	assert.Equal(t, []Audience{AudienceMailbox}, b.alertAudiences(Alert{Kind: AlertProcessorOverdue}))
}

// A supplier does not see the controller's 72-hour clock: not its start,
// not its alerts in the trail, not when the controller last recorded
// something (issue 8, number 10).
func TestSupplierSeesNoAuthorityClock(t *testing.T) {
	received := time.Date(2026, time.November, 23, 8, 30, 0, 0, time.UTC)
	b := started(received.Add(-time.Hour), received, false)
	b.AwareAt, b.UpdatedAt = received.Add(-5*time.Hour), received.Add(30*time.Hour)

	seen := SideSupplier.Visible(b)
	assert.Zero(t, seen.AwareAt, "the start of the 72 hours")
	assert.Zero(t, seen.UpdatedAt, "moves when staff record what the supplier cannot see")
	data, err := json.Marshal(seen)
	require.NoError(t, err)
	assert.NotContains(t, string(data), `"aware_at"`)
	assert.NotContains(t, string(data), `"updated_at"`)
	assert.Equal(t, received.Add(-5*time.Hour), SideController.Visible(b).AwareAt)

	alert := func(a Alert) Event { return Event{Action: ActionAlertRaised, Actor: System, Message: alertSummary(a)} }
	due := received.Add(72 * time.Hour)
	events := []Event{
		{Action: ActionFiled},
		alert(Alert{Kind: AlertProcessorReminder, Clock: ClockProcessor, DueAt: due}),
		alert(Alert{Kind: AlertAuthorityReminder, Clock: ClockAuthority, DueAt: due}),
		alert(Alert{Kind: AlertProcessorOverdue, Clock: ClockProcessor, DueAt: due, Collapsed: 2}),
		alert(Alert{Kind: AlertAuthorityOverdue, Clock: ClockAuthority, DueAt: due}),
		alert(Alert{Kind: AlertQuestionReminder, Clock: questionClock("q1"), DueAt: due, QuestionID: "q1"}),
		{Action: ActionAlertRaised, Message: "something unreadable"},
	}
	var kinds []string
	for _, e := range SideSupplier.VisibleEvents(slices.Clone(events)) {
		kind, _, _ := strings.Cut(e.Message, ":")
		kinds = append(kinds, string(e.Action)+" "+kind)
	}
	assert.Equal(t, []string{"breach.filed ", "alert.raised processor_reminder", "alert.raised processor_overdue",
		"alert.raised question_reminder"}, kinds)
	assert.Len(t, SideController.VisibleEvents(slices.Clone(events)), len(events))
}
