package target_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/target"
)

func ctxTimeout(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// open resolves cfg and opens the target, closing it at the test's end.
func open(t *testing.T, cfg target.Config, opts ...target.Option) *target.Target {
	t.Helper()
	spec, err := cfg.Resolve()
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	tg, err := target.Open(ctxTimeout(t), spec, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := tg.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return tg
}

// getCall asks the target for an unknown call with the target's token: the
// emulator answers 404 to an authorised request, 401 to any other.
func getCall(t *testing.T, tg *target.Target) int {
	t.Helper()
	tok, err := tg.Tokens().Token()
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	req, _ := http.NewRequestWithContext(ctxTimeout(t), http.MethodGet, tg.BaseURL()+"/communications/calls/"+identity.NewGUID(), nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestEmbedded: the zero Config is the embedded emulator on loopback, its
// first app's tokens through client credentials, and the receiver
// configuration names the emulator's keys and that app.
func TestEmbedded(t *testing.T) {
	ec := emutest.Config(t)
	bot := target.DefaultApp("bot-secret")
	bot.ClientID = "11111111-1111-4111-8111-111111111111"
	tg := open(t, target.Config{Emulator: &ec, APIVersion: "v1.0"}, target.WithApps(bot))
	if tg.Kind() != target.KindEmbedded || tg.Spec().Auth() != "embedded" || !strings.HasPrefix(tg.BaseURL(), "http://127.0.0.1:") ||
		!strings.HasSuffix(tg.BaseURL(), "/v1.0") {
		t.Errorf("kind %q auth %q base %q", tg.Kind(), tg.Spec().Auth(), tg.BaseURL())
	}
	if tg.App().ClientID != bot.ClientID || tg.Emulator() == nil {
		t.Errorf("app %s, emulator %v: want the first app of WithApps", tg.App(), tg.Emulator())
	}
	if got := getCall(t, tg); got != http.StatusNotFound {
		t.Errorf("GET with the target's token: %d, want 404", got)
	}
	rc := tg.Receiver()
	if rc.OpenIDConfigURL != tg.Emulator().OpenIDConfigURL() || rc.AppID != bot.ClientID || rc.Listen != target.DefaultListen {
		t.Errorf("receiver config %+v", rc)
	}
	if len(ec.Apps) != 1 {
		t.Errorf("Open changed the caller's emulator configuration: %+v", ec.Apps)
	}
}

// TestRemoteClientCredentials: a URL with client credentials gets its
// tokens from the token endpoint (an emulator's, here) and they authorise
// requests; the defaults of a remote target apply.
func TestRemoteClientCredentials(t *testing.T) {
	srv := emutest.Start(t, nil)
	app := srv.DefaultApp()
	cc := identity.ClientCredentials{TokenURL: srv.TokenURL(app.TenantID), ClientID: app.ClientID, ClientSecret: app.ClientSecret}
	tg := open(t, target.Config{URL: srv.GraphBaseURL("v1.0") + "/", ClientCredentials: cc})
	spec := tg.Spec()
	if tg.Kind() != target.KindRemote || tg.BaseURL() != srv.GraphBaseURL("v1.0") || spec.APIVersion() != "v1.0" ||
		spec.Auth() != "client-credentials" || tg.Emulator() != nil {
		t.Errorf("kind %q base %q version %q auth %q", tg.Kind(), tg.BaseURL(), spec.APIVersion(), spec.Auth())
	}
	if got := getCall(t, tg); got != http.StatusNotFound {
		t.Errorf("GET with the client-credentials token: %d, want 404", got)
	}
	rc := tg.Receiver()
	if rc.OpenIDConfigURL != target.DefaultNotificationOpenID || rc.AppID != app.ClientID {
		t.Errorf("receiver config %+v: want Graph's keys and the client id as audience", rc)
	}
	// Another app of the same token endpoint: a wrong secret fails at once,
	// naming the endpoint and the client, never the secret.
	_, err := tg.ClientCredentials(ctxTimeout(t), app.ClientID, "not-the-secret")
	if err == nil || !strings.Contains(err.Error(), "getting a token from "+cc.TokenURL+" for client "+app.ClientID) ||
		strings.Contains(err.Error(), "not-the-secret") {
		t.Errorf("wrong secret: %v", err)
	}
}

// TestRemoteStaticToken: a static token is used as given, without a
// request.
func TestRemoteStaticToken(t *testing.T) {
	tg := open(t, target.Config{URL: "https://graph.example/beta", Token: "the-token", AppID: "bot"})
	tok, err := tg.Tokens().Token()
	if err != nil || tok.AccessToken != "the-token" || tg.Spec().Auth() != "static-token" || tg.Receiver().AppID != "bot" {
		t.Errorf("token %v %v, auth %q", tok, err, tg.Spec().Auth())
	}
}

// TestBadConfig: a bad configuration is refused by Resolve with one line
// naming the flag at fault.
func TestBadConfig(t *testing.T) {
	ec := target.NewEmulatorConfig()
	cc := identity.ClientCredentials{TokenURL: "https://login.example/t/oauth2/v2.0/token", ClientID: "app", ClientSecret: "s"}
	for _, tc := range []struct {
		name string
		cfg  target.Config
		flag string
	}{
		// Credentials mean nothing to the embedded emulator.
		{"token without target", target.Config{Token: "t"}, "--target"},
		// A remote target needs credentials.
		{"target without credentials", target.Config{URL: "https://g/beta"}, "--token"},
		{"relative target", target.Config{URL: "graph/beta", Token: "t"}, "--target"},
		{"token and client credentials", target.Config{URL: "https://g/beta", Token: "t", ClientCredentials: cc}, "--token"},
		{"client credentials without secret", target.Config{URL: "https://g/beta", ClientCredentials: identity.ClientCredentials{ClientID: "a"}}, "ClientCredentials"},
		// The emulator's configuration is for the embedded emulator only.
		{"emulator with a target", target.Config{URL: "https://g/beta", Token: "t", Emulator: &ec}, "--emulator-config"},
		{"listen not host:port", target.Config{Listen: "8080"}, "--listen"},
		{"callback not absolute", target.Config{CallbackURL: "ftp://bot/cb"}, "--callback-url"},
		{"openid relative", target.Config{NotificationOpenID: "/v1/.well-known/OpenIdConfiguration"}, "--notification-openid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.cfg.Resolve()
			if err == nil || !strings.Contains(err.Error(), tc.flag) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Resolve: %v; want one line naming %s", err, tc.flag)
			}
		})
	}
	if _, err := target.Open(context.Background(), target.Spec{}); err == nil {
		t.Error("Open accepted a Spec that Resolve did not make")
	}
}

// TestSpecImmutable: changing the Config after Resolve does not reach the
// Spec.
func TestSpecImmutable(t *testing.T) {
	cfg := target.Config{URL: "https://g/beta", ClientCredentials: identity.ClientCredentials{TokenURL: "https://l/t",
		ClientID: "app", ClientSecret: "s", Scopes: []string{"scope-a"}}}
	spec, err := cfg.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	cfg.URL, cfg.ClientCredentials.Scopes[0] = "https://other/v1.0", "changed"
	if spec.URL() != "https://g/beta" || spec.ClientCredentials().Scopes[0] != "scope-a" {
		t.Errorf("the Spec followed the Config: %q %v", spec.URL(), spec.ClientCredentials().Scopes)
	}
}

// TestReceiver: the receiver serves on its address with its own callback
// URL; unreachable keys and a bad address are typed errors.
func TestReceiver(t *testing.T) {
	srv := emutest.Start(t, nil)
	rc := target.ReceiverConfig{OpenIDConfigURL: srv.OpenIDConfigURL(), AppID: srv.DefaultApp().ClientID}
	recv, err := target.StartReceiver(ctxTimeout(t), rc)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(recv.CallbackURL(), "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(recv.CallbackURL(), "http://127.0.0.1:") || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("callback %s answered an unsigned POST %d, want 401", recv.CallbackURL(), resp.StatusCode)
	}
	// headers are bounded (64 KiB, internal/serve), not net/http's 1 MiB
	big, _ := http.NewRequest(http.MethodPost, recv.CallbackURL(), strings.NewReader("{}"))
	big.Header.Set("X-Padding", strings.Repeat("a", 128<<10))
	if resp, err := http.DefaultClient.Do(big); err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("128 KiB of headers: %v %v, want 431", resp, err)
	} else {
		resp.Body.Close()
	}
	if err := recv.Close(context.Background()); err != nil {
		t.Errorf("Close: %v", err)
	}
	var ke *target.KeysError
	bad := rc
	bad.OpenIDConfigURL = "http://127.0.0.1:1/v1/.well-known/OpenIdConfiguration"
	if _, err := target.StartReceiver(ctxTimeout(t), bad); !errors.As(err, &ke) || !strings.Contains(err.Error(), "--notification-openid") {
		t.Errorf("unreachable keys: %v", err)
	}
	var le *target.ListenError
	bad = rc
	bad.Listen = "256.0.0.1:0"
	if _, err := target.StartReceiver(ctxTimeout(t), bad); !errors.As(err, &le) || le.Addr != bad.Listen {
		t.Errorf("bad address: %v", err)
	}
}
