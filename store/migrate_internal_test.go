package store

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
)

func TestInferAudienceOfLayout2Mail(t *testing.T) {
	mailbox, reporter := []string{"datalekken@hetcak.nl"}, "j@acme.example"
	reminder := &breach.Alert{Kind: breach.AlertProcessorReminder}
	for _, tc := range []struct {
		name     string
		id       string
		kind     breach.NoticeKind
		to       []string
		alert    *breach.Alert
		reporter string
		want     breach.Audience
	}{
		{"new report", "b.1.filed", breach.NoticeFiled, mailbox, nil, reporter, breach.AudienceMailbox},
		{"acknowledgement", "b.1.acknowledged", breach.NoticeAcknowledged, []string{reporter}, nil, reporter, breach.AudienceReporter},
		{"reminder to the reporter", "b.2.alert.processor_reminder", breach.NoticeAlert, []string{reporter}, reminder, reporter, breach.AudienceReporter},
		{"reminder for a reporter without e-mail", "b.2.alert.processor_reminder", breach.NoticeAlert, mailbox, reminder, "", breach.AudienceMailboxForReporter},
		{"question reminder for a reporter without e-mail", "b.4.alert.question_reminder", breach.NoticeAlert, mailbox,
			&breach.Alert{Kind: breach.AlertQuestionReminder}, "", breach.AudienceMailboxForReporter},
		{"the reporter's copy of a question", "b.3.question.reporter", breach.NoticeQuestion, []string{reporter}, nil, reporter, breach.AudienceReporter},
		{"the mailbox's copy of a question", "b.3.question", breach.NoticeQuestion, mailbox, nil, reporter, breach.AudienceMailbox},
		{"escalation", "b.5.alert.processor_overdue", breach.NoticeAlert, mailbox, &breach.Alert{Kind: breach.AlertProcessorOverdue}, reporter, breach.AudienceMailbox},
		{"a mailbox mail of a breach whose reporter is the mailbox", "b.6.decision", breach.NoticeDecision, mailbox, nil, mailbox[0], breach.AudienceMailbox},
		{"digest", "digest.2026-11-23", breach.NoticeDigest, mailbox, nil, "", breach.AudienceMailbox},
	} {
		assert.Equal(t, tc.want, inferAudience(tc.id, tc.kind, tc.to, tc.alert, tc.reporter), tc.name)
	}
}
