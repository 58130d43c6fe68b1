package store

// People's accounts (since layout 7): the accounts, an index by address,
// the sessions of each account, and the trail of sign-ins and changes.

import (
	"bytes"
	"context"
	"errors"

	bolt "go.etcd.io/bbolt"

	"datalek/breach"
)

func accountNotFound(id string) error {
	return breach.Errorf(breach.ENOTFOUND, "Account %q bestaat niet.", id)
}

// CreateAccount implements breach.AccountStore.
func (db *DB) CreateAccount(ctx context.Context, acc *breach.Account, e breach.AccountEvent, notices ...*breach.Notice) error {
	return db.Commit(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAccountMail).Get([]byte(acc.Email)) != nil {
			return breach.Errorf(breach.ECONFLICT, "Er is al een account met het e-mailadres %s.", acc.Email)
		}
		e.AccountID = acc.ID
		if err := putAccount(tx, acc, &e, nil); err != nil {
			return err
		}
		for _, n := range notices {
			if n != nil {
				if err := enqueue(tx, *n, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// putAccount writes an account, its address in the index, an entry of its
// trail and a mail, as far as given.
func putAccount(tx *bolt.Tx, acc *breach.Account, e *breach.AccountEvent, n *breach.Notice) error {
	if err := putJSON(tx.Bucket(bucketAccounts), []byte(acc.ID), acc); err != nil {
		return err
	}
	if err := tx.Bucket(bucketAccountMail).Put([]byte(acc.Email), []byte(acc.ID)); err != nil {
		return err
	}
	if e != nil {
		if err := appendAccountEvent(tx, *e); err != nil {
			return err
		}
	}
	if n != nil {
		return enqueue(tx, *n, nil)
	}
	return nil
}

// appendAccountEvent adds an entry to the trail, keyed by its time and a
// sequence number, so the trail reads in order.
func appendAccountEvent(tx *bolt.Tx, e breach.AccountEvent) error {
	log := tx.Bucket(bucketAccountLog)
	seq, err := log.NextSequence()
	if err != nil {
		return err
	}
	return putJSON(log, append(timeKey(e.At), u64(seq)...), e)
}

func getAccount(tx *bolt.Tx, id string) (*breach.Account, error) {
	v := tx.Bucket(bucketAccounts).Get([]byte(id))
	if v == nil {
		return nil, accountNotFound(id)
	}
	var acc breach.Account
	return &acc, getJSON(v, &acc)
}

// UpdateAccount implements breach.AccountStore.
func (db *DB) UpdateAccount(ctx context.Context, id string, fn func(*breach.Account) (*breach.AccountEvent, *breach.Notice, error)) (*breach.Account, error) {
	var out *breach.Account
	err := db.Commit(func(tx *bolt.Tx) error {
		acc, err := getAccount(tx, id)
		if err != nil {
			return err
		}
		email := acc.Email
		e, n, err := fn(acc)
		if err != nil {
			return err
		}
		if acc.Email != email {
			return errors.New("store: an account's address does not change")
		}
		if e != nil {
			e.AccountID = acc.ID
		}
		out = acc
		return putAccount(tx, acc, e, n)
	})
	return out, err
}

// FindAccount implements breach.AccountStore.
func (db *DB) FindAccount(ctx context.Context, id string) (*breach.Account, error) {
	var acc *breach.Account
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		acc, err = getAccount(tx, id)
		return err
	})
	return acc, err
}

// FindAccountByEmail implements breach.AccountStore.
func (db *DB) FindAccountByEmail(ctx context.Context, email string) (*breach.Account, error) {
	var acc *breach.Account
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		id := tx.Bucket(bucketAccountMail).Get([]byte(email))
		if id == nil {
			return accountNotFound(email)
		}
		acc, err = getAccount(tx, string(id))
		return err
	})
	return acc, err
}

// errFound ends a walk over a bucket that found what it looked for.
var errFound = errors.New("found")

// FindAccountBySubject implements breach.AccountStore. It reads every
// account: they are people of one organisation, a few hundred at most, and
// a sign-in through the provider is rare next to the pages' requests; an
// index would need a new layout version.
func (db *DB) FindAccountBySubject(ctx context.Context, subject string) (*breach.Account, error) {
	var found *breach.Account
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAccounts).ForEach(func(_, v []byte) error {
			var acc breach.Account
			if err := getJSON(v, &acc); err != nil {
				return err
			}
			if subject != "" && acc.Subject == subject {
				found = &acc
				return errFound
			}
			return nil
		})
	})
	switch {
	case errors.Is(err, errFound):
		return found, nil
	case err != nil:
		return nil, err
	}
	return nil, breach.Errorf(breach.ENOTFOUND, "Er is geen account met deze identiteit.")
}

// ListAccounts implements breach.AccountStore.
func (db *DB) ListAccounts(ctx context.Context) ([]*breach.Account, error) {
	accounts := []*breach.Account{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAccountMail).ForEach(func(_, id []byte) error {
			acc, err := getAccount(tx, string(id))
			accounts = append(accounts, acc)
			return err
		})
	})
	return accounts, err
}

// DeleteAccountSessions implements breach.AccountStore.
func (db *DB) DeleteAccountSessions(ctx context.Context, id string) (int, error) {
	n := 0
	err := db.Commit(func(tx *bolt.Tx) error {
		n = 0
		index, sessions := tx.Bucket(bucketAccountSess), tx.Bucket(bucketSessions)
		prefix := []byte(id + "/")
		var keys [][]byte
		c := index.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys { // not while iterating: bbolt forbids writing to the bucket a cursor walks
			if err := sessions.Delete(k[len(prefix):]); err != nil {
				return err
			}
			if err := index.Delete(k); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// ListAccountEvents implements breach.AccountStore.
func (db *DB) ListAccountEvents(ctx context.Context, id string) ([]breach.AccountEvent, error) {
	events := []breach.AccountEvent{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAccountLog).ForEach(func(k, v []byte) error {
			var e breach.AccountEvent
			if err := getJSON(v, &e); err != nil {
				return err
			}
			if id == "" || e.AccountID == id {
				events = append(events, e)
			}
			return nil
		})
	})
	return events, err
}

// AppendAccountEvent implements breach.AccountStore.
func (db *DB) AppendAccountEvent(ctx context.Context, e breach.AccountEvent) error {
	return db.Commit(func(tx *bolt.Tx) error { return appendAccountEvent(tx, e) })
}

// PutSession implements breach.AccountStore.
func (db *DB) PutSession(ctx context.Context, s *breach.Session) error {
	return db.Commit(func(tx *bolt.Tx) error {
		if err := putJSON(tx.Bucket(bucketSessions), []byte(s.ID), s); err != nil {
			return err
		}
		return tx.Bucket(bucketAccountSess).Put([]byte(s.AccountID+"/"+s.ID), nil)
	})
}

// FindSession implements breach.AccountStore.
func (db *DB) FindSession(ctx context.Context, id string) (*breach.Session, error) {
	var s breach.Session
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get([]byte(id))
		if v == nil {
			return breach.Errorf(breach.ENOTFOUND, "Sessie bestaat niet.")
		}
		return getJSON(v, &s)
	})
	return &s, err
}

// DeleteSession implements breach.AccountStore.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.Commit(func(tx *bolt.Tx) error {
		sessions := tx.Bucket(bucketSessions)
		v := sessions.Get([]byte(id))
		if v == nil {
			return nil
		}
		var s breach.Session
		if err := getJSON(v, &s); err != nil {
			return err
		}
		if err := sessions.Delete([]byte(id)); err != nil {
			return err
		}
		return tx.Bucket(bucketAccountSess).Delete([]byte(s.AccountID + "/" + id))
	})
}

// Passwords implements breach.Passwords with argon2id, as the operator
// secret is kept.
type Passwords struct{}

// HashPassword implements breach.Passwords.
func (Passwords) HashPassword(password string) string { return hashOperatorSecret(password) }

// CheckPassword implements breach.Passwords; a hash it cannot read matches
// no password.
func (Passwords) CheckPassword(password, hash string) bool {
	ok, err := verifyOperatorSecret(password, hash)
	return err == nil && ok
}
