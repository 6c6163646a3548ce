package identity

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func newTokenServer(t *testing.T) (*Authority, *httptest.Server) {
	t.Helper()
	a := newTestAuthority(t)
	srv := httptest.NewServer(a.TokenHandler())
	t.Cleanup(srv.Close)
	return a, srv
}

// TestClientCredentialsRoundTrip runs golang.org/x/oauth2's client against
// the token endpoint on a loopback socket, in both client auth styles.
func TestClientCredentialsRoundTrip(t *testing.T) {
	a, srv := newTokenServer(t)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams, oauth2.AuthStyleAutoDetect} {
		cfg := clientcredentials.Config{ClientID: testClient, ClientSecret: testSecret,
			TokenURL: TokenURL(srv.URL, testTenant), Scopes: []string{DefaultGraphScope}, AuthStyle: style}
		tok, err := cfg.Token(context.Background())
		if err != nil {
			t.Fatalf("style %d: %v", style, err)
		}
		c, err := a.Verify(tok.AccessToken)
		if err != nil {
			t.Fatalf("style %d: Verify(issued token) = %v", style, err)
		}
		if c.AppID != testClient || !c.HasRole("Calls.Initiate.All") || tok.TokenType != "Bearer" || tok.Expiry.IsZero() {
			t.Errorf("style %d: token %+v claims %+v", style, tok, c)
		}
	}
}

func TestClientCredentialsTokenSource(t *testing.T) {
	a, srv := newTokenServer(t)
	cc := ClientCredentials{TokenURL: TokenURL(srv.URL, testTenant), ClientID: testClient, ClientSecret: testSecret}
	ts, err := cc.TokenSource(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t1, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := ts.Token()
	if t1.AccessToken != t2.AccessToken {
		t.Error("the source did not reuse a fresh token")
	}
	if _, err := a.Verify(t1.AccessToken); err != nil {
		t.Errorf("Verify = %v", err)
	}
	bad := cc
	bad.ClientSecret = "wrong"
	ts, _ = bad.TokenSource(context.Background())
	_, err = ts.Token()
	var re *oauth2.RetrieveError
	if !errorsAs(err, &re) || re.ErrorCode != "invalid_client" || strings.Contains(err.Error(), "wrong\"") {
		t.Errorf("wrong secret: %v, want an invalid_client RetrieveError", err)
	}
	if strings.Contains(cc.String(), testSecret) || !strings.Contains(cc.String(), "***") {
		t.Errorf("String() = %q leaks the secret", cc.String())
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	_, srv := newTokenServer(t)
	ok := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClient}, "client_secret": {testSecret}, "scope": {DefaultGraphScope}}
	with := func(k, v string) url.Values {
		out := url.Values{}
		for kk, vv := range ok {
			out[kk] = vv
		}
		if v == "" {
			out.Del(k)
		} else {
			out.Set(k, v)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		tenant string
		form   url.Values
		status int
		code   string
		aadsts int
	}{
		// The sample's double slash (graph-calls-facts §9.19) works as it does for real.
		{"double-slash scope", testTenant, with("scope", "https://graph.microsoft.com//.default"), 200, "", 0},
		// Graph's app id is an accepted resource too.
		{"app id scope", testTenant, with("scope", GraphAppID+"/.default"), 200, "", 0},
		{"wrong secret", testTenant, with("client_secret", "nope"), 401, "invalid_client", 7000215},
		{"no secret", testTenant, with("client_secret", ""), 401, "invalid_client", 7000216},
		{"no grant type", testTenant, with("grant_type", ""), 400, "invalid_request", 900144},
		{"password grant", testTenant, with("grant_type", "password"), 400, "unsupported_grant_type", 70003},
		{"no client id", testTenant, with("client_id", ""), 400, "invalid_request", 900144},
		{"unknown tenant", "contoso.example", ok, 400, "invalid_request", 90002},
		{"unknown app in known tenant", testTenant, with("client_id", "11111111-2222-4333-8444-555555555555"), 400, "unauthorized_client", 700016},
		{"no scope", testTenant, with("scope", ""), 400, "invalid_request", 900144},
		{"user scope", testTenant, with("scope", "https://graph.microsoft.com/User.Read"), 400, "invalid_scope", 1002012},
		{"two resources", testTenant, with("scope", DefaultGraphScope+" https://vault.azure.net/.default"), 400, "invalid_scope", 28000},
		{"unknown resource", testTenant, with("scope", "https://vault.azure.net/.default"), 400, "invalid_resource", 500011},
	} {
		resp, err := http.PostForm(TokenURL(srv.URL, tc.tenant), tc.form)
		if err != nil {
			t.Fatal(err)
		}
		checkTokenResponse(t, tc.name, resp, tc.status, tc.code, tc.aadsts)
	}
}

func TestTokenEndpointRefusesGET(t *testing.T) {
	_, srv := newTokenServer(t)
	resp, err := http.Get(TokenURL(srv.URL, testTenant))
	if err != nil {
		t.Fatal(err)
	}
	checkTokenResponse(t, "GET", resp, 400, "invalid_request", 900561)
}

func checkTokenResponse(t *testing.T, name string, resp *http.Response, status int, code string, aadsts int) {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != status {
		t.Errorf("%s: status %d, want %d", name, resp.StatusCode, status)
		return
	}
	if status == 200 {
		var ok TokenResponse
		if err := json.NewDecoder(resp.Body).Decode(&ok); err != nil || ok.AccessToken == "" || ok.ExpiresIn != 3599 {
			t.Errorf("%s: body %+v, %v", name, ok, err)
		}
		return
	}
	var e TokenErrorResponse
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatalf("%s: error body is not JSON: %v", name, err)
	}
	prefix := "AADSTS" + itoa(aadsts) + ": "
	if e.Error != code || len(e.ErrorCodes) != 1 || e.ErrorCodes[0] != aadsts || !strings.HasPrefix(e.ErrorDescription, prefix) || e.TraceID == "" || e.CorrelationID == "" {
		t.Errorf("%s: error body %+v, want error %q and %s", name, e, code, prefix)
	}
	if strings.Contains(e.ErrorDescription, testSecret) {
		t.Errorf("%s: error description leaks the secret", name)
	}
}
