package store_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/store"
)

// downgradeToV1 turns a database into layout 1: no alert state on breaches,
// no buckets of the alerts and the mail.
func downgradeToV1(t *testing.T, db *store.DB) {
	t.Helper()
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"alerts", "outbox", "outbox_due", "mail_sent", "mail_dead", "by_organisation_deadline"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		breaches := tx.Bucket([]byte("breaches"))
		var rewrite [][2][]byte
		err := breaches.ForEach(func(k, v []byte) error {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			delete(m, "alerting")
			data, err := json.Marshal(m)
			rewrite = append(rewrite, [2][]byte{append([]byte(nil), k...), data})
			return err
		})
		if err != nil {
			return err
		}
		for _, kv := range rewrite {
			if err := breaches.Put(kv[0], kv[1]); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("layout_version"), []byte("1"))
	}))
}

func TestMigrateLayout1To2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, c := newService(db)
	running := file(t, svc, supplier("Acme BV"), preliminary("Voorlopig", start.Add(-time.Hour)))
	c.t = start.Add(time.Minute)
	complete := file(t, svc, supplier("Acme BV"), filing("Volledig", start.Add(-time.Hour)))
	downgradeToV1(t, db)
	require.NoError(t, db.Close())

	db, err = store.Open(path) // migrates
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check(), "indexes, including the new alert index, match the records")
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		assert.Equal(t, "2", string(tx.Bucket([]byte("meta")).Get([]byte("layout_version"))))
		return nil
	}))

	svc, _ = newService(db)
	got, err := svc.FindBreach(ctx, adviser, running.ID)
	require.NoError(t, err)
	assert.Equal(t, got.ReceivedAt, got.Alerting.Processor.AlertedUntil, "clocks start as if at receipt")
	require.NotNil(t, got.Alerting.Processor.NextAt)
	assert.Equal(t, got.ProcessorDue().Add(-6*time.Hour), *got.Alerting.Processor.NextAt)
	got, err = svc.FindBreach(ctx, adviser, complete.ID)
	require.NoError(t, err)
	assert.Nil(t, got.Alerting.Processor.NextAt, "a complete report has no processor alerts")
	require.NotNil(t, got.Alerting.Authority.NextAt)

	// The migrated clocks alert like new ones.
	svc.Now = func() time.Time { return running.ProcessorDue() }
	n, err := svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}
