package store

// This file holds how keys are encoded: the bucket names, and the byte
// layouts of the keys doc.go draws. Keys that sort are fixed-width big-endian
// integers followed by an ID, never formatted strings, so that bbolt's byte
// order is their time order and a scan can seek to an instant.

import (
	"encoding/base64"
	"encoding/binary"
	"time"

	"datalek/breach"
)

// The buckets of the layout (doc.go). allBuckets is what migrate creates,
// so a new bucket exists before any migration or write needs it.
var (
	bucketMeta        = []byte("meta")
	bucketBreaches    = []byte("breaches")
	bucketEvents      = []byte("events")
	bucketByReceived  = []byte("by_received")
	bucketByOrg       = []byte("by_organisation")
	bucketByDeadline  = []byte("by_deadline")
	bucketIdempotency = []byte("idempotency")
	bucketTokens      = []byte("tokens")
	bucketTokenIDs    = []byte("token_ids")
	bucketAlerts      = []byte("alerts")
	bucketOutbox      = []byte("outbox")
	bucketMailSent    = []byte("mail_sent")
	bucketMailDead    = []byte("mail_dead")
	bucketOutboxDue   = []byte("outbox_due")
	bucketOrgDeadline = []byte("by_organisation_deadline")
	bucketSnapshots   = []byte("snapshots")
	bucketReferences  = []byte("references")
	bucketHolds       = []byte("snapshot_holds")
	bucketMailPruned  = []byte("mail_pruned")
	bucketOrgs        = []byte("organisations")
	bucketAccounts    = []byte("accounts")
	bucketAccountMail = []byte("account_emails")
	bucketAccountLog  = []byte("account_events")
	bucketSessions    = []byte("sessions")
	bucketAccountSess = []byte("account_sessions")
	bucketOpen        = []byte("open_breaches")
	bucketRetention   = []byte("retention_log")
	bucketAccessLog   = []byte("access_log") // audit.go

	allBuckets = [][]byte{bucketMeta, bucketBreaches, bucketEvents, bucketByReceived, bucketByOrg,
		bucketByDeadline, bucketIdempotency, bucketTokens, bucketTokenIDs, bucketAlerts, bucketOutbox, bucketMailSent,
		bucketMailDead, bucketOutboxDue, bucketOrgDeadline, bucketSnapshots, bucketReferences, bucketHolds, bucketMailPruned, bucketOrgs,
		bucketAccounts, bucketAccountMail, bucketAccountLog, bucketSessions, bucketAccountSess, bucketOpen,
		bucketAccessLog, bucketRetention}

	keyLayoutVersion = []byte("layout_version")
)

// u64 encodes v big-endian, so that keys compare as the numbers do.
func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// timeKey encodes an instant as nanoseconds since the epoch, big-endian: a
// key prefix that sorts by time. It holds 1970 to 2262 only: an instant
// before 1970 would wrap and sort last, one after 2262 overflows. The domain
// keeps every stored instant, and every bound of a period the store seeks,
// within breach.EarliestInstant and breach.LatestInstant, inside that range.
func timeKey(t time.Time) []byte { return u64(uint64(t.UnixNano())) }

// receivedKey is a breach's key in by_received and by_organisation/<org>:
// its receipt time, then its ID to keep breaches received at once apart.
func receivedKey(b *breach.Breach) []byte { return append(timeKey(b.ReceivedAt), b.ID...) }

// deadlineKey is a running clock's key in by_deadline, by_organisation_deadline
// and alerts: the instant it is due (or alerts next), the breach ID, and the
// clock, so that one breach can have an entry per clock.
func deadlineKey(id string, d breach.RunningDeadline) []byte {
	k := append(timeKey(d.DueAt), id...)
	return append(append(k, '/'), d.Clock...)
}

// eventKey is an audit event's key: the breach ID, then its sequence number,
// so one breach's trail is a contiguous, ordered range.
func eventKey(id string, seq int) []byte { return append([]byte(id+"/"), u64(uint64(seq))...) }

// snapshotKey is the key of the breach as a change left it, in snapshots/:
// the key of the change's last event, since that event's sequence number is
// the version the change brought the breach to.
func snapshotKey(id string, version int) []byte { return eventKey(id, version) }

// Cursor phases: a deadline listing first walks the running deadlines, then
// the breaches without one.
const (
	phaseDeadline = 'd'
	phaseReceived = 'r'
)

// encodeCursor makes the opaque page cursor of a listing: the phase, then the
// index key of the last breach on the page, which the next page seeks past.
func encodeCursor(phase byte, key []byte) string {
	return base64.RawURLEncoding.EncodeToString(append([]byte{phase}, key...))
}

// decodeCursor reads a cursor made by encodeCursor; the empty cursor is the
// first page. A cursor it cannot read is the caller's mistake: EINVALID.
func decodeCursor(s string) (phase byte, key []byte, err error) {
	if s == "" {
		return 0, nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 2 || (raw[0] != phaseDeadline && raw[0] != phaseReceived) {
		return 0, nil, &breach.Error{Code: breach.EINVALID, Message: "De zoekvraag is niet geldig.",
			Fields: []breach.FieldError{{Field: "cursor", Message: "is geen cursor van een eerdere pagina"}}}
	}
	return raw[0], raw[1:], nil
}
