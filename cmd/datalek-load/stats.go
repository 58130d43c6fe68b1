package main

import (
	"fmt"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// bucketStats writes, for every top-level bucket of the database at path
// (the service stopped: bbolt locks its file), its keys, the pages it
// takes, and the bytes of those pages in use; then the pages of all buckets
// against the file's size. It is where the store's bytes go, for weighing
// a change of the layout.
func bucketStats(path string, w io.Writer) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	page := db.Info().PageSize
	total := 0
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			s := b.Stats()
			pages := s.BranchPageN + s.BranchOverflowN + s.LeafPageN + s.LeafOverflowN
			total += pages
			_, err := fmt.Fprintf(w, "%-26s keys %8d  pages %7d (%6.1f MB)  in use %6.1f MB\n", name, s.KeyN, pages,
				float64(pages*page)/1e6, float64(s.LeafInuse+s.BranchInuse)/1e6)
			return err
		})
	})
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "buckets %d pages (%.1f MB), file %.1f MB\n", total, float64(total*page)/1e6, float64(info.Size())/1e6)
	return err
}
