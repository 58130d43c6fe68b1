package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
)

// The mails of one change share one snapshot of the breach, and each shows
// the breach as its own change left it, however it changed since.
func TestMailsOfOneChangeShareOneSnapshot(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	b := file(t, svc, acme, filing("Eerste titel", start.Add(-time.Hour)))
	c.t = start.Add(time.Minute)
	_, err := svc.AmendBreach(ctx, acme, b.ID, breach.ReportPatch{Title: ptr("Tweede titel")})
	require.NoError(t, err)

	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, mails, 3)
	var kinds, titles []string
	for _, m := range mails {
		require.NotNil(t, m.Notice.Breach, "mail %s", m.Notice.ID)
		kinds, titles = append(kinds, string(m.Notice.Kind)), append(titles, m.Notice.Breach.Title)
	}
	assert.Equal(t, []string{"filed", "acknowledged", "amended"}, kinds)
	assert.Equal(t, []string{"Eerste titel", "Eerste titel", "Tweede titel"}, titles)

	assert.Equal(t, 2, keyCount(t, db, "snapshots"), "one per change, not one per mail")
	refs := func(bucket string) []string {
		var rs []string
		for _, m := range rawMails(t, db, bucket) {
			rs = append(rs, m["snapshot"])
		}
		return rs
	}
	first, second := fmt.Sprintf(`{"breach_id":%q,"version":1}`, b.ID), fmt.Sprintf(`{"breach_id":%q,"version":2}`, b.ID)
	assert.Equal(t, []string{first, first, second}, refs("outbox"))
	for _, m := range rawMails(t, db, "outbox") {
		assert.NotContains(t, m, "breach_snapshot")
		assert.NotContains(t, m["notice"], `"trail_hash"`, "the mail itself carries no breach record")
	}

	// Sent and refused mail keep their reference, and a bounce shares the
	// refused mail's; MustOpenDB's Check verifies every reference at the end.
	require.NoError(t, db.MarkSent(ctx, []uint64{mails[0].Seq}, c.t))
	bounced := mails[1].Notice
	bounced.Breach = nil
	require.NoError(t, db.MarkDead(ctx, mails[1].Seq, c.t, "550 no such user", &breach.Notice{
		ID: bounced.ID + ".bounce", Kind: breach.NoticeBounce, To: []string{"privacy@example.org"}, At: c.t, Bounced: &bounced}))
	assert.Equal(t, []string{first}, refs("mail_sent"))
	assert.Equal(t, []string{first}, refs("mail_dead"))
	assert.Equal(t, []string{second, first}, refs("outbox"), "the amendment's mail, then the bounce")
	pending, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	require.Equal(t, breach.NoticeBounce, pending[1].Notice.Kind)
	require.NotNil(t, pending[1].Notice.Breach)
	assert.Equal(t, "Eerste titel", pending[1].Notice.Breach.Title, "the bounce shows the breach as the refused mail did")
	assert.Equal(t, 2, keyCount(t, db, "snapshots"))
}

// A mail about no single breach, the digest, has no snapshot.
func TestMailWithoutBreachHasNoSnapshot(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	file(t, svc, supplier("Acme BV"), preliminary("Open", start.Add(-time.Hour)))
	c.t = start.Add(time.Hour)
	queued, err := svc.Digest(ctx)
	require.NoError(t, err)
	require.True(t, queued)

	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, mails, 2)
	digest := mails[1]
	require.Equal(t, breach.NoticeDigest, digest.Notice.Kind)
	assert.Nil(t, digest.Notice.Breach)
	assert.Len(t, digest.Notice.Breaches, 1)
	assert.NotContains(t, rawMails(t, db, "outbox")[1], "snapshot")
	assert.Equal(t, 1, keyCount(t, db, "snapshots"), "the filing's only")
}

// A delivery that succeeds makes every mail waiting out a failure due at
// once: the store moves them in the due index, not just their records.
func TestRetryNowPullsWaitingMailForward(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	file(t, svc, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour)))
	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, mails, 2)
	require.NoError(t, db.MarkFailed(ctx, mails[0].Seq, c.t.Add(time.Hour), "connection refused"))
	require.NoError(t, db.MarkFailed(ctx, mails[1].Seq, c.t.Add(2*time.Hour), "connection refused"))

	c.t = c.t.Add(time.Minute)
	n, err := db.RetryNow(ctx, c.t)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	due, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, due, 2)
	assert.Equal(t, c.t, due[0].NextAttemptAt)
	assert.Equal(t, 1, due[0].Attempts, "the failure stays counted")
	n, err = db.RetryNow(ctx, c.t)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing waits any more")
}

// A mailbox delivery refused for good is retried on its back-off; another
// mail leaving says nothing about that address, so it does not pull the
// refused one forward (it would be tried again after every success).
func TestRetryNowLeavesRefusedMailWaiting(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	file(t, svc, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour)))
	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, mails, 2)
	require.NoError(t, db.MarkRefused(ctx, mails[0].Seq, c.t.Add(time.Hour), "550 5.1.1 mailbox unavailable"))
	require.NoError(t, db.MarkFailed(ctx, mails[1].Seq, c.t.Add(time.Hour), "connection refused"))

	c.t = c.t.Add(time.Minute)
	n, err := db.RetryNow(ctx, c.t)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	due, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, due, 1)
	assert.Equal(t, mails[1].Seq, due[0].Seq, "the connection failure is due now")
	later, err := db.DueMail(ctx, start.Add(time.Hour), 100)
	require.NoError(t, err)
	require.Len(t, later, 2, "the refused mail at its own time")
	assert.Equal(t, mails[0].Seq, later[1].Seq)
	assert.True(t, later[1].Refused)

	require.NoError(t, db.MarkSent(ctx, []uint64{mails[0].Seq}, start.Add(time.Hour)))
	sent := storedMails(t, db, "mail_sent")
	require.Len(t, sent, 1)
	assert.False(t, sent[0].Refused, "it left in the end")
}

// An operator's resend moves dead mail back in the queue under its number;
// by time, only what was set aside at or after the instant given.
func TestResendDeadMail(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	file(t, svc, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour)))
	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	filed, ack := mails[0], mails[1]
	require.NoError(t, db.MarkDead(ctx, ack.Seq, c.t, "550 no such user", nil))
	require.NoError(t, db.MarkDead(ctx, filed.Seq, c.t.Add(time.Hour), "554 relay access denied", nil))
	st, err := db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, breach.MailStats{Dead: 2, DeadMailbox: 1}, st)

	c.t = c.t.Add(2 * time.Hour)
	n, err := db.ResendDeadSince(ctx, start.Add(time.Minute), c.t)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the acknowledgement was set aside before")
	st, err = db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, st.Pending)
	assert.Equal(t, 1, st.Dead)
	assert.Zero(t, st.DeadMailbox)
	due, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, due, 1)
	assert.Equal(t, filed.Seq, due[0].Seq)
	assert.Nil(t, due[0].DeadAt)
	assert.Equal(t, "554 relay access denied", due[0].LastError, "its history stays")

	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(db.ResendDead(ctx, filed.Seq, c.t)), "pending, not dead")
	require.NoError(t, db.ResendDead(ctx, ack.Seq, c.t))
	st, err = db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, breach.MailStats{Pending: 2, OldestPending: &c.t}, st, "both pending since their resend")
}

// A change's snapshot is kept while a mail of it is to be composed (pending)
// or may be resent or bounced (dead), and goes when the last of them is
// sent; a sent mail keeps only the reference, as the log of what it showed.
func TestSnapshotGoesWhenItsLastMailIsSent(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	first := file(t, svc, acme, filing("Eerste", start.Add(-time.Hour)))  // mails 1, 2: snapshot 1 of first
	second := file(t, svc, acme, filing("Tweede", start.Add(-time.Hour))) // mails 3, 4: snapshot 1 of second
	require.NoError(t, db.MarkSent(ctx, []uint64{1}, c.t))
	assert.Equal(t, 2, keyCount(t, db, "snapshots"), "the first's acknowledgement still needs it")
	require.NoError(t, db.MarkSent(ctx, []uint64{2, 3}, c.t))
	require.NoError(t, db.MarkDead(ctx, 4, c.t, "550 no such user", nil))
	assert.Equal(t, 1, keyCount(t, db, "snapshots"), "the first's went with its last mail; the second's dead acknowledgement holds its own")
	require.NoError(t, db.Check())

	sent := storedMails(t, db, "mail_sent")
	require.Len(t, sent, 3)
	assert.Equal(t, first.ID+".1.filed", sent[0].Notice.ID)
	require.NoError(t, db.ResendDead(ctx, 4, c.t))
	pending, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	require.NotNil(t, pending[0].Notice.Breach, "the resent mail shows its breach as it was")
	assert.Equal(t, second.ID, pending[0].Notice.Breach.ID)
	require.NoError(t, db.MarkSent(ctx, []uint64{4}, c.t))
	assert.Equal(t, 0, keyCount(t, db, "snapshots"))
	assert.Equal(t, 0, keyCount(t, db, "snapshot_holds"))
	require.NoError(t, db.Check())
}

// Sent mail older than the period to keep it is reduced to its log entry:
// what it was (its notice ID, so its Message-ID), not what it said.
func TestPruneSentMailKeepsItsLogEntry(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	svc.MailKeep = 24 * time.Hour
	acme := supplier("Acme BV")
	b := file(t, svc, acme, filing("Eerste", start.Add(-time.Hour))) // mails 1, 2
	require.NoError(t, db.MarkSent(ctx, []uint64{1, 2}, start.Add(time.Minute)))
	c.t = start.Add(2 * time.Hour)
	_, err := svc.AmendBreach(ctx, acme, b.ID, breach.ReportPatch{Title: ptr("Eerste, verbeterd")}) // mail 3
	require.NoError(t, err)
	require.NoError(t, db.MarkSent(ctx, []uint64{3}, c.t))

	c.t = start.Add(24*time.Hour + 30*time.Minute) // mails 1 and 2 are older than a day, mail 3 is not
	n, err := svc.PruneSentMail(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	require.NoError(t, db.Check())
	sent := storedMails(t, db, "mail_sent")
	require.Len(t, sent, 1)
	require.Len(t, sent[0].Notice.Changes, 1, "a recent mail is kept whole")
	pruned := storedMails(t, db, "mail_pruned")
	require.Len(t, pruned, 2)
	for _, m := range pruned {
		assert.NotNil(t, m.SentAt)
		assert.Equal(t, c.t, *m.PrunedAt)
		assert.Equal(t, start, m.Notice.At)
		assert.Nil(t, m.Notice.Actor, "not what it said, nor who caused it")
	}
	assert.Equal(t, b.ID+".1.filed", pruned[0].Notice.ID, "the Message-ID is kept")
	assert.Equal(t, breach.AudienceMailbox, pruned[0].Notice.Audience)
	assert.Equal(t, "datalekken@hetcak.nl", pruned[0].Recipient)
	assert.Equal(t, b.ID+".1.acknowledged", pruned[1].Notice.ID)

	c.t = c.t.Add(48 * time.Hour)
	n, err = svc.PruneSentMail(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	st, err := db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, st.Sent, "pruned mail still counts as sent")
	svc.MailKeep = 0
	c.t = c.t.Add(10000 * time.Hour)
	n, err = svc.PruneSentMail(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "0 keeps sent mail whole for ever")
}

// A run prunes at most its limit, oldest first, and stops at the first mail
// sent too recently, so that its cost is what it prunes.
func TestPruneSentMailStopsAtTheLimitAndAtRecentMail(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	for i := range 3 {
		file(t, svc, supplier("Acme BV"), filing(fmt.Sprintf("Melding %d", i), start.Add(-time.Hour)))
	}
	require.NoError(t, db.MarkSent(ctx, []uint64{1, 3, 4, 5, 6}, start.Add(time.Minute)))
	require.NoError(t, db.MarkSent(ctx, []uint64{2}, start.Add(3*time.Hour))) // left late, after a failure

	n, err := db.PruneSentMail(ctx, start.Add(time.Hour), c.t, 10)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "mail 2 left too recently and holds up 3 to 6")
	n, err = db.PruneSentMail(ctx, start.Add(4*time.Hour), c.t, 2)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "the limit")
	n, err = db.PruneSentMail(ctx, start.Add(4*time.Hour), c.t, 10)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "the rest")
	require.NoError(t, db.Check())
}

// The age of the oldest pending mail, which /readyz judges, counts a resent
// mail from its resend: it was not stuck all the time it was set aside.
func TestOldestPendingCountsResentMailFromItsResend(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	file(t, svc, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour))) // mails 1, 2
	require.NoError(t, db.MarkSent(ctx, []uint64{1}, start.Add(time.Minute)))
	require.NoError(t, db.MarkDead(ctx, 2, start.Add(time.Minute), "550 no such user", nil))
	c.t = start.Add(24 * time.Hour)
	file(t, svc, supplier("Acme BV"), filing("Tweede", c.t.Add(-time.Hour))) // mails 3, 4
	resent := start.Add(48 * time.Hour)
	require.NoError(t, db.ResendDead(ctx, 2, resent))

	st, err := db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, st.Pending)
	require.NotNil(t, st.OldestPending)
	assert.Equal(t, c.t, *st.OldestPending, "the second filing's mails, not the resent mail's creation two days ago")

	require.NoError(t, db.MarkSent(ctx, []uint64{3, 4}, resent))
	st, err = db.MailStats(ctx)
	require.NoError(t, err)
	require.NotNil(t, st.OldestPending)
	assert.Equal(t, resent, *st.OldestPending)
	got := storedMails(t, db, "outbox")
	require.Len(t, got, 1)
	assert.Equal(t, resent, *got[0].ResentAt)
	assert.Equal(t, start, got[0].CreatedAt, "its history stays")
}

// Mail for the privacy mailbox is never given up, so a delivery to an
// address taken out of DATALEK_MAIL_TO (a typo corrected, a mailbox moved)
// would be retried for ever, and keep the service not ready. At start-up it
// goes to the configured addresses the mail was not addressed to yet, or is
// dropped when each has its own delivery.
func TestMailboxMailToARemovedAddressIsReaddressed(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	svc.MailTo = []string{"datalekken@hetcak.example", "fg-typo@hetcak.example"}
	first := file(t, svc, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour))) // 1, 2: the new report; 3: the acknowledgement
	require.NoError(t, db.MarkSent(ctx, []uint64{1, 3}, c.t))
	require.NoError(t, db.MarkRefused(ctx, 2, c.t.Add(time.Hour), "550 5.1.1 no such user"))
	svc.MailTo = []string{"datalekken@hetcak.example"}
	second := file(t, svc, supplier("Acme BV"), filing("Tweede", start.Add(-time.Hour))) // 4: the new report; 5: the acknowledgement
	require.NoError(t, db.MarkDead(ctx, 4, c.t, "554 relay access denied", nil))         // set aside, as layout 4 did

	// The typo is corrected, and the mailbox moves to a new address.
	svc.MailTo = []string{"datalekken@hetcak.example", "privacy@hetcak.example"}
	c.t = start.Add(2 * time.Hour)
	done, err := svc.ReaddressMailbox(ctx)
	require.NoError(t, err)
	assert.Equal(t, []breach.Readdressed{
		{Seq: 2, Kind: breach.NoticeFiled, Notice: first.ID + ".1.filed", To: 1},
	}, done, "the typo's delivery goes to the new address, which the first report was not addressed to")
	require.NoError(t, db.Check())

	pending, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	got := map[uint64]string{}
	for _, m := range pending {
		got[m.Seq] = m.Recipient
	}
	assert.Equal(t, map[uint64]string{2: "privacy@hetcak.example", 5: second.Reporter.Email}, got)

	svc.MailTo = []string{"privacy@hetcak.example"}
	done, err = svc.ReaddressMailbox(ctx)
	require.NoError(t, err)
	assert.Equal(t, []breach.Readdressed{
		{Seq: 4, Kind: breach.NoticeFiled, Notice: second.ID + ".1.filed", To: 1},
	}, done, "the dead report for the old address goes to the new one, and is pending again")
	st, err := db.MailStats(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.DeadMailbox, "no longer dead: the service can be ready")
	assert.Equal(t, 3, st.Pending)
	require.NoError(t, db.Check())

	svc.MailTo = []string{"datalekken@hetcak.example"}
	done, err = svc.ReaddressMailbox(ctx)
	require.NoError(t, err)
	assert.Equal(t, []breach.Readdressed{
		{Seq: 2, Kind: breach.NoticeFiled, Notice: first.ID + ".1.filed", To: 0},
		{Seq: 4, Kind: breach.NoticeFiled, Notice: second.ID + ".1.filed", To: 1},
	}, done, "back to the first address: it had the first report (dropped for the other), not the second (which comes back)")
	require.NoError(t, db.Check())
	pending, err = db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	got = map[uint64]string{}
	for _, m := range pending {
		got[m.Seq] = m.Recipient
	}
	assert.Equal(t, map[uint64]string{4: "datalekken@hetcak.example", 5: second.Reporter.Email}, got)
	assert.Equal(t, 1, keyCount(t, db, "snapshots"), "the first's went with its dropped delivery")
}

// A mail to the reporter refused again after an operator resent it causes a
// second bounce with a Message-ID of its own: a mail client would take a
// second mail under the first one's Message-ID for a copy and hide it.
func TestBounceOfAResentMailIsAMailOfItsOwn(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	b := file(t, svc, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour)))
	require.NoError(t, db.MarkSent(ctx, []uint64{1}, c.t))
	refuse := func() {
		t.Helper()
		due, err := db.DueMail(ctx, c.t, 100)
		require.NoError(t, err)
		i := slices.IndexFunc(due, func(m breach.OutboxMail) bool { return m.Notice.Kind == breach.NoticeAcknowledged })
		require.GreaterOrEqual(t, i, 0)
		dead, err := svc.MailRefused(ctx, due[i], "550 5.1.1 no such user", c.t.Add(time.Hour))
		require.NoError(t, err)
		require.True(t, dead)
	}
	refuse()
	c.t = c.t.Add(time.Hour)
	require.NoError(t, db.ResendDead(ctx, 2, c.t))
	refuse()

	var bounces []string
	for _, m := range storedMails(t, db, "outbox") {
		if m.Notice.Kind == breach.NoticeBounce {
			bounces = append(bounces, m.Notice.ID)
		}
	}
	require.Len(t, bounces, 2)
	assert.Equal(t, b.ID+".1.acknowledged.bounce", bounces[0])
	assert.NotEqual(t, bounces[0], bounces[1])
	assert.True(t, strings.HasPrefix(bounces[1], bounces[0]+"."), "in the same family of IDs: %s", bounces[1])
	require.NoError(t, db.Check())
}

// A mailbox moved to two new addresses: the old delivery goes to the first,
// a new one to the second, both pending since the move, as /readyz judges.
func TestMailboxMovedToTwoAddresses(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	svc.MailTo = []string{"oud@hetcak.example"}
	file(t, svc, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour))) // 1: the new report; 2: the acknowledgement
	require.NoError(t, db.MarkSent(ctx, []uint64{2}, c.t))
	svc.MailTo = []string{"privacy@hetcak.example", "fg@hetcak.example"}
	c.t = start.Add(3 * time.Hour)
	done, err := svc.ReaddressMailbox(ctx)
	require.NoError(t, err)
	require.Len(t, done, 1)
	assert.Equal(t, 2, done[0].To)
	require.NoError(t, db.Check())

	pending, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	assert.Equal(t, []string{"privacy@hetcak.example", "fg@hetcak.example"}, []string{pending[0].Recipient, pending[1].Recipient})
	for _, m := range pending {
		require.NotNil(t, m.Notice.Breach, "shows its breach")
		assert.Equal(t, c.t, m.PendingSince())
	}
	st, err := db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, c.t, *st.OldestPending, "pending since the move, not since the filing three hours before")
}
