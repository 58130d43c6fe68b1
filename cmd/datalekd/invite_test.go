package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/store"
)

// The first operator is created from the command line, in the data
// directory's store, with its invitation link printed under the base URL;
// a second run for the same address is refused.
func TestInviteOperator(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // not there yet, as on a fresh machine
	env := map[string]string{"DATALEK_DATA_DIR": dir, "DATALEK_BASE_URL": "https://datalek.cak.example/", "DATALEK_ADMIN_TOKEN": ""}
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	require.NoError(t, inviteOperator([]string{"beheer@hetcak.example", "B. Beheer", "Functioneel beheerder"}, getenv, &out))
	assert.Regexp(t, regexp.MustCompile(`\nhttps://datalek\.cak\.example/uitnodiging/[0-9a-v]{26}\.dlk_[A-Za-z0-9_-]{43}\n$`), out.String())
	err := inviteOperator([]string{"beheer@hetcak.example", "B. Beheer", "Functioneel beheerder"}, getenv, &out)
	assert.ErrorContains(t, err, "al een account")
	assert.ErrorContains(t, inviteOperator([]string{"x"}, getenv, &out), "usage")

	db, err := store.Open(filepath.Join(dir, "datalek.db"))
	require.NoError(t, err)
	defer db.Close()
	acc, err := db.FindAccountByEmail(t.Context(), "beheer@hetcak.example")
	require.NoError(t, err)
	assert.Equal(t, "admin", string(acc.Role))
	assert.Equal(t, "invited", string(acc.Status))
}
