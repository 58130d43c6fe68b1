package store

// This file holds the store's side of retention (breach/retention.go):
// redacting a breach and its trail, deleting whole records with everything
// keyed by them, and the retention log of what was deleted.

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// RedactBreach implements breach.BreachStore.
func (db *DB) RedactBreach(ctx context.Context, id string, fn func(*breach.Breach, []breach.Event) error) (*breach.Breach, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var result *breach.Breach
	err := db.Commit(func(tx *bolt.Tx) error {
		b, err := getBreach(tx, breach.StaffScope(), id)
		if err != nil {
			return err
		}
		trail, err := readEvents(tx, id)
		if err != nil {
			return err
		}
		before := make([][]byte, len(trail))
		for i, e := range trail {
			if before[i], err = json.Marshal(e); err != nil {
				return err
			}
		}
		old := indexedOf(b)
		if err := fn(b, trail); err != nil {
			return err
		}
		var changed []breach.Event
		for i, e := range trail {
			if now, err := json.Marshal(e); err != nil {
				return err
			} else if !bytes.Equal(now, before[i]) {
				changed = append(changed, e)
			}
		}
		events, err := encodeEvents(append(changed, b.PendingEvents()...))
		if err != nil {
			return err
		}
		enc, err := encodeBreach(b, b.PendingNotices())
		if err != nil {
			return err
		}
		result = b
		return writeBreach(tx, b, enc, events, old)
	})
	return result, err
}

// retentionKey is an entry's key in retention_log: when the record was
// deleted, then the breach ID.
func retentionKey(e breach.RetentionEntry) []byte { return append(timeKey(e.DeletedAt), e.BreachID...) }

// DeleteBreaches implements breach.BreachStore.
func (db *DB) DeleteBreaches(ctx context.Context, entries []breach.RetentionEntry) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var deleted int
	err := db.Commit(func(tx *bolt.Tx) error {
		gone := map[string]bool{}
		for _, e := range entries {
			b, err := getBreach(tx, breach.StaffScope(), e.BreachID)
			if breach.ErrorCode(err) == breach.ENOTFOUND || (err == nil && isOpen(b)) {
				continue
			} else if err != nil {
				return err
			}
			if err := deleteBreach(tx, b); err != nil {
				return err
			}
			if err := putJSON(tx.Bucket(bucketRetention), retentionKey(e), e); err != nil {
				return err
			}
			gone[b.ID] = true
		}
		deleted = len(gone) // a commit that runs again counts again
		if len(gone) == 0 {
			return nil
		}
		if err := deleteMails(tx, gone); err != nil {
			return err
		}
		return deleteIdempotency(tx, gone)
	})
	if err != nil {
		return 0, err
	}
	return deleted, nil
}

// deleteBreach deletes a breach's record, its trail, its index entries, its
// reference and its snapshots.
func deleteBreach(tx *bolt.Tx, b *breach.Breach) error {
	id := []byte(b.ID)
	if err := tx.Bucket(bucketBreaches).Delete(id); err != nil {
		return err
	}
	for _, name := range [][]byte{bucketEvents, bucketSnapshots, bucketHolds} {
		if err := deletePrefix(tx.Bucket(name), []byte(b.ID+"/")); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketByReceived).Delete(receivedKey(b)); err != nil {
		return err
	}
	if org := tx.Bucket(bucketByOrg).Bucket([]byte(b.Organisation)); org != nil {
		if err := org.Delete(receivedKey(b)); err != nil {
			return err
		}
	}
	if err := moveEntries(tx.Bucket(bucketByDeadline), b.ID, b.RunningDeadlines(), nil); err != nil {
		return err
	}
	if org := tx.Bucket(bucketOrgDeadline).Bucket([]byte(b.Organisation)); org != nil {
		if err := moveEntries(org, b.ID, b.RunningDeadlines(), nil); err != nil {
			return err
		}
	}
	if err := moveEntries(tx.Bucket(bucketAlerts), b.ID, b.NextAlerts(), nil); err != nil {
		return err
	}
	if err := tx.Bucket(bucketOpen).Delete(id); err != nil {
		return err
	}
	refs := tx.Bucket(bucketReferences)
	if bytes.Equal(refs.Get([]byte(b.Reference)), id) {
		return refs.Delete([]byte(b.Reference))
	}
	return nil
}

// deletePrefix deletes every key of bkt that starts with prefix.
func deletePrefix(bkt *bolt.Bucket, prefix []byte) error {
	c := bkt.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// mailOf returns the breach a mail belongs to: the one its snapshot names,
// or, for a pruned mail (no snapshot), the one its notice's ID or thread
// names (breach.Breach.noticeID: "<breach ID>.<version>.<kind>"). A mail
// about no single breach (the digest) belongs to none.
func mailOf(rec outboxRecord) string {
	if rec.Snapshot != nil {
		return rec.Snapshot.BreachID
	}
	for _, id := range []string{rec.Notice.ThreadID, rec.Notice.ID} {
		if before, _, ok := strings.Cut(id, "."); ok {
			return before
		}
	}
	return ""
}

// deleteMails deletes the mails about the breaches gone: pending (with
// their due entries), dead (counted down) and the log of sent mail.
func deleteMails(tx *bolt.Tx, gone map[string]bool) error {
	for _, name := range [][]byte{bucketOutbox, bucketMailDead, bucketMailSent, bucketMailPruned} {
		bkt := tx.Bucket(name)
		var doomed []outboxRecord
		err := bkt.ForEach(func(k, v []byte) error {
			rec, err := getMail(k, v)
			if err != nil {
				return err
			}
			if gone[mailOf(rec)] {
				doomed = append(doomed, rec)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, rec := range doomed {
			if err := bkt.Delete(u64(rec.Seq)); err != nil {
				return err
			}
			switch string(name) {
			case string(bucketOutbox):
				err = tx.Bucket(bucketOutboxDue).Delete(dueKey(rec.NextAttemptAt, rec.Seq))
			case string(bucketMailDead):
				err = bumpDead(tx, rec.Notice.Audience, -1)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// deleteIdempotency deletes the idempotency keys that name a breach gone.
func deleteIdempotency(tx *bolt.Tx, gone map[string]bool) error {
	bkt := tx.Bucket(bucketIdempotency)
	var doomed [][]byte
	err := bkt.ForEach(func(k, v []byte) error {
		var idem breach.Idempotency
		if err := getJSON(v, &idem); err != nil {
			return err
		}
		if gone[idem.BreachID] {
			doomed = append(doomed, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range doomed {
		if err := bkt.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// RetentionLog implements breach.BreachStore.
func (db *DB) RetentionLog(ctx context.Context) ([]breach.RetentionEntry, error) {
	log := []breach.RetentionEntry{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRetention).ForEach(func(k, v []byte) error {
			var e breach.RetentionEntry
			if err := getJSON(v, &e); err != nil {
				return err
			}
			log = append(log, e)
			return nil
		})
	})
	return log, err
}

// deletedReferences returns the references of the breaches the retention
// log records as deleted: a chain head of one of them (HeadProblems) names
// a trail deleted on purpose, not one removed behind the service's back.
func deletedReferences(tx *bolt.Tx) map[string]bool {
	refs := map[string]bool{}
	_ = tx.Bucket(bucketRetention).ForEach(func(_, v []byte) error {
		var e breach.RetentionEntry
		if getJSON(v, &e) == nil {
			refs[e.Reference] = true
		}
		return nil
	})
	return refs
}
