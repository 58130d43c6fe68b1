package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/store"
)

var rawBucket = []byte("raw")

// rawMode is how the raw measurement group-commits its writes.
type rawMode string

const (
	rawCommit rawMode = "store-commit" // the store's committer: what intake writes through
	rawBatch  rawMode = "bbolt-batch"  // bbolt's DB.Batch with its defaults (10 ms, 1000)
)

// runRaw measures the raw durable bbolt write rate: a fresh database in a
// temporary directory under cfg.RawDir, opened by the store with its own
// options and written through its own group commit (store.DB.Commit, fsync
// on), cfg.C goroutines each putting one value as large as an intake report
// body, cfg.N writes measured after cfg.Warmup uncounted ones. Keys are new
// breach IDs (breach.NewID), as intake's are. So the ratio intake/raw is what the service
// costs on top of the bare durable write. The directory is removed afterwards.
func runRaw(ctx context.Context, cfg config, mode rawMode) (result, error) {
	if err := cfg.check(); err != nil {
		return result{}, err
	}
	dir := cfg.RawDir
	if dir == "" {
		dir = "."
	}
	tmp, err := os.MkdirTemp(dir, "datalek-load-raw-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(tmp)

	db, err := store.Open(filepath.Join(tmp, "raw.db"))
	if err != nil {
		return result{}, err
	}
	defer db.Close()
	if err := db.Commit(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(rawBucket)
		return err
	}); err != nil {
		return result{}, err
	}

	value, err := reportBody(time.Now(), "raw", 0)
	if err != nil {
		return result{}, err
	}
	put := func(ctx context.Context, _ int) (time.Duration, string) {
		key := []byte(breach.NewID())
		t0 := time.Now()
		write := db.Commit
		if mode == rawBatch {
			write = db.Bolt().Batch
		}
		err := write(func(tx *bolt.Tx) error {
			return tx.Bucket(rawBucket).Put(key, value)
		})
		if err != nil {
			return time.Since(t0), "error"
		}
		return time.Since(t0), ""
	}

	cfg.logf("raw %s: %d writes (+%d warm-up) of %d bytes with %d writers in %s (store options, fsync on)",
		mode, cfg.N, cfg.Warmup, len(value), cfg.C, tmp)
	if cfg.Warmup > 0 {
		if w := measure(ctx, cfg.Warmup, cfg.C, put); w.ErrorCount() > 0 {
			return result{}, fmt.Errorf("raw warm-up: %d of %d writes failed", w.ErrorCount(), cfg.Warmup)
		}
	}
	r := measure(ctx, cfg.N, cfg.C, put)
	r.Name, r.Unit, r.Payload = "raw "+string(mode), "writes", len(value)
	if err := db.Close(); err != nil {
		return r, err
	}
	return r, nil
}
