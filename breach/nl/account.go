package nl

import (
	"strings"

	"datalek/breach"
)

// The Dutch names of what an account's trail records and of where an
// account stands, for the operator's pages.

var (
	accountActions = map[breach.AccountAction]string{
		breach.AccountInvitedEvent: "uitgenodigd", breach.AccountAcceptedEvent: "uitnodiging aangenomen (wachtwoord ingesteld)",
		breach.AccountSignedInEvent: "aangemeld", breach.AccountSignInFailed: "aanmelden mislukt",
		breach.AccountLockedEvent:    "tijdelijk geblokkeerd na te veel mislukte pogingen",
		breach.AccountFactorEnrolled: "tweede factor ingesteld", breach.AccountFactorResetEvent: "tweede factor hersteld (opnieuw uitgenodigd)",
		breach.AccountRecoveryUsed: "aangemeld met een herstelcode", breach.AccountBlockedEvent: "geblokkeerd",
		breach.AccountUnblockedEvent: "gedeblokkeerd", breach.AccountSignedOutEvent: "afgemeld",
		breach.AccountSignedInSSOEvent: "aangemeld met eenmalige aanmelding", breach.AccountProvisionedEvent: "aangemaakt bij de eerste eenmalige aanmelding",
		breach.AccountLinkedEvent: "gekoppeld aan de identiteit bij de eigen organisatie", breach.AccountRoleChangedEvent: "rol gewijzigd",
	}
	accountStatuses = map[breach.AccountStatus]string{breach.AccountInvited: "uitgenodigd", breach.AccountActive: "actief",
		breach.AccountBlocked: "geblokkeerd"}
	// signInReasons name why a sign-in failed, as the trail records it.
	signInReasons = map[string]string{
		"wrong password": "onjuist wachtwoord", "wrong code": "onjuiste code", "code used before": "code al gebruikt",
		"unknown address or no password yet":     "onbekend adres of nog geen wachtwoord",
		"account blocked":                        "account geblokkeerd",
		"no single staff role from the provider": "de eigen organisatie gaf niet één rol als adviseur of verwerkingsverantwoordelijke",
		"account is not staff":                   "het account is geen account van een adviseur of verwerkingsverantwoordelijke",
		"address tied to another identity":       "het adres hoort bij een andere identiteit",
		"no verified address for a new account":  "geen bevestigd e-mailadres voor een nieuw account",
		"unusable name or function":              "onbruikbare naam of functie",
	}
)

// AccountAction names what an entry of an account's trail records.
func AccountAction(a breach.AccountAction) string { return label(accountActions, a) }

// AccountStatus names where an account stands: uitgenodigd, actief,
// geblokkeerd.
func AccountStatus(s breach.AccountStatus) string { return label(accountStatuses, s) }

// AccountEventText says in words what an entry of an account's trail
// records, with its reason: why a sign-in failed, or the role before and
// after ("rol gewijzigd: verwerker, Acme BV (was Adviseur Privacy)").
func AccountEventText(e breach.AccountEvent) string {
	what := AccountAction(e.Action)
	switch {
	case e.Reason == "":
		return what
	case e.Action == breach.AccountRoleChangedEvent:
		now, was, ok := strings.Cut(strings.TrimSuffix(e.Reason, ")"), " (was ")
		if ok {
			return what + ": " + roleReason(now) + " (was " + roleReason(was) + ")"
		}
	case e.Action == breach.AccountSignInFailed || e.Action == breach.AccountLockedEvent:
		reason, sso := strings.CutPrefix(e.Reason, "single sign-on: ")
		reason = label(signInReasons, reason)
		if sso {
			reason = "eenmalige aanmelding: " + reason
		}
		return what + " (" + reason + ")"
	}
	return what + " (" + e.Reason + ")"
}

// roleReason names a role of the trail's Reason, "role" or "role,
// organisation", in Dutch.
func roleReason(r string) string {
	role, org, ok := strings.Cut(r, ", ")
	if ok {
		return Role(breach.Role(role)) + ", " + org
	}
	return Role(breach.Role(role))
}
