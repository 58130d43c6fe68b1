package breach

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
)

// API tokens: issued by an admin, stored only as hashes.

// Token is an API credential. Only the SHA-256 hash of the secret is kept.
type Token struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Role         Role       `json:"role"`
	Organisation string     `json:"organisation,omitempty"`
	Hash         string     `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	CreatedBy    string     `json:"created_by"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	// LastUsedAt is when a request last came with the token, to the
	// minute (TokenUseInterval); absent while it was never used.
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// TokenUseInterval is how often a token's last use is written at most: a
// busy integration's requests do not each write to the store.
const TokenUseInterval = time.Minute

// Actor returns the actor a call made with this token acts as.
func (t *Token) Actor() Actor {
	return Actor{TokenID: t.ID, Name: t.Name, Role: t.Role, Organisation: t.Organisation}
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
	roleAndOrganisation(&p, req.Role, req.Organisation)
	if err := p.Err("Het token-verzoek is niet geldig."); err != nil {
		return nil, "", err
	}
	if req.Role == RoleSupplier {
		if err := s.ensureOrganisation(ctx, a, req.Organisation); err != nil {
			return nil, "", err
		}
	}
	secret := NewSecret()
	t := &Token{ID: NewID(), Name: req.Name, Role: req.Role, Organisation: req.Organisation,
		Hash: HashSecret(secret), CreatedAt: s.now(), CreatedBy: a.Label()}
	if err := s.tellStaffAccess(ctx, s.staffAccessNotice(a, t.Name, AccessToken, t.Role, "token/"+t.ID, t.CreatedAt)); err != nil {
		return nil, "", err
	}
	if err := s.Tokens.PutToken(ctx, t); err != nil {
		return nil, "", err
	}
	if err := s.recordAccess(ctx, a, AccessTokenCreated, t.ID, roleText(t.Role, t.Organisation)+": "+t.Name, 0); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// roleAndOrganisation checks a role and the organisation that goes with
// it, for a token or an account: a supplier's belongs to one organisation,
// anyone else's to none.
func roleAndOrganisation(p *Problems, role Role, organisation string) {
	line(p, "organisation", organisation, maxShort, false)
	switch {
	case !slices.Contains(Roles, role):
		p.Add("role", "moet supplier, adviser, controller of admin zijn")
	case role == RoleSupplier && organisation == "":
		p.Add("organisation", "is verplicht voor een verwerker (rol supplier)")
	case role != RoleSupplier && organisation != "":
		p.Add("organisation", "hoort alleen bij de rol supplier")
	}
}

// ListTokens returns every token, revoked ones included, without secrets.
// Errors: EFORBIDDEN.
func (s *Service) ListTokens(ctx context.Context, a Actor) ([]*Token, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	return s.Tokens.ListTokens(ctx)
}

// RevokeToken makes a token unusable from now on. Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) RevokeToken(ctx context.Context, a Actor, id string) error {
	if err := requireRole(a, RoleAdmin); err != nil {
		return err
	}
	if err := s.Tokens.RevokeToken(ctx, id, s.now()); err != nil {
		return err
	}
	return s.recordAccess(ctx, a, AccessTokenRevoked, id, "", 0)
}

// BootstrapTokenID is the ID of the admin token that start-up derives from the
// operator secret (DATALEK_ADMIN_TOKEN). Changing the secret replaces it.
const BootstrapTokenID = "bootstrap-admin"

// ErrBootstrapRevoked says that the operator secret given at start-up belongs
// to a bootstrap token that an admin revoked; it stays revoked.
var ErrBootstrapRevoked = errors.New("the bootstrap admin token of this DATALEK_ADMIN_TOKEN was revoked; it stays revoked: set a new secret to bootstrap again")

// BootstrapAdmin stores secret, under a slow hash, as the bootstrap admin
// token, replacing the one of an earlier secret. The same secret again
// changes nothing, and a revoked one is not brought back
// (ErrBootstrapRevoked). A bootstrap token stored before layout 4, under the
// fast HashSecret, is stored again under the slow hash, as it was. It costs
// one or two slow hashes, once at start-up.
func (s *Service) BootstrapAdmin(ctx context.Context, secret string) error {
	t, err := s.Tokens.FindTokenByHash(ctx, HashSecret(secret))
	switch {
	case err == nil && t.ID == BootstrapTokenID: // stored before layout 4
		err = s.Tokens.PutBootstrapToken(ctx, t, secret)
	case err == nil:
		return errors.New("the operator secret is an issued token's secret")
	case ErrorCode(err) == ENOTFOUND:
		if t, err = s.Tokens.FindBootstrapToken(ctx, secret); ErrorCode(err) == ENOTFOUND {
			t = &Token{ID: BootstrapTokenID, Name: "bootstrap", Role: RoleAdmin, CreatedAt: s.now(), CreatedBy: "DATALEK_ADMIN_TOKEN"}
			err = s.Tokens.PutBootstrapToken(ctx, t, secret)
		}
	}
	if err != nil {
		return err
	}
	if t.RevokedAt != nil {
		return ErrBootstrapRevoked
	}
	s.operator.remember(secret, t.Hash)
	return nil
}

// Authenticate returns the actor for a bearer secret, and records the
// token's use (at most once a TokenUseInterval). Issued tokens are
// found by the fast HashSecret of their secret, and so is the operator
// secret once the service has verified it (at start-up, or on its first use
// after a start without it). Any other secret is checked against the slow
// hash of the bootstrap token: one check at a time, and a secret that
// arrives while one runs is refused without a check, so that guesses cost
// an attacker a slow hash each and cannot take the machine.
// Errors: EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, secret string) (Actor, error) {
	denied := Errorf(EUNAUTHORIZED, "Geen geldig token.")
	if secret == "" {
		return Actor{}, denied
	}
	hash := HashSecret(secret)
	if key, ok := s.operator.verified(hash); ok {
		hash = key
	}
	t, err := s.Tokens.FindTokenByHash(ctx, hash)
	if ErrorCode(err) == ENOTFOUND && !strings.HasPrefix(secret, tokenPrefix) {
		t, err = s.checkOperatorSecret(ctx, secret)
	}
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return Actor{}, denied
	case err != nil:
		return Actor{}, err
	case t.RevokedAt != nil:
		return Actor{}, denied
	}
	if now := s.now(); t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= TokenUseInterval {
		// Last use is for the operator's eyes: a store that cannot write it
		// must not turn a read into a failure. The writes that matter fail
		// on their own, and readiness reports a store that cannot write.
		_ = s.Tokens.TokenUsed(ctx, t.ID, now)
	}
	return t.Actor(), nil
}

// checkOperatorSecret checks secret against the bootstrap token's slow
// hash, unless a check is running already. Errors: ENOTFOUND.
func (s *Service) checkOperatorSecret(ctx context.Context, secret string) (*Token, error) {
	if !s.operator.checking.TryLock() {
		return nil, Errorf(ENOTFOUND, "Geen geldig token.")
	}
	defer s.operator.checking.Unlock()
	t, err := s.Tokens.FindBootstrapToken(ctx, secret)
	if err == nil {
		s.operator.remember(secret, t.Hash)
	}
	return t, err
}

// operatorSecret is what a service knows of the operator secret: the fast
// hash of the secret it verified last against the slow one, and the key of
// the bootstrap token it belongs to. It is kept in memory only.
type operatorSecret struct {
	mu       sync.Mutex
	hash     string // HashSecret of the verified secret
	key      string // the bootstrap token's key in the store
	checking sync.Mutex
}

func (o *operatorSecret) remember(secret, key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.hash, o.key = HashSecret(secret), key
}

func (o *operatorSecret) verified(hash string) (key string, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.key, o.hash != "" && o.hash == hash
}

// NewSecret returns a new token secret: 256 random bits with a recognisable
// prefix, so that a leaked one is easy to find in a secret scan.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// tokenPrefix begins every secret the service issues.
const tokenPrefix = "dlk_"

// HashSecret is how an issued token's secret is stored: SHA-256, a fast
// hash. That is safe because the service draws the secret (NewSecret): 256
// random bits, which no amount of hashing speed lets anyone guess, from the
// file or over the network. A slow hash only protects a secret that could be
// guessed, a person's choice: the operator secret, which the store keeps
// under argon2id (TokenStore.PutBootstrapToken). The fast hash keeps every
// request with an issued token cheap: one SHA-256 and one lookup.
func HashSecret(secret string) string { return hashHex([]byte(secret)) }

func hashHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
