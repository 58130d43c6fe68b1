package store_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/store"
)

// downgradeToV5 turns a database into layout 5: every record plain JSON,
// no counts of the mails that hold a snapshot, no pruned mail.
func downgradeToV5(t *testing.T, db *store.DB) {
	t.Helper()
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		if err := store.DecompressRecords(tx); err != nil {
			return err
		}
		for _, name := range []string{"snapshot_holds", "mail_pruned", "organisations"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		for _, name := range []string{"outbox", "mail_sent", "mail_dead"} { // a mail's number was in its value too
			bkt := tx.Bucket([]byte(name))
			var keys, values [][]byte
			err := bkt.ForEach(func(k, v []byte) error {
				var m map[string]json.RawMessage
				if err := json.Unmarshal(v, &m); err != nil {
					return err
				}
				m["seq"], _ = json.Marshal(binary.BigEndian.Uint64(k))
				data, err := json.Marshal(m)
				keys, values = append(keys, k), append(values, data)
				return err
			})
			if err != nil {
				return err
			}
			for i := range keys {
				if err := bkt.Put(keys[i], values[i]); err != nil {
					return err
				}
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("layout_version"), []byte("5"))
	}))
}

func TestMigrateLayout5To6(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, c := newService(db)
	b, _, err := svc.FileBreach(ctx, supplier("Acme BV"), filing("Eerste", start.Add(-time.Hour)), "acme-incident-1")
	require.NoError(t, err)
	c.t = start.Add(time.Minute)
	require.NoError(t, db.PutToken(ctx, &breach.Token{ID: "tok-acme-2", Name: "acme-2", Role: breach.RoleSupplier,
		Organisation: "Acme BV", Hash: "5ha256hex0f7hesecret", CreatedAt: c.t, CreatedBy: "bootstrap (admin)"}))
	mails, err := db.DueMail(ctx, c.t, 100)
	require.NoError(t, err)
	require.NoError(t, db.MarkSent(ctx, []uint64{mails[0].Seq}, c.t))
	require.NoError(t, db.MarkDead(ctx, mails[1].Seq, c.t, "550 no such user", nil))
	sentOnly := file(t, svc, supplier("Acme BV"), filing("Tweede", start.Add(-time.Hour)))
	require.NoError(t, db.MarkSent(ctx, []uint64{mails[1].Seq + 1, mails[1].Seq + 2}, c.t))
	before, err := svc.FindBreach(ctx, adviser, b.ID)
	require.NoError(t, err)
	trail, err := svc.ListEvents(ctx, adviser, b.ID)
	require.NoError(t, err)

	downgradeToV5(t, db)
	plain := map[string]int{}
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		for _, name := range []string{"breaches", "events", "snapshots", "mail_sent", "mail_dead", "idempotency", "tokens"} {
			require.NoError(t, tx.Bucket([]byte(name)).ForEach(func(_, v []byte) error {
				require.True(t, json.Valid(v), "%s: a layout 5 record is plain JSON", name)
				plain[name]++
				return nil
			}))
			require.Positive(t, plain[name], "%s: the test stores a record of every kind", name)
		}
		return nil
	}))
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error { // layout 5 kept every snapshot
		data, err := json.Marshal(sentOnly)
		if err != nil {
			return err
		}
		return tx.Bucket([]byte("snapshots")).Put(binary.BigEndian.AppendUint64([]byte(sentOnly.ID+"/"), 1), data)
	}))
	require.Equal(t, 2, keyCount(t, db, "snapshots"))
	require.NoError(t, db.Close())

	db, err = store.Open(path) // migrates
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check())
	assertLayoutVersion(t, db, store.LayoutVersion)
	assert.Equal(t, 1, keyCount(t, db, "snapshots"), "the snapshot only sent mail referred to is gone; the dead mail's stays")
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		for name, n := range plain {
			got := 0
			require.NoError(t, tx.Bucket([]byte(name)).ForEach(func(_, v []byte) error {
				var frame zstd.Header
				require.NoError(t, frame.Decode(v), "%s: a layout 6 record is a zstd frame", name)
				assert.Equal(t, uint32(1), frame.DictionaryID, "%s: against dictionary 1", name)
				got++
				return nil
			}))
			assert.Equal(t, n, got, "%s: every record kept", name)
		}
		return nil
	}))
	svc, _ = newService(db)
	after, err := svc.FindBreach(ctx, adviser, b.ID)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the breach reads back as it was")
	trailAfter, err := svc.ListEvents(ctx, adviser, b.ID)
	require.NoError(t, err)
	assert.Equal(t, trail, trailAfter, "and its trail")
	orgs, err := db.ListOrganisations(ctx)
	require.NoError(t, err)
	require.Len(t, orgs, 1, "the organisation of the supplier token and of the breaches, a record of its own now")
	assert.Equal(t, "Acme BV", orgs[0].Name)
	sent, dead := storedMails(t, db, "mail_sent"), storedMails(t, db, "mail_dead")
	require.Len(t, sent, 3)
	require.Len(t, dead, 1)
	assert.Equal(t, mails[0].Seq, sent[0].Seq)
	assert.Equal(t, mails[1].Seq, dead[0].Seq)
}

// The migration to layout 6 rewrites every record in one transaction, which
// cannot use the pages it frees; the store compacts the file afterwards, so
// that it shrinks by the compression instead of growing by the old records.
func TestMigrationCompactsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, _ := newService(db)
	for i := range 300 {
		file(t, svc, supplier("Acme BV"), filing(fmt.Sprintf("Melding %d", i), start.Add(-time.Hour)))
	}
	downgradeToV5(t, db)
	require.NoError(t, db.Close())
	before, err := os.Stat(path)
	require.NoError(t, err)

	db, err = store.Open(path) // migrates
	require.NoError(t, err)
	require.NoError(t, db.Warning)
	defer db.Close()
	require.NoError(t, db.Check())
	assertLayoutVersion(t, db, store.LayoutVersion)
	after, err := os.Stat(path)
	require.NoError(t, err)
	assert.LessOrEqual(t, after.Size(), before.Size()+16<<20, "bbolt grows a file 16 MB at a time")
	st := db.Bolt().Stats()
	free := (st.FreePageN + st.PendingPageN) * db.Bolt().Info().PageSize
	assert.Less(t, free, 64<<10, "the pages the migration freed are not in the file any more")
	_, err = os.Stat(path + ".compact")
	assert.True(t, os.IsNotExist(err), "no copy left beside it")

	svc, _ = newService(db)
	page, err := svc.ListBreaches(ctx, adviser, breach.BreachFilter{Limit: breach.MaxPageSize})
	require.NoError(t, err)
	assert.Len(t, page.Breaches, breach.MaxPageSize)
	b := file(t, svc, supplier("Acme BV"), filing("Na de migratie", start.Add(-time.Hour)))
	mails, err := db.DueMail(ctx, start.Add(time.Hour), 1000)
	require.NoError(t, err)
	assert.Equal(t, 602, len(mails), "every mail kept, the new ones numbered after them")
	assert.Equal(t, b.ID, mails[len(mails)-1].Notice.Breach.ID)
	assert.Equal(t, uint64(602), mails[len(mails)-1].Seq)
}
