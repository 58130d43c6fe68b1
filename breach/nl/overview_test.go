package nl_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
	"datalek/breach/nl"
)

// A countdown reads without colour, in words, to the minute; late reads as
// late (UI.md).
func TestCountdown(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		d    breach.Deadline
		want string
	}{
		{breach.Deadline{State: breach.DeadlineRunning, DueAt: now.Add(5*time.Hour + 12*time.Minute)}, "nog 5 uur 12 min"},
		{breach.Deadline{State: breach.DeadlineRunning, DueAt: now.Add(26*time.Hour + 30*time.Second)}, "nog 1 dag 2 uur"},
		{breach.Deadline{State: breach.DeadlineRunning, DueAt: now.Add(40 * time.Second)}, "nog 1 min"},
		{breach.Deadline{State: breach.DeadlineOverdue, DueAt: now.Add(-2 * time.Hour)}, "2 uur 0 min te laat"},
		{breach.Deadline{State: breach.DeadlineMet}, "gehaald"},
		{breach.Deadline{State: breach.DeadlineLate, LateBySeconds: 3 * 60}, "te laat gehaald (3 min)"},
		{breach.Deadline{State: breach.DeadlineStopped}, "n.v.t."},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, nl.Countdown(c.d, now))
	}
}

// What a breach waits for follows its status and clocks, most urgent first.
func TestWaiting(t *testing.T) {
	received := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b := &breach.Breach{Status: breach.StatusNew, Stage: breach.StagePreliminary, ReceivedAt: received, AwareAt: received,
		Report: breach.Report{DetectedAt: received.Add(-time.Hour)}}
	assert.Equal(t, "wacht op volledige melding; wacht op behandeling", nl.Waiting(b, received))
	assert.Equal(t, "AP-melding te laat; volledige melding te laat; wacht op behandeling", nl.Waiting(b, received.Add(73*time.Hour)))
	b.Stage, b.Status = breach.StageComplete, breach.StatusAssessed
	done := received
	b.CompletedAt = &done
	b.Questions = []breach.Question{{ID: "q1", Question: "?"}}
	assert.Equal(t, "besluit nodig; 1 open vraag aan de verwerker", nl.Waiting(b, received))
	b.Status, b.Decisions = breach.StatusDecided, []breach.Decision{{NotifyAuthority: true}}
	b.Questions = nil
	assert.Equal(t, "AP-melding nodig", nl.Waiting(b, received))
	b.Decisions = []breach.Decision{{NotifyAuthority: false, InformSubjects: breach.InformPlanned}}
	assert.Equal(t, "wacht op afronding; betrokkenen informeren", nl.Waiting(b, received))
}
