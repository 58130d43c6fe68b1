package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// dirSnapshot is every file under a directory with the SHA-256 of its
// content, to show that start-up wrote nothing.
func dirSnapshot(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	files := map[string][32]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = sha256.Sum256(data)
		return err
	}))
	return files
}

// runMain starts the program in-process on dir and returns Run's error; a
// program that started is closed again.
func runMain(t *testing.T, dir string) error {
	t.Helper()
	cfg, err := ParseConfig([]string{"-addr", "127.0.0.1:0", "-data-dir", dir}, env(nil), io.Discard)
	require.NoError(t, err)
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.Now = newTestClock(saturday).Now
	err = m.Run(context.Background())
	if err == nil {
		require.NoError(t, m.Close())
	}
	return err
}

// oldMail puts a mail of an earlier run in dir/mail.
func oldMail(t *testing.T, dir string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, MailDir), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, MailDir, "DL-2026-0001.filed@datalek.eml"), []byte("Subject: [Datalek DL-2026-0001]\r\n\r\n"), 0o600))
}

// A zero-length datalek.db started as an empty store, handing out
// DL-2026-0001 again next to the mails of the old one.
func TestNewDatabaseNextToExistingDataIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, what string
		prepare    func(t *testing.T, dir string)
	}{
		{"empty database file", "empty (0 bytes)", func(t *testing.T, dir string) {
			oldMail(t, dir)
			require.NoError(t, os.WriteFile(filepath.Join(dir, DatabaseFile), nil, 0o600))
		}},
		{"database file gone", "missing", func(t *testing.T, dir string) { oldMail(t, dir) }},
		{"database file emptied after a run that wrote no mail (a relay took it)", "empty (0 bytes)", func(t *testing.T, dir string) {
			require.NoError(t, runMain(t, dir))
			require.NoError(t, os.Truncate(filepath.Join(dir, DatabaseFile), 0))
		}},
		{"database file gone, a backup beside it", "missing", func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "datalek.db.bak"), []byte("x"), 0o600))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.prepare(t, dir)
			before := dirSnapshot(t, dir)
			err := runMain(t, dir)
			require.Error(t, err)
			msg := err.Error()
			assert.NotContains(t, msg, "\n", "one line")
			assert.Contains(t, msg, filepath.Join(dir, DatabaseFile)+" is "+tc.what)
			assert.Contains(t, msg, "restore")
			assert.Contains(t, msg, "DATALEK_DATA_DIR")
			assert.Equal(t, before, dirSnapshot(t, dir), "nothing written")
		})
	}
}

func TestFreshInstallStarts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, dir string)
	}{
		{"empty directory", func(t *testing.T, dir string) {}},
		{"empty database file, nothing else", func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, DatabaseFile), nil, 0o600))
		}},
		{"empty mail folder and lost+found of a fresh volume", func(t *testing.T, dir string) {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, MailDir), 0o700))
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "lost+found"), 0o700))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.prepare(t, dir)
			require.NoError(t, runMain(t, dir))
			require.NoError(t, runMain(t, dir), "and starts again on what it made")
		})
	}
}

// A damaged store file stops the binary with one line on stderr that says
// what is wrong and what to do, and leaves the file as it was; a truncated
// file used to end in a SIGBUS goroutine dump.
func TestDamagedDatabaseStopsWithOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildDatalekd(t)
	withData := func(t *testing.T, dir string) string {
		path := filepath.Join(dir, DatabaseFile)
		m := startMain(t, dir)
		supplier := token(t, m, "supplier", "Acme BV")
		for range 20 {
			status, _ := call(t, m, "POST", "/api/v1/breaches", supplier, crashReport("Melding", saturday))
			require.Equal(t, 201, status)
		}
		require.NoError(t, m.Close())
		return path
	}
	for _, tc := range []struct {
		name    string
		damage  func(t *testing.T, dir string)
		message []string
	}{
		{"truncated", func(t *testing.T, dir string) {
			path := withData(t, dir)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			// Half the pages in use, by the meta page: the page size is at
			// byte 24 and the high-water mark (pages in use) at byte 56.
			pageSize, pages := binary.NativeEndian.Uint32(data[24:]), binary.NativeEndian.Uint64(data[56:])
			require.NoError(t, os.Truncate(path, int64(pages/2)*int64(pageSize)))
		}, []string{"cut short", "restore datalek.db from the latest backup"}},
		{"newer layout", func(t *testing.T, dir string) {
			path := withData(t, dir)
			bdb, err := bolt.Open(path, 0o600, nil)
			require.NoError(t, err)
			require.NoError(t, bdb.Update(func(tx *bolt.Tx) error {
				return tx.Bucket([]byte("meta")).Put([]byte("layout_version"), []byte("99"))
			}))
			require.NoError(t, bdb.Close())
		}, []string{"layout version 99", "run that newer version"}},
		{"not a database", func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, DatabaseFile), bytes.Repeat([]byte("geen database\n"), 1000), 0o600))
		}, []string{"not a datalek database", "restore"}},
		{"empty file next to old mail", func(t *testing.T, dir string) {
			oldMail(t, dir)
			require.NoError(t, os.WriteFile(filepath.Join(dir, DatabaseFile), nil, 0o600))
		}, []string{"is empty (0 bytes)", "restore"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.damage(t, dir)
			before := dirSnapshot(t, dir)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin)
			cmd.Env = append(os.Environ(), "DATALEK_DATA_DIR="+dir, "DATALEK_ADDR=127.0.0.1:0")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "stderr: %s", stderr.String())
			assert.Equal(t, 1, exit.ExitCode(), "stderr: %s", stderr.String())
			out := strings.TrimSpace(stderr.String())
			assert.NotContains(t, out, "\n", "one line")
			assert.NotContains(t, out, "goroutine")
			assert.Contains(t, out, DatabaseFile)
			for _, m := range tc.message {
				assert.Contains(t, out, m)
			}
			assert.Equal(t, before, dirSnapshot(t, dir), "nothing written")
		})
	}
}
