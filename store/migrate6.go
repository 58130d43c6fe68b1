package store

// The migration to layout 6: records compressed, the snapshots' holders
// counted, and every supplier a record of its own.

import (
	"bytes"
	"datalek/breach"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// recordBuckets hold the records, stored as compressed JSON since layout 6;
// the other buckets hold keys, IDs and counters.
var recordBuckets = [][]byte{bucketBreaches, bucketEvents, bucketSnapshots, bucketOutbox, bucketMailSent,
	bucketMailDead, bucketMailPruned, bucketIdempotency, bucketTokens, bucketOrgs, bucketAccounts, bucketAccountLog, bucketSessions}

// migrateLayout6 (5 → 6) compresses the records and counts the mails that
// hold each snapshot.
func migrateLayout6(tx *bolt.Tx) error {
	if err := migrateCompress(tx); err != nil {
		return err
	}
	if err := migrateHolds(tx); err != nil {
		return err
	}
	return migrateOrganisations(tx)
}

// migrateOrganisations gives every supplier a record, as its name: the
// organisations of supplier tokens and of breaches, which were only names
// before layout 6. The operator fills in the rest.
func migrateOrganisations(tx *bolt.Tx) error {
	names := map[string]bool{}
	err := tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
		var t breach.Token
		if err := getJSON(v, &t); err != nil {
			return fmt.Errorf("token %x: %w", k, err)
		}
		if t.Role == breach.RoleSupplier && t.Organisation != "" {
			names[t.Organisation] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketByOrg).ForEachBucket(func(k []byte) error {
		names[string(k)] = true
		return nil
	})
	if err != nil {
		return err
	}
	orgs := tx.Bucket(bucketOrgs)
	for name := range names {
		if orgs.Get([]byte(name)) != nil {
			continue
		}
		o := breach.Organisation{Name: name, ContractReferences: []string{}, Contacts: []breach.Contact{}, SubProcessors: []string{},
			Activities: []string{}, UpdatedBy: "migratie naar layout 6"}
		if err := putJSON(orgs, []byte(name), o); err != nil {
			return err
		}
	}
	return nil
}

// migrateHolds counts, for every snapshot, the mails that need it (pending
// and dead), and deletes the snapshots only sent mail referred to: layout 5
// kept them for ever.
func migrateHolds(tx *bolt.Tx) error {
	holds := map[snapshotRef]int{}
	for _, name := range [][]byte{bucketOutbox, bucketMailDead} {
		err := tx.Bucket(name).ForEach(func(k, v []byte) error {
			rec, err := getMail(k, v)
			if err != nil {
				return fmt.Errorf("%s %x: %w", name, k, err)
			}
			if rec.Snapshot != nil {
				holds[*rec.Snapshot]++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for ref, n := range holds {
		if err := hold(tx, ref, n); err != nil {
			return err
		}
	}
	snapshots, keep := tx.Bucket(bucketSnapshots), tx.Bucket(bucketHolds)
	var unheld [][]byte
	err := snapshots.ForEach(func(k, _ []byte) error {
		if keep.Get(k) == nil {
			unheld = append(unheld, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range unheld { // not inside ForEach: bbolt forbids writing to the bucket it iterates
		if err := snapshots.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// migrateCompress compresses every record stored as plain JSON. It
// rewrites a bucket a chunk of records at a time, so that it never holds a
// whole bucket in memory, and seeks past the last key it wrote, since a
// write moves bbolt's cursors.
func migrateCompress(tx *bolt.Tx) error {
	const chunk = 1024
	for _, name := range recordBuckets {
		bkt := tx.Bucket(name)
		var after []byte
		for {
			var keys, values [][]byte
			c := bkt.Cursor()
			k, v := c.First()
			if after != nil {
				if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(keys) < chunk; k, v = c.Next() {
				if v != nil && !compressed(v) {
					keys, values = append(keys, bytes.Clone(k)), append(values, pack(v))
				}
				after = bytes.Clone(k)
			}
			for i := range keys {
				if err := bkt.Put(keys[i], values[i]); err != nil {
					return err
				}
			}
			if k == nil {
				break
			}
		}
	}
	return nil
}
