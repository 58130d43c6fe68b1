package main

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/api"
	"datalek/breach"
)

var ssoVars = map[string]string{
	"DATALEK_OIDC_ISSUER": "https://login.hetcak.example/realms/cak", "DATALEK_OIDC_CLIENT_ID": "datalekdienst",
	"DATALEK_OIDC_CLIENT_SECRET": "s3cr3t-van-de-client", "DATALEK_OIDC_ADVISER": "dl-privacyadviseur",
	"DATALEK_OIDC_CONTROLLER": "dl-verwerkingsverantwoordelijke", "DATALEK_BASE_URL": "https://datalek.hetcak.example/",
}

func withVar(vars map[string]string, k, v string) map[string]string {
	c := map[string]string{}
	for key, val := range vars {
		c[key] = val
	}
	if v == "" {
		delete(c, k)
	} else {
		c[k] = v
	}
	return c
}

// Single sign-on is configured all or nothing, and its redirect URL follows
// the base URL.
func TestSSOConfig(t *testing.T) {
	c, err := ParseConfig(nil, env(ssoVars), io.Discard)
	require.NoError(t, err)
	require.NotNil(t, c.SSO)
	assert.Equal(t, "https://login.hetcak.example/realms/cak", c.SSO.Issuer)
	assert.Equal(t, "https://datalek.hetcak.example/aanmelden/sso/terug", c.SSO.RedirectURL)
	assert.Equal(t, "groups", c.SSO.RoleClaim)
	assert.Equal(t, "uw organisatie", c.SSO.Label)
	assert.Equal(t, map[string]breach.Role{"dl-privacyadviseur": breach.RoleAdviser, "dl-verwerkingsverantwoordelijke": breach.RoleController},
		c.SSO.Roles)

	c, err = ParseConfig(nil, env(withVar(withVar(ssoVars, "DATALEK_OIDC_ADVISER", ""), "DATALEK_OIDC_LABEL", "Het CAK")), io.Discard)
	require.NoError(t, err, "the controller alone may come in this way")
	assert.Equal(t, "Het CAK", c.SSO.Label)

	bad := []struct {
		vars    map[string]string
		setting string
	}{
		{withVar(ssoVars, "DATALEK_OIDC_CLIENT_ID", ""), "DATALEK_OIDC_CLIENT_ID"},
		{withVar(ssoVars, "DATALEK_OIDC_CLIENT_SECRET", ""), "DATALEK_OIDC_CLIENT_SECRET"},
		{withVar(ssoVars, "DATALEK_OIDC_ISSUER", ""), "DATALEK_OIDC_ISSUER"},
		{withVar(ssoVars, "DATALEK_OIDC_ISSUER", "http://login.hetcak.example"), "DATALEK_OIDC_ISSUER"},
		{withVar(ssoVars, "DATALEK_OIDC_ISSUER", "login.hetcak.example"), "DATALEK_OIDC_ISSUER"},
		{withVar(withVar(ssoVars, "DATALEK_OIDC_ADVISER", ""), "DATALEK_OIDC_CONTROLLER", ""), "DATALEK_OIDC_ADVISER"},
		{withVar(ssoVars, "DATALEK_OIDC_ADVISER", "dl-verwerkingsverantwoordelijke"), "DATALEK_OIDC_CONTROLLER"},
		{map[string]string{"DATALEK_OIDC_CLIENT_ID": "datalekdienst"}, "DATALEK_OIDC_ISSUER"},
		{map[string]string{"DATALEK_OIDC_LABEL": "Het CAK"}, "DATALEK_OIDC_LABEL"},
	}
	for _, b := range bad {
		_, err := ParseConfig(nil, env(b.vars), io.Discard)
		require.Error(t, err, "%v", b.vars)
		assert.Contains(t, err.Error(), b.setting)
		assert.NotContains(t, err.Error(), "s3cr3t", "the secret never reaches the console")
	}
	_, err = ParseConfig([]string{"-oidc-issuer", "http://127.0.0.1:9999"}, env(withVar(ssoVars, "DATALEK_OIDC_ISSUER", "")), io.Discard)
	assert.NoError(t, err, "plain http on loopback, for a provider on this machine")
}

// A provider that cannot be reached does not stop start-up: the sign-in
// page offers single sign-on, which then says in Dutch that it is not
// reachable now.
func TestSSOUnreachableProviderAtStartUp(t *testing.T) {
	m := startMainWith(t, t.TempDir(), newTestClock(saturday), "-oidc-issuer", "http://127.0.0.1:1", "-oidc-client-id", "datalekdienst",
		"-oidc-client-secret", "geheim", "-oidc-controller", "dl-vv", "-oidc-label", "Het CAK")
	defer m.Close()
	get := func(path string) (int, string) {
		res, err := http.Get("http://" + m.Addr() + path)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(body)
	}
	status, body := get("/aanmelden")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Aanmelden met Het CAK")
	status, body = get(api.SSOStartPath)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Contains(t, body, "De aanmelddienst van uw organisatie is nu niet bereikbaar.")
}
