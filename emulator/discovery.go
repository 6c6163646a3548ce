package emulator

import (
	"net/http"
	"strings"

	"github.com/callcheck/callcheck/identity"
)

// AuthorityConfigPath returns the path of the emulated identity platform's
// OpenID configuration for tenant, where the real one has it
// (login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration).
// MSAL, and so azidentity's ClientSecretCredential, reads the token endpoint
// from it: with the emulator's URL as authority host (and instance discovery
// off) they get tokens from the emulator unchanged.
func AuthorityConfigPath(tenant string) string {
	return "/" + tenant + "/v2.0/.well-known/openid-configuration"
}

// authorityConfig is the part of the identity platform's OpenID
// configuration clients read.
type authorityConfig struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	JWKSURI               string   `json:"jwks_uri"`
	GrantTypes            []string `json:"grant_types_supported"`
	AuthMethods           []string `json:"token_endpoint_auth_methods_supported"`
	SigningAlgs           []string `json:"id_token_signing_alg_values_supported"`
	TenantRegionScope     *string  `json:"tenant_region_scope"`
}

// authorityRoute matches /{tenant}/v2.0/.well-known/openid-configuration
// and /{tenant}/discovery/v2.0/keys (the keys that sign Graph tokens); nil
// for any other path.
func (e *Emulator) authorityRoute(segs []string) http.Handler {
	switch {
	case len(segs) == 4 && segs[1] == "v2.0" && segs[2] == ".well-known" && segs[3] == "openid-configuration":
		return e.authorityConfigHandler(segs[0])
	case len(segs) == 4 && segs[1] == "discovery" && segs[2] == "v2.0" && segs[3] == "keys":
		return getOnly(e.authority.JWKSHandler())
	}
	return nil
}

// authorityConfigHandler serves the OpenID configuration of tenant; 404 for
// a tenant no app is registered in. The authorization endpoint is named
// because clients require it, but not served: only client credentials are.
func (e *Emulator) authorityConfigHandler(tenant string) http.Handler {
	return getOnly(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !e.knowsTenant(tenant) {
			adminError(w, http.StatusNotFound, "no app is registered in tenant "+tenant)
			return
		}
		base := e.PublicURL() + "/" + tenant
		adminJSON(w, http.StatusOK, authorityConfig{
			Issuer: base + "/v2.0", AuthorizationEndpoint: base + "/oauth2/v2.0/authorize",
			TokenEndpoint: identity.TokenURL(e.PublicURL(), tenant), JWKSURI: base + "/discovery/v2.0/keys",
			GrantTypes: []string{"client_credentials"}, AuthMethods: []string{"client_secret_post", "client_secret_basic"},
			SigningAlgs: []string{"RS256"},
		})
	}))
}

// knowsTenant reports whether an app is registered in tenant.
func (e *Emulator) knowsTenant(tenant string) bool {
	for _, app := range e.apps {
		if strings.EqualFold(app.TenantID, tenant) {
			return true
		}
	}
	return false
}

// getOnly answers 405 to anything but GET and HEAD.
func getOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			adminError(w, http.StatusMethodNotAllowed, "only GET is allowed")
			return
		}
		h.ServeHTTP(w, r)
	})
}
