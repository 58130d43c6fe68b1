package breach

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// The operator secret (DATALEK_ADMIN_TOKEN) is chosen by a person, unlike
// the tokens the service issues, so it is checked for strength before it is
// stored: long, and unpredictable by a crude but honest estimate.
const (
	MinOperatorSecretLength = 24
	MinOperatorSecretBits   = 100
)

// CheckOperatorSecret says why secret is too weak to be the operator secret,
// or nil. It needs at least MinOperatorSecretLength characters and an
// estimated MinOperatorSecretBits bits of entropy (EstimateSecretBits), and
// may not look like an issued token (dlk_…), which is never checked against
// the operator secret. The error is for the operator, in English.
func CheckOperatorSecret(secret string) error {
	n := utf8.RuneCountInString(secret)
	switch bits := EstimateSecretBits(secret); {
	case n < MinOperatorSecretLength:
		return fmt.Errorf("must be at least %d characters", MinOperatorSecretLength)
	case strings.HasPrefix(secret, tokenPrefix):
		return errors.New("must not start with " + tokenPrefix + ", the prefix of issued tokens")
	case bits < MinOperatorSecretBits:
		return fmt.Errorf("too predictable: about %.0f bits of entropy estimated, at least %d needed "+
			"(a repeated character, a sequence or a small alphabet); use a random secret such as the output of openssl rand -hex 32",
			bits, MinOperatorSecretBits)
	}
	return nil
}

// EstimateSecretBits estimates the entropy of secret in bits: its length
// times the Shannon entropy per character of the characters it uses, or of
// the steps between neighbouring characters if that is less. A repeated
// character has no entropy by either measure, "abab…" one bit per character,
// a run such as "abcdef…" or "0123…" none by its steps, and a secret drawn
// from a small alphabet no more than that alphabet allows. It overrates
// words (a passphrase of common words scores as if its letters were
// random), so it is a floor for the obvious mistakes, not a measure of a
// good secret: 32 random hexadecimal digits (openssl rand -hex 16) score
// about 100 to 120 bits, 48 (openssl rand -hex 24) over 150.
func EstimateSecretBits(secret string) float64 {
	runes := []rune(secret)
	if len(runes) == 0 {
		return 0
	}
	chars, steps := map[rune]int{}, map[rune]int{}
	for i, r := range runes {
		chars[r]++
		if i > 0 {
			steps[r-runes[i-1]]++
		}
	}
	perChar := shannon(chars, len(runes))
	if len(runes) > 1 {
		perChar = min(perChar, shannon(steps, len(runes)-1))
	}
	return perChar * float64(len(runes))
}

// shannon is the entropy in bits per symbol of symbols counted n times in all.
func shannon(counts map[rune]int, n int) float64 {
	h := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}
