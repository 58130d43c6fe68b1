package store_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/store"
)

// handled files a breach for acme at the clock's time, with a development,
// a question answered, an assessment, a decision to inform the people
// affected and a letter to them, and closes it as handled a day later.
func handled(t *testing.T, svc *breach.Service, c *clock, title string) *breach.Breach {
	t.Helper()
	acme := supplier("Acme BV")
	controller := breach.Actor{TokenID: "tok-ctl", Name: "verantwoordelijke", Role: breach.RoleController}
	b := file(t, svc, acme, filing(title, c.t.Add(-time.Hour)))
	_, err := svc.AddUpdate(ctx, acme, b.ID, breach.UpdateRequest{Message: "Mevrouw De Vries (Dorpsstraat 1) belde",
		ReportPatch: breach.ReportPatch{Cause: ptr("Brief aan mevrouw De Vries verkeerd geadresseerd")}})
	require.NoError(t, err)
	_, q, err := svc.Ask(ctx, adviser, b.ID, breach.QuestionRequest{Question: "Wie heeft de brief ontvangen?"})
	require.NoError(t, err)
	_, _, err = svc.Answer(ctx, acme, b.ID, q.ID, breach.AnswerRequest{Answer: "De heer Bakker, Kerkstraat 3"})
	require.NoError(t, err)
	_, err = svc.Assess(ctx, adviser, b.ID, breach.AssessmentRequest{BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
		EI: "limited", CB: breach.Circumstances{Confidentiality: "limited", Integrity: "none", Availability: "none"},
		Consequences: "Beperkt", Risk: breach.RiskNone, Reasoning: "Eén ontvanger"})
	require.NoError(t, err)
	_, err = svc.Decide(ctx, controller, b.ID, breach.DecisionRequest{NotifyAuthority: ptr(false), AuthorityReasoning: "Gering risico",
		InformSubjects: breach.InformYes})
	require.NoError(t, err)
	_, err = svc.RecordSubjectCommunication(ctx, controller, b.ID, breach.SubjectCommunicationRequest{SentAt: c.t,
		Channel: breach.SubjectLetter, Reached: ptr(1), Text: "Beste mevrouw De Vries, ..."})
	require.NoError(t, err)
	c.t = c.t.Add(24 * time.Hour)
	_, err = svc.Close(ctx, controller, b.ID, breach.CloseRequest{Outcome: breach.OutcomeHandled, Reason: "Afgehandeld"})
	require.NoError(t, err)
	return b
}

// TestRetain: with personal data kept three years and records five, a run
// six years on purges the breach closed four years before, deletes the one
// closed six years before with everything stored for it, and leaves the
// breach closed last month and the open one alone; the register still lists
// the purged one with its facts; a second run changes nothing.
func TestRetain(t *testing.T) {
	db := MustOpenDB(t) // Check runs at the end
	svc, c := newService(db)
	svc.Retention = breach.Retention{Personal: breach.Period{Years: 3}, Record: breach.Period{Years: 5}}
	t0 := time.Date(2020, 3, 2, 10, 0, 0, 0, time.UTC)

	c.t = t0
	oldest := handled(t, svc, c, "zes jaar geleden gesloten")
	c.t = t0.AddDate(2, 0, 0)
	old := handled(t, svc, c, "vier jaar geleden gesloten")
	now := t0.AddDate(6, 0, 0)
	c.t = now.AddDate(0, -1, 0)
	recent := handled(t, svc, c, "vorige maand gesloten")
	c.t = now.AddDate(0, 0, -2)
	open := file(t, svc, supplier("Acme BV"), filing("nog open", c.t.Add(-time.Hour)))
	c.t = now

	before := map[string][]breach.Event{}
	for _, b := range []*breach.Breach{recent, open} {
		events, err := svc.ListEvents(ctx, adviser, b.ID)
		require.NoError(t, err)
		before[b.ID] = events
	}
	stored := func(id string) *breach.Breach {
		b, err := db.FindBreach(ctx, breach.StaffScope(), id)
		require.NoError(t, err)
		return b
	}
	recentBefore, openBefore := stored(recent.ID), stored(open.ID)
	// Heads a digest anchored before the run: the purge keeps the hashes,
	// and a deletion in the retention log is no problem.
	key := []byte("sleutel van de digest")
	var heads []breach.ChainHead
	for _, b := range []*breach.Breach{oldest, old} {
		events, err := svc.ListEvents(ctx, adviser, b.ID)
		require.NoError(t, err)
		last := events[len(events)-1]
		heads = append(heads, breach.ChainHead{Reference: b.Reference, Events: last.Seq, Anchor: breach.Anchor(key, last.Hash)})
	}

	purged, deleted, err := svc.Retain(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, purged)
	assert.Equal(t, 1, deleted)
	require.NoError(t, db.Check())

	// Untouched: the recent and the open breach, record and trail.
	assert.Equal(t, recentBefore, stored(recent.ID))
	assert.Equal(t, openBefore, stored(open.ID))
	for _, b := range []*breach.Breach{recent, open} {
		events, err := svc.ListEvents(ctx, adviser, b.ID)
		require.NoError(t, err)
		assert.Equal(t, before[b.ID], events)
	}

	// Purged: the personal data gone from the record and the trail, the
	// facts kept, the purge recorded without values.
	p := stored(old.ID)
	assert.Equal(t, breach.Reporter{}, p.Reporter)
	assert.Empty(t, p.Cause)
	assert.Empty(t, p.Measures)
	assert.Empty(t, p.Updates[0].Message)
	assert.Empty(t, p.Questions[0].Answer)
	assert.Equal(t, "Wie heeft de brief ontvangen?", p.Questions[0].Question)
	assert.Empty(t, p.SubjectCommunications[0].Text)
	assert.Equal(t, 1, p.SubjectCommunications[0].Reached)
	assert.Equal(t, old.Reference, p.Reference)
	assert.Equal(t, []string{"naam", "bsn"}, p.PersonalData)
	assert.Equal(t, 10, *p.SubjectsMax)
	assert.Len(t, p.Assessments, 1)
	assert.Len(t, p.Decisions, 1)
	require.NotNil(t, p.Closure)
	assert.Equal(t, "Afgehandeld", p.Closure.Reason)
	events, err := svc.ListEvents(ctx, adviser, old.ID)
	require.NoError(t, err)
	require.NoError(t, breach.VerifyTrail(p, events))
	trail, _ := json.Marshal(events)
	for _, personal := range []string{"Jansen", "j@acme.example", "De Vries", "Bakker", "Dorpsstraat", "adresbestand", "Gestopt"} {
		assert.NotContains(t, string(trail), personal)
	}
	last := events[len(events)-1]
	assert.Equal(t, breach.ActionPurged, last.Action)
	assert.Equal(t, breach.System, last.Actor)
	assert.Equal(t, now, last.At)
	for _, field := range []string{"reporter", "cause", "measures", "updates.message", "questions.answer", "subject_communications.text"} {
		assert.Contains(t, last.Message, field)
	}

	// The register lists the purged breach, and no longer the deleted one.
	var register []string
	require.NoError(t, svc.Register(ctx, adviser, nil, nil, func(b *breach.Breach, _ time.Time) error {
		register = append(register, b.Reference)
		return nil
	}))
	assert.Equal(t, []string{old.Reference, recent.Reference, open.Reference}, register)

	// Deleted: nothing stored for it any more, the deletion in the log.
	_, err = db.FindBreach(ctx, breach.StaffScope(), oldest.ID)
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err))
	assertNoKeyMentions(t, db, oldest.ID, oldest.Reference)
	log, err := db.RetentionLog(ctx)
	require.NoError(t, err)
	require.Len(t, log, 1)
	assert.Equal(t, breach.RetentionEntry{BreachID: oldest.ID, Reference: oldest.Reference, Organisation: "Acme BV",
		ReceivedAt: t0, ClosedAt: t0.Add(24 * time.Hour), DeletedAt: now}, log[0])

	assert.Empty(t, db.HeadProblems(key, heads))

	// Idempotent: a second run finds nothing to do.
	afterPurge := stored(old.ID)
	purged, deleted, err = svc.Retain(ctx)
	require.NoError(t, err)
	assert.Zero(t, purged)
	assert.Zero(t, deleted)
	assert.Equal(t, afterPurge, stored(old.ID))
	log, err = db.RetentionLog(ctx)
	require.NoError(t, err)
	assert.Len(t, log, 1)

	// The store deletes no open breach, nor one already gone, whatever it is asked.
	n, err := db.DeleteBreaches(ctx, []breach.RetentionEntry{{BreachID: open.ID, DeletedAt: now}, {BreachID: oldest.ID, DeletedAt: now}})
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, openBefore, stored(open.ID))

	// Two years on the purged one goes too, and its mail with it.
	c.t = now.AddDate(2, 0, 0)
	purged, deleted, err = svc.Retain(ctx)
	require.NoError(t, err)
	assert.Zero(t, purged)
	assert.Equal(t, 1, deleted)
	assertNoKeyMentions(t, db, old.ID, old.Reference)
}

// assertNoKeyMentions fails if any stored key or value but the retention
// log's names the breach: its record, trail, index entries, reference,
// snapshots and mails are gone.
func assertNoKeyMentions(t *testing.T, db *store.DB, id, reference string) {
	t.Helper()
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bkt *bolt.Bucket) error {
			if string(name) == "retention_log" {
				return nil
			}
			return walk(bkt, func(k, v []byte) {
				if data, err := store.Unpack(v); err == nil {
					v = data
				}
				for _, s := range []string{id, reference} {
					if strings.Contains(string(k), s) || strings.Contains(string(v), s) {
						t.Errorf("%s: %q still names breach %s", name, k, s)
					}
				}
			})
		})
	}))
}

// walk calls fn for every key of bkt and its nested buckets.
func walk(bkt *bolt.Bucket, fn func(k, v []byte)) error {
	return bkt.ForEach(func(k, v []byte) error {
		if v == nil {
			if nested := bkt.Bucket(k); nested != nil {
				return walk(nested, fn)
			}
		}
		fn(k, v)
		return nil
	})
}
