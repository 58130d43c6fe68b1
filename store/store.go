package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"datalek/breach"
)

var (
	bucketMeta        = []byte("meta")
	bucketBreaches    = []byte("breaches")
	bucketEvents      = []byte("events")
	bucketByReceived  = []byte("by_received")
	bucketByOrg       = []byte("by_organisation")
	bucketByDeadline  = []byte("by_deadline")
	bucketIdempotency = []byte("idempotency")
	bucketTokens      = []byte("tokens")
	bucketTokenIDs    = []byte("token_ids")
	bucketAlerts      = []byte("alerts")
	bucketOutbox      = []byte("outbox")
	bucketMailSent    = []byte("mail_sent")
	bucketMailDead    = []byte("mail_dead")
	bucketOutboxDue   = []byte("outbox_due")
	bucketOrgDeadline = []byte("by_organisation_deadline")

	allBuckets = [][]byte{bucketMeta, bucketBreaches, bucketEvents, bucketByReceived, bucketByOrg,
		bucketByDeadline, bucketIdempotency, bucketTokens, bucketTokenIDs, bucketAlerts, bucketOutbox, bucketMailSent,
		bucketMailDead, bucketOutboxDue, bucketOrgDeadline}

	keyLayoutVersion = []byte("layout_version")
)

// DB is the bbolt-backed store. It implements breach.Store.
type DB struct {
	bolt      *bolt.DB
	committer *committer
}

var _ breach.Store = (*DB)(nil)

// Options are the bbolt options of the store. The initial memory map is large
// so that a growing file is rarely remapped: a remap waits for every reader
// and stalls every request behind it. It reserves address space, not memory.
func Options() *bolt.Options {
	return &bolt.Options{Timeout: time.Second, InitialMmapSize: 1 << 30}
}

// Open opens (or creates) the database file at path and brings its layout to
// the current version. It fails after a second if another process holds the
// file, rather than hanging.
func Open(path string) (*DB, error) {
	bdb, err := bolt.Open(path, 0o600, Options())
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("open %s: the database is in use by another process", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := bdb.Update(migrate); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{bolt: bdb, committer: newCommitter(bdb)}, nil
}

// Close waits for queued writes and closes the database; every committed
// write is already on disk.
func (db *DB) Close() error {
	db.committer.close()
	return db.bolt.Close()
}

// Bolt exposes the underlying database to tools and tests in this module that
// need raw access (consistency checks, benchmarks).
func (db *DB) Bolt() *bolt.DB { return db.bolt }

// Ping checks that the database is open and readable.
func (db *DB) Ping() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return errors.New("store: meta bucket missing")
		}
		return nil
	})
}

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func timeKey(t time.Time) []byte { return u64(uint64(t.UnixNano())) }

func receivedKey(b *breach.Breach) []byte { return append(timeKey(b.ReceivedAt), b.ID...) }

func deadlineKey(id string, d breach.RunningDeadline) []byte {
	k := append(timeKey(d.DueAt), id...)
	return append(append(k, '/'), d.Clock...)
}

func eventKey(id string, seq int) []byte { return append([]byte(id+"/"), u64(uint64(seq))...) }

func notFound(id string) error {
	return breach.Errorf(breach.ENOTFOUND, "Datalek %q bestaat niet.", id)
}

func getBreach(tx *bolt.Tx, scope breach.Scope, id string) (*breach.Breach, error) {
	data := tx.Bucket(bucketBreaches).Get([]byte(id))
	if data == nil {
		return nil, notFound(id)
	}
	var b breach.Breach
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("breach %s: decode: %w", id, err)
	}
	if !scope.Allows(b.Organisation) {
		return nil, notFound(id) // exactly as if it did not exist
	}
	return &b, nil
}

func putJSON(bkt *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return bkt.Put(key, data)
}

// encodedEvent is an audit event ready to be put.
type encodedEvent struct{ key, value []byte }

// encodeEvents encodes events before a transaction where it can, so that the
// single writer spends its time writing, not encoding.
func encodeEvents(events []breach.Event) ([]encodedEvent, error) {
	out := make([]encodedEvent, len(events))
	for i, e := range events {
		data, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		out[i] = encodedEvent{eventKey(e.BreachID, e.Seq), data}
	}
	return out, nil
}

// indexed is what a breach's index entries that can move were before a
// change: its running clocks and its next alerts.
type indexed struct {
	deadlines, alerts []breach.RunningDeadline
}

func indexedOf(b *breach.Breach) indexed {
	return indexed{deadlines: b.RunningDeadlines(), alerts: b.NextAlerts()}
}

// moveEntries replaces a breach's entries old by current in an index.
func moveEntries(bkt *bolt.Bucket, id string, old, current []breach.RunningDeadline) error {
	for _, d := range old {
		if err := bkt.Delete(deadlineKey(id, d)); err != nil {
			return err
		}
	}
	for _, d := range current {
		if err := bkt.Put(deadlineKey(id, d), nil); err != nil {
			return err
		}
	}
	return nil
}

// writeBreach stores b, its new events and notices, and moves its deadline
// and alert entries from what they were (old) to what they are. Events and
// notices are taken from the breach by the caller, once: a commit that runs
// again must write them again.
func writeBreach(tx *bolt.Tx, b *breach.Breach, events []encodedEvent, notices []breach.Notice, old indexed) error {
	record, err := json.Marshal(b)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketBreaches).Put([]byte(b.ID), record); err != nil {
		return err
	}
	evs := tx.Bucket(bucketEvents)
	for _, e := range events {
		if err := evs.Put(e.key, e.value); err != nil {
			return err
		}
	}
	for _, n := range notices {
		if err := enqueue(tx, n, record); err != nil {
			return err
		}
	}
	if err := moveEntries(tx.Bucket(bucketByDeadline), b.ID, old.deadlines, b.RunningDeadlines()); err != nil {
		return err
	}
	orgDeadlines, err := tx.Bucket(bucketOrgDeadline).CreateBucketIfNotExists([]byte(b.Organisation))
	if err != nil {
		return err
	}
	if err := moveEntries(orgDeadlines, b.ID, old.deadlines, b.RunningDeadlines()); err != nil {
		return err
	}
	return moveEntries(tx.Bucket(bucketAlerts), b.ID, old.alerts, b.NextAlerts())
}

// CreateBreach implements breach.Store.
func (db *DB) CreateBreach(ctx context.Context, b *breach.Breach, idem *breach.Idempotency) (*breach.Breach, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if idem != nil { // a retry is answered from a read, without holding up the writer
		var prev *breach.Breach
		if err := db.bolt.View(func(tx *bolt.Tx) (err error) {
			prev, err = findIdempotent(tx, idem)
			return err
		}); err != nil || prev != nil {
			return prev, prev != nil, err
		}
	}
	events, err := encodeEvents(b.PendingEvents())
	if err != nil {
		return nil, false, err
	}
	notices := b.PendingNotices()
	var (
		stored   *breach.Breach
		replayed bool
	)
	// Commit may run fn more than once; it only ever sets its results.
	err = db.Commit(func(tx *bolt.Tx) error {
		stored, replayed = nil, false
		if idem != nil { // again, for a retry that raced the first request
			prev, err := findIdempotent(tx, idem)
			if err != nil || prev != nil {
				stored, replayed = prev, prev != nil
				return err
			}
		}
		year := b.ReceivedAt.In(breach.Amsterdam).Year()
		n, err := nextReference(tx, year)
		if err != nil {
			return err
		}
		b.Reference = breach.Reference(year, n)
		if err := writeBreach(tx, b, events, notices, indexed{}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketByReceived).Put(receivedKey(b), nil); err != nil {
			return err
		}
		orgs, err := tx.Bucket(bucketByOrg).CreateBucketIfNotExists([]byte(b.Organisation))
		if err != nil {
			return err
		}
		if err := orgs.Put(receivedKey(b), nil); err != nil {
			return err
		}
		if idem != nil {
			if err := putJSON(tx.Bucket(bucketIdempotency), idempotencyKey(idem), idem); err != nil {
				return err
			}
		}
		stored = b
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return stored, replayed, nil
}

func idempotencyKey(idem *breach.Idempotency) []byte { return []byte(idem.Scope + "\x00" + idem.Key) }

// findIdempotent returns the breach filed earlier under the same key, nil if
// the key is new, or ECONFLICT if the key was used for another request.
func findIdempotent(tx *bolt.Tx, idem *breach.Idempotency) (*breach.Breach, error) {
	data := tx.Bucket(bucketIdempotency).Get(idempotencyKey(idem))
	if data == nil {
		return nil, nil
	}
	var prev breach.Idempotency
	if err := json.Unmarshal(data, &prev); err != nil {
		return nil, err
	}
	if prev.Fingerprint != idem.Fingerprint {
		return nil, breach.Errorf(breach.ECONFLICT, "Deze Idempotency-Key is al gebruikt voor een andere melding.")
	}
	return getBreach(tx, breach.StaffScope(), prev.BreachID)
}

func nextReference(tx *bolt.Tx, year int) (int, error) {
	meta := tx.Bucket(bucketMeta)
	key := []byte("ref/" + strconv.Itoa(year))
	var n uint64
	if v := meta.Get(key); v != nil {
		n = binary.BigEndian.Uint64(v)
	}
	n++
	return int(n), meta.Put(key, u64(n))
}

// FindBreach implements breach.Store.
func (db *DB) FindBreach(ctx context.Context, scope breach.Scope, id string) (*breach.Breach, error) {
	var b *breach.Breach
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		b, err = getBreach(tx, scope, id)
		return err
	})
	return b, err
}

// UpdateBreach implements breach.Store.
func (db *DB) UpdateBreach(ctx context.Context, scope breach.Scope, id string, fn func(*breach.Breach) error) (*breach.Breach, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A change that fails on the current state (not found, invalid, in
	// conflict) is refused from a read, so that it never rolls back the
	// group commit it would have shared with other writers.
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := getBreach(tx, scope, id)
		if err != nil {
			return err
		}
		return fn(b) // on a copy that is thrown away
	}); err != nil {
		return nil, err
	}
	var result *breach.Breach
	err := db.Commit(func(tx *bolt.Tx) (err error) {
		result, err = updateInTx(tx, scope, id, fn, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// updateInTx loads a breach, applies fn and writes what changed. Without
// always, a breach on which fn recorded no event is not written.
func updateInTx(tx *bolt.Tx, scope breach.Scope, id string, fn func(*breach.Breach) error, always bool) (*breach.Breach, error) {
	b, err := getBreach(tx, scope, id)
	if err != nil {
		return nil, err
	}
	old := indexedOf(b)
	if err := fn(b); err != nil {
		return nil, err
	}
	events, err := encodeEvents(b.PendingEvents())
	if err != nil || (len(events) == 0 && !always) {
		return b, err
	}
	return b, writeBreach(tx, b, events, b.PendingNotices(), old)
}

// maxPerCommit bounds how many breaches one sweep transaction changes, so
// that a long catch-up does not build one huge transaction.
const maxPerCommit = 500

// updateAll applies fn to each breach in ids and writes it, maxPerCommit per
// transaction. It returns how many it wrote.
func (db *DB) updateAll(ctx context.Context, ids []string, fn func(*breach.Breach) error) (int, error) {
	done := 0
	for len(ids) > 0 {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		chunk := ids[:min(len(ids), maxPerCommit)]
		err := db.Commit(func(tx *bolt.Tx) error {
			for _, id := range chunk {
				if _, err := updateInTx(tx, breach.StaffScope(), id, fn, true); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done, ids = done+len(chunk), ids[len(chunk):]
	}
	return done, nil
}

// indexIDs reads the breach IDs of an index whose keys are
// <8 bytes><id>/<clock>, each once, up to the first 8 bytes until (all when
// until is nil), at most max of them.
func (db *DB) indexIDs(bucket, until []byte, max int) ([]string, error) {
	var ids []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		seen := map[string]bool{}
		c := tx.Bucket(bucket).Cursor()
		for k, _ := c.First(); k != nil && len(ids) < max; k, _ = c.Next() {
			if until != nil && bytes.Compare(k[:8], until) > 0 {
				break
			}
			id, _, ok := bytes.Cut(k[8:], []byte("/"))
			if !ok {
				return fmt.Errorf("%s: malformed key %x", bucket, k)
			}
			if !seen[string(id)] {
				seen[string(id)] = true
				ids = append(ids, string(id))
			}
		}
		return nil
	})
	return ids, err
}

// UpdateDue implements breach.Store: it reads the alert index from its start
// up to now only, so a sweep costs what is due, not what is stored. Each due
// breach is written, so its alert entry moves past now.
func (db *DB) UpdateDue(ctx context.Context, now time.Time, fn func(*breach.Breach) error) (int, error) {
	total := 0
	seen := map[string]bool{}
	for {
		ids, err := db.indexIDs(bucketAlerts, timeKey(now), maxPerCommit)
		if err != nil || len(ids) == 0 {
			return total, err
		}
		for _, id := range ids {
			if seen[id] { // an entry that did not move would make the sweep spin
				return total, fmt.Errorf("sweep: breach %s is still due after its alert", id)
			}
			seen[id] = true
		}
		n, err := db.updateAll(ctx, ids, fn)
		total += n
		if err != nil {
			return total, err
		}
	}
}

// UpdateRunning implements breach.Store: every breach with a clock that
// alerts (the alert index, questions included) is written, whether fn changed
// it or not.
func (db *DB) UpdateRunning(ctx context.Context, fn func(*breach.Breach) error) (int, error) {
	ids, err := db.indexIDs(bucketAlerts, nil, math.MaxInt)
	if err != nil {
		return 0, err
	}
	return db.updateAll(ctx, ids, fn)
}

// ListEvents implements breach.Store.
func (db *DB) ListEvents(ctx context.Context, scope breach.Scope, id string) ([]breach.Event, error) {
	var events []breach.Event
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if _, err := getBreach(tx, scope, id); err != nil {
			return err
		}
		var err error
		events, err = readEvents(tx, id)
		return err
	})
	return events, err
}

func readEvents(tx *bolt.Tx, id string) ([]breach.Event, error) {
	events := []breach.Event{}
	prefix := []byte(id + "/")
	c := tx.Bucket(bucketEvents).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e breach.Event
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("breach %s: event %x: %w", id, k[len(prefix):], err)
		}
		events = append(events, e)
	}
	return events, nil
}

// Cursor phases: a deadline listing first walks the running deadlines, then
// the breaches without one.
const (
	phaseDeadline = 'd'
	phaseReceived = 'r'
)

func encodeCursor(phase byte, key []byte) string {
	return base64.RawURLEncoding.EncodeToString(append([]byte{phase}, key...))
}

func decodeCursor(s string) (phase byte, key []byte, err error) {
	if s == "" {
		return 0, nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 2 || (raw[0] != phaseDeadline && raw[0] != phaseReceived) {
		return 0, nil, &breach.Error{Code: breach.EINVALID, Message: "De zoekvraag is niet geldig.",
			Fields: []breach.FieldError{{Field: "cursor", Message: "is geen cursor van een eerdere pagina"}}}
	}
	return raw[0], raw[1:], nil
}

// ListBreaches implements breach.Store. It reads index entries in order and
// stops as soon as a page (plus one, to know whether more follow) is full.
func (db *DB) ListBreaches(ctx context.Context, scope breach.Scope, f breach.BreachFilter) (*breach.BreachPage, error) {
	phase, after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, err
	}
	page := &breach.BreachPage{Breaches: []*breach.Breach{}}
	var keys []string
	err = db.bolt.View(func(tx *bolt.Tx) error {
		full := func(ph byte, key []byte, b *breach.Breach) bool {
			page.Breaches = append(page.Breaches, b)
			keys = append(keys, encodeCursor(ph, key))
			return len(page.Breaches) > f.Limit
		}
		if f.Sort == breach.SortDeadline && phase != phaseReceived {
			done, err := scanDeadlines(tx, scope, &f, after, full)
			if err != nil || done {
				return err
			}
			after = nil
		}
		withoutDeadline := f.Sort == breach.SortDeadline
		return scanReceived(tx, scope, &f, after, withoutDeadline, full)
	})
	if err != nil {
		return nil, err
	}
	if len(page.Breaches) > f.Limit {
		page.Breaches = page.Breaches[:f.Limit]
		page.NextCursor = keys[f.Limit-1]
	}
	return page, nil
}

type visitFunc func(phase byte, key []byte, b *breach.Breach) (full bool)

// listOrganisation is the one organisation a listing reads, if any: the
// supplier's own, or the one staff filter on. A supplier filtering on
// another organisation gets none (single false with f.Organisation set).
func listOrganisation(scope breach.Scope, f *breach.BreachFilter) (org string, single bool) {
	org, single = scope.Organisation()
	switch {
	case f.Organisation == "":
		return org, single
	case single && f.Organisation != org:
		return "", false
	}
	return f.Organisation, true
}

// runningFor is the running deadlines the scope may sort by: a supplier's
// own 24-hour clock only, since the 72-hour clock moves with the
// controller's decisions.
func runningFor(scope breach.Scope, b *breach.Breach) []breach.RunningDeadline {
	running := b.RunningDeadlines()
	if _, single := scope.Organisation(); single {
		running = slices.DeleteFunc(running, func(d breach.RunningDeadline) bool { return d.Clock != breach.ClockProcessor })
	}
	return running
}

// scanDeadlines visits breaches by their nearest running deadline, from the
// organisation's own index when the scope or the filter names one. A breach
// with two running clocks has two entries; only the nearest one is visited.
func scanDeadlines(tx *bolt.Tx, scope breach.Scope, f *breach.BreachFilter, after []byte, visit visitFunc) (bool, error) {
	bkt := tx.Bucket(bucketByDeadline)
	if org, single := listOrganisation(scope, f); single {
		if bkt = tx.Bucket(bucketOrgDeadline).Bucket([]byte(org)); bkt == nil {
			return false, nil
		}
	} else if f.Organisation != "" {
		return false, nil // a supplier asking for another organisation
	}
	c := bkt.Cursor()
	k, _ := c.First()
	if after != nil {
		if k, _ = c.Seek(after); k != nil && bytes.Equal(k, after) {
			k, _ = c.Next()
		}
	}
	for ; k != nil; k, _ = c.Next() {
		id, clock, ok := bytes.Cut(k[8:], []byte("/"))
		if !ok {
			return false, fmt.Errorf("by_deadline: malformed key %x", k)
		}
		b, err := getBreach(tx, scope, string(id))
		if breach.ErrorCode(err) == breach.ENOTFOUND {
			continue // another organisation's
		} else if err != nil {
			return false, err
		}
		running := runningFor(scope, b)
		if !f.Match(b) || len(running) == 0 || string(running[0].Clock) != string(clock) {
			continue
		}
		if visit(phaseDeadline, k, b) {
			return true, nil
		}
	}
	return false, nil
}

// scanReceived visits breaches newest first, from the organisation's own index
// when the scope or the filter names one.
func scanReceived(tx *bolt.Tx, scope breach.Scope, f *breach.BreachFilter, after []byte, withoutDeadline bool, visit visitFunc) error {
	org, single := listOrganisation(scope, f)
	if f.Organisation != "" && !single {
		return nil // a supplier asking for another organisation
	}
	bkt := tx.Bucket(bucketByReceived)
	if single {
		if bkt = tx.Bucket(bucketByOrg).Bucket([]byte(org)); bkt == nil {
			return nil
		}
	}
	c := bkt.Cursor()
	var k []byte
	if after == nil {
		k, _ = c.Last()
	} else if k, _ = c.Seek(after); k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil; k, _ = c.Prev() {
		b, err := getBreach(tx, scope, string(k[8:]))
		if err != nil {
			return err
		}
		if !f.Match(b) || (withoutDeadline && len(runningFor(scope, b)) > 0) {
			continue
		}
		if visit(phaseReceived, k, b) {
			return nil
		}
	}
	return nil
}

// registerChunk is how many breaches EachBreach reads per transaction: few
// enough to keep memory flat, and no read transaction stays open while fn
// writes to a slow client.
const registerChunk = 256

// EachBreach implements breach.Store.
func (db *DB) EachBreach(ctx context.Context, from, to *time.Time, fn func(*breach.Breach) error) error {
	start := []byte{}
	if from != nil {
		start = timeKey(*from)
	}
	var end []byte
	if to != nil {
		end = timeKey(*to)
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var chunk []*breach.Breach
		err := db.bolt.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketByReceived).Cursor()
			for k, _ := c.Seek(start); k != nil && len(chunk) < registerChunk; k, _ = c.Next() {
				if end != nil && bytes.Compare(k[:8], end) >= 0 {
					break
				}
				b, err := getBreach(tx, breach.StaffScope(), string(k[8:]))
				if err != nil {
					return err
				}
				chunk = append(chunk, b)
				start = append(append([]byte(nil), k...), 0) // resume after this key
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, b := range chunk {
			if err := fn(b); err != nil {
				return err
			}
		}
		if len(chunk) < registerChunk {
			return nil
		}
	}
}
