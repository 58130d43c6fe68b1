package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// Check verifies the database: bbolt's own page check, every breach against
// its index entries and audit trail, and every index entry against a breach.
// It returns every problem found, joined, or nil.
func (db *DB) Check() error {
	var problems []error
	report := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			report("bbolt: %v", err)
		}
		expected := map[string]map[string]bool{
			string(bucketByReceived): {}, string(bucketByDeadline): {}, string(bucketAlerts): {}, string(bucketOpen): {},
		}
		orgIndex, orgDeadlines := map[string]map[string]bool{}, map[string]map[string]bool{}
		references := map[string]string{} // reference -> breach ID
		err := tx.Bucket(bucketBreaches).ForEach(func(k, v []byte) error {
			var b breach.Breach
			if err := getJSON(v, &b); err != nil {
				report("breach %s: %v", k, err)
				return nil
			}
			if b.ID != string(k) {
				report("breach %s: stored under key %s", b.ID, k)
			}
			expected[string(bucketByReceived)][string(receivedKey(&b))] = true
			if isOpen(&b) {
				expected[string(bucketOpen)][b.ID] = true
			}
			if other, dup := references[b.Reference]; dup {
				report("breach %s: reference %s is also breach %s's", b.ID, b.Reference, other)
			}
			references[b.Reference] = b.ID
			if orgIndex[b.Organisation] == nil {
				orgIndex[b.Organisation] = map[string]bool{}
			}
			orgIndex[b.Organisation][string(receivedKey(&b))] = true
			if orgDeadlines[b.Organisation] == nil {
				orgDeadlines[b.Organisation] = map[string]bool{}
			}
			for _, d := range b.RunningDeadlines() {
				expected[string(bucketByDeadline)][string(deadlineKey(b.ID, d))] = true
				orgDeadlines[b.Organisation][string(deadlineKey(b.ID, d))] = true
			}
			for _, d := range b.NextAlerts() {
				expected[string(bucketAlerts)][string(deadlineKey(b.ID, d))] = true
			}
			events, err := readEvents(tx, b.ID)
			if err != nil {
				report("%v", err)
			} else if err := breach.VerifyTrail(&b, events); err != nil {
				report("%v", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for name, want := range expected {
			compareIndex(tx.Bucket([]byte(name)), name, want, report)
		}
		orgs := tx.Bucket(bucketByOrg)
		for org, want := range orgIndex {
			compareIndex(orgs.Bucket([]byte(org)), string(bucketByOrg)+"/"+org, want, report)
		}
		byOrgDeadline := tx.Bucket(bucketOrgDeadline)
		for org, want := range orgDeadlines {
			compareIndex(byOrgDeadline.Bucket([]byte(org)), string(bucketOrgDeadline)+"/"+org, want, report)
		}
		_ = orgs.ForEachBucket(func(k []byte) error {
			if orgIndex[string(k)] == nil && orgs.Bucket(k).Stats().KeyN > 0 {
				report("%s/%s: entries for an organisation without breaches", bucketByOrg, k)
			}
			return nil
		})
		checkReferences(tx, references, report)
		checkMail(tx, report)
		return checkTokens(tx, report)
	})
	if err != nil {
		problems = append(problems, err)
	}
	return errors.Join(problems...)
}

// compareIndex reports entries missing from bkt and entries it has too many.
func compareIndex(bkt *bolt.Bucket, name string, want map[string]bool, report func(string, ...any)) {
	have := map[string]bool{}
	if bkt != nil {
		_ = bkt.ForEach(func(k, _ []byte) error {
			have[string(k)] = true
			return nil
		})
	}
	for k := range want {
		if !have[k] {
			report("%s: missing entry %x", name, k)
		}
	}
	for k := range have {
		if !want[k] {
			report("%s: entry %x has no matching breach", name, k)
		}
	}
}

// checkMail verifies the outbox against its due index, and the mails that
// need their snapshot (pending and dead) against the snapshots: every such
// mail's snapshot exists, since a mail without its breach cannot be composed
// or bounced, and every snapshot is held by as many of them as its count in
// snapshot_holds says, at least one, since a snapshot is written only for
// mail and deleted when its last mail leaves. Every mail is a delivery to
// one of its notice's addresses, the counters of dead mail count the dead
// letters, and a pruned mail keeps no snapshot.
func checkMail(tx *bolt.Tx, report func(string, ...any)) {
	due, referenced := map[string]bool{}, map[string]uint64{}
	dead, deadMailbox := 0, 0
	for _, name := range [][]byte{bucketOutbox, bucketMailSent, bucketMailDead} {
		sent := string(name) == string(bucketMailSent)
		_ = tx.Bucket(name).ForEach(func(k, v []byte) error {
			var rec outboxRecord
			var err error
			if sent { // its snapshot went when it was sent
				rec, err = getMail(k, v)
			} else {
				rec, err = decodeMail(tx, k, v) // fails on a missing snapshot
			}
			if err != nil {
				report("%s %x: %v", name, k, err)
				return nil
			}
			if !slices.Contains(rec.Notice.To, rec.Recipient) {
				report("%s %x: its recipient is not one of its notice's addresses", name, k)
			}
			if rec.Snapshot != nil && !sent {
				referenced[string(rec.Snapshot.key())]++
			}
			switch string(name) {
			case string(bucketOutbox):
				due[string(dueKey(rec.NextAttemptAt, rec.Seq))] = true
			case string(bucketMailDead):
				dead++
				if rec.Notice.Audience.Mailbox() {
					deadMailbox++
				}
			}
			return nil
		})
	}
	compareIndex(tx.Bucket(bucketOutboxDue), string(bucketOutboxDue), due, report)
	if n := counter(tx, keyMailDeadCount); n != dead {
		report("meta/%s is %d; %s holds %d", keyMailDeadCount, n, bucketMailDead, dead)
	}
	if n := counter(tx, keyMailDeadMailboxCount); n != deadMailbox {
		report("meta/%s is %d; %s holds %d for the privacy mailbox", keyMailDeadMailboxCount, n, bucketMailDead, deadMailbox)
	}
	_ = tx.Bucket(bucketSnapshots).ForEach(func(k, v []byte) error {
		var b breach.Breach
		if err := getJSON(v, &b); err != nil {
			report("%s %x: %v", bucketSnapshots, k, err)
		} else if !bytes.Equal(k, snapshotKey(b.ID, b.Version)) {
			report("%s %x: holds breach %s version %d", bucketSnapshots, k, b.ID, b.Version)
		} else if referenced[string(k)] == 0 {
			report("%s: snapshot of breach %s version %d: no mail refers to it", bucketSnapshots, b.ID, b.Version)
		}
		return nil
	})
	holds := tx.Bucket(bucketHolds)
	for k, n := range referenced {
		if v := holds.Get([]byte(k)); v == nil || binary.BigEndian.Uint64(v) != n {
			report("%s %x: %d mails refer to the snapshot; the count is %x", bucketHolds, k, n, v)
		}
	}
	_ = holds.ForEach(func(k, _ []byte) error {
		if referenced[string(k)] == 0 {
			report("%s %x: no mail refers to the snapshot", bucketHolds, k)
		}
		return nil
	})
	_ = tx.Bucket(bucketMailPruned).ForEach(func(k, v []byte) error {
		if rec, err := getMail(k, v); err != nil {
			report("%s %x: %v", bucketMailPruned, k, err)
		} else if rec.PrunedAt == nil || rec.Snapshot != nil || rec.Notice.ID == "" {
			report("%s %x: not a pruned mail", bucketMailPruned, k)
		}
		return nil
	})
}

// checkReferences verifies references/ against the breaches' references,
// both ways.
func checkReferences(tx *bolt.Tx, want map[string]string, report func(string, ...any)) {
	have := tx.Bucket(bucketReferences)
	for ref, id := range want {
		if got := have.Get([]byte(ref)); string(got) != id {
			report("%s: %s should be breach %s, is %q", bucketReferences, ref, id, got)
		}
	}
	_ = have.ForEach(func(k, v []byte) error {
		if _, ok := want[string(k)]; !ok {
			report("%s: %s (breach %s) has no matching breach", bucketReferences, k, v)
		}
		return nil
	})
}

func checkTokens(tx *bolt.Tx, report func(string, ...any)) error {
	ids, orgs := tx.Bucket(bucketTokenIDs), tx.Bucket(bucketOrgs)
	return tx.Bucket(bucketTokens).ForEach(func(hash, v []byte) error {
		var t breach.Token
		if err := getJSON(v, &t); err != nil {
			report("token %x: %v", hash, err)
		} else if !bytes.Equal(ids.Get([]byte(t.ID)), hash) {
			report("token %s: token_ids does not point at it", t.ID)
		} else if t.Role == breach.RoleSupplier && orgs.Get([]byte(t.Organisation)) == nil {
			report("token %s: its organisation %q has no record", t.ID, t.Organisation)
		}
		return nil
	})
}
