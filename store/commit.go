package store

import (
	"sync"

	bolt "go.etcd.io/bbolt"
)

// maxGroup bounds one group commit, so that a burst cannot build a single
// transaction of unbounded size.
const maxGroup = 1000

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
	once  sync.Once
}

func newCommitter(db *bolt.DB) *committer {
	c := &committer{db: db, queue: make(chan commitCall, maxGroup), quit: make(chan struct{})}
	go c.run()
	return c
}

// Commit runs fn in a durable read-write transaction shared with other
// concurrent writes and returns once it is on disk. fn may run more than once
// (after another write in its group failed), so it must only write to the
// transaction and set its results afresh on each run.
func (db *DB) Commit(fn func(*bolt.Tx) error) error {
	call := commitCall{fn: fn, done: make(chan error, 1)}
	db.committer.queue <- call
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

// commit runs a group in one transaction. When a write fails, the whole
// transaction is rolled back, the failed write is run on its own so that its
// result does not depend on the writes it shared a transaction with, and the
// rest are committed again without it.
func (c *committer) commit(group []commitCall) {
	for len(group) > 0 {
		failed := -1
		err := c.db.Update(func(tx *bolt.Tx) error {
			for i, call := range group {
				if err := call.fn(tx); err != nil {
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
		solo := group[failed]
		solo.done <- c.db.Update(solo.fn)
		group = append(group[:failed:failed], group[failed+1:]...)
	}
}

// close stops the committer after the writes already queued are done. It may
// be called more than once.
func (c *committer) close() {
	c.once.Do(func() { close(c.queue) })
	<-c.quit
}
