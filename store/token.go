package store

import (
	"context"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

// PutToken implements breach.TokenStore. Replacing a token removes its old hash,
// so a changed bootstrap secret invalidates the previous one.
func (db *DB) PutToken(ctx context.Context, t *breach.Token) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
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
	})
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
	if err := json.Unmarshal(data, &t); err != nil {
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

// OrganisationExists implements breach.TokenStore. Tokens are few, so they are
// read whole.
func (db *DB) OrganisationExists(ctx context.Context, org string) (bool, error) {
	tokens, err := db.ListTokens(ctx)
	for _, t := range tokens {
		if t.Role == breach.RoleSupplier && t.Organisation == org {
			return true, err
		}
	}
	return false, err
}
