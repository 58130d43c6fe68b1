package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"datalek/api"
	"datalek/breach"
)

// ssoSettings are the settings of single sign-on for staff through the
// organisation's OpenID provider (DATALEK_OIDC_*): all or nothing.
type ssoSettings struct {
	issuer, clientID, clientSecret, roleClaim, functionClaim, adviser, controller, label string
}

func (o *ssoSettings) settings() []setting {
	return []setting{
		{"oidc-issuer", "DATALEK_OIDC_ISSUER", "", "OpenID provider (issuer URL) through which the privacy adviser and the controller may sign in; empty: no single sign-on", &o.issuer},
		{"oidc-client-id", "DATALEK_OIDC_CLIENT_ID", "", "the service's client ID at the OpenID provider", &o.clientID},
		{"oidc-client-secret", "DATALEK_OIDC_CLIENT_SECRET", "", "the service's client secret at the OpenID provider; prefer the variable, a flag shows in the process list", &o.clientSecret},
		{"oidc-role-claim", "DATALEK_OIDC_ROLE_CLAIM", "groups", "claim of the ID token with the person's groups or roles (a string or an array of strings)", &o.roleClaim},
		{"oidc-adviser", "DATALEK_OIDC_ADVISER", "", "value of the role claim that makes a person the privacy adviser", &o.adviser},
		{"oidc-controller", "DATALEK_OIDC_CONTROLLER", "", "value of the role claim that makes a person the controller", &o.controller},
		{"oidc-function-claim", "DATALEK_OIDC_FUNCTION_CLAIM", "", "claim of the ID token with the person's function (empty: the function follows the role)", &o.functionClaim},
		{"oidc-label", "DATALEK_OIDC_LABEL", api.DefaultSSOLabel, "the organisation, as the sign-in page offers it: \"Aanmelden met <label>\"", &o.label},
	}
}

// config checks the settings and returns single sign-on as the pages use
// it, or nil when none is configured; check names a bad setting. The
// provider is not contacted here: it is discovered at the first sign-in
// (api.OIDC), so that a provider briefly unreachable does not stop the
// service from starting.
func (o *ssoSettings) config(baseURL string, check func(*string, error) error) (*api.OIDC, error) {
	if o.issuer == "" && o.clientID == "" && o.clientSecret == "" && o.adviser == "" && o.controller == "" {
		noEffect := errors.New("has no effect without -oidc-issuer")
		return nil, errors.Join(
			check(&o.roleClaim, when(o.roleClaim != "groups", noEffect)),
			check(&o.functionClaim, when(o.functionClaim != "", noEffect)),
			check(&o.label, when(o.label != api.DefaultSSOLabel, noEffect)))
	}
	required := errors.New("is required for single sign-on (-oidc-issuer and the others)")
	err := errors.Join(
		check(&o.issuer, validIssuer(o.issuer)),
		check(&o.clientID, when(o.clientID == "", required)),
		check(&o.clientSecret, when(o.clientSecret == "", required)),
		check(&o.roleClaim, when(strings.TrimSpace(o.roleClaim) == "", required)),
		check(&o.adviser, when(o.adviser == "" && o.controller == "", errors.New("or -oidc-controller is required: whom else would single sign-on let in?"))),
		check(&o.controller, when(o.adviser != "" && o.adviser == o.controller, errors.New("must differ from -oidc-adviser"))),
	)
	if err != nil {
		return nil, err
	}
	roles := map[string]breach.Role{}
	if o.adviser != "" {
		roles[o.adviser] = breach.RoleAdviser
	}
	if o.controller != "" {
		roles[o.controller] = breach.RoleController
	}
	return &api.OIDC{Issuer: o.issuer, ClientID: o.clientID, ClientSecret: o.clientSecret,
		RedirectURL: strings.TrimSuffix(baseURL, "/") + api.SSOCallbackPath, RoleClaim: o.roleClaim, Roles: roles,
		FunctionClaim: o.functionClaim, Label: o.label}, nil
}

func when(cond bool, err error) error {
	if cond {
		return err
	}
	return nil
}

// validIssuer accepts an https URL, or http on loopback (a provider for
// tests or development on the same machine).
func validIssuer(s string) error {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return errors.New("is required for single sign-on")
	case err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("%q is not an absolute URL without query", s)
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && (u.Hostname() == "localhost" || net.ParseIP(u.Hostname()).IsLoopback()):
		return nil
	}
	return fmt.Errorf("%q must be https (http only on loopback)", s)
}
