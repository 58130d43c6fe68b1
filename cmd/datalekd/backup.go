package main

// Backups. The running service holds the database file's lock, so a
// consistent copy of a running store is taken by the service itself: with
// DATALEK_BACKUP_DIR set, it writes one on DATALEK_BACKUP_SCHEDULE from a
// read transaction (store.DB.WriteSnapshot, bbolt's Tx.WriteTo), encrypted
// for DATALEK_BACKUP_RECIPIENTS with age, since backups leave the machine,
// and keeps the newest DATALEK_BACKUP_KEEP. "datalekd backup" writes the same
// format from the store of a stopped service.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"

	"datalek/store"
)

// BackupConfig is where and when the service writes its backups, and for
// whom; nil without DATALEK_BACKUP_DIR.
type BackupConfig struct {
	Dir        string
	Schedule   string
	Recipients []age.Recipient
	Keep       int
}

type backupSettings struct{ dir, schedule, recipients, keep string }

func (s *backupSettings) settings() []setting {
	return []setting{
		{"backup-dir", "DATALEK_BACKUP_DIR", "", "folder the service writes its scheduled, encrypted backups to; empty: no scheduled backups", &s.dir},
		{"backup-schedule", "DATALEK_BACKUP_SCHEDULE", "CRON_TZ=Europe/Amsterdam 15 4 * * *", "robfig/cron spec of the scheduled backup (default daily at 04:15, an hour every day has once)", &s.schedule},
		{"backup-recipients", "DATALEK_BACKUP_RECIPIENTS", "", "age public keys (age1…), comma-separated, for whom backups are encrypted", &s.recipients},
		{"backup-keep", "DATALEK_BACKUP_KEEP", "14", "how many scheduled backups to keep in the folder (the oldest go)", &s.keep},
	}
}

// config reads the settings into c; check names a bad one.
func (s *backupSettings) config(c *Config, check func(*string, error) error) error {
	recipients, errRecipients := parseRecipients(s.recipients)
	keep, errKeep := count(s.keep, 1)
	errSchedule := validCron(s.schedule)
	if s.dir != "" && errRecipients == nil && len(recipients) == 0 {
		errRecipients = errors.New("needs at least one age public key with -backup-dir")
	}
	if s.dir != "" {
		c.Backup = &BackupConfig{Dir: s.dir, Schedule: s.schedule, Recipients: recipients, Keep: keep}
	}
	return errors.Join(check(&s.schedule, errSchedule), check(&s.recipients, errRecipients), check(&s.keep, errKeep))
}

// parseRecipients parses age public keys separated by commas or white space.
func parseRecipients(s string) ([]age.Recipient, error) {
	var rs []age.Recipient
	for _, key := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		r, err := age.ParseX25519Recipient(key)
		if err != nil {
			return nil, fmt.Errorf("%q is not an age public key (age1…)", key)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// writeEncrypted writes what snapshot writes, encrypted for recipients, to
// path: through a temporary file beside it, synced and then renamed, so that
// path is either a whole backup or not there.
func writeEncrypted(path string, recipients []age.Recipient, snapshot func(io.Writer) (int64, error)) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	n, err := func() (int64, error) {
		defer tmp.Close()
		enc, err := age.Encrypt(tmp, recipients...)
		if err != nil {
			return 0, err
		}
		n, err := snapshot(enc)
		if err != nil {
			return n, err
		}
		if err := enc.Close(); err != nil {
			return n, err
		}
		return n, tmp.Sync()
	}()
	if err != nil {
		return n, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, err
	}
	return n, syncDir(filepath.Dir(path))
}

// syncDir puts a rename in dir on disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Scheduled backups are named by when they were taken (UTC), so that their
// names sort by age.
const backupPrefix, backupSuffix, backupTime = "datalek-", ".db.age", "20060102T150405Z"

// scheduleBackups adds the scheduled backup to the service's cron.
func (m *Main) scheduleBackups() error {
	if m.Config.Backup == nil {
		return nil
	}
	if err := os.MkdirAll(m.Config.Backup.Dir, 0o700); err != nil {
		return fmt.Errorf("backup folder: %w", err)
	}
	if _, err := m.cron.AddFunc(m.Config.Backup.Schedule, func() { _, _ = m.Backup() }); err != nil {
		return fmt.Errorf("backup schedule: %w", err)
	}
	return nil
}

// Backup writes a backup of the running store to the backup folder and
// removes the oldest beyond the number to keep. It returns the file's path.
func (m *Main) Backup() (string, error) {
	b := m.Config.Backup
	began := time.Now()
	path := filepath.Join(b.Dir, backupPrefix+m.Service.Now().UTC().Format(backupTime)+backupSuffix)
	n, err := writeEncrypted(path, b.Recipients, m.DB.WriteSnapshot)
	if err != nil {
		m.Logger.Error("backup failed", "file", path, "err", err)
		return "", err
	}
	m.Logger.Info("backup written", "file", path, "bytes", n, "took", time.Since(began).Round(time.Millisecond))
	if err := pruneBackups(b.Dir, b.Keep); err != nil {
		m.Logger.Error("removing old backups", "err", err)
	}
	return path, nil
}

// pruneBackups removes the oldest scheduled backups in dir beyond keep.
func pruneBackups(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, backupPrefix) && strings.HasSuffix(name, backupSuffix) && e.Type().IsRegular() {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var errs []error
	for len(names) > keep {
		errs = append(errs, os.Remove(filepath.Join(dir, names[0])))
		names = names[1:]
	}
	return errors.Join(errs...)
}

// commands are the operator's commands besides the service itself.
var commands = map[string]func(args []string, getenv func(string) string, out io.Writer) error{
	"backup": backupCommand, "restore": restoreCommand, "verify": verifyCommand,
}

// runCommand runs a command and returns the process's exit status.
func runCommand(cmd func([]string, func(string) string, io.Writer) error, args []string) int {
	if err := cmd(args, os.Getenv, os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(os.Stderr, "datalekd: "+oneLine(err))
		return 1
	}
	return 0
}

// listFlag is a flag that may be given more than once.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// commandFlags is a command's flag set, with -data-dir defaulting to
// DATALEK_DATA_DIR as the service's does.
func commandFlags(name string, getenv func(string) string, out io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("datalekd "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	dir, ok := lookup(getenv, "DATALEK_DATA_DIR")
	if !ok {
		dir = "./data"
	}
	return fs, fs.String("data-dir", dir, "the data directory [DATALEK_DATA_DIR]")
}

// backupCommand serves "datalekd backup -out FILE -recipient KEY…": a backup
// of the store of a STOPPED service, in the format of the scheduled ones.
// The running service holds the file's lock and writes its own backups
// (DATALEK_BACKUP_DIR); this command then fails after a second.
func backupCommand(args []string, getenv func(string) string, out io.Writer) error {
	fs, dir := commandFlags("backup", getenv, out)
	outFile := fs.String("out", "", "file to write the encrypted backup to")
	var keys listFlag
	fs.Var(&keys, "recipient", "age public key to encrypt for (repeatable; default DATALEK_BACKUP_RECIPIENTS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(keys) == 0 {
		keys = listFlag{getenv("DATALEK_BACKUP_RECIPIENTS")}
	}
	recipients, err := parseRecipients(strings.Join(keys, ","))
	switch {
	case err != nil:
		return fmt.Errorf("-recipient: %w", err)
	case len(recipients) == 0:
		return errors.New("usage: datalekd backup [-data-dir DIR] -out FILE -recipient AGE_PUBLIC_KEY [-recipient …]")
	case *outFile == "":
		return errors.New("-out: name the file to write")
	}
	path := filepath.Join(*dir, DatabaseFile)
	n, err := writeEncrypted(*outFile, recipients, func(w io.Writer) (int64, error) { return store.SnapshotFile(path, w) })
	if err != nil {
		if errors.Is(err, store.ErrInUse) {
			return fmt.Errorf("%w: the running service writes its own backups (DATALEK_BACKUP_DIR); stop it to back up by hand", err)
		}
		return err
	}
	_, err = fmt.Fprintf(out, "Backup of %s written to %s (%s bytes before encryption, for %d recipient(s)).\n",
		path, *outFile, strconv.FormatInt(n, 10), len(recipients))
	return err
}
