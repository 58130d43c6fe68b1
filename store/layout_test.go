package store_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/store"
)

var update = flag.Bool("update", false, "write the golden files of a new stored layout in testdata/layout/v<LayoutVersion>")

// goldenBuckets are the buckets whose stored form the golden files hold: a
// renamed tag in any of them makes existing files unreadable, and a changed
// key or value encoding does the same. The index buckets hold empty values
// under keys drawn in doc.go.
var goldenBuckets = []string{"meta", "breaches", "events", "snapshots", "snapshot_holds", "outbox", "mail_sent", "mail_dead",
	"mail_pruned", "idempotency", "tokens", "token_ids", "references", "organisations", "accounts", "account_emails", "account_events",
	"sessions", "account_sessions", "access_log"}

// goldenDir holds the golden files of the current layout version; those of
// earlier versions stay beside it, as what files of that version held.
var goldenDir = filepath.Join("testdata", "layout", fmt.Sprintf("v%d", store.LayoutVersion))

// The golden breach has a fixed ID and fixed times, and every field filled,
// so that every JSON tag of the stored types appears in the golden files.
// It is built here rather than by the domain, which draws IDs at random and
// decides for itself which events and mails a change causes: the golden files
// change when the stored layout changes, not when a rule does. Its audit
// trail's hashes are placeholders, so Check does not hold for it.
const goldenID = "0golden0breach000000000001"

var golden = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func goldenAt(d time.Duration) time.Time { return golden.Add(d) }

func goldenActor() breach.Actor {
	return breach.Actor{TokenID: "tok-acme", Name: "acme-prod", Role: breach.RoleSupplier, Organisation: "Acme BV"}
}

func goldenBreach() *breach.Breach {
	return &breach.Breach{
		ID: goldenID, Reference: "DL-2026-K7QM4", Organisation: "Acme BV", Stage: breach.StageComplete, Status: breach.StatusClosed,
		ReceivedAt: golden, CompletedAt: ptr(golden), AwareAt: goldenAt(time.Hour), UpdatedAt: goldenAt(50 * time.Hour),
		Report: breach.Report{
			Title: "Brieven naar verkeerd adres verstuurd", DetectedAt: goldenAt(-time.Hour), StartedAt: ptr(goldenAt(-2 * time.Hour)),
			Ongoing: ptr(false), Cause: "Adresbestand verkeerd gekoppeld", PersonalData: []string{"naam", "bsn"},
			SubjectsMin: ptr(120), SubjectsMax: ptr(150),
			SentItems:       []breach.SentItem{{Description: "Beschikking eigen bijdrage", Channel: "post", Count: ptr(150)}},
			ItemDisposition: breach.DispositionPartlyReturned, Measures: "Printstraat stilgezet",
			Reporter:          breach.Reporter{Name: "J. Jansen", Function: "Security officer", Email: "j.jansen@acme.example", Phone: "+31 6 12345678"},
			ContractReference: "INK25.005",
		},
		Updates: []breach.Update{{Seq: 1, ReceivedAt: goldenAt(2 * time.Hour), By: "acme-prod (supplier, Acme BV)",
			Message: "Alle brieven terug", ChangedFields: []string{"item_disposition"}}},
		Alerting: breach.Alerting{
			Processor: breach.AlertState{AlertedUntil: golden, NextAt: ptr(goldenAt(18 * time.Hour))},
			Authority: breach.AlertState{AlertedUntil: goldenAt(time.Hour), NextAt: ptr(goldenAt(49 * time.Hour))},
			Subjects:  breach.AlertState{AlertedUntil: goldenAt(6 * time.Hour), NextAt: ptr(goldenAt(78 * time.Hour))},
		},
		Assessments: []breach.Assessment{{Seq: 1, AssessedAt: goldenAt(3 * time.Hour), By: "adviseur (adviser)",
			BreachTypes: []breach.BreachType{breach.TypeConfidentiality}, DPC: 3, DPCDefault: 2, DPCReason: "bsn",
			EI: "limited", CB: breach.Circumstances{Confidentiality: "limited", Integrity: "none", Availability: "none", Malicious: true},
			Unintelligible: true, Consequences: "Ontvangers zien naam en bsn", Risk: breach.RiskSome, Reasoning: "Beperkt verspreid",
			Severity: breach.Severity{Score: 2.25, Level: breach.SeverityMedium}, Recommendation: breach.RecommendNotifyAuthority,
			DPCAdjustments:     []breach.DPCAdjustment{{Factor: breach.FactorContext, Change: 1, Reason: "Cliënt van het CAK"}},
			RestoredFromBackup: true, RecipientTrusted: true, Rules: []breach.AdviceRule{breach.RuleSeverity},
			Flags: []breach.AdviceFlag{breach.FlagManySubjects}, DeviationReason: "Toch melden",
			APFacts: &breach.APFacts{Nature: []breach.APNature{breach.NatureRead}, CauseCategory: breach.CauseWrongAddress,
				RecordsMin: ptr(150), RecordsMax: ptr(180), Groups: []breach.SubjectGroup{breach.GroupClients},
				Damage: []breach.DamageKind{breach.DamageIdentity}, SpecialData: ptr(false), Protection: "Niet versleuteld", KeyCompromised: ptr(false),
				EndedAt: ptr(goldenAt(-30 * time.Minute)), SubProcessorInvolved: ptr(true), SubProcessor: "Drukkerij BV",
				PoliceReported: ptr(false), OtherAuthorities: "Geen", CrossBorder: ptr(true), EUAuthorities: "CNIL"}}},
		Questions: []breach.Question{{ID: "q1", Question: "Zijn alle brieven terug?", AskedAt: goldenAt(4 * time.Hour),
			AskedBy: "adviseur (adviser)", DueAt: goldenAt(28 * time.Hour), Answer: "Ja", AnsweredAt: ptr(goldenAt(5 * time.Hour)),
			AnsweredBy: "acme-prod (supplier, Acme BV)", Alerting: breach.AlertState{AlertedUntil: goldenAt(4 * time.Hour), NextAt: ptr(goldenAt(22 * time.Hour))}}},
		Decisions: []breach.Decision{{Seq: 1, DecidedAt: goldenAt(6 * time.Hour), By: "verantwoordelijke (controller)",
			NotifyAuthority: true, AuthorityReasoning: "Risico", InformSubjects: "no", SubjectsExemption: "measures",
			SubjectsReasoning: "Brieven terug"}},
		AuthorityNotifications: []breach.AuthorityNotification{{Seq: 1, Phase: "initial", SubmittedAt: goldenAt(7 * time.Hour),
			Reference: "AP-123", Note: "Gemeld", DelayReason: "Geen", Reason: "Risico", EarlyReason: "Zelf ontdekt", RecordedAt: goldenAt(8 * time.Hour),
			By: "verantwoordelijke (controller)"}},
		SubjectCommunications: []breach.SubjectCommunication{{Seq: 1, SentAt: goldenAt(9 * time.Hour), Channel: breach.SubjectLetter,
			Reached: 150, Text: "Beste heer, mevrouw,", RecordedAt: goldenAt(10 * time.Hour), By: "verantwoordelijke (controller)"}},
		AwarenessMoves: []breach.AwarenessMove{{From: golden, To: goldenAt(time.Hour), Reason: "Gebeld", MovedAt: goldenAt(2 * time.Hour),
			By: "adviseur (adviser)"}},
		OtherControllers: []breach.OtherController{{Name: "Gemeente X", Contact: "privacy@x.example"}},
		Closure:          &breach.Closure{Outcome: "handled", Reason: "Afgehandeld", ClosedAt: goldenAt(50 * time.Hour), By: "adviseur (adviser)"},
		Version:          3,
		TrailHash:        "hash-3",
	}
}

// goldenEvents is the golden breach's trail; its hashes are placeholders.
func goldenEvents(b *breach.Breach) []breach.Event {
	report, err := json.Marshal(b.Report)
	if err != nil {
		panic(err)
	}
	a := goldenActor()
	return []breach.Event{
		{BreachID: goldenID, Seq: 1, At: golden, Actor: a, Action: breach.ActionFiled,
			Changes: []breach.Change{{Field: "report", Old: json.RawMessage("null"), New: report}}, Hash: "hash-1"},
		{BreachID: goldenID, Seq: 2, At: goldenAt(2 * time.Hour), Actor: a, Action: breach.ActionUpdated, Message: "Alle brieven terug",
			Changes:  []breach.Change{{Field: "item_disposition", Old: json.RawMessage(`"unknown"`), New: json.RawMessage(`"partly_returned"`)}},
			PrevHash: "hash-1", Hash: "hash-2"},
		{BreachID: goldenID, Seq: 3, At: goldenAt(50 * time.Hour), Actor: breach.Actor{TokenID: "tok-adv", Name: "adviseur", Role: breach.RoleAdviser},
			Action: breach.ActionClosed, PrevHash: "hash-2", Hash: "hash-3"},
	}
}

// goldenNotices are mails of the golden breach's change that, between them,
// fill every field of a stored notice but the breach (its snapshot).
func goldenNotices(b *breach.Breach) []breach.Notice {
	a := goldenActor()
	mailbox, thread := []string{"datalekken@example.org"}, goldenID+".1.filed"
	return []breach.Notice{
		{ID: thread, Kind: breach.NoticeFiled, Audience: breach.AudienceMailbox, To: mailbox, At: golden, Actor: &a},
		{ID: goldenID + ".1.acknowledged", Kind: breach.NoticeAcknowledged, Audience: breach.AudienceReporter, To: []string{b.Reporter.Email}, At: golden, Actor: &a},
		{ID: goldenID + ".2.updated", Kind: breach.NoticeUpdated, Audience: breach.AudienceMailbox, To: mailbox, ThreadID: thread, At: goldenAt(2 * time.Hour), Actor: &a,
			Update: &b.Updates[0], Changes: goldenEvents(b)[1].Changes},
		{ID: goldenID + ".3.alert.question_overdue", Kind: breach.NoticeAlert, Audience: breach.AudienceMailbox, To: mailbox, ThreadID: thread, At: goldenAt(28 * time.Hour),
			Alert: &breach.Alert{Kind: breach.AlertQuestionOverdue, Clock: "question:q1", At: goldenAt(28 * time.Hour), DueAt: goldenAt(28 * time.Hour),
				Collapsed: 2, QuestionID: "q1"},
			Question: &b.Questions[0]},
		{ID: goldenID + ".3.notification", Kind: breach.NoticeNotification, Audience: breach.AudienceMailboxForReporter, To: mailbox, ThreadID: thread, At: goldenAt(8 * time.Hour),
			Actor: &a, Reason: "Risico", Notification: &b.AuthorityNotifications[0], Communication: &b.SubjectCommunications[0]},
	}
}

// writeGoldenLayout writes the golden breach, its trail and its mails through
// the store, then takes the mails through every state a stored mail has:
// sent, failed and waiting, refused with a bounce, refused and waiting, sent
// and pruned, and the digest, a mail about no single breach, set aside and
// resent.
func writeGoldenLayout(t *testing.T, db *store.DB) {
	t.Helper()
	b := goldenBreach()
	idem := &breach.Idempotency{Scope: "org:Acme BV", Key: "acme-incident-2026-117", Fingerprint: "f1ngerpr1nt",
		BreachID: goldenID, CreatedAt: golden}
	_, err := db.CreateBreachWithTrail(b, goldenEvents(b), goldenNotices(b), idem)
	require.NoError(t, err)
	require.NoError(t, db.PutToken(ctx, &breach.Token{ID: "tok-acme", Name: "acme-prod", Role: breach.RoleSupplier,
		Organisation: "Acme BV", Hash: "5ha256hex0f7hesecret", CreatedAt: goldenAt(-24 * time.Hour), CreatedBy: "bootstrap (admin)"}))
	require.NoError(t, db.TokenUsed(ctx, "tok-acme", goldenAt(59*time.Hour)))
	require.NoError(t, db.RevokeToken(ctx, "tok-acme", goldenAt(60*time.Hour)))
	require.NoError(t, db.PutOrganisation(ctx, &breach.Organisation{Name: "Acme BV", ContractReferences: []string{"INK25.005"},
		ContactOfficial: &breach.Contact{Name: "K. Visser", Function: "contractmanager", Email: "k.visser@hetcak.example", Phone: "070 111 2222"},
		Contacts:        []breach.Contact{{Name: "J. Jansen", Function: "Security officer", Email: "j.jansen@acme.example"}},
		SubProcessors:   []string{"Drukkerij Noord"}, Activities: []string{"Printen en versturen van beschikkingen"},
		UpdatedAt: goldenAt(-time.Hour), UpdatedBy: "bootstrap (admin)"}))
	digest := breach.Notice{ID: "digest.2026-11-21", Kind: breach.NoticeDigest, Audience: breach.AudienceMailbox, To: []string{"datalekken@example.org"},
		At: goldenAt(24 * time.Hour), Breaches: []*breach.Breach{goldenBreach()},
		Heads: []breach.ChainHead{{Reference: "DL-2026-K7QM4", Events: 12, Anchor: "9f3a0c1d2e4b5a6978877665544332211"[:breach.AnchorLen]}}}
	queued, err := db.EnqueueNotice(ctx, digest, "digest/2026-11-21")
	require.NoError(t, err)
	require.True(t, queued)
	access := breach.Notice{ID: "staff-access.token/0golden", Kind: breach.NoticeStaffAccess, Audience: breach.AudienceMailbox,
		To: []string{"datalekken@example.org"}, At: goldenAt(25 * time.Hour), Actor: ptr(goldenActor()),
		StaffAccess: &breach.StaffAccessNotice{Holder: "controle", Means: breach.AccessToken, Role: breach.RoleAdviser}}
	queued, err = db.EnqueueNotice(ctx, access, "staff-access/token/0golden")
	require.NoError(t, err)
	require.True(t, queued)

	require.NoError(t, db.MarkSent(ctx, []uint64{1}, goldenAt(time.Minute)))
	bounced := goldenNotices(b)[1]
	require.NoError(t, db.MarkDead(ctx, 2, goldenAt(2*time.Minute), "550 no such user", &breach.Notice{
		ID: bounced.ID + ".bounce", Kind: breach.NoticeBounce, Audience: breach.AudienceMailbox, To: []string{"datalekken@example.org"},
		ThreadID: goldenID + ".1.filed", At: goldenAt(2 * time.Minute), Reason: "550 no such user", Bounced: &bounced}))
	require.NoError(t, db.MarkFailed(ctx, 3, goldenAt(time.Hour), "421 try again later"))
	require.NoError(t, db.MarkRefused(ctx, 5, goldenAt(2*time.Hour), "550 mailbox unavailable"))
	require.NoError(t, db.MarkDead(ctx, 6, goldenAt(2*time.Minute), "554 relay access denied", nil))
	require.NoError(t, db.ResendDead(ctx, 6, goldenAt(3*time.Hour)))
	require.NoError(t, db.MarkSent(ctx, []uint64{4}, goldenAt(3*time.Minute)))
	pruned, err := db.PruneSentMail(ctx, goldenAt(2*time.Minute), goldenAt(time.Hour), 10)
	require.NoError(t, err)
	require.Equal(t, 1, pruned, "the mail sent before, not the one after")

	acc := &breach.Account{ID: "0golden0account00000000001", Email: "j.jansen@acme.example", Name: "J. Jansen", Function: "Security officer",
		Role: breach.RoleSupplier, Organisation: "Acme BV", Status: breach.AccountActive, Subject: "https://login.acme.example|4711",
		PasswordHash: "$argon2id$v=19$m=47104,t=1,p=1$c2FsdA$aGFzaA", CodeSecret: "JBSWY3DPEHPK3PXP", CodeEnrolledAt: ptr(goldenAt(time.Hour)),
		LastCodeStep: 59003131, RecoveryCodes: []string{"5ha256hex0fac0de"},
		Invitation:    &breach.Invitation{Hash: "5ha256hex0f7heinvitation", ExpiresAt: goldenAt(72 * time.Hour)},
		FailedSignIns: 2, LockedUntil: ptr(goldenAt(2 * time.Hour)), CreatedAt: golden, CreatedBy: "Beheerder, beheerder", UpdatedAt: goldenAt(time.Hour),
		Draft: &breach.Draft{Organisation: "Acme BV", SavedAt: goldenAt(time.Hour), Form: json.RawMessage(`{"title":"Brieven"}`)}}
	invitation := breach.Notice{ID: "invitation.0golden", Kind: breach.NoticeInvitation, Audience: breach.AudienceAccount, To: []string{acc.Email},
		At: golden, Invitation: &breach.InvitationNotice{Name: acc.Name, Link: "/uitnodiging/0golden0account00000000001.dlk_secret",
			ExpiresAt: goldenAt(72 * time.Hour)}}
	require.NoError(t, db.CreateAccount(ctx, acc, breach.AccountEvent{At: golden, Action: breach.AccountInvitedEvent, By: "Beheerder, beheerder",
		Client: "192.0.2.1", Reason: "geen"}, &invitation))
	for _, e := range []breach.AccessEntry{{At: goldenAt(time.Hour), Actor: "Beheerder (admin)", ActorID: "bootstrap-admin", Kind: breach.AccessTokenCreated,
		Subject: "tok-acme", Detail: "supplier, Acme BV: acme-prod"}, {At: goldenAt(2 * time.Hour), Actor: "J. de Vries, Adviseur Privacy",
		ActorID: "0golden0account00000000002", Kind: breach.AccessBreachRead, Subject: goldenID, Detail: "DL-2026-K7QM4"}} {
		_, err := db.RecordAccess(ctx, e, 0)
		require.NoError(t, err)
	}
	require.NoError(t, db.PutSession(ctx, &breach.Session{ID: "0golden0session00000000001", Hash: "5ha256hex0f7hecookie", AccountID: acc.ID,
		Stage: breach.StageSignedIn, CreatedAt: goldenAt(time.Hour), SeenAt: goldenAt(90 * time.Minute)}))
}

// storedRecord is a record as the golden files show it: its key, with the
// bytes that are not printable written as \xNN, and its value: as JSON
// when it is (a compressed record decompressed, with the ID of the
// dictionary its frame names), else as bytes written the same way.
type storedRecord struct {
	Key        string          `json:"key"`
	Dictionary *uint32         `json:"zstd_dictionary,omitempty"`
	Value      json.RawMessage `json:"value,omitempty"`
	Bytes      *string         `json:"bytes,omitempty"`
}

func printableKey(k []byte) string {
	var s strings.Builder
	for _, c := range k {
		if c >= ' ' && c <= '~' && c != '\\' {
			s.WriteByte(c)
		} else {
			fmt.Fprintf(&s, `\x%02x`, c)
		}
	}
	return s.String()
}

// readBucket returns a bucket's records, in key order, as indented JSON.
func readBucket(t *testing.T, db *store.DB, name string) []byte {
	t.Helper()
	records := []storedRecord{}
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(name)).ForEach(func(k, v []byte) error {
			r := storedRecord{Key: printableKey(k)}
			var frame zstd.Header
			if frame.Decode(v) == nil {
				r.Dictionary = &frame.DictionaryID
				var err error
				if v, err = store.Unpack(v); err != nil {
					return err
				}
			}
			if json.Valid(v) {
				r.Value = append(json.RawMessage(nil), v...)
			} else {
				b := printableKey(v)
				r.Bytes = &b
			}
			records = append(records, r)
			return nil
		})
	}))
	data, err := json.MarshalIndent(records, "", "  ")
	require.NoError(t, err)
	return append(data, '\n')
}

// TestStoredLayout pins the stored JSON of every record: a renamed, removed
// or added tag changes what is on disk, and files written before cannot be
// read as they were. Run with -update to rewrite the golden files, after the
// layout version is bumped and a migration added.
func TestStoredLayout(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "datalek.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	writeGoldenLayout(t, db)

	if *update {
		_, err := os.Stat(goldenDir)
		require.True(t, os.IsNotExist(err), "%s exists: a layout version's golden files are what files of that version hold, "+
			"and do not change; bump LayoutVersion (with a migration) for a new layout, or remove %s only if layout %d never shipped",
			goldenDir, goldenDir, store.LayoutVersion)
	}
	for _, name := range goldenBuckets {
		path := filepath.Join(goldenDir, name+".json")
		got := readBucket(t, db, name)
		if *update {
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, got, 0o644))
			continue
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "no golden file: run go test ./store/ -run TestStoredLayout -update")
		if string(want) != string(got) {
			assert.Fail(t, fmt.Sprintf("%s: a stored JSON tag or encoding changed (layout version %d). Bump LayoutVersion, "+
				"add a migration in migrate.go (with a test), then run go test ./store/ -run TestStoredLayout -update", name, store.LayoutVersion),
				"%s, - golden, + stored now:\n%s", path, lineDiff(string(want), string(got)))
		}
	}
}

// lineDiff lists the lines that differ between want and got, by line
// number, - for want's and + for got's: a longest-common-subsequence diff,
// small enough for golden files of a few hundred lines.
func lineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	common := make([][]int, len(a)+1) // common[i][j]: the LCS length of a[i:] and b[j:]
	for i := range common {
		common[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				common[i][j] = common[i+1][j+1] + 1
			} else {
				common[i][j] = max(common[i+1][j], common[i][j+1])
			}
		}
	}
	var out []string
	for i, j := 0, 0; i < len(a) || j < len(b); {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || common[i+1][j] >= common[i][j+1]):
			out = append(out, fmt.Sprintf("%5d - %s", i+1, a[i]))
			i++
		default:
			out = append(out, fmt.Sprintf("%5d + %s", j+1, b[j]))
			j++
		}
	}
	return strings.Join(out, "\n")
}

// TestStoredLayoutCoversEveryTag keeps the golden files complete: a field
// added to a stored type must be filled in the golden breach, or its tag is
// not pinned.
func TestStoredLayoutCoversEveryTag(t *testing.T) {
	seen := map[string]bool{}
	for _, name := range goldenBuckets {
		data, err := os.ReadFile(filepath.Join(goldenDir, name+".json"))
		require.NoError(t, err)
		var v any
		require.NoError(t, json.Unmarshal(data, &v))
		collectKeys(v, seen)
	}
	tags := map[string]bool{}
	for _, v := range []any{breach.Breach{}, breach.Event{}, breach.OutboxMail{}, breach.Token{}, breach.Idempotency{}, breach.Organisation{},
		breach.Account{}, breach.AccountEvent{}, breach.Session{}, breach.AccessEntry{}} {
		collectTags(reflect.TypeOf(v), tags, map[reflect.Type]bool{})
	}
	delete(tags, "breach") // Notice.Breach is stored as the mail's snapshot, never in the mail
	var missing []string
	for tag := range tags {
		if !seen[tag] {
			missing = append(missing, tag)
		}
	}
	slices.Sort(missing)
	assert.Empty(t, missing, "tags of the stored types that the golden files do not show. A renamed tag: see "+
		"TestStoredLayout. A new field: fill it in writeGoldenLayout (layout_test.go), bump LayoutVersion with a "+
		"migration, then run go test ./store/ -run TestStoredLayout -update")
}

// collectKeys adds the name of every object member in v, at any depth.
func collectKeys(v any, seen map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			seen[k] = true
			collectKeys(e, seen)
		}
	case []any:
		for _, e := range v {
			collectKeys(e, seen)
		}
	}
}

// collectTags adds the JSON name of every field of t and of the types it
// holds, as encoding/json names them; values that encode themselves (times,
// raw JSON) are leaves.
func collectTags(t reflect.Type, tags map[string]bool, visited map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	marshaler := reflect.TypeFor[json.Marshaler]()
	if t.Kind() != reflect.Struct || visited[t] || t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler) {
		return
	}
	visited[t] = true
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case !f.IsExported() || name == "-":
		case f.Anonymous && name == "":
			collectTags(f.Type, tags, visited) // embedded: its fields are the record's own
		default:
			if name == "" {
				name = f.Name
			}
			tags[name] = true
			collectTags(f.Type, tags, visited)
		}
	}
}

// TestDocDrawsTheLayout keeps the tree in doc.go in step with the code: it
// names the current layout version, and every bucket a new database has.
func TestDocDrawsTheLayout(t *testing.T) {
	data, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	doc := string(data)
	assert.Contains(t, doc, fmt.Sprintf("Bucket layout, version %d (meta/layout_version)", store.LayoutVersion))
	assert.Contains(t, doc, fmt.Sprintf(`-> decimal layout version ("%d")`, store.LayoutVersion))
	db, err := store.Open(filepath.Join(t.TempDir(), "datalek.db"))
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			assert.Contains(t, doc, "\n//\t"+string(name)+"/", "doc.go does not draw bucket %s", name)
			return nil
		})
	}))
}
