package store_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/store"
)

var (
	ctx   = context.Background()
	start = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
)

// MustOpenDB opens a database in a temporary directory and closes it when the
// test ends, after checking it.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "datalek.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() {
		assert.NoError(tb, db.Check(), "database inconsistent at end of test")
		db.Close()
	})
	return db
}

// clock is a settable time source for the service.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newService(db *store.DB) (*breach.Service, *clock) {
	c := &clock{t: start}
	svc := breach.NewService(db)
	svc.Now = c.Now
	return svc, c
}

// alertsRaised counts the alerts of a kind in a breach's trail.
func alertsRaised(t *testing.T, svc *breach.Service, id string, kind breach.AlertKind) int {
	t.Helper()
	events, err := svc.ListEvents(ctx, adviser, id)
	require.NoError(t, err)
	n := 0
	for _, e := range events {
		if e.Action == breach.ActionAlertRaised && strings.HasPrefix(e.Message, string(kind)) {
			n++
		}
	}
	return n
}

func supplier(org string) breach.Actor {
	return breach.Actor{TokenID: "tok-" + org, Name: org + "-prod", Role: breach.RoleSupplier, Organisation: org}
}

var adviser = breach.Actor{TokenID: "tok-adv", Name: "adviseur", Role: breach.RoleAdviser}

func ptr[T any](v T) *T { return &v }

func filing(title string, detected time.Time) breach.Filing {
	return breach.Filing{Report: breach.Report{
		Title: title, DetectedAt: detected, StartedAt: ptr(detected.Add(-time.Hour)),
		Cause: "Verkeerd gekoppeld adresbestand", PersonalData: []string{"naam", "bsn"},
		SubjectsMin: ptr(1), SubjectsMax: ptr(10), SentItems: []breach.SentItem{},
		ItemDisposition: breach.DispositionNotApplicable, Measures: "Gestopt",
		Reporter: breach.Reporter{Name: "J. Jansen", Email: "j@acme.example"},
	}}
}

func preliminary(title string, detected time.Time) breach.Filing {
	return breach.Filing{Stage: breach.StagePreliminary, Report: breach.Report{
		Title: title, DetectedAt: detected, Reporter: breach.Reporter{Name: "J. Jansen", Phone: "0612345678"}}}
}

func file(t *testing.T, svc *breach.Service, a breach.Actor, f breach.Filing) *breach.Breach {
	t.Helper()
	b, replayed, err := svc.FileBreach(ctx, a, f, "")
	require.NoError(t, err)
	require.False(t, replayed)
	return b
}

func TestCreateFindAndTenancy(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	acme, other := supplier("Acme BV"), supplier("Other BV")

	b := file(t, svc, acme, filing("Brieven verkeerd verstuurd", start.Add(-time.Hour)))
	assert.Regexp(t, referencePattern(2026), b.Reference)
	assert.Equal(t, "Acme BV", b.Organisation)
	assert.Equal(t, breach.StageComplete, b.Stage)
	assert.Len(t, b.ID, 26)

	got, err := svc.FindBreach(ctx, acme, b.ID)
	require.NoError(t, err)
	assert.Equal(t, b.Reference, got.Reference)
	assert.Equal(t, b.Cause, got.Cause)

	_, err = svc.FindBreach(ctx, other, b.ID)
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err), "another supplier's breach does not exist for it")
	_, err = svc.ListEvents(ctx, other, b.ID)
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err))
	_, err = svc.AmendBreach(ctx, other, b.ID, breach.ReportPatch{Title: ptr("gekaapt")})
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err))
	_, err = svc.FindBreach(ctx, acme, "does-not-exist")
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err))
	_, err = db.FindBreach(ctx, breach.Scope{}, b.ID)
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err), "the zero scope sees nothing")

	_, err = svc.FindBreach(ctx, adviser, b.ID)
	assert.NoError(t, err, "staff see every organisation")

	b2 := file(t, svc, acme, filing("Tweede", start.Add(-time.Hour)))
	assert.Regexp(t, referencePattern(2026), b2.Reference)
	assert.NotEqual(t, b.Reference, b2.Reference)
}

// referencePattern matches a reference drawn for a breach received in year.
func referencePattern(year int) string {
	return fmt.Sprintf(`^DL-%d-[BCDFGHJKMNPQRTVWX][BCDFGHJKMNPQRTVWX2-9]{4}$`, year)
}

// References counted every supplier's breaches (DL-yyyy-nnnn): a supplier
// whose first report of the year got DL-2026-0021 knew that others had
// reported twenty. They are drawn at random now, so its own references say
// nothing about anyone else's.
func TestReferencesRevealNoVolume(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	seen := map[string]bool{}
	for i := range 20 {
		b := file(t, svc, supplier("Other BV"), filing(fmt.Sprintf("Ander %d", i), start.Add(-time.Hour)))
		seen[b.Reference] = true
	}
	for range 2 {
		b := file(t, svc, supplier("Acme BV"), filing("Eigen", start.Add(-time.Hour)))
		assert.Regexp(t, referencePattern(2026), b.Reference, "no count in it")
		assert.False(t, seen[b.Reference])
		seen[b.Reference] = true
	}
}

func TestReferenceDrawnAgainWhileTaken(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	db.DrawReferences("DL-2026-BCDFG", "DL-2026-BCDFG", "DL-2026-BCDFG", "DL-2026-HJKMN")
	first := file(t, svc, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour)))
	second := file(t, svc, supplier("Other BV"), filing("Tweede", start.Add(-time.Hour)))
	assert.Equal(t, "DL-2026-BCDFG", first.Reference)
	assert.Equal(t, "DL-2026-HJKMN", second.Reference)

	taken := make([]string, 200)
	for i := range taken {
		taken[i] = "DL-2026-BCDFG"
	}
	db.DrawReferences(taken...)
	_, _, err := svc.FileBreach(ctx, supplier("Acme BV"), filing("Derde", start.Add(-time.Hour)), "")
	assert.ErrorContains(t, err, "no free one in 100 draws", "a drawing that keeps hitting taken references stops")
}

func TestReferenceYearIsAmsterdamYear(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	c.t = time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC) // 00:30 on 1 January in Amsterdam
	b := file(t, svc, supplier("Acme BV"), filing("Oudejaarsnacht", c.t.Add(-time.Hour)))
	assert.Regexp(t, referencePattern(2027), b.Reference)
}

func TestIdempotencyKey(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	acme := supplier("Acme BV")
	f := filing("Eenmalig", start.Add(-time.Hour))

	first, replayed, err := svc.FileBreach(ctx, acme, f, "key-1")
	require.NoError(t, err)
	require.False(t, replayed)
	again, replayed, err := svc.FileBreach(ctx, acme, f, "key-1")
	require.NoError(t, err)
	assert.True(t, replayed)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, first.Reference, again.Reference)

	other := acme
	other.TokenID = "another token of the same supplier"
	again, replayed, err = svc.FileBreach(ctx, other, f, "key-1")
	require.NoError(t, err)
	assert.True(t, replayed, "keys are scoped to the organisation, not the token")
	assert.Equal(t, first.ID, again.ID)

	withOwnOrg := f
	withOwnOrg.Organisation = "Acme BV"
	again, replayed, err = svc.FileBreach(ctx, acme, withOwnOrg, "key-1")
	require.NoError(t, err)
	assert.True(t, replayed, "naming its own organisation on a retry is the same request")
	assert.Equal(t, first.ID, again.ID)

	changed := filing("Iets anders", start.Add(-time.Hour))
	_, _, err = svc.FileBreach(ctx, acme, changed, "key-1")
	assert.Equal(t, breach.ECONFLICT, breach.ErrorCode(err), "a reused key with another body is refused")

	elsewhere, replayed, err := svc.FileBreach(ctx, supplier("Other BV"), f, "key-1")
	require.NoError(t, err)
	assert.False(t, replayed, "another supplier's key space is its own")
	assert.NotEqual(t, first.ID, elsewhere.ID)

	page, err := svc.ListBreaches(ctx, adviser, breach.BreachFilter{})
	require.NoError(t, err)
	assert.Len(t, page.Breaches, 2)
}

func TestAmendAndUpdate(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	b := file(t, svc, acme, preliminary("Laptop kwijt", start.Add(-2*time.Hour)))
	assert.Equal(t, breach.StagePreliminary, b.Stage)
	assert.Len(t, b.MissingFields(), 8)

	// A failing change stores nothing.
	_, err := svc.AmendBreach(ctx, acme, b.ID, breach.ReportPatch{Cause: ptr("Diefstal"), SubjectsMin: ptr(-3)})
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err))
	got, err := svc.FindBreach(ctx, adviser, b.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Cause)
	assert.Equal(t, 1, got.Version)

	_, err = svc.AmendBreach(ctx, acme, b.ID, breach.ReportPatch{DetectedAt: ptr(start)})
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err), "detected_at fixes the 24-hour clock")

	c.t = start.Add(time.Hour)
	got, err = svc.AmendBreach(ctx, adviser, b.ID, breach.ReportPatch{Cause: ptr("Diefstal uit auto"), PersonalData: ptr([]string{"naam"})})
	require.NoError(t, err)
	assert.Equal(t, breach.StagePreliminary, got.Stage)
	assert.Equal(t, 2, got.Version)

	unchanged, err := svc.AmendBreach(ctx, adviser, b.ID, breach.ReportPatch{Cause: ptr("  Diefstal uit auto "),
		PersonalData: ptr([]string{" naam"}), Reporter: ptr(breach.Reporter{Name: "J. Jansen  ", Phone: "0612345678"})})
	require.NoError(t, err)
	assert.Equal(t, 2, unchanged.Version, "a patch that changes nothing but spacing records nothing")

	c.t = start.Add(2 * time.Hour)
	got, err = svc.AddUpdate(ctx, acme, b.ID, breach.UpdateRequest{Message: "Alles bekend", ReportPatch: breach.ReportPatch{
		StartedAt: ptr(start.Add(-3 * time.Hour)), SubjectsMin: ptr(5), SubjectsMax: ptr(5),
		SentItems: ptr([]breach.SentItem{}), ItemDisposition: ptr(breach.DispositionNotApplicable), Measures: ptr("Laptop op afstand gewist"),
	}})
	require.NoError(t, err)
	assert.Equal(t, breach.StageComplete, got.Stage)
	require.NotNil(t, got.CompletedAt)
	assert.Equal(t, c.t, *got.CompletedAt)
	require.Len(t, got.Updates, 1)
	assert.Equal(t, "Alles bekend", got.Updates[0].Message)
	assert.Contains(t, got.Updates[0].ChangedFields, "stage")

	events, err := svc.ListEvents(ctx, adviser, b.ID) // the whole trail: the supplier's view leaves entries out
	require.NoError(t, err)
	require.Len(t, events, 3)
	assert.Equal(t, []breach.Action{breach.ActionFiled, breach.ActionAmended, breach.ActionUpdated},
		[]breach.Action{events[0].Action, events[1].Action, events[2].Action})
	assert.Equal(t, "cause", events[1].Changes[0].Field)
	assert.JSONEq(t, `null`, string(events[1].Changes[0].Old), "the cause was not given before")
	assert.JSONEq(t, `"Diefstal uit auto"`, string(events[1].Changes[0].New))
	assert.Equal(t, acme.TokenID, events[2].Actor.TokenID)
	assert.Equal(t, adviser.TokenID, events[1].Actor.TokenID, "staff may amend on the supplier's behalf")
	full, err := svc.FindBreach(ctx, adviser, b.ID)
	require.NoError(t, err)
	require.NoError(t, breach.VerifyTrail(full, events))

	_, err = svc.AddUpdate(ctx, acme, b.ID, breach.UpdateRequest{})
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err), "an update needs a message")
	_, err = svc.AmendBreach(ctx, acme, b.ID, breach.ReportPatch{Cause: ptr("")})
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err), "a complete report cannot lose a Bijlage 3 fact")
}

func TestListBreachesPagingFiltersAndTenancy(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme, other := supplier("Acme BV"), supplier("Other BV")
	var acmeIDs []string // newest first
	for i := range 7 {
		c.t = start.Add(time.Duration(i) * time.Minute)
		b := file(t, svc, acme, filing(fmt.Sprintf("acme %d", i), start.Add(-time.Hour)))
		acmeIDs = append([]string{b.ID}, acmeIDs...)
		file(t, svc, other, filing(fmt.Sprintf("other %d", i), start.Add(-time.Hour)))
	}
	file(t, svc, acme, preliminary("acme voorlopig", start.Add(-time.Hour)))

	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10, "paging does not end")
		page, err := svc.ListBreaches(ctx, acme, breach.BreachFilter{Stage: breach.StageComplete, Limit: 2, Cursor: cursor})
		require.NoError(t, err)
		for _, b := range page.Breaches {
			assert.Equal(t, "Acme BV", b.Organisation)
			seen = append(seen, b.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	assert.Equal(t, acmeIDs, seen, "all of its own complete breaches, newest first, each once")

	page, err := svc.ListBreaches(ctx, acme, breach.BreachFilter{Organisation: "Other BV"})
	require.NoError(t, err)
	assert.Empty(t, page.Breaches, "a supplier cannot list another organisation by filter")

	page, err = svc.ListBreaches(ctx, adviser, breach.BreachFilter{Organisation: "Other BV", Limit: 200})
	require.NoError(t, err)
	assert.Len(t, page.Breaches, 7)
	page, err = svc.ListBreaches(ctx, adviser, breach.BreachFilter{Stage: breach.StagePreliminary})
	require.NoError(t, err)
	require.Len(t, page.Breaches, 1)
	assert.Equal(t, "acme voorlopig", page.Breaches[0].Title)

	_, err = svc.ListBreaches(ctx, acme, breach.BreachFilter{Cursor: "not-a-cursor!"})
	assert.Equal(t, breach.EINVALID, breach.ErrorCode(err))
	_, err = svc.ListBreaches(ctx, acme, breach.BreachFilter{Status: "lost", Sort: "size", Limit: 1000})
	var e *breach.Error
	require.ErrorAs(t, err, &e)
	assert.Len(t, e.Fields, 3)
}

func TestListBreachesByNearestDeadline(t *testing.T) {
	db := MustOpenDB(t)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	// Processor clocks run only on preliminary reports; every breach has an
	// authority clock at received + 72 h.
	late := file(t, svc, acme, preliminary("due in 1h", start.Add(-23*time.Hour)))
	c.t = start.Add(time.Minute)
	complete := file(t, svc, acme, filing("authority only", start.Add(-time.Hour)))
	c.t = start.Add(2 * time.Minute)
	soon := file(t, svc, acme, preliminary("due in 5h", start.Add(-19*time.Hour)))
	c.t = start.Add(3 * time.Minute)
	overdue := file(t, svc, acme, preliminary("overdue", start.Add(-30*time.Hour)))

	var order []string
	cursor := ""
	for {
		page, err := svc.ListBreaches(ctx, acme, breach.BreachFilter{Sort: breach.SortDeadline, Limit: 1, Cursor: cursor})
		require.NoError(t, err)
		for _, b := range page.Breaches {
			order = append(order, b.Title)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	assert.Equal(t, []string{overdue.Title, late.Title, soon.Title, complete.Title}, order,
		"each breach once, by its nearest running deadline")
}

// Concurrent filings share group commits; each still gets its own reference.
func TestConcurrentFilingsGetUniqueReferences(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	const n = 64
	refs := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _, err := svc.FileBreach(ctx, supplier(fmt.Sprintf("Org %d", i%4)), filing(fmt.Sprintf("r%d", i), start.Add(-time.Hour)), "")
			if assert.NoError(t, err) {
				refs <- b.Reference
			}
		}()
	}
	wg.Wait()
	close(refs)
	unique := map[string]bool{}
	for r := range refs {
		assert.False(t, unique[r], "reference %s given twice", r)
		unique[r] = true
	}
	assert.Len(t, unique, n)
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, _ := newService(db)
	b := file(t, svc, supplier("Acme BV"), filing("Blijft", start.Add(-time.Hour)))
	require.NoError(t, db.Close())

	db, err = store.Open(path)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check())
	svc, _ = newService(db)
	got, err := svc.FindBreach(ctx, supplier("Acme BV"), b.ID)
	require.NoError(t, err)
	assert.Equal(t, b.Reference, got.Reference)
	next := file(t, svc, supplier("Acme BV"), filing("Volgende", start.Add(-time.Hour)))
	assert.NotEqual(t, b.Reference, next.Reference, "the references index survives a restart")
}

func TestOpenFailsFastWhenInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	defer db.Close()
	_, err = store.Open(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "in use by another process")
}

func TestCheckFindsDamage(t *testing.T) {
	tests := []struct {
		name   string
		damage func(tx *bolt.Tx, b *breach.Breach) error
		want   string
	}{
		{"missing received index entry", func(tx *bolt.Tx, b *breach.Breach) error {
			c := tx.Bucket([]byte("by_received")).Cursor()
			k, _ := c.First()
			return c.Bucket().Delete(k)
		}, "by_received: missing entry"},
		{"stale deadline entry", func(tx *bolt.Tx, b *breach.Breach) error {
			return tx.Bucket([]byte("by_deadline")).Put([]byte("\x00\x00\x00\x00\x00\x00\x00\x01ghost/processor"), nil)
		}, "by_deadline: entry"},
		{"edited audit event", func(tx *bolt.Tx, b *breach.Breach) error {
			evs := tx.Bucket([]byte("events"))
			k, v := evs.Cursor().First()
			v, err := store.Unpack(v)
			if err != nil {
				return err
			}
			return evs.Put(k, store.Pack([]byte(string(v[:len(v)-1])+`,"message":"weggepoetst"}`)))
		}, "altered"},
		{"edited report in the record itself", func(tx *bolt.Tx, b *breach.Breach) error {
			bkt := tx.Bucket([]byte("breaches"))
			v, err := store.Unpack(bkt.Get([]byte(b.ID)))
			if err != nil {
				return err
			}
			return bkt.Put([]byte(b.ID), store.Pack([]byte(strings.Replace(string(v), `"title":"x"`, `"title":"niets aan de hand"`, 1))))
		}, "title differs from what its trail records"},
		{"damaged compressed record", func(tx *bolt.Tx, b *breach.Breach) error {
			bkt := tx.Bucket([]byte("breaches"))
			v := bytes.Clone(bkt.Get([]byte(b.ID)))
			v[len(v)/2] ^= 0xff
			return bkt.Put([]byte(b.ID), v)
		}, "decompress"},
		{"deleted audit event", func(tx *bolt.Tx, b *breach.Breach) error {
			evs := tx.Bucket([]byte("events"))
			k, _ := evs.Cursor().First()
			return evs.Delete(k)
		}, "trail has 0 events"},
		{"mail without its snapshot", func(tx *bolt.Tx, b *breach.Breach) error {
			snapshots := tx.Bucket([]byte("snapshots"))
			k, _ := snapshots.Cursor().First()
			return snapshots.Delete(k)
		}, "version 1: missing"},
		{"snapshot of no mail", func(tx *bolt.Tx, b *breach.Breach) error {
			for _, name := range []string{"outbox", "outbox_due"} {
				c := tx.Bucket([]byte(name)).Cursor()
				k, _ := c.First()
				if err := c.Bucket().Delete(k); err != nil {
					return err
				}
			}
			return nil
		}, "no mail refers to it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(filepath.Join(t.TempDir(), "datalek.db"))
			require.NoError(t, err)
			defer db.Close()
			svc, _ := newService(db)
			b := file(t, svc, supplier("Acme BV"), preliminary("x", start.Add(-time.Hour)))
			require.NoError(t, db.Check())
			require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error { return tt.damage(tx, b) }))
			err = db.Check()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestTokens(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	admin := breach.Actor{TokenID: breach.BootstrapTokenID, Name: "bootstrap", Role: breach.RoleAdmin}

	require.NoError(t, svc.BootstrapAdmin(ctx, "first-operator-secret-0123456789"))
	a, err := svc.Authenticate(ctx, "first-operator-secret-0123456789")
	require.NoError(t, err)
	assert.Equal(t, breach.RoleAdmin, a.Role)

	require.NoError(t, svc.BootstrapAdmin(ctx, "second-operator-secret-012345678"))
	_, err = svc.Authenticate(ctx, "first-operator-secret-0123456789")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err), "a changed bootstrap secret replaces the old one")

	tok, secret, err := svc.CreateToken(ctx, admin, breach.TokenRequest{Role: breach.RoleSupplier, Organisation: "Acme BV", Name: "acme-prod"})
	require.NoError(t, err)
	a, err = svc.Authenticate(ctx, secret)
	require.NoError(t, err)
	assert.Equal(t, supplier("Acme BV").Role, a.Role)
	assert.Equal(t, "Acme BV", a.Organisation)

	err = db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				assert.NotContains(t, string(k)+string(v), secret, "secret stored in bucket %s", name)
				return nil
			})
		})
	})
	require.NoError(t, err)

	tokens, err := svc.ListTokens(ctx, admin)
	require.NoError(t, err)
	assert.Len(t, tokens, 2)

	require.NoError(t, svc.RevokeToken(ctx, admin, tok.ID))
	_, err = svc.Authenticate(ctx, secret)
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err))

	require.NoError(t, svc.RevokeToken(ctx, admin, breach.BootstrapTokenID))
	assert.ErrorIs(t, svc.BootstrapAdmin(ctx, "second-operator-secret-012345678"), breach.ErrBootstrapRevoked,
		"a restart with the same secret does not bring a revoked bootstrap token back")
	_, err = svc.Authenticate(ctx, "second-operator-secret-012345678")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err))
	require.NoError(t, svc.BootstrapAdmin(ctx, "third-operator-secret-0123456789"), "a new secret bootstraps again")
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(svc.RevokeToken(ctx, admin, "nope")))

	_, _, err = svc.CreateToken(ctx, a, breach.TokenRequest{Role: breach.RoleAdmin, Name: "x"})
	assert.Equal(t, breach.EFORBIDDEN, breach.ErrorCode(err), "only an admin issues tokens")
	_, _, err = svc.CreateToken(ctx, admin, breach.TokenRequest{Role: breach.RoleSupplier, Name: ""})
	var e *breach.Error
	require.ErrorAs(t, err, &e)
	assert.Len(t, e.Fields, 2, "name and organisation")
}
