package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/store"
)

var rawBucket = []byte("raw")

// runRaw measures the raw durable bbolt write rate: a fresh database in a
// temporary directory under cfg.RawDir, opened by the store with its own
// options and written through its own group commit (store.DB.Commit, fsync
// on), cfg.C goroutines each putting one value as large as an intake report
// body, cfg.N writes measured after cfg.Warmup uncounted ones. Keys are random
// IDs like the breaches' own. So the ratio intake/raw is what the service
// costs on top of the bare durable write. The directory is removed afterwards.
func runRaw(ctx context.Context, cfg config) (result, error) {
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
		key := randomKey()
		t0 := time.Now()
		err := db.Commit(func(tx *bolt.Tx) error {
			return tx.Bucket(rawBucket).Put(key, value)
		})
		if err != nil {
			return time.Since(t0), "error"
		}
		return time.Since(t0), ""
	}

	cfg.logf("raw bbolt: %d writes (+%d warm-up) of %d bytes with %d writers in %s (store options, group commit, fsync on)",
		cfg.N, cfg.Warmup, len(value), cfg.C, tmp)
	if cfg.Warmup > 0 {
		if w := measure(ctx, cfg.Warmup, cfg.C, put); w.ErrorCount() > 0 {
			return result{}, fmt.Errorf("raw warm-up: %d of %d writes failed", w.ErrorCount(), cfg.Warmup)
		}
	}
	r := measure(ctx, cfg.N, cfg.C, put)
	r.Name, r.Unit, r.Payload = "raw bbolt", "writes", len(value)
	if err := db.Close(); err != nil {
		return r, err
	}
	return r, nil
}

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// randomKey is a 128-bit random key in the form of a breach ID.
func randomKey() []byte {
	var b [16]byte
	_, _ = rand.Read(b[:])
	k := make([]byte, keyEncoding.EncodedLen(len(b)))
	keyEncoding.Encode(k, b[:])
	return k
}
