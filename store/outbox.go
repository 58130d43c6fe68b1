package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

var (
	keyMailSentCount        = []byte("mail_sent_count")
	keyMailDeadCount        = []byte("mail_dead_count")
	keyMailDeadMailboxCount = []byte("mail_dead_mailbox_count")
)

// bump adds n (which may be negative) to a counter in meta.
func bump(tx *bolt.Tx, key []byte, n int) error {
	meta := tx.Bucket(bucketMeta)
	var v uint64
	if old := meta.Get(key); old != nil {
		v = binary.BigEndian.Uint64(old)
	}
	return meta.Put(key, u64(uint64(int64(v)+int64(n))))
}

// bumpDead counts n dead mails (n < 0: mails no longer dead) of audience.
func bumpDead(tx *bolt.Tx, aud breach.Audience, n int) error {
	if aud.Mailbox() {
		if err := bump(tx, keyMailDeadMailboxCount, n); err != nil {
			return err
		}
	}
	return bump(tx, keyMailDeadCount, n)
}

func counter(tx *bolt.Tx, key []byte) int {
	if v := tx.Bucket(bucketMeta).Get(key); v != nil {
		return int(binary.BigEndian.Uint64(v))
	}
	return 0
}

// outboxRecord is how a mail is kept: the breach it is about is not in it but
// in snapshots/, once for all the mails of one change (a filing causes two),
// and the record refers to it.
type outboxRecord struct {
	breach.OutboxMail
	Snapshot *snapshotRef `json:"snapshot,omitempty"`
}

// preparedMail is one delivery, encoded before its transaction, which only
// gives it its number (OutboxMail.Seq is the key, not in the value).
type preparedMail struct {
	due      time.Time
	value    []byte
	snapshot *snapshotRef
}

// prepareMails encodes a notice's deliveries, one per address. snapshot
// names the breach the notice is about, nil for a notice about no single
// breach (the digest). A notice without an address would never leave, so it
// is refused.
func prepareMails(n breach.Notice, snapshot *snapshotRef) ([]preparedMail, error) {
	if len(n.To) == 0 {
		return nil, fmt.Errorf("notice %s (%s): no address", n.ID, n.Kind)
	}
	n.Breach = nil // in the snapshot
	mails := make([]preparedMail, 0, len(n.To))
	for _, to := range n.To {
		data, err := json.Marshal(outboxRecord{OutboxMail: breach.OutboxMail{Notice: n, Recipient: to, CreatedAt: n.At,
			NextAttemptAt: n.At}, Snapshot: snapshot})
		if err != nil {
			return nil, err
		}
		mails = append(mails, preparedMail{due: n.At, value: pack(data), snapshot: snapshot})
	}
	return mails, nil
}

// putMails puts prepared deliveries in the outbox, each under a number of
// its own, due at once, each holding its snapshot.
func putMails(tx *bolt.Tx, mails []preparedMail) error {
	outbox := tx.Bucket(bucketOutbox)
	for _, m := range mails {
		seq, err := outbox.NextSequence()
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketOutboxDue).Put(dueKey(m.due, seq), nil); err != nil {
			return err
		}
		if err := outbox.Put(u64(seq), m.value); err != nil {
			return err
		}
		if m.snapshot != nil {
			if err := hold(tx, *m.snapshot, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// enqueue puts a notice in the outbox, one delivery per address.
func enqueue(tx *bolt.Tx, n breach.Notice, snapshot *snapshotRef) error {
	mails, err := prepareMails(n, snapshot)
	if err != nil {
		return err
	}
	return putMails(tx, mails)
}

// getMail decodes a stored mail: its number is its key (since layout 6 not
// in its value, so that a mail can be encoded before its transaction, which
// draws the number).
func getMail(k, v []byte) (outboxRecord, error) {
	var rec outboxRecord
	err := getJSON(v, &rec)
	rec.Seq = binary.BigEndian.Uint64(k)
	return rec, err
}

// putMail stores a mail under its number, which its value does not repeat.
func putMail(bkt *bolt.Bucket, rec outboxRecord) error {
	seq := rec.Seq
	rec.Seq = 0
	return putJSON(bkt, u64(seq), rec)
}

// decodeMail reads a stored mail and the snapshot it refers to, in the same
// transaction, so that the mail comes back with its breach as it was.
func decodeMail(tx *bolt.Tx, k, v []byte) (outboxRecord, error) {
	rec, err := getMail(k, v)
	if err != nil {
		return rec, err
	}
	if rec.Snapshot != nil {
		b, err := getSnapshot(tx, *rec.Snapshot)
		if err != nil {
			return rec, err
		}
		rec.Notice.Breach = b
	}
	return rec, nil
}

// EnqueueNotice implements breach.Outbox. The notice is about no single
// change, so no snapshot is kept for it: n.Breach is not stored.
func (db *DB) EnqueueNotice(ctx context.Context, n breach.Notice, once string) (bool, error) {
	queued := false
	err := db.Commit(func(tx *bolt.Tx) error {
		queued = false
		meta := tx.Bucket(bucketMeta)
		key := []byte("once/" + once)
		if meta.Get(key) != nil {
			return nil
		}
		if err := meta.Put(key, timeKey(n.At)); err != nil {
			return err
		}
		queued = true
		return enqueue(tx, n, nil)
	})
	return queued, err
}

// dueKey orders pending mails by their next attempt, then by age.
func dueKey(next time.Time, seq uint64) []byte { return append(timeKey(next), u64(seq)...) }

// DueMail implements breach.Outbox: it reads the due index up to now, so a
// queue of mails waiting out their back-off costs nothing to poll.
func (db *DB) DueMail(ctx context.Context, now time.Time, limit int) ([]breach.OutboxMail, error) {
	var mails []breach.OutboxMail
	until := timeKey(now)
	err := db.bolt.View(func(tx *bolt.Tx) error {
		outbox := tx.Bucket(bucketOutbox)
		c := tx.Bucket(bucketOutboxDue).Cursor()
		for k, _ := c.First(); k != nil && len(mails) < limit && bytes.Compare(k[:8], until) <= 0; k, _ = c.Next() {
			v := outbox.Get(k[8:])
			if v == nil {
				return fmt.Errorf("outbox_due %x: no mail", k)
			}
			rec, err := decodeMail(tx, k[8:], v)
			if err != nil {
				return fmt.Errorf("outbox %x: %w", k[8:], err)
			}
			mails = append(mails, rec.OutboxMail)
		}
		return nil
	})
	return mails, err
}

// changeMail applies fn to a pending mail's stored record and takes it out
// of the due index; the caller writes it back or moves it on.
func changeMail(tx *bolt.Tx, seq uint64, fn func(*outboxRecord)) (outboxRecord, error) {
	v := tx.Bucket(bucketOutbox).Get(u64(seq))
	if v == nil {
		return outboxRecord{}, breach.Errorf(breach.ENOTFOUND, "Mail %d staat niet (meer) in de wachtrij.", seq)
	}
	rec, err := getMail(u64(seq), v) // the snapshot is not read: its reference is only carried along
	if err != nil {
		return rec, err
	}
	if err := tx.Bucket(bucketOutboxDue).Delete(dueKey(rec.NextAttemptAt, seq)); err != nil {
		return rec, err
	}
	fn(&rec)
	return rec, nil
}

// MarkSent implements breach.Outbox: the mails move to mail_sent, the log of
// every mail that left, and let go of their snapshots: a sent mail is never
// composed again (only a dead one is resent, and bounced). A mail no longer queued (marked by an earlier run) is
// skipped, so that one cannot make a whole batch go out again.
func (db *DB) MarkSent(ctx context.Context, seqs []uint64, at time.Time) error {
	return db.Commit(func(tx *bolt.Tx) error {
		moved := 0
		for _, seq := range seqs {
			rec, err := changeMail(tx, seq, func(r *outboxRecord) { r.SentAt = &at; r.Attempts++; r.LastError, r.Refused = "", false })
			if breach.ErrorCode(err) == breach.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			if err := moveMail(tx, bucketMailSent, seq, rec); err != nil {
				return err
			}
			if rec.Snapshot != nil { // sent: composed for the last time
				if err := hold(tx, *rec.Snapshot, -1); err != nil {
					return err
				}
			}
			moved++
		}
		return bump(tx, keyMailSentCount, moved)
	})
}

// moveMail moves a pending mail to another bucket.
func moveMail(tx *bolt.Tx, to []byte, seq uint64, rec outboxRecord) error {
	if err := putMail(tx.Bucket(to), rec); err != nil {
		return err
	}
	return tx.Bucket(bucketOutbox).Delete(u64(seq))
}

// RetryNow implements breach.Outbox: it reads the due index from now on,
// which holds only the mails waiting out a failure, and leaves the refused
// ones waiting.
func (db *DB) RetryNow(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := db.Commit(func(tx *bolt.Tx) error {
		n = 0
		var later []uint64
		outbox := tx.Bucket(bucketOutbox)
		c := tx.Bucket(bucketOutboxDue).Cursor()
		after := timeKey(now.Add(1))
		for k, _ := c.Seek(after); k != nil; k, _ = c.Next() {
			rec, err := getMail(k[8:], outbox.Get(k[8:]))
			if err != nil {
				return fmt.Errorf("outbox %x: %w", k[8:], err)
			}
			if !rec.Refused {
				later = append(later, rec.Seq)
			}
		}
		for _, seq := range later { // not while the cursor runs: bbolt forbids writing under it
			if err := requeue(tx, bucketOutbox, seq, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// MarkFailed implements breach.Outbox.
func (db *DB) MarkFailed(ctx context.Context, seq uint64, next time.Time, reason string) error {
	return db.retryAt(seq, next, reason, false)
}

// MarkRefused implements breach.Outbox.
func (db *DB) MarkRefused(ctx context.Context, seq uint64, next time.Time, reason string) error {
	return db.retryAt(seq, next, reason, true)
}

// retryAt records a failed attempt of a pending mail and makes it due at next.
func (db *DB) retryAt(seq uint64, next time.Time, reason string, refused bool) error {
	return db.Commit(func(tx *bolt.Tx) error {
		rec, err := changeMail(tx, seq, func(r *outboxRecord) {
			r.Attempts++
			r.NextAttemptAt, r.LastError, r.Refused = next, reason, refused
		})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketOutboxDue).Put(dueKey(next, seq), nil); err != nil {
			return err
		}
		return putMail(tx.Bucket(bucketOutbox), rec)
	})
}

// MailStats implements breach.Outbox. It reads the pending mails' keys
// (few, or something is wrong) and a counter, never the log of sent mail.
// Mail is numbered in the order it was queued, so the oldest pending one is
// the first by number that was not resent (OutboxMail.ResentAt), or one of
// the resent ones before it: it reads records up to that one only.
func (db *DB) MailStats(ctx context.Context) (breach.MailStats, error) {
	var st breach.MailStats
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		oldestFound := false
		for k, v := c.First(); k != nil; k, v = c.Next() {
			st.Pending++
			if oldestFound {
				continue
			}
			rec, err := getMail(k, v)
			if err != nil {
				return err
			}
			if since := rec.PendingSince(); st.OldestPending == nil || since.Before(*st.OldestPending) {
				st.OldestPending = &since
			}
			oldestFound = rec.ResentAt == nil
		}
		st.Sent, st.Dead = counter(tx, keyMailSentCount), counter(tx, keyMailDeadCount)
		st.DeadMailbox = counter(tx, keyMailDeadMailboxCount)
		return nil
	})
	return st, err
}
