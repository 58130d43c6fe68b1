package breach

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"time"
)

// Who does something: roles, actors, the scope of what they may see, and
// identifiers.

// Role is what a token may do. A token has exactly one.
type Role string

const (
	RoleSupplier   Role = "supplier"   // a processor, bound to one organisation
	RoleAdviser    Role = "adviser"    // the privacy adviser
	RoleController Role = "controller" // decides on notifying the authority and data subjects
	RoleAdmin      Role = "admin"      // operates the service: tokens only, no breach data
)

// Roles lists every role.
var Roles = []Role{RoleSupplier, RoleAdviser, RoleController, RoleAdmin}

// Staff reports whether the role works for the controller and so sees every
// organisation's breaches.
func (r Role) Staff() bool { return r == RoleAdviser || r == RoleController }

// Actor is who does something: the token that authenticated the call. It is
// what the audit trail records, never the secret itself.
type Actor struct {
	TokenID string `json:"token_id"`
	// AccountID and Function are a person's who signed in on the pages;
	// an integration's token has neither.
	AccountID    string `json:"account_id,omitempty"`
	Name         string `json:"name"`
	Function     string `json:"function,omitempty"`
	Role         Role   `json:"role"`
	Organisation string `json:"organisation,omitempty"`
}

// Label is how the actor is named in a breach's history.
func (a Actor) Label() string {
	if a.AccountID != "" { // a person, by name and function: "J. de Vries, Adviseur Privacy"
		return a.Name + ", " + a.Function
	}
	if a.Organisation != "" {
		return fmt.Sprintf("%s (%s, %s)", a.Name, a.Role, a.Organisation)
	}
	return fmt.Sprintf("%s (%s)", a.Name, a.Role)
}

// Scope is the set of organisations whose breaches a caller may see. The zero
// Scope sees nothing, so a forgotten scope fails closed.
type Scope struct {
	organisation string
	all          bool
}

// Scope returns what the actor may see: a supplier its own organisation, staff
// everything, anyone else nothing.
func (a Actor) Scope() Scope {
	switch {
	case a.Role == RoleSupplier && a.Organisation != "":
		return Scope{organisation: a.Organisation}
	case a.Role.Staff():
		return Scope{all: true}
	}
	return Scope{}
}

// StaffScope sees every organisation; for the controller's own staff and for
// the service's internal jobs.
func StaffScope() Scope { return Scope{all: true} }

// Allows reports whether a breach of organisation org is visible in the scope.
func (s Scope) Allows(org string) bool {
	return s.all || (s.organisation != "" && s.organisation == org)
}

// Organisation returns the single organisation the scope is limited to, and
// false when the scope covers all of them.
func (s Scope) Organisation() (string, bool) { return s.organisation, !s.all }

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
