package main

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 24-character admin secret of one repeated letter was accepted: only its
// length was checked.
func TestWeakAdminTokenIsRefused(t *testing.T) {
	for _, secret := range []string{
		strings.Repeat("a", 24),
		strings.Repeat("ab", 16),
		"abcdefghijklmnopqrstuvwxyz",
		"01234567890123456789012345678901",
		"Password1Password1Password1",
		"dlk_" + strings.Repeat("x9Q", 12),
	} {
		_, err := ParseConfig(nil, env(map[string]string{"DATALEK_ADMIN_TOKEN": secret}), io.Discard)
		require.Error(t, err, "%q", secret)
		assert.Contains(t, oneLine(err), "-admin-token / DATALEK_ADMIN_TOKEN", "%q", secret)
		assert.NotContains(t, err.Error(), secret, "the secret is never repeated")
	}
	for _, secret := range []string{
		"6f1c2a9be0d44b7f93a85c1e27d06b3f4a9c8e21d5f07b62", // openssl rand -hex 24
		"k7Jq2pX9mZ4vB1nR8tW3yL6cF0hD5sG2aE9uQ4iO",
	} {
		_, err := ParseConfig(nil, env(map[string]string{"DATALEK_ADMIN_TOKEN": secret}), io.Discard)
		assert.NoError(t, err, "%q", secret)
	}
}
