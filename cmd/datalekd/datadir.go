package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// checkDataDir refuses to start a new database next to the data of an
// earlier one. A datalek.db that is missing or empty (0 bytes) is a new
// register, and would hand out DL-2026-0001 again; that is right on a fresh
// install, whose data directory holds nothing else, and wrong when the
// directory holds mail or other files of an earlier run: then the database
// was lost (a failed restore, a deleted file, a volume mounted wrongly), and
// starting would bury that under new data. Only a file in a subdirectory, or
// a file other than the database itself, counts; empty directories (an
// empty mail folder) and lost+found (the root of a fresh volume) do not.
// Nothing is written before this check.
func checkDataDir(dir string) error {
	path := filepath.Join(dir, DatabaseFile)
	state := "missing"
	switch info, err := os.Stat(path); {
	case err == nil && info.Size() > 0:
		return nil // the store checks the file itself
	case err == nil:
		state = "empty (0 bytes)"
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("data directory: %w", err)
	}
	found, err := earlierData(dir)
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if len(found) == 0 {
		return nil
	}
	return fmt.Errorf("%s is %s, but the data directory holds data of an earlier run (%s): a new database would give out references again "+
		"next to the old ones; restore %s from the latest backup, or, to start a new register on purpose, point DATALEK_DATA_DIR at an empty directory",
		path, state, strings.Join(found, ", "), DatabaseFile)
}

// MarkerFile is written into the data directory once a database is open
// in it. With mail going to a relay, a register leaves no other file
// behind, and a lost datalek.db would look like a fresh install; the marker
// makes checkDataDir refuse that as it refuses one beside old mail.
const MarkerFile = "datalek.register"

// markDataDir writes MarkerFile, unless it is there.
func markDataDir(dir string) error {
	path := filepath.Join(dir, MarkerFile)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	text := "This directory holds a datalek register: " + DatabaseFile + ".\n" +
		"datalekd refuses to start here while " + DatabaseFile + " is missing or empty: restore it from a backup.\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	return nil
}

// earlierData describes what dir holds besides an empty database file,
// empty directories and lost+found: one entry per top-level name, with the
// number of files under it.
func earlierData(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var found []string
	for _, e := range entries {
		name := e.Name()
		if name == DatabaseFile || (name == "lost+found" && e.IsDir()) {
			continue
		}
		if !e.IsDir() {
			found = append(found, name)
			continue
		}
		files := 0
		err := filepath.WalkDir(filepath.Join(dir, name), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files++
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		if files > 0 {
			found = append(found, fmt.Sprintf("%s/ with %d file(s)", name, files))
		}
	}
	slices.Sort(found)
	return found, nil
}
