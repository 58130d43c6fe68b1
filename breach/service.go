package breach

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
)

// Store is the storage the domain needs. Implementations write a breach, its
// pending events and its index entries in one transaction, and return
// ENOTFOUND for a breach outside the given scope exactly as for one that does
// not exist.
type Store interface {
	// CreateBreach stores a new breach, assigning its Reference. If idem is not
	// nil and its key was used before, nothing is stored and the breach filed
	// then is returned with replayed true (ECONFLICT if the request differed).
	CreateBreach(ctx context.Context, b *Breach, idem *Idempotency) (stored *Breach, replayed bool, err error)
	FindBreach(ctx context.Context, scope Scope, id string) (*Breach, error)
	ListBreaches(ctx context.Context, scope Scope, filter BreachFilter) (*BreachPage, error)
	// UpdateBreach loads a breach, lets fn change it and record events, and
	// stores the result atomically. Nothing is stored when fn fails. fn may
	// run more than once (on a copy first, to refuse a bad change early), so
	// it must change only the breach it is given.
	UpdateBreach(ctx context.Context, scope Scope, id string, fn func(*Breach) error) (*Breach, error)
	ListEvents(ctx context.Context, scope Scope, id string) ([]Event, error)
	// EachBreach calls fn for every breach received in [from, to) (nil: no
	// bound), oldest first, reading a bounded number at a time so that memory
	// stays flat however many there are.
	EachBreach(ctx context.Context, from, to *time.Time, fn func(*Breach) error) error
	// UpdateDue lets fn change every breach with an alert due at now, in one
	// transaction, and returns how many there were.
	UpdateDue(ctx context.Context, now time.Time, fn func(*Breach) error) (int, error)
	// UpdateRunning lets fn change every breach with a running clock.
	UpdateRunning(ctx context.Context, fn func(*Breach) error) (int, error)
	// EnqueueNotice puts a notice that belongs to no single change (the
	// digest) in the outbox, once per key: false if the key was used before.
	EnqueueNotice(ctx context.Context, n Notice, once string) (bool, error)
	Outbox

	// PutToken stores a token, replacing any token with the same ID.
	PutToken(ctx context.Context, t *Token) error
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	// OrganisationExists reports whether a supplier token was ever issued for
	// org: staff can file only for a supplier the service knows.
	OrganisationExists(ctx context.Context, org string) (bool, error)
	ListTokens(ctx context.Context) ([]*Token, error)
	RevokeToken(ctx context.Context, id string, at time.Time) error
}

// Idempotency makes a retried filing return the first result. Keys are scoped
// to the supplier organisation (or, for staff, to the token), so one supplier
// cannot collide with another's keys.
type Idempotency struct {
	Scope       string    `json:"scope"`
	Key         string    `json:"key"`
	Fingerprint string    `json:"fingerprint"` // hash of the request, to refuse a reused key
	BreachID    string    `json:"breach_id"`
	CreatedAt   time.Time `json:"created_at"`
}

// BreachFilter selects and orders breaches for a listing.
type BreachFilter struct {
	Status       Status
	Stage        Stage
	Organisation string
	Risk         Risk          // the latest assessment's conclusion
	Severity     SeverityLevel // the latest assessment's level
	From, To     *time.Time    // received in [From, To)
	// Sort is "received" (newest first, the default) or "deadline" (nearest
	// running deadline first, then breaches without one, newest first).
	Sort   string
	Limit  int
	Cursor string // opaque; from the previous page
}

// Sort orders.
const (
	SortReceived = "received"
	SortDeadline = "deadline"
)

// Listing page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Match reports whether b passes the filter's conditions.
func (f *BreachFilter) Match(b *Breach) bool {
	a := b.LatestAssessment()
	return (f.Status == "" || b.Status == f.Status) &&
		(f.Stage == "" || b.Stage == f.Stage) &&
		(f.Organisation == "" || b.Organisation == f.Organisation) &&
		(f.Risk == "" || (a != nil && a.Risk == f.Risk)) &&
		(f.Severity == "" || (a != nil && a.Severity.Level == f.Severity)) &&
		(f.From == nil || !b.ReceivedAt.Before(*f.From)) &&
		(f.To == nil || b.ReceivedAt.Before(*f.To))
}

// Validate checks the filter for the actor and fills in defaults. Errors:
// EINVALID naming every bad parameter.
func (f *BreachFilter) Validate(a Actor) error {
	var p Problems
	if f.Risk != "" && !slices.Contains([]Risk{RiskNone, RiskSome, RiskHigh}, f.Risk) {
		p.Add("risk", "moet none, risk of high zijn")
	}
	if f.Severity != "" && !slices.Contains([]SeverityLevel{SeverityLow, SeverityMedium, SeverityHigh, SeverityVeryHigh}, f.Severity) {
		p.Add("severity", "moet low, medium, high of very_high zijn")
	}
	if a.Role == RoleSupplier {
		const hidden = "is niet beschikbaar voor verwerkers: de beoordeling is van de verwerkingsverantwoordelijke"
		if f.Risk != "" {
			p.Add("risk", hidden)
		}
		if f.Severity != "" {
			p.Add("severity", hidden)
		}
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		p.Add("to", "moet na from liggen")
	}
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		p.Add("status", "onbekende status %q", f.Status)
	}
	if f.Stage != "" && f.Stage != StagePreliminary && f.Stage != StageComplete {
		p.Add("stage", "moet preliminary of complete zijn")
	}
	switch f.Sort {
	case "":
		f.Sort = SortReceived
	case SortReceived, SortDeadline:
	default:
		p.Add("sort", "moet received of deadline zijn")
	}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultPageSize
	case f.Limit < 1 || f.Limit > MaxPageSize:
		p.Add("limit", "moet tussen 1 en %d liggen", MaxPageSize)
	}
	return p.Err("De zoekvraag is niet geldig.")
}

// BreachPage is one page of a listing.
type BreachPage struct {
	Breaches   []*Breach
	NextCursor string // empty on the last page
}

// Service holds the use cases. Now is replaced in tests; every rule that
// depends on time reads it once per call.
type Service struct {
	Store Store
	Now   func() time.Time
	// MailTo is the privacy mailbox (Bijlage 3: datalekken@hetcak.nl).
	MailTo []string
	// Schedule is when the clocks remind and alert.
	Schedule Schedule
	// MailQueued, when set, is called after a change put mail in the outbox,
	// so that the relay need not wait for its next poll.
	MailQueued func()
}

// DefaultMailTo is the privacy adviser's mailbox of Bijlage 3.
const DefaultMailTo = "datalekken@hetcak.nl"

// NewService returns a service on store with the real clock, the default
// mailbox and the default schedule.
func NewService(store Store) *Service {
	return &Service{Store: store, Now: time.Now, MailTo: []string{DefaultMailTo}, Schedule: DefaultSchedule()}
}

// mailQueued tells the relay that there is mail, if anyone listens.
func (s *Service) mailQueued() {
	if s.MailQueued != nil {
		s.MailQueued()
	}
}

// update changes one breach for the actor through the store, keeps its
// alerts in step with whatever fn changed, and returns the breach as the
// actor may see it.
func (s *Service) update(ctx context.Context, a Actor, id string, fn func(*Breach) error) (*Breach, error) {
	b, err := s.Store.UpdateBreach(ctx, a.Scope(), id, func(b *Breach) error {
		if err := fn(b); err != nil {
			return err
		}
		b.Reschedule(s.Schedule)
		return nil
	})
	if err == nil {
		s.mailQueued()
	}
	return visibleTo(a, b), err
}

func (s *Service) now() time.Time { return s.Now().UTC().Round(0) }

// requireRole returns EFORBIDDEN unless the actor has one of roles.
func requireRole(a Actor, roles ...Role) error {
	if slices.Contains(roles, a.Role) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Deze actie is niet toegestaan voor de rol %q.", a.Role)
}

// reporters may file and follow up breaches.
var reporters = []Role{RoleSupplier, RoleAdviser, RoleController}

// FileBreach records a new breach as reported by the actor. A supplier files
// for its own organisation; staff file on a supplier's behalf and name it.
// idemKey, when not empty, makes a retry return the first result (replayed).
// Errors: EFORBIDDEN, EINVALID, ECONFLICT (key reused for another request).
func (s *Service) FileBreach(ctx context.Context, a Actor, f Filing, idemKey string) (b *Breach, replayed bool, err error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, false, err
	}
	now := s.now()
	f.normalise()
	p := f.problems(now)
	org := strings.TrimSpace(f.Organisation)
	switch {
	case a.Role == RoleSupplier && org != "" && org != a.Organisation:
		p.Add("organisation", "wordt bepaald door uw token; laat het weg")
	case a.Role == RoleSupplier:
		org = a.Organisation
	case org == "":
		p.Add("organisation", "is verplicht als u namens een verwerker meldt")
	default:
		known, err := s.Store.OrganisationExists(ctx, org)
		if err != nil {
			return nil, false, err
		}
		if !known {
			p.Add("organisation", "onbekende verwerker %q: er is geen token voor deze organisatie uitgegeven", org)
		}
	}
	if len(idemKey) > 255 {
		p.Add("Idempotency-Key", "is te lang (hoogstens 255 tekens)")
	}
	if err := p.Err("De melding is niet volledig of niet geldig."); err != nil {
		return nil, false, err
	}

	b = &Breach{ID: NewID(), Organisation: org, Status: StatusNew, Stage: StagePreliminary,
		ReceivedAt: now, AwareAt: now, Report: f.Report, Updates: []Update{}}
	if len(b.MissingFields()) == 0 {
		b.Stage, b.CompletedAt = StageComplete, &now
	}
	filed, _ := json.Marshal(b.Report)
	b.record(now, a, ActionFiled, "", []Change{{Field: "report", Old: json.RawMessage("null"), New: filed}})
	b.RestartAlerts(ClockProcessor, now, s.Schedule)
	b.RestartAlerts(ClockAuthority, now, s.Schedule)
	b.Reschedule(s.Schedule)
	b.queue(Notice{ID: b.mailboxThread(), Kind: NoticeFiled, To: s.MailTo, At: now, Actor: &a})
	if b.Reporter.Email != "" {
		b.queue(Notice{ID: b.reporterThread(), Kind: NoticeAcknowledged, To: []string{b.Reporter.Email}, At: now, Actor: &a})
	}

	var idem *Idempotency
	if idemKey != "" {
		scope := "org:" + org
		if a.Role != RoleSupplier {
			scope = "token:" + a.TokenID
		}
		f.Organisation = org // naming one's own organisation or not is the same request
		canonical, _ := json.Marshal(f)
		idem = &Idempotency{Scope: scope, Key: idemKey, Fingerprint: hashHex(canonical), BreachID: b.ID, CreatedAt: now}
	}
	b, replayed, err = s.Store.CreateBreach(ctx, b, idem)
	if err == nil && !replayed {
		s.mailQueued()
	}
	return visibleTo(a, b), replayed, err // a replay shows the breach as it stands now
}

// problems checks the whole filing; see Validate.
func (f *Filing) problems(now time.Time) Problems {
	var p Problems
	switch f.Stage {
	case "", StageComplete, StagePreliminary:
	default:
		p.Add("stage", "moet preliminary of complete zijn")
	}
	p = append(p, f.Report.problems(now, f.Stage != StagePreliminary)...)
	text(&p, "organisation", strings.TrimSpace(f.Organisation), maxShort, false)
	return p
}

// FindBreach returns a breach the actor may see, as the actor may see it.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) FindBreach(ctx context.Context, a Actor, id string) (*Breach, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	b, err := s.Store.FindBreach(ctx, a.Scope(), id)
	return visibleTo(a, b), err
}

// ListBreaches returns one page of the breaches the actor may see.
// Errors: EFORBIDDEN, EINVALID.
func (s *Service) ListBreaches(ctx context.Context, a Actor, f BreachFilter) (*BreachPage, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	if err := f.Validate(a); err != nil {
		return nil, err
	}
	page, err := s.Store.ListBreaches(ctx, a.Scope(), f)
	if page != nil {
		for i, b := range page.Breaches {
			page.Breaches[i] = visibleTo(a, b)
		}
	}
	return page, err
}

// ListEvents returns a breach's audit trail, oldest first.
// Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) ListEvents(ctx context.Context, a Actor, id string) ([]Event, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	events, err := s.Store.ListEvents(ctx, a.Scope(), id)
	return eventsVisibleTo(a, events), err
}

// AmendBreach corrects or completes report fields. A preliminary report whose
// last missing fact arrives becomes complete, which fulfils the processor
// deadline. Errors: EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT (closed).
func (s *Service) AmendBreach(ctx context.Context, a Actor, id string, patch ReportPatch) (*Breach, error) {
	return s.changeReport(ctx, a, id, patch, "")
}

// MaxUpdates bounds the developments of one breach, which its record
// carries: a breach with more is a matter for a phone call.
const MaxUpdates = 200

// UpdateRequest is a development after the first report (Article 9.2): a
// message and any report fields that changed.
type UpdateRequest struct {
	Message string `json:"message"`
	ReportPatch
}

// AddUpdate records a development. Errors: as AmendBreach; EINVALID without a
// message.
func (s *Service) AddUpdate(ctx context.Context, a Actor, id string, u UpdateRequest) (*Breach, error) {
	var p Problems
	u.Message = strings.TrimSpace(u.Message)
	text(&p, "message", u.Message, maxText, true)
	if err := p.Err("De ontwikkeling is niet geldig."); err != nil {
		return nil, err
	}
	return s.changeReport(ctx, a, id, u.ReportPatch, u.Message)
}

// changeReport applies a patch and, with a message, records it as an update.
func (s *Service) changeReport(ctx context.Context, a Actor, id string, patch ReportPatch, message string) (*Breach, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	now := s.now()
	return s.update(ctx, a, id, func(b *Breach) error {
		if b.Status == StatusClosed {
			return Errorf(ECONFLICT, "Datalek %s heeft status %q en kan niet meer worden gewijzigd.", b.Reference, b.Status)
		}
		r, changes := patch.apply(b.Report)
		p := r.problems(now, b.Stage == StageComplete)
		if patch.DetectedAt != nil && !patch.DetectedAt.Equal(b.DetectedAt) {
			p.Add("detected_at", "kan na de melding niet meer worden gewijzigd: het bepaalt de 24-uurstermijn; licht een correctie toe in een ontwikkeling")
		}
		if err := p.Err("De wijziging is niet geldig."); err != nil {
			return err
		}
		if len(changes) == 0 && message == "" {
			return nil // nothing changed: nothing to record
		}
		b.Report = r
		if b.Stage == StagePreliminary && len(r.MissingFields()) == 0 {
			b.Stage, b.CompletedAt = StageComplete, &now
			changes = append(changes, Change{Field: "stage", Old: json.RawMessage(`"preliminary"`), New: json.RawMessage(`"complete"`)})
		}
		notice := Notice{Kind: NoticeAmended, To: s.MailTo, ThreadID: b.mailboxThread(), At: now, Actor: &a, Changes: changes}
		if message == "" {
			b.record(now, a, ActionAmended, "", changes)
		} else {
			fields := make([]string, len(changes))
			for i, c := range changes {
				fields[i] = c.Field
			}
			if len(b.Updates) >= MaxUpdates {
				return Errorf(ECONFLICT, "Datalek %s heeft status %q en al %d ontwikkelingen; neem contact op met de Adviseur Privacy.", b.Reference, b.Status, MaxUpdates)
			}
			u := Update{Seq: len(b.Updates) + 1, ReceivedAt: now, By: a.Label(), Message: message, ChangedFields: fields}
			b.Updates = append(b.Updates, u)
			b.record(now, a, ActionUpdated, message, changes)
			notice.Kind, notice.Update = NoticeUpdated, &u
		}
		notice.ID = b.noticeID(notice.Kind, "")
		b.queue(notice)
		return nil
	})
}

// TokenRequest asks for a new API token.
type TokenRequest struct {
	Role         Role   `json:"role"`
	Organisation string `json:"organisation,omitempty"`
	Name         string `json:"name"`
}

// CreateToken issues a token and returns it with its secret, which is shown
// this once and stored only as a hash. Errors: EFORBIDDEN, EINVALID.
func (s *Service) CreateToken(ctx context.Context, a Actor, req TokenRequest) (*Token, string, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, "", err
	}
	var p Problems
	req.Name, req.Organisation = strings.TrimSpace(req.Name), strings.TrimSpace(req.Organisation)
	line(&p, "name", req.Name, maxShort, true)
	line(&p, "organisation", req.Organisation, maxShort, false)
	switch {
	case !slices.Contains(Roles, req.Role):
		p.Add("role", "moet supplier, adviser, controller of admin zijn")
	case req.Role == RoleSupplier && req.Organisation == "":
		p.Add("organisation", "is verplicht voor een verwerker (rol supplier)")
	case req.Role != RoleSupplier && req.Organisation != "":
		p.Add("organisation", "hoort alleen bij de rol supplier")
	}
	if err := p.Err("Het token-verzoek is niet geldig."); err != nil {
		return nil, "", err
	}
	secret := NewSecret()
	t := &Token{ID: NewID(), Name: req.Name, Role: req.Role, Organisation: req.Organisation,
		Hash: HashSecret(secret), CreatedAt: s.now(), CreatedBy: a.Label()}
	if err := s.Store.PutToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// ListTokens returns every token, revoked ones included, without secrets.
// Errors: EFORBIDDEN.
func (s *Service) ListTokens(ctx context.Context, a Actor) ([]*Token, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	return s.Store.ListTokens(ctx)
}

// RevokeToken makes a token unusable from now on. Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) RevokeToken(ctx context.Context, a Actor, id string) error {
	if err := requireRole(a, RoleAdmin); err != nil {
		return err
	}
	return s.Store.RevokeToken(ctx, id, s.now())
}

// BootstrapTokenID is the ID of the admin token that start-up derives from the
// operator secret (DATALEK_ADMIN_TOKEN). Changing the secret replaces it.
const BootstrapTokenID = "bootstrap-admin"

// ErrBootstrapRevoked says that the operator secret given at start-up belongs
// to a bootstrap token that an admin revoked; it stays revoked.
var ErrBootstrapRevoked = errors.New("the bootstrap admin token of this DATALEK_ADMIN_TOKEN was revoked; it stays revoked: set a new secret to bootstrap again")

// BootstrapAdmin stores secret, hashed, as the bootstrap admin token,
// replacing the one of an earlier secret. The same secret again changes
// nothing, and a revoked one is not brought back (ErrBootstrapRevoked).
func (s *Service) BootstrapAdmin(ctx context.Context, secret string) error {
	hash := HashSecret(secret)
	existing, err := s.Store.FindTokenByHash(ctx, hash)
	switch {
	case err == nil && existing.RevokedAt != nil:
		return ErrBootstrapRevoked
	case err == nil:
		return nil
	case ErrorCode(err) != ENOTFOUND:
		return err
	}
	return s.Store.PutToken(ctx, &Token{ID: BootstrapTokenID, Name: "bootstrap", Role: RoleAdmin,
		Hash: hash, CreatedAt: s.now(), CreatedBy: "DATALEK_ADMIN_TOKEN"})
}

// Authenticate returns the actor for a bearer secret. Errors: EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, secret string) (Actor, error) {
	denied := Errorf(EUNAUTHORIZED, "Geen geldig token.")
	if secret == "" {
		return Actor{}, denied
	}
	t, err := s.Store.FindTokenByHash(ctx, HashSecret(secret))
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return Actor{}, denied
	case err != nil:
		return Actor{}, err
	case t.RevokedAt != nil:
		return Actor{}, denied
	}
	return t.Actor(), nil
}

// idEncoding is base32hex, whose alphabet is in ASCII order, lower-cased, so
// that IDs sort as their bytes do.
var idEncoding = base32.NewEncoding("0123456789abcdefghijklmnopqrstuv").WithPadding(base32.NoPadding)

// NewID returns an opaque, unguessable identifier: 48 bits of the current
// time in milliseconds followed by 80 random bits. The time prefix makes new
// records land at the end of the store's B+trees, so a group commit writes a
// few adjacent pages instead of one page per record; the random part keeps
// IDs unguessable.
func NewID() string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	_, _ = rand.Read(b[6:]) // crypto/rand.Read never fails (Go 1.24+)
	return idEncoding.EncodeToString(b[:])
}

// NewSecret returns a new token secret: 256 random bits with a recognisable
// prefix, so that a leaked one is easy to find in a secret scan.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "dlk_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// HashSecret is how a token secret is stored. The secret is random and long,
// so a fast hash is as safe as a slow one and keeps every request cheap.
func HashSecret(secret string) string { return hashHex([]byte(secret)) }

func hashHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
