package store

// This file holds how the operator secret is kept: under argon2id, a slow
// and memory-hard hash, in the PHC string format, which names its own
// parameters so that they can change without a new layout.

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The argon2id parameters of a new hash: OWASP's recommendation for argon2id
// (46 MiB, one pass, one lane), about 30 ms on one core. Each guess at the
// operator secret costs that, with the stored file as without it; the domain
// lets one guess run at a time.
const (
	argonMemory  = 46 * 1024 // KiB
	argonTime    = 1
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
	argonPrefix  = "$argon2id$"
)

// hashOperatorSecret returns the argon2id hash of secret with a new random
// salt, as $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash> (unpadded base64).
func hashOperatorSecret(secret string) string {
	salt := make([]byte, argonSaltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(secret), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s", argonPrefix, argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// errNotArgon2id is the error of a stored hash that verifyOperatorSecret
// cannot read.
var errNotArgon2id = errors.New("not an argon2id hash")

// verifyOperatorSecret reports whether secret hashes to encoded, with the
// parameters encoded names; the comparison takes the same time whatever
// matches. Parameters beyond what this code writes are refused rather than
// let a damaged record make a check arbitrarily costly.
func verifyOperatorSecret(secret, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$") // "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errNotArgon2id
	}
	var version int
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("argon2id version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil ||
		memory == 0 || memory > 4*argonMemory || time == 0 || time > 16*argonTime || threads == 0 || threads > 16 {
		return false, fmt.Errorf("argon2id parameters %q", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("argon2id salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false, fmt.Errorf("argon2id hash: %v", err)
	}
	got := argon2.IDKey([]byte(secret), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
