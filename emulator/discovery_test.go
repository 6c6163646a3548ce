package emulator

import (
	"net/http"
	"testing"
)

// TestAuthorityConfig: the identity platform's OpenID configuration names
// the token endpoint (what MSAL and azidentity read) and the keys that sign
// Graph tokens; an unknown tenant is 404.
func TestAuthorityConfig(t *testing.T) {
	srv := startTLS(t, nil, TLS{})
	hc := trustingOnly(t, srv.CAFile())
	var cfg struct {
		Issuer        string `json:"issuer"`
		TokenEndpoint string `json:"token_endpoint"`
		Authorize     string `json:"authorization_endpoint"`
		JWKSURI       string `json:"jwks_uri"`
	}
	resp, err := hc.Get(srv.URL() + AuthorityConfigPath(DefaultTenantID))
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeJSON(resp, &cfg); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", resp.StatusCode, err)
	}
	if cfg.TokenEndpoint != srv.TokenURL(DefaultTenantID) || cfg.Issuer == "" || cfg.Authorize == "" {
		t.Errorf("configuration %+v", cfg)
	}
	var jwks struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	resp, err = hc.Get(cfg.JWKSURI)
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeJSON(resp, &jwks); err != nil || len(jwks.Keys) == 0 || jwks.Keys[0].Kid != srv.Authority().Key().ID() {
		t.Errorf("JWKS %+v, %v", jwks, err)
	}
	for path, want := range map[string]int{AuthorityConfigPath("other-tenant"): http.StatusNotFound} {
		resp, err := hc.Get(srv.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	resp, err = hc.Post(srv.URL()+AuthorityConfigPath(DefaultTenantID), "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", resp.StatusCode)
	}
}
