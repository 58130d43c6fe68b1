package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"datalek/store"
)

// restoreCommand serves "datalekd restore -in FILE -identity FILE -data-dir
// DIR [-replace]": it decrypts a backup into a temporary file in the data
// directory, checks it (bbolt's page check, a layout this datalekd reads,
// migrated if older, and store.Check: every index and every audit trail's
// hash chain), and only then moves it into place as datalek.db. It refuses
// a store a running service holds (it takes the file's lock, as the service
// does) and, without -replace, any datalek.db that holds data; a replaced
// file is kept beside it as datalek.db.before-restore-<time>. A refused
// restore leaves the data directory as it was.
func restoreCommand(args []string, getenv func(string) string, out io.Writer) error {
	fs, dir := commandFlags("restore", getenv, out)
	in := fs.String("in", "", "the encrypted backup")
	identity := fs.String("identity", "", "age identity file (AGE-SECRET-KEY-1…) of one of the backup's recipients")
	replace := fs.Bool("replace", false, "replace a datalek.db that holds data (kept aside as datalek.db.before-restore-<time>)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *identity == "" {
		return errors.New("usage: datalekd restore -in FILE -identity AGE_IDENTITY_FILE -data-dir DIR [-replace]")
	}
	target := filepath.Join(*dir, DatabaseFile)
	unlock, err := lockTarget(target, *replace)
	if err != nil {
		return err
	}
	unlock()
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	began := time.Now()
	tmp := target + ".restoring"
	defer os.Remove(tmp) // once renamed, there is nothing to remove
	if err := decryptTo(tmp, *in, *identity); err != nil {
		return err
	}
	decrypted := time.Now()
	breaches, err := checkSnapshot(tmp)
	if err != nil {
		return err
	}
	// The lock again, held while the files move, so that a service started
	// meanwhile neither runs on the old file nor sees a half-done move.
	unlock, err = lockTarget(target, *replace)
	if err != nil {
		return err
	}
	defer unlock()
	if info, err := os.Stat(target); err == nil && info.Size() > 0 {
		aside := target + ".before-restore-" + time.Now().UTC().Format(backupTime)
		if err := os.Rename(target, aside); err != nil {
			return err
		}
		fmt.Fprintf(out, "The replaced %s is kept as %s.\n", target, aside)
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	if err := syncDir(*dir); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "Restored %s from %s: %d breaches, every index and audit trail checked (%s: decrypted in %s, checked in %s).\n",
		target, *in, breaches, time.Since(began).Round(time.Millisecond), decrypted.Sub(began).Round(time.Millisecond), time.Since(decrypted).Round(time.Millisecond))
	return err
}

// lockTarget refuses a database file a running service holds, and one that
// holds data unless replace; otherwise it holds the file's lock (bbolt's, a
// shared one, which the service's exclusive lock waits for) until unlock.
func lockTarget(path string, replace bool) (unlock func(), err error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist) || (err == nil && info.Size() == 0):
		return func() {}, nil
	case err != nil:
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s is in use by a running service: stop it before restoring (nothing was changed)", path)
	case !replace:
		if err == nil {
			db.Close()
		}
		return nil, fmt.Errorf("%s holds a database already: restore with -replace to replace it (it is kept aside), or into an empty data directory (nothing was changed)", path)
	case err != nil:
		return func() {}, nil // a file bbolt cannot open, being replaced: no lock to take
	}
	return func() { db.Close() }, nil
}

// decryptTo decrypts the backup in with the identities in identityFile and
// writes it to path, synced.
func decryptTo(path, in, identityFile string) (err error) {
	idf, err := os.Open(identityFile)
	if err != nil {
		return fmt.Errorf("-identity: %w", err)
	}
	identities, err := age.ParseIdentities(idf)
	idf.Close()
	if err != nil {
		return fmt.Errorf("-identity %s: %w", identityFile, err)
	}
	src, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("-in: %w", err)
	}
	defer src.Close()
	plain, err := age.Decrypt(src, identities...)
	if err != nil {
		return fmt.Errorf("%s cannot be decrypted with %s (not a backup, or not for this identity): %w (nothing was changed)", in, identityFile, err)
	}
	dst, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer dst.Close()
	n, err := io.Copy(dst, plain)
	switch {
	case err != nil:
		return fmt.Errorf("%s is damaged or cut short: %w (nothing was changed)", in, err)
	case n == 0:
		return fmt.Errorf("%s holds an empty file, not a database (nothing was changed)", in)
	}
	return dst.Sync()
}

// checkSnapshot opens the decrypted copy at path as the service would
// (bbolt's check, a layout it reads, migrated if older) and runs the store's
// check. It returns the number of breaches, or every problem found.
func checkSnapshot(path string) (int, error) {
	db, err := store.Open(path)
	if err != nil {
		return 0, fmt.Errorf("the backup is not a usable database: %s (nothing was changed)", strings.TrimPrefix(err.Error(), "open "+path+": "))
	}
	defer db.Close()
	if problems := db.Problems(); len(problems) > 0 {
		return 0, fmt.Errorf("the backup fails the store's check (nothing was changed): %s", strings.Join(problems, "; "))
	}
	return db.Breaches(), nil
}
