package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

const operatorSecret = "6f1c2a9be0d44b7f93a85c1e27d06b3f4a9c8e21d5f07b62"

// tokenKeys returns the keys of tokens/ and what token_ids/ holds for id.
func tokenKeys(t *testing.T, db interface{ Bolt() *bolt.DB }, id string) (keys []string, byID string) {
	t.Helper()
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		byID = string(tx.Bucket([]byte("token_ids")).Get([]byte(id)))
		return tx.Bucket([]byte("tokens")).ForEach(func(k, _ []byte) error {
			keys = append(keys, string(k))
			return nil
		})
	}))
	return keys, byID
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// The operator secret was stored as a fast SHA-256: whoever read the file
// could try billions of guesses a second. It is kept as an argon2id hash now.
func TestOperatorSecretIsStoredWithASlowHash(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	require.NoError(t, svc.BootstrapAdmin(ctx, operatorSecret))

	keys, byID := tokenKeys(t, db, breach.BootstrapTokenID)
	require.Len(t, keys, 1)
	assert.True(t, strings.HasPrefix(keys[0], "$argon2id$v=19$m=47104,t=1,p=1$"), "stored as %q", keys[0])
	assert.Equal(t, keys[0], byID)
	assert.NotContains(t, keys[0], sha256Hex(operatorSecret))
	assert.NotContains(t, keys[0], operatorSecret)

	a, err := svc.Authenticate(ctx, operatorSecret)
	require.NoError(t, err)
	assert.Equal(t, breach.RoleAdmin, a.Role)
	require.NoError(t, svc.BootstrapAdmin(ctx, operatorSecret), "the same secret again")
	again, _ := tokenKeys(t, db, breach.BootstrapTokenID)
	assert.Equal(t, keys, again, "changes nothing")

	// A restarted service knows the secret only from its slow hash.
	fresh, _ := newService(db)
	a, err = fresh.Authenticate(ctx, operatorSecret)
	require.NoError(t, err)
	assert.Equal(t, breach.RoleAdmin, a.Role)
	_, err = fresh.Authenticate(ctx, operatorSecret+"x")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err))
}

// A wrong guess at the operator secret costs an argon2id evaluation, and
// guesses do not run side by side: a flood of them is turned away while one
// is being checked, so it can neither guess fast nor take the machine's
// cores and memory.
func TestOperatorSecretCannotBeGuessedCheaply(t *testing.T) {
	db := MustOpenDB(t)
	svc, _ := newService(db)
	require.NoError(t, svc.BootstrapAdmin(ctx, operatorSecret))
	guesser, _ := newService(db) // has not seen the secret

	began := time.Now()
	_, err := guesser.Authenticate(ctx, "9f1c2a9be0d44b7f93a85c1e27d06b3f4a9c8e21d5f07b62")
	assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err))
	assert.GreaterOrEqual(t, time.Since(began), 5*time.Millisecond, "one guess costs an argon2id evaluation")

	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := guesser.Authenticate(ctx, "0000000000000000000000000000000000000000000000000")
			assert.Equal(t, breach.EUNAUTHORIZED, breach.ErrorCode(err))
		}()
	}
	wg.Wait()
	a, err := svc.Authenticate(ctx, operatorSecret)
	require.NoError(t, err, "the operator, whose secret the service verified, gets in during a flood")
	assert.Equal(t, breach.RoleAdmin, a.Role)
}

// A bootstrap token of layout 3 was stored under the SHA-256 of its secret.
// It keeps working, and the next start with its secret stores it again under
// the slow hash, keeping what it was (revoked or not).
func TestBootstrapTokenOfLayout3IsRehashed(t *testing.T) {
	for _, revoked := range []bool{false, true} {
		db := MustOpenDB(t)
		svc, c := newService(db)
		old := &breach.Token{ID: breach.BootstrapTokenID, Name: "bootstrap", Role: breach.RoleAdmin,
			Hash: sha256Hex(operatorSecret), CreatedAt: start.Add(-time.Hour), CreatedBy: "DATALEK_ADMIN_TOKEN"}
		if revoked {
			old.RevokedAt = ptr(start.Add(-time.Minute))
		}
		require.NoError(t, db.PutToken(ctx, old))
		_, err := svc.Authenticate(ctx, operatorSecret)
		assert.Equal(t, revoked, err != nil, "the layout 3 token works until it is rehashed, unless revoked")

		c.t = start
		err = svc.BootstrapAdmin(ctx, operatorSecret)
		if revoked {
			assert.ErrorIs(t, err, breach.ErrBootstrapRevoked)
		} else {
			require.NoError(t, err)
		}
		keys, _ := tokenKeys(t, db, breach.BootstrapTokenID)
		require.Len(t, keys, 1)
		assert.True(t, strings.HasPrefix(keys[0], "$argon2id$"), "rehashed: %q", keys[0])
		tokens, err := db.ListTokens(ctx)
		require.NoError(t, err)
		require.Len(t, tokens, 1)
		assert.Equal(t, old.CreatedAt, tokens[0].CreatedAt)
		assert.Equal(t, old.RevokedAt, tokens[0].RevokedAt)
		_, err = newServiceAuth(db, operatorSecret)
		assert.Equal(t, revoked, err != nil)
	}
}

// newServiceAuth authenticates secret with a service that has not seen it.
func newServiceAuth(db breach.Store, secret string) (breach.Actor, error) {
	svc := breach.NewService(db)
	return svc.Authenticate(ctx, secret)
}
