package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/store"
)

// The overview lists the open breaches only, each as the reader may see it,
// nearest running deadline first (the reader's own clocks), then those
// without one, newest first; a supplier sees its own organisation's. The
// daily digest lists the same, as the controller sees them.
func TestOpenBreaches(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme, other := supplier("Acme BV"), supplier("Other BV")
	controller := breach.Actor{TokenID: "tok-ctl", Name: "verantwoordelijke", Role: breach.RoleController}

	later := file(t, svc, acme, filing("72 uur vanaf nu", start.Add(-time.Hour)))
	c.t = start.Add(time.Minute)
	soon := file(t, svc, acme, preliminary("24 uur, nog 4 uur", start.Add(-20*time.Hour)))
	c.t = start.Add(2 * time.Minute)
	theirs := file(t, svc, other, preliminary("24 uur, nog 2 uur", start.Add(-22*time.Hour)))
	c.t = start.Add(3 * time.Minute)
	decided := file(t, svc, acme, filing("niet melden", start.Add(-time.Hour)))
	_, err := svc.Assess(ctx, adviser, decided.ID, breach.AssessmentRequest{BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
		EI: "limited", CB: breach.Circumstances{Confidentiality: "limited", Integrity: "none", Availability: "none"},
		Consequences: "Beperkt", Risk: breach.RiskNone, Reasoning: "Bekende ontvanger"})
	require.NoError(t, err)
	_, err = svc.Decide(ctx, controller, decided.ID, breach.DecisionRequest{NotifyAuthority: ptr(false), AuthorityReasoning: "Geen risico",
		InformSubjects: breach.InformNo, SubjectsExemption: breach.ExemptionUnintelligible, SubjectsReasoning: "Geen risico"})
	require.NoError(t, err)
	c.t = start.Add(4 * time.Minute)
	closed := file(t, svc, acme, preliminary("gesloten", start.Add(-time.Hour)))
	_, err = svc.Close(ctx, controller, closed.ID, breach.CloseRequest{Outcome: breach.OutcomeNoBreach, Reason: "Geen persoonsgegevens"})
	require.NoError(t, err)
	c.t = start.Add(5 * time.Minute)
	newer := file(t, svc, acme, filing("na het sluiten gemeld", start.Add(-time.Hour)))

	got, err := svc.OpenBreaches(ctx, adviser)
	require.NoError(t, err)
	assert.Equal(t, []string{theirs.ID, soon.ID, later.ID, newer.ID, decided.ID}, ids(got),
		"staff: by the nearest of both clocks (24 and 72 hours); the decision not to notify stopped the last one's")
	assert.NotEmpty(t, got[4].Decisions, "staff see the deliberation")

	got, err = svc.OpenBreaches(ctx, acme)
	require.NoError(t, err)
	assert.Equal(t, []string{soon.ID, newer.ID, decided.ID, later.ID}, ids(got),
		"a supplier: its own only, by its own 24-hour clock, then the complete reports newest first")
	for _, b := range got {
		assert.Equal(t, "Acme BV", b.Organisation)
		assert.Empty(t, b.Decisions, "a supplier does not see the deliberation")
	}
	got, err = svc.OpenBreaches(ctx, other)
	require.NoError(t, err)
	assert.Equal(t, []string{theirs.ID}, ids(got))

	_, err = svc.OpenBreaches(ctx, breach.Actor{TokenID: "tok-admin", Name: "beheer", Role: breach.RoleAdmin})
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "the operator sees no breaches")

	_, err = svc.Close(ctx, controller, soon.ID, breach.CloseRequest{Outcome: breach.OutcomeNoBreach, Reason: "Geen persoonsgegevens"})
	require.NoError(t, err)
	got, err = svc.OpenBreaches(ctx, adviser)
	require.NoError(t, err)
	assert.Equal(t, []string{theirs.ID, later.ID, newer.ID, decided.ID}, ids(got), "closing takes a breach out of the overview")

	c.t = time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC) // Monday 08:00 in Amsterdam
	queued, err := svc.Digest(ctx)
	require.NoError(t, err)
	require.True(t, queued)
	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	var digest *breach.Notice
	for _, m := range mails {
		if m.Notice.Kind == breach.NoticeDigest {
			digest = &m.Notice
		}
	}
	require.NotNil(t, digest)
	assert.Equal(t, []string{theirs.ID, later.ID, newer.ID, decided.ID}, ids(digest.Breaches), "the digest reads the same index")
}

// Check reports an open breach missing from the index and an entry for a
// breach that is closed; the overview refuses an entry without a breach
// rather than hide it.
func TestCheckFindsDamagedOpenIndex(t *testing.T) {
	tests := []struct {
		name   string
		damage func(tx *bolt.Tx, open, closed *breach.Breach) error
		want   string
	}{
		{"open breach missing", func(tx *bolt.Tx, open, _ *breach.Breach) error {
			return tx.Bucket([]byte("open_breaches")).Delete([]byte(open.ID))
		}, "open_breaches: missing entry"},
		{"closed breach listed", func(tx *bolt.Tx, _, closed *breach.Breach) error {
			return tx.Bucket([]byte("open_breaches")).Put([]byte(closed.ID), nil)
		}, "open_breaches: entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(filepath.Join(t.TempDir(), "datalek.db"))
			require.NoError(t, err)
			defer db.Close()
			svc, _ := newService(db)
			open := file(t, svc, supplier("Acme BV"), preliminary("open", start.Add(-time.Hour)))
			closed := file(t, svc, supplier("Acme BV"), preliminary("gesloten", start.Add(-time.Hour)))
			_, err = svc.Close(ctx, adviser, closed.ID, breach.CloseRequest{Outcome: breach.OutcomeNoBreach, Reason: "Geen persoonsgegevens"})
			require.NoError(t, err)
			require.NoError(t, db.Check())
			require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error { return tt.damage(tx, open, closed) }))
			err = db.Check()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}

	db := MustOpenDB(t)
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("open_breaches")).Put([]byte("ghost"), nil)
	}))
	_, err := db.OpenBreaches(ctx, breach.StaffScope())
	assert.ErrorContains(t, err, "open_breaches: entry ghost has no breach")
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error { // for MustOpenDB's check
		return tx.Bucket([]byte("open_breaches")).Delete([]byte("ghost"))
	}))
}
