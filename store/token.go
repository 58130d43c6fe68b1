package store

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// PutToken implements breach.TokenStore. Replacing a token removes its old hash,
// so a changed bootstrap secret invalidates the previous one.
func (db *DB) PutToken(ctx context.Context, t *breach.Token) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return putToken(tx, t) })
}

func putToken(tx *bolt.Tx, t *breach.Token) error {
	ids, tokens := tx.Bucket(bucketTokenIDs), tx.Bucket(bucketTokens)
	if old := ids.Get([]byte(t.ID)); old != nil {
		if err := tokens.Delete(old); err != nil {
			return err
		}
	}
	if err := putJSON(tokens, []byte(t.Hash), t); err != nil {
		return err
	}
	return ids.Put([]byte(t.ID), []byte(t.Hash))
}

// PutBootstrapToken implements breach.Store: the token is stored under the
// argon2id hash of secret (hashOperatorSecret), computed before the
// transaction so that no writer waits for it.
func (db *DB) PutBootstrapToken(ctx context.Context, t *breach.Token, secret string) error {
	if t.ID != breach.BootstrapTokenID {
		return fmt.Errorf("token %s: only the bootstrap token is kept under a slow hash", t.ID)
	}
	stored := *t
	stored.Hash = hashOperatorSecret(secret)
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return putToken(tx, &stored) }); err != nil {
		return err
	}
	t.Hash = stored.Hash
	return nil
}

// FindBootstrapToken implements breach.Store. It reads the bootstrap token's
// key and record in a read transaction and checks secret against the key
// after it: the check is slow (verifyOperatorSecret). A bootstrap token
// stored before layout 4 has a SHA-256 key and is not found here, but by
// FindTokenByHash.
func (db *DB) FindBootstrapToken(ctx context.Context, secret string) (*breach.Token, error) {
	var t *breach.Token
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		key := tx.Bucket(bucketTokenIDs).Get([]byte(breach.BootstrapTokenID))
		if key == nil || !bytes.HasPrefix(key, []byte(argonPrefix)) {
			return tokenNotFound("")
		}
		t, err = getToken(tx, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	ok, err := verifyOperatorSecret(secret, t.Hash)
	switch {
	case err != nil:
		return nil, fmt.Errorf("token %s: %w", t.ID, err)
	case !ok:
		return nil, tokenNotFound("")
	}
	return t, nil
}

func tokenNotFound(what string) error {
	return breach.Errorf(breach.ENOTFOUND, "Token %q bestaat niet.", what)
}

func getToken(tx *bolt.Tx, hash []byte) (*breach.Token, error) {
	data := tx.Bucket(bucketTokens).Get(hash)
	if data == nil {
		return nil, tokenNotFound("")
	}
	var t breach.Token
	if err := getJSON(data, &t); err != nil {
		return nil, err
	}
	t.Hash = string(hash)
	return &t, nil
}

// FindTokenByHash implements breach.TokenStore.
func (db *DB) FindTokenByHash(ctx context.Context, hash string) (*breach.Token, error) {
	var t *breach.Token
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		t, err = getToken(tx, []byte(hash))
		return err
	})
	return t, err
}

// ListTokens implements breach.TokenStore.
func (db *DB) ListTokens(ctx context.Context) ([]*breach.Token, error) {
	tokens := []*breach.Token{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokenIDs).ForEach(func(_, hash []byte) error {
			t, err := getToken(tx, hash)
			if err == nil {
				tokens = append(tokens, t)
			}
			return err
		})
	})
	return tokens, err
}

// RevokeToken implements breach.TokenStore. Revoking twice keeps the first time.
func (db *DB) RevokeToken(ctx context.Context, id string, at time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		hash := tx.Bucket(bucketTokenIDs).Get([]byte(id))
		if hash == nil {
			return tokenNotFound(id)
		}
		t, err := getToken(tx, hash)
		if err != nil {
			return err
		}
		if t.RevokedAt == nil {
			t.RevokedAt = &at
		}
		return putJSON(tx.Bucket(bucketTokens), hash, t)
	})
}

// TokenUsed implements breach.TokenStore, in a group commit: requests with
// a token write at most once a minute each (breach.TokenUseInterval).
func (db *DB) TokenUsed(ctx context.Context, id string, at time.Time) error {
	return db.Commit(func(tx *bolt.Tx) error {
		hash := tx.Bucket(bucketTokenIDs).Get([]byte(id))
		if hash == nil {
			return tokenNotFound(id)
		}
		t, err := getToken(tx, hash)
		if err != nil || t.LastUsedAt != nil && !at.After(*t.LastUsedAt) {
			return err
		}
		t.LastUsedAt = &at
		return putJSON(tx.Bucket(bucketTokens), hash, t)
	})
}

// PutOrganisation implements breach.OrganisationStore.
func (db *DB) PutOrganisation(ctx context.Context, o *breach.Organisation) error {
	return db.Commit(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketOrgs), []byte(o.Name), o) })
}

// FindOrganisation implements breach.OrganisationStore.
func (db *DB) FindOrganisation(ctx context.Context, name string) (*breach.Organisation, error) {
	var o *breach.Organisation
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketOrgs).Get([]byte(name))
		if v == nil {
			return breach.Errorf(breach.ENOTFOUND, "Verwerker %q bestaat niet.", name)
		}
		o = &breach.Organisation{}
		return getJSON(v, o)
	})
	return o, err
}

// ListOrganisations implements breach.OrganisationStore: organisations
// are few (the controller's suppliers).
func (db *DB) ListOrganisations(ctx context.Context) ([]*breach.Organisation, error) {
	orgs := []*breach.Organisation{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOrgs).ForEach(func(k, v []byte) error {
			o := &breach.Organisation{}
			if err := getJSON(v, o); err != nil {
				return fmt.Errorf("organisation %s: %w", k, err)
			}
			orgs = append(orgs, o)
			return nil
		})
	})
	return orgs, err
}
