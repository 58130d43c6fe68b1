package store

// Dead mail: refused for good and set aside, and an operator's resend.

import (
	"context"
	"datalek/breach"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// MarkDead implements breach.Outbox. The bounce refers to the snapshot of
// the refused mail: it is about the same breach as that mail showed it.
func (db *DB) MarkDead(ctx context.Context, seq uint64, at time.Time, reason string, bounce *breach.Notice) error {
	return db.Commit(func(tx *bolt.Tx) error {
		rec, err := changeMail(tx, seq, func(r *outboxRecord) { r.DeadAt = &at; r.Attempts++; r.LastError = reason })
		if err != nil {
			return err
		}
		if err := moveMail(tx, bucketMailDead, seq, rec); err != nil {
			return err
		}
		if bounce != nil {
			if err := enqueue(tx, *bounce, rec.Snapshot); err != nil {
				return err
			}
		}
		return bumpDead(tx, rec.Notice.Audience, 1)
	})
}

// requeue makes the mail numbered seq in bucket from (the outbox, or the dead
// letters) pending again and due at now.
func requeue(tx *bolt.Tx, from []byte, seq uint64, now time.Time) error {
	v := tx.Bucket(from).Get(u64(seq))
	if v == nil {
		return breach.Errorf(breach.ENOTFOUND, "Mail %d staat niet in %s.", seq, from)
	}
	rec, err := getMail(u64(seq), v)
	if err != nil {
		return fmt.Errorf("%s %d: %w", from, seq, err)
	}
	if string(from) == string(bucketOutbox) {
		if err := tx.Bucket(bucketOutboxDue).Delete(dueKey(rec.NextAttemptAt, seq)); err != nil {
			return err
		}
	} else if err := tx.Bucket(from).Delete(u64(seq)); err != nil {
		return err
	}
	if rec.DeadAt != nil {
		rec.ResentAt = &now
	}
	rec.NextAttemptAt, rec.DeadAt = now, nil
	if err := tx.Bucket(bucketOutboxDue).Put(dueKey(now, seq), nil); err != nil {
		return err
	}
	return putMail(tx.Bucket(bucketOutbox), rec)
}

// ResendDead implements breach.Outbox: the mail keeps its number, its notice
// (so its Message-ID) and its history of attempts.
func (db *DB) ResendDead(ctx context.Context, seq uint64, now time.Time) error {
	return db.Commit(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMailDead).Get(u64(seq))
		if v == nil {
			return breach.Errorf(breach.ENOTFOUND, "Er is geen onbestelbare mail met nummer %d.", seq)
		}
		rec, err := getMail(u64(seq), v)
		if err != nil {
			return fmt.Errorf("mail_dead %d: %w", seq, err)
		}
		if err := requeue(tx, bucketMailDead, seq, now); err != nil {
			return err
		}
		return bumpDead(tx, rec.Notice.Audience, -1)
	})
}

// ResendDeadSince implements breach.Outbox. It reads every dead mail: there
// are few, or something else is wrong.
func (db *DB) ResendDeadSince(ctx context.Context, since, now time.Time) (int, error) {
	n := 0
	err := db.Commit(func(tx *bolt.Tx) error {
		n = 0
		var resend []breach.OutboxMail
		err := tx.Bucket(bucketMailDead).ForEach(func(k, v []byte) error {
			rec, err := getMail(k, v)
			if err != nil {
				return fmt.Errorf("mail_dead %x: %w", k, err)
			}
			if rec.DeadAt == nil || !rec.DeadAt.Before(since) {
				resend = append(resend, rec.OutboxMail)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, rec := range resend { // not inside ForEach: bbolt forbids writing to the bucket it iterates
			if err := requeue(tx, bucketMailDead, rec.Seq, now); err != nil {
				return err
			}
			if err := bumpDead(tx, rec.Notice.Audience, -1); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
