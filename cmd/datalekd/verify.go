package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"datalek/store"
)

// errProblems is verify's error when it found problems, which it has
// printed already.
var errProblems = errors.New("the store has problems (listed above)")

// errHeads is verify's error when the store's trails are sound but do not
// match the chain heads the digest mailed: rewritten end to end.
var errHeads = errors.New("the store does not match the chain heads of the digest (listed above)")

// verifyCommand serves "datalekd verify [-data-dir DIR]" and "datalekd
// verify -in BACKUP -identity FILE": it runs the store's checks (bbolt's page
// check, the layout, every index against the records and every audit
// trail's hash chain) on the store of a stopped service, read-only, or on a
// backup, decrypted into a temporary file that is removed afterwards. It
// checks the access log's chain too, and with -heads FILE -audit-key-file F
// the trails against the chain heads the daily digest mailed (audit.go),
// which names a trail rewritten end to end. It prints each problem on a
// line, naming the breach by its reference and the event by its sequence
// number, and fails if there is any.
func verifyCommand(args []string, getenv func(string) string, out io.Writer) error {
	fs, dir := commandFlags("verify", getenv, out)
	in := fs.String("in", "", "an encrypted backup to verify instead of the data directory's store")
	identity := fs.String("identity", "", "age identity file for -in")
	headsFile := fs.String("heads", "", "a saved digest mail (or its chain-head lines) to check the trails against; needs the audit key")
	keyFile := fs.String("audit-key-file", getenv("DATALEK_AUDIT_KEY_FILE"), "file holding DATALEK_AUDIT_KEY, for -heads [DATALEK_AUDIT_KEY_FILE]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var key []byte
	if *headsFile != "" {
		if *keyFile == "" {
			return errors.New("-heads needs -audit-key-file FILE (the key the digest anchored the heads with)")
		}
		var err error
		if key, err = readAuditKey(*keyFile); err != nil {
			return err
		}
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
			if errors.Is(err, store.ErrInUse) {
				return fmt.Errorf("%w: stop the service, or verify its latest backup (-in … -identity …)", err)
			}
			return err
		}
		what = path
	}
	defer db.Close()
	problems := append(db.Problems(), db.AccessProblems()...)
	for _, p := range problems {
		fmt.Fprintln(out, "PROBLEM: "+p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(out, "%s: %d problem(s) in a store of %d breaches.\n", what, len(problems), db.Breaches())
		return errProblems
	}
	anchored := "; not checked against the digest's chain heads (-heads)"
	if *headsFile != "" {
		n, heads, err := verifyHeads(db, *headsFile, key, out)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprintf(out, "%s: %d of %d chain head(s) of %s do not match.\n", what, n, heads, *headsFile)
			return errHeads
		}
		anchored = fmt.Sprintf("; %d chain head(s) of %s match", heads, *headsFile)
	}
	_, err := fmt.Fprintf(out, "%s: no problems; %d breaches, every index and audit trail checked, and the access log%s.\n", what, db.Breaches(), anchored)
	return err
}
