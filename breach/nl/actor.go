package nl

import (
	"fmt"
	"regexp"
	"slices"

	"datalek/breach"
)

// ActorText names who acted, for a person to read. A token is no person:
// the role acts through it, "de verwerkingsverantwoordelijke (token
// cak-vv)"; a supplier's token acts for its organisation, "Acme BV (token
// acme-prod)". People sign in with accounts of their own in issue 10.
func ActorText(name string, role breach.Role, organisation string) string {
	if organisation != "" {
		return fmt.Sprintf("%s (token %s)", organisation, name)
	}
	return fmt.Sprintf("de %s (token %s)", Role(role), name)
}

// storedActor is how breach.Actor.Label stores who acted in a record:
// "name (role)" or "name (role, organisation)".
var storedActor = regexp.MustCompile(`^(.*) \(([a-z]+)(?:, (.+))?\)$`)

// By reads who acted as a record stores it (breach.Actor.Label) as
// ActorText; a label of another form ("migratie naar layout 6") as it is.
func By(label string) string {
	m := storedActor.FindStringSubmatch(label)
	if m == nil || !slices.Contains(breach.Roles, breach.Role(m[2])) {
		return label
	}
	return ActorText(m[1], breach.Role(m[2]), m[3])
}
