package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// LayoutVersion is the bucket layout this code reads and writes (see doc.go).
const LayoutVersion = 8

// migrations[v] brings a database from layout v to v+1. Each needs a test
// that opens a database of layout v and checks the result. New buckets are
// created before any migration runs.
var migrations = map[int]func(*bolt.Tx) error{
	1: migrateAlerts,
	2: migrateSnapshots,
	3: migrateReferences,
	4: migrateDeliveries,
	5: migrateLayout6,
	6: migrateSubjectsClock,
	7: migrateOpenIndex,
}

// migrateAlerts (1 → 2) gives every breach the alert state of its clocks, as
// if they had been started when it was received, and indexes its next alerts
// by the default schedule; start-up reschedules by the configured one.
func migrateAlerts(tx *bolt.Tx) error {
	breaches := tx.Bucket(bucketBreaches)
	var updated []*breach.Breach
	err := breaches.ForEach(func(k, v []byte) error {
		var b breach.Breach
		if err := getJSON(v, &b); err != nil {
			return fmt.Errorf("breach %s: %w", k, err)
		}
		b.RestartAlerts(breach.ClockProcessor, b.ReceivedAt, breach.DefaultSchedule())
		b.RestartAlerts(breach.ClockAuthority, b.ReceivedAt, breach.DefaultSchedule())
		b.Reschedule(breach.DefaultSchedule())
		updated = append(updated, &b)
		return nil
	})
	if err != nil {
		return err
	}
	for _, b := range updated { // not inside ForEach: bbolt forbids writing while iterating
		if err := putJSON(breaches, []byte(b.ID), b); err != nil {
			return err
		}
		if err := moveEntries(tx.Bucket(bucketAlerts), b.ID, nil, b.NextAlerts()); err != nil {
			return err
		}
		orgDeadlines, err := tx.Bucket(bucketOrgDeadline).CreateBucketIfNotExists([]byte(b.Organisation))
		if err != nil {
			return err
		}
		if err := moveEntries(orgDeadlines, b.ID, nil, b.RunningDeadlines()); err != nil {
			return err
		}
	}
	return nil
}

// migrateSnapshots (2 → 3) moves the breach record each mail (pending, sent
// or dead) carried inline as breach_snapshot into snapshots/, once per change,
// and leaves the mail a reference to it. It also gives every mail the
// audience that layout 2 did not store (see inferAudience). The mails of one change, and a bounce
// and the mail it reports, carried the very same bytes; different bytes for
// one change would mean the change is not what its version says, and stop the
// migration rather than lose what one of those mails showed.
func migrateSnapshots(tx *bolt.Tx) error {
	snapshots := tx.Bucket(bucketSnapshots)
	for _, name := range [][]byte{bucketOutbox, bucketMailSent, bucketMailDead} {
		mails := tx.Bucket(name)
		var rewrite [][2][]byte
		err := mails.ForEach(func(k, v []byte) error {
			var rec map[string]json.RawMessage // only the snapshot changes; the rest is kept as it is
			if err := getJSON(v, &rec); err != nil {
				return fmt.Errorf("%s %x: %w", name, k, err)
			}
			inline := rec["breach_snapshot"]
			if err := setAudience(rec, inline); err != nil {
				return fmt.Errorf("%s %x: %w", name, k, err)
			}
			if inline == nil { // about no single breach: the digest
				data, err := json.Marshal(rec)
				rewrite = append(rewrite, [2][]byte{append([]byte(nil), k...), data})
				return err
			}
			var ref snapshotRef
			if err := json.Unmarshal(inline, &struct {
				ID      *string `json:"id"`
				Version *int    `json:"version"`
			}{&ref.BreachID, &ref.Version}); err != nil {
				return fmt.Errorf("%s %x: breach_snapshot: %w", name, k, err)
			}
			if old := snapshots.Get(ref.key()); old == nil {
				if err := snapshots.Put(ref.key(), inline); err != nil {
					return err
				}
			} else if !bytes.Equal(old, inline) {
				return fmt.Errorf("%s %x: snapshot of breach %s differs from another mail's of the same version", name, k, ref)
			}
			delete(rec, "breach_snapshot")
			var err error
			if rec["snapshot"], err = json.Marshal(ref); err != nil {
				return err
			}
			data, err := json.Marshal(rec)
			rewrite = append(rewrite, [2][]byte{append([]byte(nil), k...), data})
			return err
		})
		if err != nil {
			return err
		}
		for _, kv := range rewrite { // not inside ForEach: bbolt forbids writing to the bucket it iterates
			if err := mails.Put(kv[0], kv[1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateReferences (3 → 4) indexes every breach's reference in
// references/, so that the references drawn since layout 4 never repeat one
// counted before. The counters meta/ref/<yyyy> stay as they are, unused.
// Two breaches with one reference would mean the counter was broken, and
// stop the migration rather than hide it.
func migrateReferences(tx *bolt.Tx) error {
	refs := tx.Bucket(bucketReferences)
	return tx.Bucket(bucketBreaches).ForEach(func(k, v []byte) error {
		var b struct {
			Reference string `json:"reference"`
		}
		if err := getJSON(v, &b); err != nil {
			return fmt.Errorf("breach %s: %w", k, err)
		}
		if other := refs.Get([]byte(b.Reference)); other != nil && !bytes.Equal(other, k) {
			return fmt.Errorf("breach %s: reference %s is also breach %s's", k, b.Reference, other)
		}
		return refs.Put([]byte(b.Reference), k)
	})
}

// setAudience sets the audience of a layout-2 mail record's notice, and of
// the mail a bounce reports, from what the record holds.
func setAudience(rec map[string]json.RawMessage, snapshot json.RawMessage) error {
	var n map[string]json.RawMessage
	if err := json.Unmarshal(rec["notice"], &n); err != nil {
		return fmt.Errorf("notice: %w", err)
	}
	var facts struct {
		ID    string            `json:"id"`
		Kind  breach.NoticeKind `json:"kind"`
		To    []string          `json:"to"`
		Alert *breach.Alert     `json:"alert"`
	}
	if err := json.Unmarshal(rec["notice"], &facts); err != nil {
		return fmt.Errorf("notice: %w", err)
	}
	var b struct {
		Reporter breach.Reporter `json:"reporter"`
	}
	if snapshot != nil {
		if err := json.Unmarshal(snapshot, &b); err != nil {
			return fmt.Errorf("breach_snapshot: %w", err)
		}
	}
	n["audience"], _ = json.Marshal(inferAudience(facts.ID, facts.Kind, facts.To, facts.Alert, b.Reporter.Email))
	if bounced, ok := n["bounced"]; ok && string(bounced) != "null" {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(bounced, &m); err != nil {
			return fmt.Errorf("bounced: %w", err)
		}
		m["audience"], _ = json.Marshal(breach.AudienceReporter) // only mail to the reporter is bounced
		n["bounced"], _ = json.Marshal(m)
	}
	var err error
	rec["notice"], err = json.Marshal(n)
	return err
}

// inferAudience is who a layout-2 mail was for, which layout 2 left to be
// guessed. Its kind says whether it was meant for the reporter (the
// acknowledgement, the reporter's copy of a question, the reminders before
// the supplier's own deadlines); such a mail went to the report's address
// when there was one, and otherwise to the mailbox to pass on. Every other
// mail was the mailbox's, whatever its addresses. Only this migration
// guesses: since layout 3 the domain records the audience when it queues a
// mail.
func inferAudience(id string, kind breach.NoticeKind, to []string, alert *breach.Alert, reporterEmail string) breach.Audience {
	forReporter := kind == breach.NoticeAcknowledged ||
		(kind == breach.NoticeQuestion && strings.HasSuffix(id, ".reporter")) ||
		(kind == breach.NoticeAlert && alert != nil &&
			(alert.Kind == breach.AlertProcessorReminder || alert.Kind == breach.AlertQuestionReminder))
	switch {
	case !forReporter:
		return breach.AudienceMailbox
	case reporterEmail != "" && slices.Contains(to, reporterEmail):
		return breach.AudienceReporter
	}
	return breach.AudienceMailboxForReporter
}

// migrateDeliveries (4 → 5) makes every stored mail (pending, sent or dead)
// one delivery to one address, as the outbox now keeps it: a mail of layout 4
// went to all the addresses of its notice at once, so that one refused
// address held up the others. The first address keeps the mail's number;
// each further address becomes a copy of the record under a new number from
// the outbox's sequence, in the same bucket and state (a pending copy due
// when the mail was). The counters of sent and dead mail count deliveries
// from now on, and the dead mail for the privacy mailbox gets its own.
func migrateDeliveries(tx *bolt.Tx) error {
	outbox := tx.Bucket(bucketOutbox)
	deadMailbox := 0
	for _, name := range [][]byte{bucketOutbox, bucketMailSent, bucketMailDead} {
		type mail struct {
			key   []byte
			rec   map[string]json.RawMessage // only the recipient (and a copy's number) change; the rest is kept as it is
			to    []string
			aud   breach.Audience
			retry time.Time
		}
		var mails []mail
		bkt := tx.Bucket(name)
		err := bkt.ForEach(func(k, v []byte) error {
			m := mail{key: append([]byte(nil), k...)}
			var facts struct {
				Notice struct {
					To       []string        `json:"to"`
					Audience breach.Audience `json:"audience"`
				} `json:"notice"`
				NextAttemptAt time.Time `json:"next_attempt_at"`
			}
			if err := getJSON(v, &m.rec); err != nil {
				return fmt.Errorf("%s %x: %w", name, k, err)
			}
			if err := getJSON(v, &facts); err != nil {
				return fmt.Errorf("%s %x: %w", name, k, err)
			}
			if len(facts.Notice.To) == 0 {
				return fmt.Errorf("%s %x: a mail without an address", name, k)
			}
			m.to, m.aud, m.retry = facts.Notice.To, facts.Notice.Audience, facts.NextAttemptAt
			mails = append(mails, m)
			return nil
		})
		if err != nil {
			return err
		}
		copies := 0
		for _, m := range mails { // not inside ForEach: bbolt forbids writing to the bucket it iterates
			for i, to := range m.to {
				key := m.key
				if i > 0 {
					seq, err := outbox.NextSequence()
					if err != nil {
						return err
					}
					key, copies = u64(seq), copies+1
					m.rec["seq"], _ = json.Marshal(seq)
					if string(name) == string(bucketOutbox) {
						if err := tx.Bucket(bucketOutboxDue).Put(dueKey(m.retry, seq), nil); err != nil {
							return err
						}
					}
				}
				m.rec["recipient"], _ = json.Marshal(to)
				if err := putJSON(bkt, key, m.rec); err != nil {
					return err
				}
				if string(name) == string(bucketMailDead) && m.aud.Mailbox() {
					deadMailbox++
				}
			}
		}
		switch string(name) {
		case string(bucketMailSent):
			err = bump(tx, keyMailSentCount, copies)
		case string(bucketMailDead):
			err = bump(tx, keyMailDeadCount, copies)
		}
		if err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Put(keyMailDeadMailboxCount, u64(uint64(deadMailbox)))
}

// migrate creates the buckets of a new database and upgrades an old one. It
// refuses a database written by a newer version rather than corrupt it.
func migrate(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	version := LayoutVersion // a new database starts at the current layout
	if v := meta.Get(keyLayoutVersion); v != nil {
		var err error
		if version, err = strconv.Atoi(string(v)); err != nil {
			return fmt.Errorf("layout version %q: %w", v, err)
		}
	}
	if version > LayoutVersion {
		return fmt.Errorf("database has layout version %d; this program knows up to %d: use a newer program", version, LayoutVersion)
	}
	for ; version < LayoutVersion; version++ {
		m, ok := migrations[version]
		if !ok {
			return fmt.Errorf("no migration from layout version %d", version)
		}
		if err := m(tx); err != nil {
			return fmt.Errorf("migrate layout %d to %d: %w", version, version+1, err)
		}
	}
	return meta.Put(keyLayoutVersion, []byte(strconv.Itoa(LayoutVersion)))
}
