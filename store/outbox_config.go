package store

// The outbox against the configuration and over time: mail for a mailbox
// address no longer configured, and sent mail pruned to its log entry.

import (
	"cmp"
	"context"
	"datalek/breach"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ReaddressMailbox implements breach.Outbox. It reads the pending and the
// dead mails (few, or something is wrong). The deliveries of one notice all
// carry its addresses (Notice.To), so the addresses it lacks follow from any
// of them; the first delivery to a removed address takes the first of them,
// each further one gets a delivery of its own, and the other deliveries to
// removed addresses are dropped, with their hold on the snapshot.
func (db *DB) ReaddressMailbox(ctx context.Context, mailbox []string, now time.Time) ([]breach.Readdressed, error) {
	var done []breach.Readdressed
	err := db.Commit(func(tx *bolt.Tx) error {
		done = nil
		type stray struct {
			bucket []byte
			rec    outboxRecord
		}
		var strays []stray
		byNotice := map[string][]int{}
		for _, name := range [][]byte{bucketOutbox, bucketMailDead} {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				rec, err := getMail(k, v)
				if err != nil {
					return fmt.Errorf("%s %x: %w", name, k, err)
				}
				if rec.Notice.Audience.Mailbox() && !slices.Contains(mailbox, rec.Recipient) {
					byNotice[rec.Notice.ID] = append(byNotice[rec.Notice.ID], len(strays))
					strays = append(strays, stray{name, rec})
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, s := range strays { // not inside ForEach: bbolt forbids writing to the bucket it iterates
			if err := takeOut(tx, s.bucket, s.rec); err != nil {
				return err
			}
		}
		for _, group := range byNotice {
			first := strays[group[0]].rec
			var missing []string
			for _, a := range mailbox {
				if !slices.Contains(first.Notice.To, a) {
					missing = append(missing, a)
				}
			}
			for i, j := range group {
				rec := strays[j].rec
				to := 0
				if i == 0 && len(missing) > 0 {
					// Its addresses become those with a delivery of their own: the old one goes.
					old := rec.Recipient
					rec.Recipient = missing[0]
					rec.Notice.To = append(slices.DeleteFunc(slices.Clone(rec.Notice.To), func(a string) bool { return a == old }), missing...)
					rec.NextAttemptAt, rec.ResentAt, rec.DeadAt, rec.Refused = now, &now, nil, false
					if err := putPending(tx, rec); err != nil {
						return err
					}
					for _, a := range missing[1:] { // further addresses: deliveries of their own, queued now too
						more := outboxRecord{OutboxMail: breach.OutboxMail{Notice: rec.Notice, Recipient: a, CreatedAt: rec.CreatedAt,
							NextAttemptAt: now, ResentAt: &now}, Snapshot: rec.Snapshot}
						seq, err := tx.Bucket(bucketOutbox).NextSequence()
						if err != nil {
							return err
						}
						more.Seq = seq
						if err := putPending(tx, more); err != nil {
							return err
						}
						if more.Snapshot != nil {
							if err := hold(tx, *more.Snapshot, 1); err != nil {
								return err
							}
						}
					}
					to = len(missing)
				} else if rec.Snapshot != nil {
					if err := hold(tx, *rec.Snapshot, -1); err != nil {
						return err
					}
				}
				done = append(done, breach.Readdressed{Seq: rec.Seq, Kind: rec.Notice.Kind, Notice: rec.Notice.ID, To: to})
			}
		}
		slices.SortFunc(done, func(a, b breach.Readdressed) int { return cmp.Compare(a.Seq, b.Seq) })
		return nil
	})
	return done, err
}

// putPending puts a mail in the outbox, due at its next attempt.
func putPending(tx *bolt.Tx, rec outboxRecord) error {
	if err := tx.Bucket(bucketOutboxDue).Put(dueKey(rec.NextAttemptAt, rec.Seq), nil); err != nil {
		return err
	}
	return putMail(tx.Bucket(bucketOutbox), rec)
}

// takeOut removes a mail from the outbox (with its due entry) or the dead
// letters (with its count), keeping its hold on its snapshot.
func takeOut(tx *bolt.Tx, from []byte, rec outboxRecord) error {
	if string(from) == string(bucketOutbox) {
		if err := tx.Bucket(bucketOutboxDue).Delete(dueKey(rec.NextAttemptAt, rec.Seq)); err != nil {
			return err
		}
	} else if err := bumpDead(tx, rec.Notice.Audience, -1); err != nil {
		return err
	}
	return tx.Bucket(from).Delete(u64(rec.Seq))
}

// PruneSentMail implements breach.Outbox. A sent mail holds no snapshot
// (MarkSent let it go), so pruning touches none. mail_sent holds only mail kept
// whole, in order of number, which is nearly the order in which mail left:
// it reads from the first and stops at the first mail sent at or after
// before, so a run costs what it prunes. A mail that left long after the
// ones numbered after it holds them up until it is old enough itself.
func (db *DB) PruneSentMail(ctx context.Context, before, now time.Time, limit int) (int, error) {
	n := 0
	err := db.Commit(func(tx *bolt.Tx) error {
		n = 0
		sent := tx.Bucket(bucketMailSent)
		var pruned []outboxRecord
		c := sent.Cursor()
		for k, v := c.First(); k != nil && len(pruned) < limit; k, v = c.Next() {
			rec, err := getMail(k, v)
			if err != nil {
				return fmt.Errorf("mail_sent %x: %w", k, err)
			}
			if rec.SentAt == nil || !rec.SentAt.Before(before) {
				break
			}
			pruned = append(pruned, rec)
		}
		for _, rec := range pruned { // not under the cursor: bbolt forbids writing there
			if err := sent.Delete(u64(rec.Seq)); err != nil {
				return err
			}
			if err := putMail(tx.Bucket(bucketMailPruned), outboxRecord{OutboxMail: rec.Pruned(now)}); err != nil {
				return err
			}
		}
		n = len(pruned)
		return nil
	})
	return n, err
}
