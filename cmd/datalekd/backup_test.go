package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/store"
)

var acme = breach.Actor{TokenID: "acme", Name: "acme", Role: breach.RoleSupplier, Organisation: "Acme BV"}

// newIdentity returns a fresh age identity, written to a file, and its
// public key.
func newIdentity(t testing.TB) (file, recipient string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	require.NoError(t, err)
	file = filepath.Join(t.TempDir(), "backup.key")
	require.NoError(t, os.WriteFile(file, []byte(id.String()+"\n"), 0o600))
	return file, id.Recipient().String()
}

func restore(args ...string) (string, error) {
	var out bytes.Buffer
	err := restoreCommand(args, env(nil), &out)
	return out.String(), err
}

func verifyStore(args ...string) (string, error) {
	var out bytes.Buffer
	err := verifyCommand(args, env(nil), &out)
	return out.String(), err
}

type filed struct {
	id string
	at time.Time // when FileBreach returned: the report acknowledged
}

func TestBackupWhileFilingRestoresEveryAcknowledgedReport(t *testing.T) {
	dir, backups := t.TempDir(), t.TempDir()
	identity, recipient := newIdentity(t)
	clock := newTestClock(saturday)
	m := startMainWith(t, dir, clock, "-backup-dir", backups, "-backup-recipients", recipient, "-backup-keep", "2")
	at := clock.Now()

	var mu sync.Mutex
	var acked []filed
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			f := breachtest.ExampleFiling(at) // each its own: filing normalises the report it is given
			for {
				select {
				case <-stop:
					return
				default:
				}
				b, _, err := m.Service.FileBreach(context.Background(), acme, f, "")
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				acked = append(acked, filed{b.ID, time.Now()})
				mu.Unlock()
			}
		})
	}
	for { // let filing get going
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 50 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	began := time.Now()
	path, err := m.Backup()
	require.NoError(t, err)
	time.Sleep(50 * time.Millisecond) // filing goes on after the backup
	close(stop)
	wg.Wait()
	require.NoError(t, m.Close())

	target := filepath.Join(t.TempDir(), "data")
	out, err := restore("-in", path, "-identity", identity, "-data-dir", target)
	require.NoError(t, err, out)
	assert.Contains(t, out, "every index and audit trail checked")

	db, err := store.OpenReadOnly(filepath.Join(target, DatabaseFile))
	require.NoError(t, err)
	defer db.Close()
	assert.Empty(t, db.Problems(), "the restored store passes the store's check, hash chains included")
	before, after := 0, 0
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		for _, a := range acked {
			found := tx.Bucket([]byte("breaches")).Get([]byte(a.id)) != nil
			switch {
			case a.at.Before(began):
				before++
				assert.True(t, found, "breach %s was acknowledged before the backup began", a.id)
			case found:
				after++
			}
		}
		return nil
	}))
	t.Logf("%d reports acknowledged before the backup began, all restored; %d filed during or after it, %d of them in the backup", before, len(acked)-before, after)
	assert.Less(t, before, len(acked), "filing went on after the backup began")
	assert.Equal(t, db.Breaches(), before+after, "nothing but what was filed")
}

func TestTheServiceWritesScheduledBackups(t *testing.T) {
	dir, backups := t.TempDir(), t.TempDir()
	identity, recipient := newIdentity(t)
	m := startMainWith(t, dir, newTestClock(saturday), "-backup-dir", backups, "-backup-recipients", recipient,
		"-backup-schedule", "@every 1s")
	defer m.Close()
	deadline := time.Now().Add(10 * time.Second)
	var found []string
	for len(found) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		found, _ = filepath.Glob(filepath.Join(backups, "datalek-*.db.age"))
	}
	require.NotEmpty(t, found, "a backup within 10 s on @every 1s")
	out, err := verifyStore("-in", found[0], "-identity", identity)
	require.NoError(t, err, out)
	assert.Contains(t, out, "no problems; 0 breaches")
}

func TestScheduledBackupsKeepTheNewest(t *testing.T) {
	backups := t.TempDir()
	for _, name := range []string{"datalek-20261101T041500Z.db.age", "datalek-20261102T041500Z.db.age", "datalek-20261103T041500Z.db.age", "other.txt"} {
		require.NoError(t, os.WriteFile(filepath.Join(backups, name), nil, 0o600))
	}
	require.NoError(t, pruneBackups(backups, 2))
	entries, err := os.ReadDir(backups)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"datalek-20261102T041500Z.db.age", "datalek-20261103T041500Z.db.age", "other.txt"}, names)

	_, err = ParseConfig([]string{"-backup-dir", backups}, env(nil), nil)
	assert.ErrorContains(t, err, "DATALEK_BACKUP_RECIPIENTS: needs at least one age public key")
	_, err = ParseConfig([]string{"-backup-recipients", "age1nietgeldig"}, env(nil), nil)
	assert.ErrorContains(t, err, "is not an age public key")
}

// fileAndStop files n reports in a fresh data directory and stops the
// service; it returns the data directory and the breaches.
func fileAndStop(t *testing.T, n int) (string, []*breach.Breach) {
	t.Helper()
	dir, clock := t.TempDir(), newTestClock(saturday)
	m := startMainWith(t, dir, clock)
	var filed []*breach.Breach
	for range n {
		b, _, err := m.Service.FileBreach(context.Background(), acme, breachtest.ExampleFiling(clock.Now()), "")
		require.NoError(t, err)
		filed = append(filed, b)
	}
	require.NoError(t, m.Close())
	return dir, filed
}

func TestVerifyNamesTheAlteredEvent(t *testing.T) {
	dir, filed := fileAndStop(t, 3)
	out, err := verifyStore("-data-dir", dir)
	require.NoError(t, err, out)
	assert.Contains(t, out, "no problems; 3 breaches")

	// A copy of the store with one stored event changed.
	copyDir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(dir, DatabaseFile))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(copyDir, DatabaseFile), data, 0o600))
	db, err := store.Open(filepath.Join(copyDir, DatabaseFile))
	require.NoError(t, err)
	victim := filed[1]
	events, err := db.ListEvents(context.Background(), breach.Actor{Role: breach.RoleAdviser}.Scope(), victim.ID)
	require.NoError(t, err)
	e := events[0]
	e.Message = "Niets aan de hand"
	altered, err := json.Marshal(e)
	require.NoError(t, err)
	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error {
		key := binary.BigEndian.AppendUint64([]byte(victim.ID+"/"), uint64(e.Seq))
		require.NotNil(t, tx.Bucket([]byte("events")).Get(key))
		return tx.Bucket([]byte("events")).Put(key, altered)
	}))
	require.NoError(t, db.Close())

	out, err = verifyStore("-data-dir", copyDir)
	require.ErrorIs(t, err, errProblems)
	assert.Contains(t, out, "PROBLEM: breach "+victim.Reference+" ("+victim.ID+"): event 1 was altered", out)
	assert.Equal(t, 1, strings.Count(out, "PROBLEM:"), "the other breaches are sound: %s", out)
	for _, b := range []*breach.Breach{filed[0], filed[2]} {
		assert.NotContains(t, out, b.Reference)
	}
}

func TestVerifyAndRestoreOfABackup(t *testing.T) {
	dir, _ := fileAndStop(t, 2)
	identity, recipient := newIdentity(t)
	backup := filepath.Join(t.TempDir(), "handmatig.db.age")
	var out bytes.Buffer
	require.NoError(t, backupCommand([]string{"-data-dir", dir, "-out", backup, "-recipient", recipient}, env(nil), &out))
	assert.Contains(t, out.String(), "written to "+backup)

	got, err := verifyStore("-in", backup, "-identity", identity)
	require.NoError(t, err, got)
	assert.Contains(t, got, "no problems; 2 breaches")
	other, _ := newIdentity(t)
	_, err = verifyStore("-in", backup, "-identity", other)
	assert.ErrorContains(t, err, "cannot be decrypted")
}

// fingerprint describes a data directory: every file's name and content.
func fingerprint(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		fmt.Fprintf(&b, "%s %x\n", path, sha256.Sum256(data))
		return err
	}))
	return b.String()
}

func TestRestoreRefusesALiveStoreAndABadBackup(t *testing.T) {
	dir, backups := t.TempDir(), t.TempDir()
	identity, recipient := newIdentity(t)
	m := startMainWith(t, dir, newTestClock(saturday), "-backup-dir", backups, "-backup-recipients", recipient)
	_, _, err := m.Service.FileBreach(context.Background(), acme, breachtest.ExampleFiling(m.Service.Now()), "")
	require.NoError(t, err)
	backup, err := m.Backup()
	require.NoError(t, err)

	_, err = restore("-in", backup, "-identity", identity, "-data-dir", dir, "-replace")
	assert.ErrorContains(t, err, "in use by a running service")
	_, err = verifyStore("-data-dir", dir)
	assert.ErrorContains(t, err, "in use by another process")
	require.NoError(t, m.Close())
	was := fingerprint(t, dir)

	_, err = restore("-in", backup, "-identity", identity, "-data-dir", dir)
	assert.ErrorContains(t, err, "holds a database already: restore with -replace")

	data, err := os.ReadFile(backup)
	require.NoError(t, err)
	damaged := filepath.Join(t.TempDir(), "damaged.db.age")
	data[len(data)/2] ^= 0x40
	require.NoError(t, os.WriteFile(damaged, data, 0o600))
	_, err = restore("-in", damaged, "-identity", identity, "-data-dir", dir, "-replace")
	assert.ErrorContains(t, err, "damaged or cut short")

	other, _ := newIdentity(t)
	_, err = restore("-in", backup, "-identity", other, "-data-dir", dir, "-replace")
	assert.ErrorContains(t, err, "cannot be decrypted")
	assert.Equal(t, was, fingerprint(t, dir), "a refused restore leaves the data directory as it was")

	out, err := restore("-in", backup, "-identity", identity, "-data-dir", dir, "-replace")
	require.NoError(t, err, out)
	assert.Contains(t, out, "is kept as "+filepath.Join(dir, DatabaseFile)+".before-restore-")
	m = startMainWith(t, dir, newTestClock(saturday))
	assert.Equal(t, 1, m.DB.Breaches())
	require.NoError(t, m.Close())
}

// BenchmarkRestore measures restoring a backup of a store of 100,000
// breaches (DATALEK_BENCH_BREACHES to change it) filed through the service,
// each with its trail and mails: decrypting, bbolt's check, the store's
// check of every index and hash chain, and the move into place. Building the
// store takes minutes: go test -run '^$' -bench Restore -benchtime 1x.
func BenchmarkRestore(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("DATALEK_BENCH_BREACHES")); err == nil {
		n = v
	}
	path := filepath.Join(b.TempDir(), DatabaseFile)
	db, err := store.Open(path)
	require.NoError(b, err)
	svc := breach.NewService(db)
	at := saturday.UTC()
	svc.Now = func() time.Time { return at }
	f := breachtest.ExampleFiling(at)
	var next atomic.Int64
	var wg sync.WaitGroup
	building := time.Now()
	for range 64 {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if _, _, err := svc.FileBreach(context.Background(), acme, f, ""); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	require.NoError(b, db.Close())
	identity, recipient := newIdentity(b)
	recipients, err := parseRecipients(recipient)
	require.NoError(b, err)
	backup := filepath.Join(b.TempDir(), "backup.db.age")
	began := time.Now()
	size, err := writeEncrypted(backup, recipients, func(w io.Writer) (int64, error) { return store.SnapshotFile(path, w) })
	require.NoError(b, err)
	b.Logf("%d breaches filed in %s; backup of %d MB written in %s", n, time.Since(building).Round(time.Second), size>>20,
		time.Since(began).Round(time.Millisecond))
	b.ReportMetric(float64(size)/1e6, "MB")
	for b.Loop() {
		target := filepath.Join(b.TempDir(), "data")
		out, err := restore("-in", backup, "-identity", identity, "-data-dir", target)
		require.NoError(b, err, out)
		b.Log(strings.TrimSpace(out))
	}
}
