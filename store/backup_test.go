package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/store"
)

func TestWriteSnapshotIsAWholeDatabase(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "datalek.db"))
	require.NoError(t, err)
	svc := breach.NewService(db)
	at := time.Date(2026, time.November, 21, 10, 0, 0, 0, time.UTC)
	svc.Now = func() time.Time { return at }
	acme := breach.Actor{TokenID: "acme", Name: "acme", Role: breach.RoleSupplier, Organisation: "Acme BV"}
	b, _, err := svc.FileBreach(context.Background(), acme, breachtest.ExampleFiling(at), "")
	require.NoError(t, err)

	var snap bytes.Buffer
	n, err := db.WriteSnapshot(&snap)
	require.NoError(t, err)
	assert.Equal(t, int64(snap.Len()), n)
	copyPath := filepath.Join(dir, "copy.db")
	require.NoError(t, os.WriteFile(copyPath, snap.Bytes(), 0o600))

	_, err = store.SnapshotFile(filepath.Join(dir, "datalek.db"), &bytes.Buffer{})
	assert.ErrorContains(t, err, "in use by another process", "the open store is locked")
	require.NoError(t, db.Close())

	copied, err := store.OpenReadOnly(copyPath)
	require.NoError(t, err)
	defer copied.Close()
	assert.Empty(t, copied.Problems())
	assert.Equal(t, 1, copied.Breaches())
	got, err := copied.ListEvents(context.Background(), acme.Scope(), b.ID)
	require.NoError(t, err)
	assert.Len(t, got, 1)

	var again bytes.Buffer
	_, err = store.SnapshotFile(filepath.Join(dir, "datalek.db"), &again)
	require.NoError(t, err, "a stopped service's store is copied read-only")
	assert.NotZero(t, again.Len())

	_, err = store.OpenReadOnly(filepath.Join(dir, "missing.db"))
	assert.ErrorContains(t, err, "holds no database")
}
