package store

// This file holds how a record is encoded on disk: JSON, compressed with
// zstd against a fixed dictionary (since layout 6).

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// dictionary1 is the JSON skeleton of the stored records (a breach, an
// event, a mail): their member names and codes, no one's data. A record of
// about a kilobyte shares little with itself, and compressed on its own it
// shrinks by half; against this dictionary it shrinks to about a third,
// which is what brings 100,000 filings under 400 MB.
//
// A frame names its dictionary by ID, and a stored frame can only be read
// with the very bytes it was written against: this file never changes
// (TestDictionaryNeverChanges). A better dictionary is a new file under
// the next ID, added to the decoder beside this one.
//
//go:embed zstd-dictionary-1.txt
var dictionary1 []byte

const dictionaryID = 1

// zstdMagic starts every zstd frame; a stored JSON value starts with '{'.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// maxRecordBytes bounds what one value may decompress to: the largest record
// (a breach with every development, breach.MaxBreachBytes) with room to
// spare, so a damaged frame cannot make the decoder allocate without end.
const maxRecordBytes = 64 << 20

var (
	// The fastest level: on records of a kilobyte it compresses as well as
	// the default in less than half the time (BenchmarkPack), and records
	// are compressed in the single writer's transaction.
	encoder = must(zstd.NewWriter(nil, zstd.WithEncoderDictRaw(dictionaryID, dictionary1),
		zstd.WithEncoderLevel(zstd.SpeedFastest)))
	decoder = must(zstd.NewReader(nil, zstd.WithDecoderDictRaw(dictionaryID, dictionary1),
		zstd.WithDecoderMaxMemory(maxRecordBytes)))
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("store: zstd: %v", err)) // fixed options: unreachable
	}
	return v
}

// pack compresses a record's JSON for storing. EncodeAll is safe for
// concurrent use, so it runs before a transaction where it can.
func pack(data []byte) []byte { return encoder.EncodeAll(data, make([]byte, 0, len(data)/2)) }

// unpack returns a stored value's JSON: a frame decompressed, or the value
// itself when it was stored as plain JSON (before layout 6, and in the
// buckets that are not compressed).
func unpack(v []byte) ([]byte, error) {
	if !compressed(v) {
		return v, nil
	}
	data, err := decoder.DecodeAll(v, nil)
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	return data, nil
}

func compressed(v []byte) bool { return bytes.HasPrefix(v, zstdMagic) }

// putJSON stores v as compressed JSON under key.
func putJSON(bkt *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return bkt.Put(key, pack(data))
}

// getJSON decodes a stored value into v.
func getJSON(stored []byte, v any) error {
	data, err := unpack(stored)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}
