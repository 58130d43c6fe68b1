package store_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/store"
)

// rewriteJSON applies edit to every JSON object in bkt and stores the result.
func rewriteJSON(bkt *bolt.Bucket, edit func(m map[string]json.RawMessage) error) error {
	var rewrite [][2][]byte
	err := bkt.ForEach(func(k, v []byte) error {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		if err := edit(m); err != nil {
			return err
		}
		data, err := json.Marshal(m)
		rewrite = append(rewrite, [2][]byte{append([]byte(nil), k...), data})
		return err
	})
	if err != nil {
		return err
	}
	for _, kv := range rewrite { // bbolt forbids writing to the bucket ForEach iterates
		if err := bkt.Put(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// downgradeToV1 turns a database into layout 1: no alert state on breaches,
// no buckets of the alerts and the mail.
func downgradeToV1(t *testing.T, db *store.DB) {
	t.Helper()
	downgradeToV5(t, db)
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"alerts", "outbox", "outbox_due", "mail_sent", "mail_dead", "by_organisation_deadline", "snapshots", "references"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		err := rewriteJSON(tx.Bucket([]byte("breaches")), func(m map[string]json.RawMessage) error {
			delete(m, "alerting")
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("layout_version"), []byte("1"))
	}))
}

// downgradeToV4 turns a database into layout 4: a mail is one record for all
// the addresses of its notice, without a recipient, and the counters count
// such mails. The deliveries of one notice are merged into the one with the
// lowest number; a test keeps them in the same state.
func downgradeToV4(t *testing.T, db *store.DB) {
	t.Helper()
	downgradeToV5(t, db)
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		for _, name := range []string{"outbox", "mail_sent", "mail_dead"} {
			bkt := tx.Bucket([]byte(name))
			first := map[string]bool{} // notice IDs seen, in key (number) order
			var merged [][]byte
			err := rewriteJSON(bkt, func(m map[string]json.RawMessage) error {
				var n struct {
					ID string `json:"id"`
				}
				if err := json.Unmarshal(m["notice"], &n); err != nil {
					return err
				}
				if first[n.ID] {
					var seq uint64
					if err := json.Unmarshal(m["seq"], &seq); err != nil {
						return err
					}
					merged = append(merged, binary.BigEndian.AppendUint64(nil, seq))
				}
				first[n.ID] = true
				delete(m, "recipient")
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range merged {
				if err := bkt.Delete(k); err != nil {
					return err
				}
			}
			counter := map[string]string{"mail_sent": "mail_sent_count", "mail_dead": "mail_dead_count"}[name]
			if counter != "" && len(merged) > 0 {
				n := binary.BigEndian.Uint64(meta.Get([]byte(counter))) - uint64(len(merged))
				if err := meta.Put([]byte(counter), binary.BigEndian.AppendUint64(nil, n)); err != nil {
					return err
				}
			}
		}
		// The due index of layout 3: one entry per remaining pending mail.
		if err := tx.DeleteBucket([]byte("outbox_due")); err != nil {
			return err
		}
		due, err := tx.CreateBucket([]byte("outbox_due"))
		if err != nil {
			return err
		}
		err = tx.Bucket([]byte("outbox")).ForEach(func(k, v []byte) error {
			var m struct {
				NextAttemptAt time.Time `json:"next_attempt_at"`
			}
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			return due.Put(append(binary.BigEndian.AppendUint64(nil, uint64(m.NextAttemptAt.UnixNano())), k...), nil)
		})
		if err != nil {
			return err
		}
		if err := meta.Delete([]byte("mail_dead_mailbox_count")); err != nil {
			return err
		}
		return meta.Put([]byte("layout_version"), []byte("4"))
	}))
}

// downgradeToV2 turns a database into layout 2: every mail about a breach
// carries its own copy of the breach record, as breach_snapshot, and there is
// no snapshots bucket. The snapshot key is spelled out here, apart from the
// store's code, as layout 3 defines it.
func downgradeToV2(t *testing.T, db *store.DB) {
	t.Helper()
	downgradeToV4(t, db)
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		snapshots := tx.Bucket([]byte("snapshots"))
		for _, name := range []string{"outbox", "mail_sent", "mail_dead"} {
			err := rewriteJSON(tx.Bucket([]byte(name)), func(m map[string]json.RawMessage) error {
				var n map[string]json.RawMessage // layout 2 stored no audience
				if err := json.Unmarshal(m["notice"], &n); err != nil {
					return err
				}
				delete(n, "audience")
				if bounced, ok := n["bounced"]; ok {
					var b map[string]json.RawMessage
					if err := json.Unmarshal(bounced, &b); err != nil {
						return err
					}
					delete(b, "audience")
					n["bounced"], _ = json.Marshal(b)
				}
				m["notice"], _ = json.Marshal(n)
				ref, ok := m["snapshot"]
				if !ok {
					return nil
				}
				var r struct {
					BreachID string `json:"breach_id"`
					Version  uint64 `json:"version"`
				}
				if err := json.Unmarshal(ref, &r); err != nil {
					return err
				}
				snapshot := snapshots.Get(binary.BigEndian.AppendUint64([]byte(r.BreachID+"/"), r.Version))
				if snapshot == nil {
					return fmt.Errorf("no snapshot of %s version %d", r.BreachID, r.Version)
				}
				delete(m, "snapshot")
				m["breach_snapshot"] = append(json.RawMessage(nil), snapshot...)
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, name := range []string{"snapshots", "references"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("layout_version"), []byte("2"))
	}))
}

// assertLayoutVersion asserts the layout version the file records.
func assertLayoutVersion(t *testing.T, db *store.DB, want int) {
	t.Helper()
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		assert.Equal(t, strconv.Itoa(want), string(tx.Bucket([]byte("meta")).Get([]byte("layout_version"))))
		return nil
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
	assertLayoutVersion(t, db, store.LayoutVersion)

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

// rawMails reads the stored records of a mail bucket as JSON objects, each
// field's value as its JSON text.
func rawMails(t *testing.T, db *store.DB, bucket string) []map[string]string {
	t.Helper()
	var mails []map[string]string
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).ForEach(func(_, v []byte) error {
			var m map[string]json.RawMessage
			if err := unmarshalStored(v, &m); err != nil {
				return err
			}
			fields := map[string]string{}
			for k, v := range m {
				fields[k] = string(v)
			}
			mails = append(mails, fields)
			return nil
		})
	}))
	return mails
}

// storedMails reads the stored records of a mail bucket.
func storedMails(t *testing.T, db *store.DB, bucket string) []breach.OutboxMail {
	t.Helper()
	var mails []breach.OutboxMail
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).ForEach(func(k, v []byte) error {
			var m breach.OutboxMail
			if err := unmarshalStored(v, &m); err != nil {
				return err
			}
			m.Seq = binary.BigEndian.Uint64(k) // the key, not in the value since layout 6
			mails = append(mails, m)
			return nil
		})
	}))
	return mails
}

// unmarshalStored decodes a stored record, compressed or not.
func unmarshalStored(v []byte, into any) error {
	data, err := store.Unpack(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, into)
}

// keyCount is how many keys a bucket holds.
func keyCount(t *testing.T, db *store.DB, bucket string) int {
	t.Helper()
	n := 0
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		n = tx.Bucket([]byte(bucket)).Stats().KeyN
		return nil
	}))
	return n
}

func TestMigrateLayout2To3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, c := newService(db)
	acme := supplier("Acme BV")
	sent := file(t, svc, acme, filing("Gemeld", start.Add(-time.Hour))) // filed and acknowledged: one change, two mails
	c.t = start.Add(time.Minute)
	amended := file(t, svc, acme, preliminary("Voorlopig", start.Add(-time.Hour)))
	_, err = svc.AmendBreach(ctx, acme, amended.ID, breach.ReportPatch{Cause: ptr("Diefstal")})
	require.NoError(t, err)
	queued, err := svc.Digest(ctx) // about no single breach
	require.NoError(t, err)
	require.True(t, queued)

	// One mail of the filing left, the other was refused and bounced: the
	// migrated sent log and dead letters must keep their breach too.
	later := start.Add(time.Hour)
	mails, err := db.DueMail(ctx, later, 100)
	require.NoError(t, err)
	require.Len(t, mails, 5)
	filed, acknowledged := mails[0], mails[1]
	require.Equal(t, breach.NoticeFiled, filed.Notice.Kind)
	require.Equal(t, breach.NoticeAcknowledged, acknowledged.Notice.Kind)
	require.NoError(t, db.MarkSent(ctx, []uint64{filed.Seq}, later))
	require.NoError(t, db.MarkDead(ctx, acknowledged.Seq, later, "550 no such user",
		acknowledged.Notice.Bounce([]string{"privacy@example.org"}, later, "550 no such user")))
	pending, err := db.DueMail(ctx, later, 100)
	require.NoError(t, err)
	require.Len(t, pending, 4, "the preliminary report's filed and amended mails, the digest and the bounce")

	downgradeToV2(t, db)
	for _, bucket := range []string{"outbox", "mail_sent", "mail_dead"} {
		for _, m := range rawMails(t, db, bucket) {
			assert.NotContains(t, m, "snapshot", "a layout 2 %s record", bucket)
			assert.NotContains(t, m["notice"], "audience", "a layout 2 %s record", bucket)
		}
	}
	require.NoError(t, db.Close())

	db, err = store.Open(path) // migrates
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check(), "every mail's snapshot is there, and every snapshot is some mail's")
	assertLayoutVersion(t, db, store.LayoutVersion)

	assert.Equal(t, 3, keyCount(t, db, "snapshots"),
		"one per change: the first breach's filing (filed, acknowledged, bounce), the second's filing, its amendment")
	for _, bucket := range []string{"outbox", "mail_sent", "mail_dead"} {
		for _, m := range rawMails(t, db, bucket) {
			assert.NotContains(t, m, "breach_snapshot", "a migrated %s record still carries the breach", bucket)
		}
	}
	sentLog, deadLetters := rawMails(t, db, "mail_sent"), rawMails(t, db, "mail_dead")
	require.Len(t, sentLog, 1)
	require.Len(t, deadLetters, 1)
	assert.JSONEq(t, fmt.Sprintf(`{"breach_id":%q,"version":1}`, sent.ID), sentLog[0]["snapshot"])
	assert.JSONEq(t, fmt.Sprintf(`{"breach_id":%q,"version":1}`, sent.ID), deadLetters[0]["snapshot"])
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		key := binary.BigEndian.AppendUint64([]byte(sent.ID+"/"), 1)
		record, err := store.Unpack(tx.Bucket([]byte("breaches")).Get([]byte(sent.ID)))
		require.NoError(t, err)
		snapshot, err := store.Unpack(tx.Bucket([]byte("snapshots")).Get(key))
		require.NoError(t, err)
		assert.Equal(t, string(record), string(snapshot), "the snapshot is the breach record as the filing wrote it, byte for byte")
		return nil
	}))

	got, err := db.DueMail(ctx, later, 100)
	require.NoError(t, err)
	assert.Equal(t, pending, got, "pending mail reads back as before, each with its breach as it was and its audience")
	var dead struct {
		Audience breach.Audience `json:"audience"`
	}
	require.NoError(t, json.Unmarshal([]byte(deadLetters[0]["notice"]), &dead))
	assert.Equal(t, breach.AudienceReporter, dead.Audience, "the refused acknowledgement was the reporter's")
	require.Equal(t, breach.NoticeBounce, got[3].Notice.Kind)
	require.NotNil(t, got[3].Notice.Breach)
	assert.Equal(t, sent.ID, got[3].Notice.Breach.ID, "the bounce shows the breach of the refused mail")
}

// downgradeToV3 turns a database into layout 3: references counted per year
// (DL-2026-0001, …, in order of receipt), the count in meta/ref/<yyyy>, and
// no references bucket.
func downgradeToV3(t *testing.T, db *store.DB) {
	t.Helper()
	downgradeToV4(t, db)
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		breaches := tx.Bucket([]byte("breaches"))
		c := tx.Bucket([]byte("by_received")).Cursor()
		n := 0
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			id := k[8:]
			var m map[string]json.RawMessage
			if err := json.Unmarshal(breaches.Get(id), &m); err != nil {
				return err
			}
			n++
			m["reference"], _ = json.Marshal(fmt.Sprintf("DL-2026-%04d", n))
			data, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if err := breaches.Put(id, data); err != nil {
				return err
			}
		}
		meta := tx.Bucket([]byte("meta"))
		if err := meta.Put([]byte("ref/2026"), binary.BigEndian.AppendUint64(nil, uint64(n))); err != nil {
			return err
		}
		if err := tx.DeleteBucket([]byte("references")); err != nil {
			return err
		}
		return meta.Put([]byte("layout_version"), []byte("3"))
	}))
}

func TestMigrateLayout3To4(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, c := newService(db)
	var ids []string
	for i, org := range []string{"Acme BV", "Other BV", "Acme BV"} {
		c.t = start.Add(time.Duration(i) * time.Minute)
		ids = append(ids, file(t, svc, supplier(org), filing(fmt.Sprintf("Melding %d", i), start.Add(-time.Hour))).ID)
	}
	downgradeToV3(t, db)
	require.NoError(t, db.Close())

	db, err = store.Open(path) // migrates
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check(), "every reference indexed, and only those")
	assertLayoutVersion(t, db, store.LayoutVersion)
	svc, _ = newService(db)
	for i, id := range ids {
		b, err := svc.FindBreach(ctx, adviser, id)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("DL-2026-%04d", i+1), b.Reference, "an existing reference stays as it was")
	}

	db.DrawReferences("DL-2026-0002", "DL-2026-BCDFG")
	b := file(t, svc, supplier("Acme BV"), filing("Na de migratie", start.Add(-time.Hour)))
	assert.Equal(t, "DL-2026-BCDFG", b.Reference, "a counted reference is taken: drawn again")
	require.NoError(t, db.Check())
}

func TestMigrateLayout4To5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, c := newService(db)
	mailbox := []string{"datalekken@hetcak.example", "fg@hetcak.example"}
	svc.MailTo = mailbox
	acme := supplier("Acme BV")
	first := file(t, svc, acme, filing("Eerste", start.Add(-time.Hour)))
	c.t = start.Add(time.Minute)
	second := file(t, svc, acme, filing("Tweede", start.Add(-time.Hour)))

	// The states a layout 4 mail can be in, each notice's deliveries alike:
	// the first breach's new report sent, its acknowledgement refused and
	// bounced (the bounce pending); the second's new report set aside as dead
	// (as layout 3 did with a refused mailbox), its acknowledgement failed.
	later := start.Add(time.Hour)
	mails, err := db.DueMail(ctx, later, 100)
	require.NoError(t, err)
	require.Len(t, mails, 6, "two deliveries of each new report, one of each acknowledgement")
	byNotice := map[string][]breach.OutboxMail{}
	for _, m := range mails {
		byNotice[m.Notice.ID] = append(byNotice[m.Notice.ID], m)
	}
	filed1, ack1 := byNotice[first.ID+".1.filed"], byNotice[first.ID+".1.acknowledged"]
	filed2, ack2 := byNotice[second.ID+".1.filed"], byNotice[second.ID+".1.acknowledged"]
	require.NoError(t, db.MarkSent(ctx, []uint64{filed1[0].Seq, filed1[1].Seq}, later))
	require.NoError(t, db.MarkDead(ctx, ack1[0].Seq, later, "550 no such user", ack1[0].Message().Bounce(mailbox, later, "550 no such user")))
	for _, m := range filed2 {
		require.NoError(t, db.MarkDead(ctx, m.Seq, later, "554 relay access denied", nil))
	}
	require.NoError(t, db.MarkFailed(ctx, ack2[0].Seq, later.Add(time.Hour), "421 try again later"))

	downgradeToV4(t, db)
	for _, bucket := range []string{"outbox", "mail_sent", "mail_dead"} {
		for _, m := range rawMails(t, db, bucket) {
			assert.NotContains(t, m, "recipient", "a layout 4 %s record", bucket)
		}
	}
	assert.Equal(t, 2, keyCount(t, db, "outbox"), "layout 4: the failed acknowledgement and one bounce to both addresses")
	assert.Equal(t, 1, keyCount(t, db, "mail_sent"))
	assert.Equal(t, 2, keyCount(t, db, "mail_dead"))
	require.NoError(t, db.Close())

	db, err = store.Open(path) // migrates
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check(), "every delivery to one of its notice's addresses, the due index and the counters agree")
	assertLayoutVersion(t, db, store.LayoutVersion)

	st, err := db.MailStats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, st.Pending, "the acknowledgement and the bounce to each address")
	assert.Equal(t, 2, st.Sent, "the new report, to each address")
	assert.Equal(t, 3, st.Dead, "the acknowledgement and the second new report, to each address")
	assert.Equal(t, 2, st.DeadMailbox, "the second new report: the service is not ready until it is sent again")

	for _, bucket := range []string{"outbox", "mail_sent", "mail_dead"} {
		recipients, to := map[string][]string{}, map[string][]string{}
		for _, m := range storedMails(t, db, bucket) {
			recipients[m.Notice.ID] = append(recipients[m.Notice.ID], m.Recipient)
			to[m.Notice.ID] = m.Notice.To
		}
		for id, got := range recipients {
			assert.ElementsMatch(t, to[id], got, "%s %s: one delivery per address", bucket, id)
		}
	}
	pending, err := db.DueMail(ctx, later.Add(2*time.Hour), 100)
	require.NoError(t, err)
	require.Len(t, pending, 3)
	for _, m := range pending {
		require.Len(t, m.Message().To, 1, "a delivery is addressed to its one recipient")
	}
	due, err := db.DueMail(ctx, later, 100)
	require.NoError(t, err)
	assert.Len(t, due, 2, "the bounce's deliveries are due when the bounce was; the acknowledgement waits out its failure")
}
