package breach_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
)

func TestCheckOperatorSecret(t *testing.T) {
	for _, tc := range []struct {
		secret string
		weak   bool
	}{
		{strings.Repeat("a", 24), true},                             // one repeated letter, the example
		{strings.Repeat("ab", 12), true},                            // one bit per character
		{"abcdefghijklmnopqrstuvwx", true},                          // a run: no entropy in its steps
		{"zyxwvutsrqponmlkjihgfedcba", true},                        // backwards too
		{"01234567890123456789012345678901", true},                  // digits in a row
		{"10101010101010101010101010101010", true},                  // a small alphabet
		{"Password1Password1Password1", true},                       // about 80 bits
		{"short-but-random-Xq7", true},                              // under 24 characters
		{"dlk_" + strings.Repeat("Zq8v", 8), true},                  // looks like an issued token
		{"6f1c2a9be0d44b7f93a85c1e27d06b3f4a9c8e21d5f07b62", false}, // openssl rand -hex 24
		{"Lw3pX0vQm8sKc2ZrT9yHbN5fJ1gDa7", false},                   // 30 random letters and digits
	} {
		err := breach.CheckOperatorSecret(tc.secret)
		assert.Equal(t, tc.weak, err != nil, "%q: %v (%.0f bits)", tc.secret, err, breach.EstimateSecretBits(tc.secret))
		if err != nil {
			assert.NotContains(t, err.Error(), tc.secret)
		}
	}
}
