package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"datalek/store"
)

// errProblems is verify's error when it found problems, which it has
// printed already.
var errProblems = errors.New("the store has problems (listed above)")

// verifyCommand serves "datalekd verify [-data-dir DIR]" and "datalekd
// verify -in BACKUP -identity FILE": it runs the store's checks (bbolt's page
// check, the layout, every index against the records and every audit
// trail's hash chain) on the store of a stopped service, read-only, or on a
// backup, decrypted into a temporary file that is removed afterwards. It
// prints each problem on a line, naming the breach by its reference and the
// event by its sequence number, and fails if there is any.
func verifyCommand(args []string, getenv func(string) string, out io.Writer) error {
	fs, dir := commandFlags("verify", getenv, out)
	in := fs.String("in", "", "an encrypted backup to verify instead of the data directory's store")
	identity := fs.String("identity", "", "age identity file for -in")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var db *store.DB
	var what string
	switch {
	case *in != "":
		if *identity == "" {
			return errors.New("-in needs -identity AGE_IDENTITY_FILE")
		}
		tmpDir, err := os.MkdirTemp("", "datalekd-verify-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmpDir)
		path := filepath.Join(tmpDir, DatabaseFile)
		if err := decryptTo(path, *in, *identity); err != nil {
			return err
		}
		if db, err = store.Open(path); err != nil { // migrates the copy of an older layout
			return err
		}
		what = "backup " + *in
	default:
		path := filepath.Join(*dir, DatabaseFile)
		var err error
		if db, err = store.OpenReadOnly(path); err != nil {
			if strings.Contains(err.Error(), "in use") {
				return fmt.Errorf("%w: stop the service, or verify its latest backup (-in … -identity …)", err)
			}
			return err
		}
		what = path
	}
	defer db.Close()
	problems := db.Problems()
	for _, p := range problems {
		fmt.Fprintln(out, "PROBLEM: "+p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(out, "%s: %d problem(s) in a store of %d breaches.\n", what, len(problems), db.Breaches())
		return errProblems
	}
	_, err := fmt.Fprintf(out, "%s: no problems; %d breaches, every index and audit trail checked.\n", what, db.Breaches())
	return err
}
