package preflight_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/preflight"
	"github.com/callcheck/callcheck/target"
)

// Ids of the apps the test emulator registers besides its default app.
const (
	lackingGroupApp = "11111111-1111-4111-8111-000000000001" // every calling role but Calls.InitiateGroupCall.All
	otherTenantApp  = "11111111-1111-4111-8111-000000000002" // every calling role, in otherTenant
	otherTenant     = "22222222-2222-4222-8222-222222222222"
)

// startEmulator starts an emulator with the default app, an app lacking
// Calls.InitiateGroupCall.All and an app of another tenant.
func startEmulator(t *testing.T) *target.Emulator {
	t.Helper()
	return emutest.Start(t, func(c *target.EmulatorConfig) {
		lacking := target.DefaultApp("lacking-secret")
		lacking.ClientID = lackingGroupApp
		lacking.Roles = []string{graph.RoleInitiate, graph.RoleJoinGroupCall, graph.RoleJoinGroupCallAsGuest, graph.RoleAccessMedia}
		other := target.DefaultApp("other-secret")
		other.ClientID, other.TenantID = otherTenantApp, otherTenant
		c.Apps = append(c.Apps, lacking, other)
	})
}

// remote is the configuration of a run against srv as a remote target,
// authenticated as the app clientID with secret.
func remote(t *testing.T, srv *target.Emulator, clientID, secret string, features ...graph.Feature) preflight.Config {
	t.Helper()
	cc := identity.ClientCredentials{TokenURL: srv.TokenURL(target.DefaultTenantID), ClientID: clientID, ClientSecret: secret}
	if clientID == otherTenantApp {
		cc.TokenURL = srv.TokenURL(otherTenant)
	}
	tc := target.Config{URL: srv.GraphBaseURL("beta"), ClientCredentials: cc, NotificationOpenID: srv.OpenIDConfigURL()}
	return preflight.Config{Target: resolve(t, tc), TenantID: target.DefaultTenantID, Features: features}
}

func resolve(t *testing.T, tc target.Config) target.Spec {
	t.Helper()
	spec, err := tc.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func run(t *testing.T, cfg preflight.Config) preflight.Report {
	t.Helper()
	return preflight.Run(testkit.Context(t, time.Minute), cfg)
}

// result returns the result of check.
func result(t *testing.T, rep preflight.Report, check string) preflight.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Check == check {
			return r
		}
	}
	t.Fatalf("no %s check in %q", check, rep.Lines())
	return preflight.Result{}
}

var (
	callRE = regexp.MustCompile(`/communications/calls/[0-9a-f-]{36}`)
	portRE = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

// stable replaces the random parts of a line (new call ids, free ports)
// by fixed words, keeping the URLs of keep.
func stable(line string, keep ...string) string {
	for i, k := range keep {
		line = strings.ReplaceAll(line, k, "KEEP"+string(rune('0'+i)))
	}
	line = portRE.ReplaceAllString(callRE.ReplaceAllString(line, "/communications/calls/GUID"), "127.0.0.1:PORT")
	for i, k := range keep {
		line = strings.ReplaceAll(line, "KEEP"+string(rune('0'+i)), k)
	}
	return line
}

// TestEmbeddedAllPass: against the embedded emulator every check runs and
// holds, in order.
func TestEmbeddedAllPass(t *testing.T) {
	ec := emutest.Config(t)
	cfg := preflight.Config{Target: resolve(t, target.Config{Emulator: &ec}), TenantID: target.DefaultTenantID,
		Features: graph.Features(), Values: &preflight.Values{Run: fixtures.DocumentedValues()}}
	rep := run(t, cfg)
	if !rep.OK() || len(rep.Results) != len(preflight.Checks()) {
		t.Fatalf("%q", rep.Lines())
	}
	for i, r := range rep.Results {
		if r.Check != preflight.Checks()[i] || !strings.HasPrefix(r.Line(), "✓ "+r.Check+": ") {
			t.Errorf("check %d: %q", i, r.Line())
		}
	}
}

// TestFailures: each setup problem fails its check with its exact line;
// the others still hold (or are skipped when they need what failed).
func TestFailures(t *testing.T) {
	srv := startEmulator(t)
	app := srv.DefaultApp()
	closed := "http://127.0.0.1:" + testkit.FreePort(t) + "/callback"
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	defer elsewhere.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("hello")) }))
	defer plain.Close()
	delegated, err := srv.Authority().DefectiveToken(app.ClientID, identity.DefectDelegated)
	if err != nil {
		t.Fatal(err)
	}
	listen := "127.0.0.1:" + testkit.FreePort(t)
	stripping := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, "http://"+listen+r.URL.Path, r.Body)
		req.Header.Set("Content-Type", r.Header.Get("Content-Type")) // and no Authorization
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
	}))
	defer stripping.Close()
	placeholder := fixtures.DocumentedValues()
	placeholder.Users[1].ID = "REPLACE-WITH-A-USER-ID"

	for _, tc := range []struct {
		name   string
		change func(*preflight.Config)
		check  string
		want   string
	}{
		// An app registered without Calls.InitiateGroupCall.All claims group calls.
		{"app lacking a role", func(c *preflight.Config) {
			*c = remote(t, srv, lackingGroupApp, "lacking-secret", graph.FeaturePeerToPeer, graph.FeatureGroupCall, graph.FeatureServiceHostedMedia)
		}, preflight.CheckPermissions,
			"✗ permissions: app " + lackingGroupApp + " lacks Calls.InitiateGroupCall.All, which scenario group (features group-call, service-hosted-media) needs: " +
				"Graph answers 403 7504 \"Insufficient enterprise tenant permissions\" to such a create (graph-calls-facts.md §4.2, §5.1) — fix: grant it to app " +
				lackingGroupApp + " as an application permission and have an admin consent, or claim fewer features (--features)"},
		// The secret is another tenant's app's.
		{"wrong tenant", func(c *preflight.Config) {
			*c = remote(t, srv, otherTenantApp, "other-secret", graph.FeaturePeerToPeer)
		},
			preflight.CheckToken,
			"✗ token: the token is for tenant " + otherTenant + ", not the run's tenant " + target.DefaultTenantID +
				": Graph answers 403 7505 \"Request authorization tenant mismatch.\" (graph-calls-facts.md §4.2) — fix: give --tenant-id (and tenantId in the values file) " +
				"of the tenant the app's token is for, or a client secret of the app in tenant " + target.DefaultTenantID},
		// A user's token given with --token.
		{"delegated token", func(c *preflight.Config) {
			c.Target = resolve(t, target.Config{URL: srv.GraphBaseURL("beta"), Token: delegated, NotificationOpenID: srv.OpenIDConfigURL(), AppID: app.ClientID})
		}, preflight.CheckToken,
			"✗ token: a delegated (user) token (scp \"User.Read Calls.Initiate.All\", user adele.vance@contoso.example): " +
				"Create call takes application tokens only, Graph answers 7500 \"Unsupported AAD Identity.\" (graph-calls-facts.md §4.2, §4.4) — fix: " +
				"get an application token with client credentials (--client-id, --client-secret, --tenant-id) instead of a user's --token"},
		// The callback URL's port has nothing listening.
		{"unreachable callback", func(c *preflight.Config) {
			c.Target = resolve(t, target.Config{URL: srv.GraphBaseURL("beta"), ClientCredentials: c.Target.ClientCredentials(), NotificationOpenID: srv.OpenIDConfigURL(), CallbackURL: closed})
		}, preflight.CheckCallback,
			"✗ callback: a probe POSTed to " + closed + " did not get through: dial tcp 127.0.0.1:PORT: connect: connection refused — fix: make " + closed +
				" forward POSTs, with their path, body and Authorization header, to --listen 127.0.0.1:PORT (is the tunnel or proxy up, and pointed there?)"},
		// The callback URL answers, but is not the receiver.
		{"callback leading elsewhere", func(c *preflight.Config) {
			c.Target = resolve(t, target.Config{URL: srv.GraphBaseURL("beta"), ClientCredentials: c.Target.ClientCredentials(), NotificationOpenID: srv.OpenIDConfigURL(), CallbackURL: elsewhere.URL + "/cb"})
			c.Timeouts.Arrival = 50 * time.Millisecond // a receiver answers after it has the probe: an answered probe that did not arrive never will
		}, preflight.CheckCallback,
			"✗ callback: " + elsewhere.URL + "/cb answered a probe 202, but it did not arrive at the receiver at --listen 127.0.0.1:PORT within 50ms: the URL leads elsewhere — fix: make " +
				elsewhere.URL + "/cb forward POSTs, with their path, body and Authorization header, to --listen 127.0.0.1:PORT (is the tunnel or proxy up, and pointed there?)"},
		// A proxy that reaches the receiver but drops the Authorization header.
		{"proxy dropping the token", func(c *preflight.Config) {
			c.Target = resolve(t, target.Config{URL: srv.GraphBaseURL("beta"), ClientCredentials: c.Target.ClientCredentials(), NotificationOpenID: srv.OpenIDConfigURL(),
				Listen: listen, CallbackURL: stripping.URL + "/callback"})
		}, preflight.CheckCallback,
			"✗ callback: a probe POSTed to " + stripping.URL + "/callback reached the receiver at 127.0.0.1:PORT but was refused (401: token missing: no Authorization header): " +
				"something on the way changed it — fix: have the proxy or tunnel pass the Authorization header and the body unchanged"},
		// A values file with a template marker left in.
		{"placeholder id", func(c *preflight.Config) {
			c.Features = []graph.Feature{graph.FeaturePeerToPeer, graph.FeatureGroupCall, graph.FeatureServiceHostedMedia}
			c.Values = &preflight.Values{File: "values.yaml", Run: placeholder}
		}, preflight.CheckValues,
			"✗ values: values.yaml: users[1].id \"REPLACE-WITH-A-USER-ID\" is a placeholder left to fill — fix: put the real ids of your tenant in values.yaml " +
				"(docs/values.example.yaml names each, docs/conformance.md says where to find them)"},
		// The notification keys' URL has nothing listening.
		{"keys unreachable", func(c *preflight.Config) {
			c.Target = resolve(t, target.Config{URL: srv.GraphBaseURL("beta"), ClientCredentials: c.Target.ClientCredentials(), NotificationOpenID: "http://127.0.0.1:1/v1/.well-known/OpenIdConfiguration"})
		}, preflight.CheckKeys, ""},
		// A web server that is not Graph.
		{"not Graph", func(c *preflight.Config) {
			c.Target = resolve(t, target.Config{URL: plain.URL + "/beta", ClientCredentials: c.Target.ClientCredentials(), NotificationOpenID: srv.OpenIDConfigURL()})
		}, preflight.CheckTarget,
			"✗ target: GET " + plain.URL + "/beta/communications/calls/GUID answered 200 text/plain; charset=utf-8, not Graph's 404 error body {\"error\":{\"code\":…}}: " +
				"it is not a Graph API base URL — fix: give --target the Graph base URL with its version segment, e.g. https://graph.microsoft.com/beta"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := remote(t, srv, app.ClientID, app.ClientSecret, graph.FeaturePeerToPeer, graph.FeatureServiceHostedMedia)
			tc.change(&cfg)
			rep := run(t, cfg)
			res := result(t, rep, tc.check)
			got := stable(res.Line(), closed, elsewhere.URL, plain.URL, stripping.URL)
			if res.Status != preflight.Failed || (tc.want != "" && got != tc.want) {
				t.Fatalf("%s:\n got %s\nwant %s", tc.check, got, tc.want)
			}
			if first, _ := rep.FirstFailure(); first.Check != tc.check || rep.OK() {
				t.Errorf("first failure %q, want the %s check's", first.Line(), tc.check)
			}
		})
	}
}

// TestRemoteAllPass: the same emulator as a remote target with the right
// app, values and callback: every check holds.
func TestRemoteAllPass(t *testing.T) {
	srv := startEmulator(t)
	app := srv.DefaultApp()
	cfg := remote(t, srv, app.ClientID, app.ClientSecret, graph.Features()...)
	cfg.Values = &preflight.Values{File: "values.yaml", Run: fixtures.DocumentedValues()}
	rep := run(t, cfg)
	if !rep.OK() {
		t.Fatalf("%q", rep.Lines())
	}
}

// hosts is a resolver with fixed answers, and a dialer that sends every
// name to a loopback address, so that a "public" setup is exercised with
// traffic on loopback only.
type hosts struct {
	addrs map[string]string // host -> the address it resolves to
	dial  map[string]string // host -> the loopback host:port a connection goes to
}

func (h hosts) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	a, ok := h.addrs[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []netip.Addr{netip.MustParseAddr(a)}, nil
}

func (h hosts) client(base *http.Client) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if base != nil {
		tr = base.Transport.(*http.Transport).Clone()
	}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		if to, ok := h.dial[host]; ok {
			addr = to
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// TestPublicTarget: for a target that is not on this machine the callback
// must be https on a public address, reach the receiver through it, and
// the values must be real ids. The target's and the callback's names
// resolve through a fixed resolver; connections go to loopback.
func TestPublicTarget(t *testing.T) {
	srv := startEmulator(t)
	listen := "127.0.0.1:" + testkit.FreePort(t)
	// The public https endpoint in front of the receiver: a TLS proxy to --listen.
	proxy := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, "http://"+listen+r.URL.Path, r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
	}))
	defer proxy.Close()
	graphAddr := strings.TrimPrefix(srv.URL(), "http://")
	h := hosts{addrs: map[string]string{"graph.test": "203.0.113.10", "bot.example.com": "198.51.100.7", "private.example.com": "10.1.2.3"},
		dial: map[string]string{"graph.test": graphAddr, "bot.example.com": strings.TrimPrefix(proxy.URL, "https://")}}
	_, port, _ := net.SplitHostPort(graphAddr)
	// The app of a tenant that is not the page's, and real-looking ids.
	real := fixtures.DocumentedValues()
	real.TenantID, real.Application.ID = otherTenant, otherTenantApp
	real.Users[0].ID = "5d0b3c1e-2f4a-4b6c-8d9e-0f1a2b3c4d5e"
	base := func(callback string) preflight.Config {
		cc := identity.ClientCredentials{TokenURL: srv.TokenURL(otherTenant), ClientID: otherTenantApp, ClientSecret: "other-secret"}
		tc := target.Config{URL: "http://graph.test:" + port + "/beta", ClientCredentials: cc, NotificationOpenID: srv.OpenIDConfigURL(),
			Listen: listen, CallbackURL: callback}
		return preflight.Config{Target: resolve(t, tc), TenantID: otherTenant, Features: []graph.Feature{graph.FeaturePeerToPeer, graph.FeatureServiceHostedMedia},
			Values: &preflight.Values{File: "values.yaml", Run: real}, Resolver: h, HTTPClient: h.client(proxy.Client())}
	}
	t.Run("all hold", func(t *testing.T) {
		rep := run(t, base("https://bot.example.com/callback"))
		if !rep.OK() {
			t.Fatalf("%q", rep.Lines())
		}
	})
	for _, tc := range []struct {
		name   string
		change func(*preflight.Config)
		check  string
		want   string
	}{
		// No --callback-url: the receiver's own loopback URL.
		{"no callback URL", func(c *preflight.Config) { *c = base("") }, preflight.CheckCallback,
			"✗ callback: no --callback-url: the target would post notifications to the receiver's own address on this machine, which it cannot reach — fix: " +
				"give --callback-url https://<public host>/<path> served by a reverse proxy or tunnel that forwards to --listen 127.0.0.1:PORT"},
		// Plain http.
		{"http callback", func(c *preflight.Config) { *c = base("http://bot.example.com/callback") }, preflight.CheckCallback,
			"✗ callback: --callback-url http://bot.example.com/callback is not https: Graph requires an https callbackUri (graph-calls-facts.md §1.1, §4.4) — fix: " +
				"serve the receiver behind https (a reverse proxy or tunnel with a certificate) and give that https URL"},
		// A name on a private network.
		{"private callback", func(c *preflight.Config) { *c = base("https://private.example.com/callback") }, preflight.CheckCallback,
			"✗ callback: --callback-url host private.example.com resolves to 10.1.2.3, a private address the target cannot reach — fix: " +
				"give a host name that resolves to a public address (a tunnel or a public reverse proxy in front of --listen)"},
		// A public name that goes nowhere: it does not resolve.
		{"unresolvable callback", func(c *preflight.Config) { *c = base("https://gone.example.com/callback") }, preflight.CheckCallback,
			"✗ callback: --callback-url host gone.example.com does not resolve: lookup gone.example.com: no such host — fix: give a host name that resolves publicly (check the DNS record or the tunnel's name)"},
		// The page's own user id left in the values.
		{"documented id", func(c *preflight.Config) { c.Values.Run.Users[0].ID = fixtures.DocumentedValues().Users[0].ID }, preflight.CheckValues,
			"✗ values: values.yaml: users[0].id \"" + fixtures.DocumentedValues().Users[0].ID + "\" is the page's example value, a placeholder (scenario p2p needs a real one) — fix: " +
				"put the real ids of your tenant in values.yaml (docs/values.example.yaml names each, docs/conformance.md says where to find them)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base("https://bot.example.com/callback")
			cfg.Values.Run.Users = append([]fixtures.Identity(nil), real.Users...)
			tc.change(&cfg)
			res := result(t, run(t, cfg), tc.check)
			if got := stable(res.Line()); got != tc.want {
				t.Fatalf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestScenariosOf: the scenarios of claimed features are those whose
// features are all claimed.
func TestScenariosOf(t *testing.T) {
	got := preflight.ScenariosOf([]graph.Feature{graph.FeaturePeerToPeer, graph.FeatureServiceHostedMedia, graph.FeatureMeetingJoin})
	want := []graph.Scenario{{Kind: graph.KindPeerToPeer, Media: graph.MediaServiceHosted}, {Kind: graph.KindMeetingJoin, Media: graph.MediaServiceHosted}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ScenariosOf = %v, want %v", got, want)
	}
	if n := len(preflight.ScenariosOf(graph.Features())); n != 12 {
		t.Errorf("every feature: %d scenarios, want 12 (6 kinds x 2 media)", n)
	}
}

// TestNoNotifications: a run that receives no notification is not checked
// for a callback or keys.
func TestNoNotifications(t *testing.T) {
	ec := emutest.Config(t)
	rep := run(t, preflight.Config{Target: resolve(t, target.Config{Emulator: &ec}), NoNotifications: true,
		Scenarios: []graph.Scenario{{Kind: graph.KindPSTN, Media: graph.MediaAppHosted}}})
	var checks []string
	for _, r := range rep.Results {
		checks = append(checks, r.Check)
	}
	if !rep.OK() || strings.Join(checks, ",") != "token,permissions,target" {
		t.Fatalf("checks %v: %q", checks, rep.Lines())
	}
}
