package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"datalek/breach"
	"datalek/store"
)

// auditSettings is the key that anchors the audit trails outside the
// database (DATALEK_AUDIT_KEY, or DATALEK_AUDIT_KEY_FILE: credentials.go):
// the daily digest mails each open breach's chain head under it, and
// datalekd verify -heads checks a store or a backup against those mails.
// Without it the digest says the trails are not anchored.
func auditSettings(c *Config) []setting {
	return []setting{{"audit-key", "DATALEK_AUDIT_KEY", "", "secret that anchors the audit trails' heads in the daily digest (HMAC), kept outside the database and its backups " +
		"(at least 32 random characters, e.g. openssl rand -hex 32); prefer DATALEK_AUDIT_KEY_FILE; empty: heads not anchored", &c.AuditKey}}
}

// minAuditKey is the shortest audit key accepted, in characters.
const minAuditKey = 32

// validAuditKey checks the key's length; the message never repeats the key.
func validAuditKey(key string) error {
	if key != "" && len(key) < minAuditKey {
		return fmt.Errorf("must be at least %d characters (e.g. openssl rand -hex 32)", minAuditKey)
	}
	return nil
}

// readAuditKey reads an audit key from a file, as DATALEK_AUDIT_KEY_FILE
// is read: the trailing line break trimmed.
func readAuditKey(file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("-audit-key-file: %w", err)
	}
	key := strings.TrimRight(string(b), "\r\n")
	if err := validAuditKey(key); err != nil || key == "" {
		return nil, fmt.Errorf("-audit-key-file %s: %w", file, errors.Join(err, nonEmpty(key)))
	}
	return []byte(key), nil
}

// verifyHeads checks db against the chain heads in headsFile (a saved
// digest mail, or lines copied from several) under key, and prints each
// head that does not match. It returns how many problems it printed and
// how many heads it checked.
func verifyHeads(db *store.DB, headsFile string, key []byte, out io.Writer) (problems, heads int, err error) {
	f, err := os.Open(headsFile)
	if err != nil {
		return 0, 0, fmt.Errorf("-heads: %w", err)
	}
	defer f.Close()
	hs, err := store.ReadHeads(f)
	if err != nil {
		return 0, 0, fmt.Errorf("-heads %s: %w", headsFile, err)
	}
	if len(hs) == 0 {
		return 0, 0, fmt.Errorf("-heads %s: no chain heads in it (lines such as \"DL-2026-K7QM4 12 %s\")", headsFile, strings.Repeat("0", breach.AnchorLen))
	}
	found := db.HeadProblems(key, hs)
	for _, p := range found {
		fmt.Fprintln(out, "PROBLEM: "+p)
	}
	return len(found), len(hs), nil
}
