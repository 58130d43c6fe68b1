package store

import (
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// CreateBreachWithTrail writes a new breach with the events and notices
// given, through the write path of CreateBreach. It is for the layout test,
// which needs a breach whose every field, ID and audit trail included, it
// chooses itself: the domain draws a breach's ID at random and records its
// events itself.
// The breach keeps the reference it has.
func (db *DB) CreateBreachWithTrail(b *breach.Breach, events []breach.Event, notices []breach.Notice, idem *breach.Idempotency) (*breach.Breach, error) {
	draw := db.drawReference
	defer func() { db.drawReference = draw }()
	ref := b.Reference
	db.drawReference = func(int) string { return ref }
	stored, _, err := db.createBreach(b, events, notices, idem)
	return stored, err
}

// DrawReferences makes the store draw refs, in turn, as breach references.
func (db *DB) DrawReferences(refs ...string) {
	db.drawReference = func(int) string {
		ref := refs[0]
		refs = refs[1:]
		return ref
	}
}

// Unpack returns a stored record's JSON, for tests that read the buckets.
func Unpack(v []byte) ([]byte, error) { return unpack(v) }

// DecompressRecords stores every record as plain JSON, as layouts before 6
// did: the inverse of migrateCompress, for the migration tests.
func DecompressRecords(tx *bolt.Tx) error {
	for _, name := range recordBuckets {
		bkt := tx.Bucket(name)
		var keys, values [][]byte
		err := bkt.ForEach(func(k, v []byte) error {
			data, err := unpack(v)
			keys, values = append(keys, k), append(values, data)
			return err
		})
		if err != nil {
			return err
		}
		for i := range keys {
			if err := bkt.Put(keys[i], values[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// Pack compresses a record's JSON as the store stores it, for tests that
// alter stored records.
func Pack(data []byte) []byte { return pack(data) }
