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
}

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
	if err := s.Tokens.PutToken(ctx, t); err != nil {
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
	return s.Tokens.ListTokens(ctx)
}

// RevokeToken makes a token unusable from now on. Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) RevokeToken(ctx context.Context, a Actor, id string) error {
	if err := requireRole(a, RoleAdmin); err != nil {
		return err
	}
	return s.Tokens.RevokeToken(ctx, id, s.now())
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
	existing, err := s.Tokens.FindTokenByHash(ctx, hash)
	switch {
	case err == nil && existing.RevokedAt != nil:
		return ErrBootstrapRevoked
	case err == nil:
		return nil
	case ErrorCode(err) != ENOTFOUND:
		return err
	}
	return s.Tokens.PutToken(ctx, &Token{ID: BootstrapTokenID, Name: "bootstrap", Role: RoleAdmin,
		Hash: hash, CreatedAt: s.now(), CreatedBy: "DATALEK_ADMIN_TOKEN"})
}

// Authenticate returns the actor for a bearer secret. Errors: EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, secret string) (Actor, error) {
	denied := Errorf(EUNAUTHORIZED, "Geen geldig token.")
	if secret == "" {
		return Actor{}, denied
	}
	t, err := s.Tokens.FindTokenByHash(ctx, HashSecret(secret))
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

// NewSecret returns a new token secret: 256 random bits with a recognisable
// prefix, so that a leaked one is easy to find in a secret scan.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// tokenPrefix begins every secret the service issues.
const tokenPrefix = "dlk_"

// HashSecret is how a token secret is stored. The secret is random and long,
// so a fast hash is as safe as a slow one and keeps every request cheap.
func HashSecret(secret string) string { return hashHex([]byte(secret)) }

func hashHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
