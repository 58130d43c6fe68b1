package store

import (
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// maxGroup bounds one group commit, so that a burst cannot build a single
// transaction of unbounded size.
const maxGroup = 1000

// ErrClosed is returned by a write after the store was closed.
var ErrClosed = errors.New("store: closed")

// commitCall is one write waiting for the committer.
type commitCall struct {
	fn   func(*bolt.Tx) error
	done chan error
}

// committer group-commits writes: a single goroutine takes every write that
// queued while the previous commit was on disk and runs them all in one
// transaction, so n concurrent writers share one fsync. Unlike bbolt's Batch
// it waits for no timer: under light load a write commits at once, under
// heavy load the groups grow by themselves.
type committer struct {
	db    *bolt.DB
	queue chan commitCall
	quit  chan struct{}

	mu     sync.RWMutex // guards closed against sends on a closed queue
	closed bool
}

func newCommitter(db *bolt.DB) *committer {
	c := &committer{db: db, queue: make(chan commitCall, maxGroup), quit: make(chan struct{})}
	go c.run()
	return c
}

// Commit runs fn in a durable read-write transaction shared with other
// concurrent writes and returns once it is on disk. fn may run more than once
// (after another write in its group failed), so it must only write to the
// transaction and set its results afresh on each run. A panic in fn is
// returned as fn's error. After Close it returns ErrClosed.
func (db *DB) Commit(fn func(*bolt.Tx) error) error {
	c := db.committer
	call := commitCall{fn: fn, done: make(chan error, 1)}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return ErrClosed
	}
	c.queue <- call
	c.mu.RUnlock()
	return <-call.done
}

func (c *committer) run() {
	defer close(c.quit)
	for first := range c.queue {
		group := []commitCall{first}
	gather:
		for len(group) < maxGroup {
			select {
			case call, ok := <-c.queue:
				if !ok {
					break gather
				}
				group = append(group, call)
			default:
				break gather
			}
		}
		c.commit(group)
	}
}

// safely runs fn, turning a panic into an error so that one bad write cannot
// take the writer, and every other writer, down with it.
func safely(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: write panicked: %v", r)
		}
	}()
	return fn(tx)
}

// commit runs a group in one transaction. When a write fails, the
// transaction is rolled back; the writes before it are committed again
// without it, then the failed one runs on its own, then the rest: each sees
// the writes queued before it, as if they had run one by one.
func (c *committer) commit(group []commitCall) {
	for len(group) > 0 {
		failed := -1
		err := update(c.db, func(tx *bolt.Tx) error {
			for i, call := range group {
				if err := safely(call.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, call := range group {
				call.done <- err // nil, or the commit's own failure for all
			}
			return
		}
		if failed > 0 {
			c.commit(group[:failed])
		}
		solo := group[failed]
		solo.done <- update(c.db, func(tx *bolt.Tx) error { return safely(solo.fn, tx) })
		group = group[failed+1:]
	}
}

// close stops the committer after the writes already queued are done. It may
// be called more than once.
func (c *committer) close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.queue)
	}
	c.mu.Unlock()
	<-c.quit
}

// appendMostly are the buckets whose new keys come after the old ones
// (sequence numbers, and IDs and instants that grow with time), so that
// nearly every write appends. bbolt splits a full page at half its size,
// which leaves such buckets half empty for ever; filling their pages fuller
// cuts the file's growth per filing. Breach records are rewritten as well,
// but a page is split only once it holds more than a page, so a record that
// grows a little stays where it is. The indexes of running clocks and their
// alerts are keyed by due times, which lie ahead of the present by about as
// much for every breach, so they grow at the end too.
var appendMostly = [][]byte{bucketBreaches, bucketEvents, bucketSnapshots, bucketHolds, bucketOutbox, bucketOutboxDue,
	bucketMailSent, bucketMailDead, bucketMailPruned, bucketByReceived, bucketByDeadline, bucketAlerts}

// appendFill is how full a page of an append-mostly bucket is filled.
const appendFill = 0.9

// update runs fn in a read-write transaction with the append-mostly buckets
// filled fuller.
func update(db *bolt.DB, fn func(*bolt.Tx) error) error {
	return db.Update(func(tx *bolt.Tx) error {
		for _, name := range appendMostly {
			if b := tx.Bucket(name); b != nil {
				b.FillPercent = appendFill
			}
		}
		return fn(tx)
	})
}
