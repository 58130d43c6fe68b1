package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/breach/breachtest"
)

// The domain has no way to reopen a closed breach yet; the store's write path
// is ready for one: a write that takes a breach from closed to open puts its
// entry back in open_breaches, and closing it again takes it out.
func TestReopenedBreachIsOpenAgain(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "datalek.db"))
	require.NoError(t, err)
	defer db.Close()
	svc := breach.NewService(db)
	svc.Now = func() time.Time { return now }
	acme := breach.Actor{TokenID: "tok-acme", Name: "acme-prod", Role: breach.RoleSupplier, Organisation: "Acme BV"}
	b, _, err := svc.FileBreach(ctx, acme, breachtest.ExampleFiling(now), "")
	require.NoError(t, err)
	adviser := breach.Actor{TokenID: "tok-adv", Name: "adviseur", Role: breach.RoleAdviser}
	_, err = svc.Close(ctx, adviser, b.ID, breach.CloseRequest{Outcome: breach.OutcomeNoBreach, Reason: "Geen persoonsgegevens"})
	require.NoError(t, err)
	indexed := func() bool {
		var in bool
		require.NoError(t, db.bolt.View(func(tx *bolt.Tx) error {
			in = tx.Bucket(bucketOpen).Get([]byte(b.ID)) != nil
			return nil
		}))
		return in
	}
	require.False(t, indexed(), "closed")

	setStatus := func(s breach.Status) {
		require.NoError(t, db.Commit(func(tx *bolt.Tx) error {
			_, err := updateInTx(tx, breach.StaffScope(), b.ID, func(b *breach.Breach) error {
				b.Status = s
				return nil
			}, true)
			return err
		}))
	}
	setStatus(breach.StatusTriage) // reopened
	assert.True(t, indexed(), "reopened")
	open, err := db.OpenBreaches(ctx, breach.StaffScope())
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, b.ID, open[0].ID)

	setStatus(breach.StatusClosed)
	assert.False(t, indexed(), "closed again")
}
