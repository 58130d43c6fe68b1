package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/notify"
	"datalek/store"
)

const testAuditKey = "0123456789abcdef0123456789abcdef-audit"

// anchoredStore files two breaches on a fixed clock with the audit key set,
// has an admin issue a token, and saves the day's digest mail as an
// operator would. It returns the data directory, the saved mail, the key's
// file and the breaches.
func anchoredStore(t *testing.T) (dir, mailFile, keyFile string, filed []*breach.Breach) {
	t.Helper()
	dir, ctx := t.TempDir(), context.Background()
	db, err := store.Open(filepath.Join(dir, DatabaseFile))
	require.NoError(t, err)
	svc := breach.NewService(db)
	at := time.Date(2026, time.November, 23, 7, 0, 0, 0, time.UTC)
	svc.Now = func() time.Time { return at }
	svc.AuditKey = []byte(testAuditKey)
	for range 2 {
		b, _, err := svc.FileBreach(ctx, acme, breachtest.ExampleFiling(at), "")
		require.NoError(t, err)
		filed = append(filed, b)
	}
	_, _, err = svc.CreateToken(ctx, breach.Actor{TokenID: "op", Name: "beheer", Role: breach.RoleAdmin},
		breach.TokenRequest{Role: breach.RoleAdviser, Name: "koppeling"})
	require.NoError(t, err)
	queued, err := svc.Digest(ctx)
	require.NoError(t, err)
	require.True(t, queued)
	mails, err := db.DueMail(ctx, at, 100)
	require.NoError(t, err)
	var saved bytes.Buffer
	for _, m := range mails {
		if m.Notice.Kind == breach.NoticeDigest {
			msg, err := (&notify.Composer{From: "datalek@example.org", BaseURL: "https://datalek.example"}).Compose(m.Notice)
			require.NoError(t, err)
			_, err = msg.WriteTo(&saved)
			require.NoError(t, err)
		}
	}
	require.NoError(t, db.Close())
	mailFile = filepath.Join(t.TempDir(), "overzicht.eml")
	require.NoError(t, os.WriteFile(mailFile, saved.Bytes(), 0o600))
	keyFile = filepath.Join(t.TempDir(), "audit.key")
	require.NoError(t, os.WriteFile(keyFile, []byte(testAuditKey+"\n"), 0o600))
	return dir, mailFile, keyFile, filed
}

// copyStore copies a data directory's store and lets change alter it.
func copyStore(t *testing.T, dir string, change func(db *store.DB)) string {
	t.Helper()
	copyDir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(dir, DatabaseFile))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(copyDir, DatabaseFile), data, 0o600))
	db, err := store.Open(filepath.Join(copyDir, DatabaseFile))
	require.NoError(t, err)
	change(db)
	require.NoError(t, db.Close())
	return copyDir
}

func TestVerifyAgainstTheDigestsChainHeads(t *testing.T) {
	dir, mailFile, keyFile, filed := anchoredStore(t)
	out, err := verifyStore("-data-dir", dir, "-heads", mailFile, "-audit-key-file", keyFile)
	require.NoError(t, err, out)
	assert.Contains(t, out, "no problems; 2 breaches")
	assert.Contains(t, out, "2 chain head(s) of "+mailFile+" match")

	identity, recipient := newIdentity(t)
	backup := filepath.Join(t.TempDir(), "handmatig.db.age")
	require.NoError(t, backupCommand([]string{"-data-dir", dir, "-out", backup, "-recipient", recipient}, env(nil), &bytes.Buffer{}))
	out, err = verifyStore("-in", backup, "-identity", identity, "-heads", mailFile, "-audit-key-file", keyFile)
	require.NoError(t, err, out)
	assert.Contains(t, out, "2 chain head(s)")

	_, err = verifyStore("-data-dir", dir, "-heads", mailFile)
	assert.ErrorContains(t, err, "-heads needs -audit-key-file")
	wrongKey := filepath.Join(t.TempDir(), "other.key")
	require.NoError(t, os.WriteFile(wrongKey, []byte(strings.Repeat("x", 40)), 0o600))
	out, err = verifyStore("-data-dir", dir, "-heads", mailFile, "-audit-key-file", wrongKey)
	assert.ErrorIs(t, err, errHeads, "the heads hold only under their key: %s", out)

	// A copy in which one breach's whole trail was rewritten and rehashed:
	// consistent in itself, so only the heads mailed outside name it.
	victim := filed[1]
	rewritten := copyStore(t, dir, func(db *store.DB) {
		scope := breach.StaffScope()
		events, err := db.ListEvents(context.Background(), scope, victim.ID)
		require.NoError(t, err)
		b, err := db.FindBreach(context.Background(), scope, victim.ID)
		require.NoError(t, err)
		require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
			prev := ""
			for _, e := range events {
				if e.Seq == 1 {
					e.Actor.Name = "iemand anders"
				}
				e.PrevHash = prev
				e.Hash = breach.EventHash(e)
				prev = e.Hash
				data, err := json.Marshal(e)
				require.NoError(t, err)
				require.NoError(t, tx.Bucket([]byte("events")).Put(binary.BigEndian.AppendUint64([]byte(victim.ID+"/"), uint64(e.Seq)), data))
			}
			b.TrailHash = prev
			data, err := json.Marshal(b)
			require.NoError(t, err)
			return tx.Bucket([]byte("breaches")).Put([]byte(victim.ID), data)
		}))
	})
	out, err = verifyStore("-data-dir", rewritten)
	require.NoError(t, err, "the SHA-256 chains are consistent: %s", out)
	out, err = verifyStore("-data-dir", rewritten, "-heads", mailFile, "-audit-key-file", keyFile)
	require.ErrorIs(t, err, errHeads)
	assert.Contains(t, out, "PROBLEM: breach "+victim.Reference+" ("+victim.ID+"): its trail up to event 1 does not match")
	assert.Equal(t, 1, strings.Count(out, "PROBLEM:"), out)
	assert.NotContains(t, out, filed[0].Reference)
}

func TestVerifyNamesABrokenAccessLog(t *testing.T) {
	dir, _, _, _ := anchoredStore(t)
	broken := copyStore(t, dir, func(db *store.DB) {
		entries, err := db.AccessEntries(context.Background())
		require.NoError(t, err)
		require.Len(t, entries, 1, "the token issued")
		entries[0].Detail = "adviser: iets anders"
		data, err := json.Marshal(entries[0])
		require.NoError(t, err)
		require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("access_log")).Put(binary.BigEndian.AppendUint64(nil, 1), data)
		}))
	})
	out, err := verifyStore("-data-dir", broken)
	require.ErrorIs(t, err, errProblems)
	assert.Contains(t, out, "PROBLEM: access log: entry 1 was altered")
}

func TestAuditKeySetting(t *testing.T) {
	c, err := ParseConfig(nil, env(map[string]string{"DATALEK_AUDIT_KEY": testAuditKey}), &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, testAuditKey, c.AuditKey)
	keyFile := filepath.Join(t.TempDir(), "audit.key")
	require.NoError(t, os.WriteFile(keyFile, []byte(testAuditKey+"\n"), 0o600))
	c, err = ParseConfig(nil, env(map[string]string{"DATALEK_AUDIT_KEY_FILE": keyFile}), &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, testAuditKey, c.AuditKey, "a credential file, as systemd and Kubernetes give it")
	_, err = ParseConfig(nil, env(map[string]string{"DATALEK_AUDIT_KEY": "kort-geheim"}), &bytes.Buffer{})
	require.ErrorContains(t, err, "invalid -audit-key / DATALEK_AUDIT_KEY: must be at least 32 characters")
	assert.NotContains(t, err.Error(), "kort-geheim", "the message never repeats the key")

	// the service gets the key, and records a staff token reading a breach
	clock := newTestClock(saturday)
	m := startMainWith(t, t.TempDir(), clock, "-audit-key", testAuditKey)
	defer m.Close()
	assert.Equal(t, []byte(testAuditKey), m.Service.AuditKey)
	b, _, err := m.Service.FileBreach(context.Background(), acme, breachtest.ExampleFiling(clock.Now()), "")
	require.NoError(t, err)
	adviser := token(t, m, "adviser", "")
	status, _ := call(t, m, "GET", "/api/v1/breaches/"+b.ID, adviser, nil)
	require.Equal(t, 200, status)
	entries, err := m.DB.AccessEntries(context.Background())
	require.NoError(t, err)
	require.Len(t, entries, 2, "the token issued, then the read")
	assert.Equal(t, breach.AccessBreachRead, entries[1].Kind)
	assert.Equal(t, b.ID, entries[1].Subject)
}
