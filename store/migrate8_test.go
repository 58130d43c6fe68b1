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

// A layout-7 database has no index of open breaches; the migration to layout
// 8 builds it from the records, so that the overview and the digest find
// every breach that was open before the upgrade, and none that was closed.
func TestMigrateLayout7To8(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, c := newService(db)
	controller := breach.Actor{TokenID: "tok-ctl", Name: "verantwoordelijke", Role: breach.RoleController}
	open := file(t, svc, supplier("Acme BV"), filing("open", start.Add(-time.Hour)))
	c.t = start.Add(time.Minute)
	other := file(t, svc, supplier("Other BV"), preliminary("ander", start.Add(-time.Hour)))
	c.t = start.Add(2 * time.Minute)
	closed := file(t, svc, supplier("Acme BV"), filing("gesloten", start.Add(-time.Hour)))
	_, err = svc.Close(ctx, controller, closed.ID, breach.CloseRequest{Outcome: breach.OutcomeNoBreach, Reason: "Geen persoonsgegevens"})
	require.NoError(t, err)

	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error { // as layout 7 left it: no such bucket
		if err := tx.DeleteBucket([]byte("open_breaches")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("layout_version"), []byte("7"))
	}))
	require.NoError(t, db.Close())

	db, err = store.Open(path) // migrates
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check(), "the index matches the records")
	assertLayoutVersion(t, db, store.LayoutVersion)
	var indexed []string
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("open_breaches")).ForEach(func(k, v []byte) error {
			assert.Empty(t, v)
			indexed = append(indexed, string(k))
			return nil
		})
	}))
	assert.ElementsMatch(t, []string{open.ID, other.ID}, indexed, "the open breaches, not the closed one")

	svc, c = newService(db)
	c.t = start.Add(time.Hour)
	got, err := svc.OpenBreaches(ctx, adviser)
	require.NoError(t, err)
	assert.Equal(t, []string{other.ID, open.ID}, ids(got), "read through the index, nearest deadline first")
	_, err = svc.Close(ctx, controller, other.ID, breach.CloseRequest{Outcome: breach.OutcomeNoBreach, Reason: "Geen persoonsgegevens"})
	require.NoError(t, err)
	got, err = svc.OpenBreaches(ctx, adviser)
	require.NoError(t, err)
	assert.Equal(t, []string{open.ID}, ids(got), "a breach opened before the migration leaves the index when it closes")
}

// ids are the IDs of breaches, in their order.
func ids(breaches []*breach.Breach) []string {
	out := make([]string, len(breaches))
	for i, b := range breaches {
		out[i] = b.ID
	}
	return out
}
