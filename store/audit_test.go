package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/breach/breachtest"
	"datalek/store"
)

var auditKey = []byte("a key the database does not hold")

// trailWorld is a store with two breaches filed, an admin's token and
// account changes, and staff reading a breach, on a fixed clock.
type trailWorld struct {
	dir    string
	db     *store.DB
	svc    *breach.Service
	at     time.Time
	filed  []*breach.Breach
	admin  breach.Actor
	staff  breach.Actor
	reader breach.Actor
}

func newTrailWorld(t *testing.T) *trailWorld {
	t.Helper()
	w := &trailWorld{dir: t.TempDir(), at: time.Date(2026, time.November, 23, 10, 0, 0, 0, time.UTC)}
	var err error
	w.db, err = store.Open(filepath.Join(w.dir, "datalek.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.db.Close() })
	w.svc = breach.NewService(w.db)
	w.svc.Now = func() time.Time { return w.at }
	w.svc.AuditKey = auditKey
	ctx := context.Background()
	acme := breach.Actor{TokenID: "acme", Name: "acme", Role: breach.RoleSupplier, Organisation: "Acme BV"}
	for range 2 {
		b, _, err := w.svc.FileBreach(ctx, acme, breachtest.ExampleFiling(w.at), "")
		require.NoError(t, err)
		w.filed = append(w.filed, b)
	}
	w.admin = breach.Actor{TokenID: "op", Name: "beheer", Role: breach.RoleAdmin}
	w.staff = breach.Actor{TokenID: "t-adv", AccountID: "acc-adv", Name: "J. de Vries", Function: "Adviseur Privacy", Role: breach.RoleAdviser}
	w.reader = breach.Actor{TokenID: "api-adv", Name: "koppeling", Role: breach.RoleAdviser}
	return w
}

// heads returns the heads the day's digest mailed, as the text of the mail.
func (w *trailWorld) heads(t *testing.T) string {
	t.Helper()
	queued, err := w.svc.Digest(context.Background())
	require.NoError(t, err)
	require.True(t, queued)
	mails, err := w.db.DueMail(context.Background(), w.at, 100)
	require.NoError(t, err)
	var text strings.Builder
	for _, m := range mails {
		if m.Notice.Kind == breach.NoticeDigest {
			for _, h := range m.Notice.Heads {
				text.WriteString("> " + h.String() + "\n") // as quoted in a reply
			}
		}
	}
	return text.String()
}

// snapshot copies the store to a file and returns its path.
func (w *trailWorld) snapshot(t *testing.T, name string) string {
	t.Helper()
	var snap bytes.Buffer
	_, err := w.db.WriteSnapshot(&snap)
	require.NoError(t, err)
	path := filepath.Join(w.dir, name)
	require.NoError(t, os.WriteFile(path, snap.Bytes(), 0o600))
	return path
}

func TestDigestAnchorsEveryOpenTrail(t *testing.T) {
	w := newTrailWorld(t)
	heads, err := store.ReadHeads(strings.NewReader(w.heads(t)))
	require.NoError(t, err)
	require.Len(t, heads, 2)
	for _, filed := range w.filed {
		b, err := w.db.FindBreach(context.Background(), breach.StaffScope(), filed.ID)
		require.NoError(t, err)
		assert.Contains(t, heads, breach.Head(auditKey, b))
	}
	assert.Empty(t, w.db.HeadProblems(auditKey, heads), "the store matches the heads")

	w.at = w.at.Add(24 * time.Hour)
	w.svc.AuditKey = nil
	_, err = w.svc.Digest(context.Background())
	require.NoError(t, err)
	mails, err := w.db.DueMail(context.Background(), w.at, 100)
	require.NoError(t, err)
	var unanchored bool
	for _, m := range mails {
		if m.Notice.ID == "digest.2026-11-24" {
			unanchored = len(m.Notice.Heads) == 0
		}
	}
	assert.True(t, unanchored, "without a key the digest says the heads are not anchored")
}

// A trail rewritten end to end is consistent in itself: the SHA-256 check
// passes, and only the heads mailed outside name it.
func TestHeadsNameATrailRewrittenEndToEnd(t *testing.T) {
	w := newTrailWorld(t)
	text := w.heads(t)
	// a development after the digest: the head anchors a prefix of the trail
	w.at = w.at.Add(time.Hour)
	staff := breach.Actor{TokenID: "t", Name: "adviseur", Role: breach.RoleAdviser}
	_, err := w.svc.FindStaffBreach(context.Background(), staff, w.filed[0].ID)
	require.NoError(t, err)
	heads, err := store.ReadHeads(strings.NewReader(text))
	require.NoError(t, err)

	good := w.snapshot(t, "good.db")
	bad := w.snapshot(t, "bad.db")
	require.NoError(t, w.db.Close())
	for _, path := range []string{filepath.Join(w.dir, "datalek.db"), good} {
		db, err := store.OpenReadOnly(path)
		require.NoError(t, err)
		assert.Empty(t, db.Problems(), path)
		assert.Empty(t, db.HeadProblems(auditKey, heads), path)
		require.NoError(t, db.Close())
	}

	rewriteTrail(t, bad, w.filed[0].ID)
	db, err := store.OpenReadOnly(bad)
	require.NoError(t, err)
	defer db.Close()
	assert.Empty(t, db.Problems(), "the rewritten chain is consistent in itself")
	problems := db.HeadProblems(auditKey, heads)
	require.Len(t, problems, 1)
	assert.Contains(t, problems[0], "breach "+w.filed[0].Reference)
	assert.Contains(t, problems[0], "rewritten")
	assert.NotEmpty(t, db.HeadProblems([]byte("another key"), heads), "the heads hold only under their key")
}

// rewriteTrail changes who filed breach id, and rehashes its whole trail
// and the breach's head to match, as someone holding the file could.
func rewriteTrail(t *testing.T, path, id string) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	defer bdb.Close()
	require.NoError(t, bdb.Update(func(tx *bolt.Tx) error {
		events := tx.Bucket([]byte("events"))
		prev := ""
		c := events.Cursor()
		prefix := []byte(id + "/")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			data, err := store.Unpack(v)
			require.NoError(t, err)
			var e breach.Event
			require.NoError(t, json.Unmarshal(data, &e))
			if e.Seq == 1 {
				e.Actor.Name = "someone else"
			}
			e.PrevHash = prev
			e.Hash = breach.EventHash(e)
			prev = e.Hash
			data, err = json.Marshal(e)
			require.NoError(t, err)
			require.NoError(t, events.Put(bytes.Clone(k), data))
		}
		breaches := tx.Bucket([]byte("breaches"))
		data, err := store.Unpack(breaches.Get([]byte(id)))
		require.NoError(t, err)
		var rec map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(data, &rec))
		rec["trail_hash"], _ = json.Marshal(prev)
		data, err = json.Marshal(rec)
		require.NoError(t, err)
		return breaches.Put([]byte(id), data)
	}))
}

func TestAccessLogRecordsEachKindOfAccess(t *testing.T) {
	w := newTrailWorld(t)
	ctx := context.Background()
	tok, _, err := w.svc.CreateToken(ctx, w.admin, breach.TokenRequest{Role: breach.RoleAdviser, Name: "koppeling"})
	require.NoError(t, err)
	require.NoError(t, w.svc.RevokeToken(ctx, w.admin, tok.ID))
	acc, _, err := w.svc.InviteAccount(ctx, w.admin, breach.AccountRequest{Email: "k.visser@hetcak.example", Name: "K. Visser", Function: "Jurist", Role: breach.RoleAdviser})
	require.NoError(t, err)
	_, err = w.svc.ChangeAccount(ctx, w.admin, acc.ID, breach.ChangeBlock)
	require.NoError(t, err)
	_, err = w.svc.ChangeAccountRole(ctx, w.admin, acc.ID, breach.RoleController, "")
	require.NoError(t, err)

	b := w.filed[0]
	for range 3 { // the staff page, reloaded: one entry per hour
		_, err = w.svc.FindStaffBreach(ctx, w.staff, b.ID)
		require.NoError(t, err)
	}
	_, err = w.svc.FindBreach(ctx, w.reader, b.ID) // the API, by a staff token
	require.NoError(t, err)
	w.at = w.at.Add(59 * time.Minute)
	_, err = w.svc.FindStaffBreach(ctx, w.staff, b.ID)
	require.NoError(t, err)
	w.at = w.at.Add(2 * time.Minute)
	_, err = w.svc.FindStaffBreach(ctx, w.staff, b.ID)
	require.NoError(t, err)
	acme := breach.Actor{TokenID: "acme", Name: "acme", Role: breach.RoleSupplier, Organisation: "Acme BV"}
	_, err = w.svc.FindBreach(ctx, acme, b.ID) // the reporter's own: not staff
	require.NoError(t, err)

	entries, err := w.svc.AccessEntries(ctx, w.admin)
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, string(e.Kind)+" "+e.Subject+" by "+e.ActorID)
	}
	assert.Equal(t, []string{
		"token.created " + tok.ID + " by op",
		"token.revoked " + tok.ID + " by op",
		"account.changed " + acc.ID + " by op",
		"account.changed " + acc.ID + " by op",
		"account.changed " + acc.ID + " by op",
		"breach.read " + b.ID + " by acc-adv",
		"breach.read " + b.ID + " by api-adv",
		"breach.read " + b.ID + " by acc-adv",
	}, got)
	assert.Equal(t, "role: controller", entries[4].Detail)
	assert.Equal(t, b.Reference, entries[5].Detail)
	assert.Empty(t, w.db.AccessProblems())
	_, err = w.svc.AccessEntries(ctx, w.staff)
	assert.Error(t, err, "the log is an admin's to read")

	// an entry altered in a copy is named
	path := w.snapshot(t, "altered.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, bdb.Update(func(tx *bolt.Tx) error {
		bkt := tx.Bucket([]byte("access_log"))
		k := make([]byte, 8)
		k[7] = 7
		data, err := store.Unpack(bkt.Get(k))
		require.NoError(t, err)
		return bkt.Put(k, bytes.Replace(data, []byte("api-adv"), []byte("someone"), 1))
	}))
	require.NoError(t, bdb.Close())
	db, err := store.OpenReadOnly(path)
	require.NoError(t, err)
	defer db.Close()
	assert.Equal(t, []string{"access log: entry 7 was altered"}, db.AccessProblems())
}
