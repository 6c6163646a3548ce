package identity

import (
	"net/http"
	"net/url"
	"testing"
)

// TestTokenEndpointOIDCScopes: the OpenID Connect scopes MSAL (and so
// azidentity) adds to every client-credentials request are ignored beside a
// "/.default" scope; alone they are not a resource scope.
func TestTokenEndpointOIDCScopes(t *testing.T) {
	_, srv := newTokenServer(t)
	for _, tc := range []struct {
		name   string
		scope  string
		status int
		code   string
		aadsts int
	}{
		{"as MSAL sends it", DefaultGraphScope + " openid offline_access profile", 200, "", 0},
		{"OIDC scopes first", "openid profile " + DefaultGraphScope, 200, "", 0},
		{"OIDC scopes alone", "openid offline_access profile", 400, "invalid_scope", 1002012},
		{"another user scope beside", DefaultGraphScope + " openid email", 400, "invalid_scope", 1002012},
	} {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClient}, "client_secret": {testSecret}, "scope": {tc.scope}}
		resp, err := http.PostForm(TokenURL(srv.URL, testTenant), form)
		if err != nil {
			t.Fatal(err)
		}
		checkTokenResponse(t, tc.name, resp, tc.status, tc.code, tc.aadsts)
	}
}
