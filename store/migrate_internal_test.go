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
		kind     breach.NoticeKind
		to       []string
		alert    *breach.Alert
		reporter string
		want     breach.Audience
	}{
		{"new report", breach.NoticeFiled, mailbox, nil, reporter, breach.AudienceMailbox},
		{"acknowledgement", breach.NoticeAcknowledged, []string{reporter}, nil, reporter, breach.AudienceReporter},
		{"reminder to the reporter", breach.NoticeAlert, []string{reporter}, reminder, reporter, breach.AudienceReporter},
		{"reminder for a reporter without e-mail", breach.NoticeAlert, mailbox, reminder, "", breach.AudienceMailboxForReporter},
		{"question reminder for a reporter without e-mail", breach.NoticeAlert, mailbox,
			&breach.Alert{Kind: breach.AlertQuestionReminder}, "", breach.AudienceMailboxForReporter},
		{"escalation", breach.NoticeAlert, mailbox, &breach.Alert{Kind: breach.AlertProcessorOverdue}, reporter, breach.AudienceMailbox},
		{"digest", breach.NoticeDigest, mailbox, nil, "", breach.AudienceMailbox},
	} {
		assert.Equal(t, tc.want, inferAudience(tc.kind, tc.to, tc.alert, tc.reporter), tc.name)
	}
}
