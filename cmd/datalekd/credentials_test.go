package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The secrets come from files named by DATALEK_*_FILE, as systemd's
// credentials, Compose secrets and Kubernetes Secrets provide them.
func TestSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	token := "6f1c2a9be0d44b7f93a85c1e27d06b3f4a9c8e21d5f07b62"
	c, err := ParseConfig(nil, env(map[string]string{
		"DATALEK_ADMIN_TOKEN_FILE": write("admin-token", token+"\n"),
		"DATALEK_SMTP_URL_FILE":    write("smtp-url", "smtp://user:s3cret@relay.example:587?tls=starttls\n"),
	}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, token, c.AdminToken)
	assert.Equal(t, "smtp://user:s3cret@relay.example:587?tls=starttls", c.SMTPURL)

	// A flag still wins over the file, as over the variable.
	c, err = ParseConfig([]string{"-admin-token", "k7Jq2pX9mZ4vB1nR8tW3yL6cF0hD5sG2aE9uQ4iO"},
		env(map[string]string{"DATALEK_ADMIN_TOKEN_FILE": write("admin-token", token)}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "k7Jq2pX9mZ4vB1nR8tW3yL6cF0hD5sG2aE9uQ4iO", c.AdminToken)
}

func TestSecretFileErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	secret := filepath.Join(dir, "secret")
	require.NoError(t, os.WriteFile(secret, []byte("6f1c2a9be0d44b7f93a85c1e27d06b3f4a9c8e21d5f07b62"), 0o600))
	for name, vars := range map[string]map[string]string{
		"missing": {"DATALEK_ADMIN_TOKEN_FILE": filepath.Join(dir, "nothing")},
		"empty":   {"DATALEK_ADMIN_TOKEN_FILE": empty},
		"both":    {"DATALEK_ADMIN_TOKEN_FILE": secret, "DATALEK_ADMIN_TOKEN": "k7Jq2pX9mZ4vB1nR8tW3yL6cF0hD5sG2aE9uQ4iO"},
	} {
		_, err := ParseConfig(nil, env(vars), io.Discard)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "DATALEK_ADMIN_TOKEN_FILE", name)
		assert.NotContains(t, err.Error(), "6f1c2a9be0d44b7f93a85c1e27d06b3f4a9c8e21d5f07b62", name)
		assert.NotContains(t, err.Error(), "k7Jq2pX9mZ4vB1nR8tW3yL6cF0hD5sG2aE9uQ4iO", name)
	}
}
