package store

// This file holds the register export: every breach in order of receipt, read
// in chunks.

import (
	"bytes"
	"context"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// registerChunk is how many breaches EachBreach reads per transaction: few
// enough to keep memory flat, and no read transaction stays open while fn
// writes to a slow client.
const registerChunk = 256

// EachBreach implements breach.BreachStore.
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
