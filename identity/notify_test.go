package identity

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const botAppID = "0efc74f7-41c3-47a4-8775-7259bfef4241"

// keyServer publishes a signer's OpenID configuration and JWKS on loopback;
// the published keys can be swapped, and downloads are counted.
type keyServer struct {
	*httptest.Server
	jwks      atomic.Pointer[http.Handler]
	downloads atomic.Int32
}

func newKeyServer(t testing.TB, s *NotificationSigner) *keyServer {
	t.Helper()
	ks := &keyServer{}
	ks.publish(s.JWKSHandler())
	mux := http.NewServeMux()
	mux.Handle("/v1/.well-known/OpenIdConfiguration", s.OpenIDHandler("/v1/keys"))
	mux.HandleFunc("/v1/keys", func(w http.ResponseWriter, r *http.Request) {
		ks.downloads.Add(1)
		(*ks.jwks.Load()).ServeHTTP(w, r)
	})
	ks.Server = httptest.NewServer(mux)
	t.Cleanup(ks.Close)
	return ks
}

func (ks *keyServer) publish(h http.Handler) { ks.jwks.Store(&h) }

func (ks *keyServer) configURL() string { return ks.URL + "/v1/.well-known/OpenIdConfiguration" }

func newTestSigner(t testing.TB, opts ...Option) *NotificationSigner {
	t.Helper()
	key, _, foreign := testKeys(t)
	s, err := NewNotificationSigner(key, append([]Option{WithForeignKey(foreign)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newTestVerifier(t testing.TB, configURL string, opts ...Option) *NotificationVerifier {
	t.Helper()
	v, err := NewNotificationVerifier(configURL, botAppID, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNotificationRoundTrip(t *testing.T) {
	s := newTestSigner(t)
	ks := newKeyServer(t, s)
	v := newTestVerifier(t, ks.configURL())
	token, err := s.Token(botAppID, testTenant)
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Verify(context.Background(), "Bearer "+token)
	if err != nil {
		t.Fatalf("Verify = %v", err)
	}
	if c.Audience != botAppID || c.TenantID != testTenant || c.Issuer != DefaultNotificationIssuer {
		t.Errorf("claims %+v", c)
	}
	if got := c.Expiry().Sub(c.IssuedAt.Time); got != DefaultNotificationTokenLifetime {
		t.Errorf("exp - iat = %v", got)
	}
}

func TestOpenIDConfigurationDocument(t *testing.T) {
	s := newTestSigner(t)
	ks := newKeyServer(t, s)
	resp, err := http.Get(ks.configURL())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc OpenIDConfiguration
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Issuer != DefaultNotificationIssuer || doc.JWKSURI != ks.URL+"/v1/keys" || len(doc.IDTokenSigningAlgValuesSupported) != 1 {
		t.Errorf("document %+v", doc)
	}
}

func TestNotificationVerifierIssuers(t *testing.T) {
	graphSigned := newTestSigner(t, WithIssuer(GraphNotificationIssuer))
	ks := newKeyServer(t, graphSigned)
	token, _ := graphSigned.Token(botAppID, testTenant)
	// The samples accept both issuers (§6).
	if _, err := newTestVerifier(t, ks.configURL()).VerifyToken(context.Background(), token); err != nil {
		t.Errorf("default issuers: %v", err)
	}
	strict := newTestVerifier(t, ks.configURL(), WithIssuers(DefaultNotificationIssuer))
	if _, err := strict.VerifyToken(context.Background(), token); !errors.Is(err, ErrWrongIssuer) {
		t.Errorf("strict issuers: %v, want ErrWrongIssuer", err)
	}
}

func TestNotificationDefects(t *testing.T) {
	s := newTestSigner(t)
	v := newTestVerifier(t, newKeyServer(t, s).configURL())
	for _, d := range Defects() {
		token, err := s.DefectiveToken(botAppID, testTenant, d)
		if d == DefectMissingRoles || d == DefectDelegated {
			if err == nil {
				t.Errorf("%s: minted a notification token with a Graph-only defect", d)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		_, err = v.VerifyToken(context.Background(), token)
		if want := d.Reason(); want == nil && err != nil || want != nil && !errors.Is(err, want) {
			t.Errorf("%s: Verify = %v, want %v", d, err, want)
		}
	}
	if _, err := v.Verify(context.Background(), ""); !errors.Is(err, ErrMissingToken) {
		t.Errorf("no header: %v", err)
	}
}

func TestSignerCachesTokens(t *testing.T) {
	clock := newFakeClock()
	s := newTestSigner(t, WithClock(clock.Now), WithLifetime(time.Hour))
	t1, _ := s.Token(botAppID, testTenant)
	t2, _ := s.Token(botAppID, testTenant)
	other, _ := s.Token(botAppID, "another-tenant")
	if t1 != t2 || t1 == other {
		t.Fatal("want one cached token per (audience, tenant)")
	}
	clock.Advance(54 * time.Minute) // 6 minutes left: still reused
	if t3, _ := s.Token(botAppID, testTenant); t3 != t1 {
		t.Error("token renewed too early")
	}
	clock.Advance(2 * time.Minute) // 4 minutes left: renewed
	if t4, _ := s.Token(botAppID, testTenant); t4 == t1 {
		t.Error("token not renewed near expiry")
	}
}

func TestVerifierRefreshesOnUnknownKid(t *testing.T) {
	clock := newFakeClock()
	old := newTestSigner(t)
	ks := newKeyServer(t, old)
	tm := DefaultTimeouts()
	tm.KeyRefreshMin = time.Minute
	v := newTestVerifier(t, ks.configURL(), WithClock(clock.Now), WithTimeouts(tm))
	if err := v.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, rotatedKey, _ := testKeys(t)
	rotated, _ := NewNotificationSigner(rotatedKey, WithClock(clock.Now))
	token, _ := rotated.Token(botAppID, testTenant)

	// Within KeyRefreshMin of the last download, an unknown kid does not
	// trigger another one.
	if _, err := v.VerifyToken(context.Background(), token); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("before rotation: %v, want ErrUnknownKey", err)
	}
	if n := ks.downloads.Load(); n != 1 {
		t.Fatalf("%d downloads, want 1 (rate limited)", n)
	}
	ks.publish(JWKSHandler(old.Key(), rotatedKey))
	clock.Advance(time.Minute)
	if _, err := v.VerifyToken(context.Background(), token); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if n := ks.downloads.Load(); n != 2 {
		t.Errorf("%d downloads, want 2", n)
	}
}

func TestVerifierPeriodicRefreshKeepsStaleKeys(t *testing.T) {
	clock := newFakeClock()
	s := newTestSigner(t, WithClock(clock.Now))
	ks := newKeyServer(t, s)
	v := newTestVerifier(t, ks.configURL(), WithClock(clock.Now))
	token, _ := s.Token(botAppID, testTenant)
	if _, err := v.VerifyToken(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	ks.publish(http.NotFoundHandler())
	clock.Advance(DefaultTimeouts().KeyRefresh)
	fresh, _ := s.DefectiveToken(botAppID, testTenant, DefectNone) // not in the verified cache
	if _, err := v.VerifyToken(context.Background(), fresh); err != nil {
		t.Errorf("failed refresh should keep the old keys: %v", err)
	}
	if at, err := v.LastRefresh(); !errors.Is(err, ErrDiscovery) || at.IsZero() {
		t.Errorf("LastRefresh = %v, %v; want the last success and the failure", at, err)
	}
	if ks.downloads.Load() != 2 {
		t.Errorf("%d downloads, want 2 (initial and periodic)", ks.downloads.Load())
	}
}

func TestDiscoveryErrors(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/config"
	closed.Close()
	for _, tc := range []struct {
		name    string
		config  string // the configuration document, "" for 404
		jwks    string // the keys document, "" for 404
		url     string // overrides the server's URL
		wantURL string // "config" or "keys": which URL the error names
		want    string
	}{
		{"unreachable", "", "", closedURL, "", "unreachable"},
		{"config 404", "", "", "", "config", "status 404, want 200"},
		{"config not JSON", "<html>", "", "", "config", "not the expected JSON document"},
		{"no jwks_uri", `{"issuer":"x"}`, "", "", "config", "no jwks_uri"},
		{"keys 404", `{"jwks_uri":"/keys"}`, "", "", "keys", "status 404"},
		{"keys not JSON", `{"jwks_uri":"/keys"}`, "nope", "", "keys", "not the expected JSON document"},
		{"no keys", `{"jwks_uri":"/keys"}`, `{"keys":[]}`, "", "keys", "no RSA signing keys"},
	} {
		srv := staticServer(t, tc.config, tc.jwks)
		u := srv.URL + "/config"
		if tc.url != "" {
			u = tc.url
		}
		err := newTestVerifier(t, u).Refresh(context.Background())
		var de *DiscoveryError
		if !errors.As(err, &de) || !errors.Is(err, ErrDiscovery) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a DiscoveryError containing %q", tc.name, err, tc.want)
			continue
		}
		if named := map[string]string{"config": srv.URL + "/config", "keys": srv.URL + "/keys", "": u}[tc.wantURL]; de.URL != named {
			t.Errorf("%s: error names %s, want %s", tc.name, de.URL, named)
		}
	}
}

func staticServer(t *testing.T, config, jwks string) *httptest.Server {
	t.Helper()
	serve := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if body == "" {
				http.NotFound(w, r)
				return
			}
			_, _ = w.Write([]byte(body))
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/config", serve(config))
	mux.Handle("/keys", serve(jwks))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestDiscoveryIsBounded: a key server that never answers costs a caller
// no more than its context allows.
func TestDiscoveryIsBounded(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	v := newTestVerifier(t, srv.URL+"/config")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := v.Verify(ctx, "Bearer x.y.z")
	if !errors.Is(err, ErrDiscovery) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Verify = %v, want a discovery error from the deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Verify waited %v", d)
	}
}

func TestNewNotificationVerifierRejects(t *testing.T) {
	for _, u := range []string{"", "/relative", "ftp://x/y", "http://"} {
		if _, err := NewNotificationVerifier(u, botAppID); err == nil || !strings.Contains(err.Error(), "OpenID configuration URL") {
			t.Errorf("URL %q: %v", u, err)
		}
	}
	if _, err := NewNotificationVerifier("https://x/y", ""); err == nil {
		t.Error("empty app id accepted")
	}
}
