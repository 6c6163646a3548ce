package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/target"
)

// Apps of the doctor tests' emulator besides its default app.
const (
	doctorLackingApp = "66666666-6666-4666-8666-000000000001" // every calling role but Calls.InitiateGroupCall.All
	doctorOtherApp   = "66666666-6666-4666-8666-000000000002" // in doctorOtherTenant
	doctorOther      = "77777777-7777-4777-8777-777777777777"
)

func TestDoctorHelp(t *testing.T) {
	code, stdout, _ := runCLI("doctor", "--help")
	for _, want := range []string{"Usage: callcheck doctor", "--target", "--values", "--features", "--callback-url", "Examples:",
		"callcheck doctor --target https://graph.microsoft.com/beta", "Exit 0 when every check holds, 2 when one fails"} {
		if code != exitOK || !strings.Contains(stdout, want) {
			t.Errorf("exit %d; --help lacks %q", code, want)
		}
	}
	for _, cmd := range [][]string{{"conform"}, {"load", "create"}, {"load", "capacity"}, {"certify-bot"}} {
		if _, stdout, _ := runCLI(append(cmd, "--help")...); !strings.Contains(stdout, "-skip-preflight") {
			t.Errorf("%s --help lacks --skip-preflight", cmd)
		}
	}
}

// TestDoctorEmbedded: with no flags every check runs against the embedded
// emulator and holds.
func TestDoctorEmbedded(t *testing.T) {
	code, stdout, stderr := runCLI("doctor")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != exitOK || len(lines) != 7 || lines[0] != "callcheck doctor: 6 checks against the embedded emulator" {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for i, check := range []string{"token", "permissions", "values", "callback", "notification-keys", "target"} {
		if !strings.HasPrefix(lines[i+1], "✓ "+check+": ") {
			t.Errorf("line %d: %q, want ✓ %s", i+1, lines[i+1], check)
		}
	}
}

// doctorEmulator starts an emulator with the default app, an app lacking
// Calls.InitiateGroupCall.All and an app of another tenant.
func doctorEmulator(t *testing.T) *target.Emulator {
	t.Helper()
	return emutest.Start(t, func(c *target.EmulatorConfig) {
		lacking := target.DefaultApp("lacking-secret")
		lacking.ClientID = doctorLackingApp
		lacking.Roles = []string{graph.RoleInitiate, graph.RoleJoinGroupCall, graph.RoleJoinGroupCallAsGuest, graph.RoleAccessMedia}
		other := target.DefaultApp("other-secret")
		other.ClientID, other.TenantID = doctorOtherApp, doctorOther
		c.Apps = append(c.Apps, lacking, other)
	})
}

var (
	doctorCallRE = regexp.MustCompile(`/communications/calls/[0-9a-f-]{36}`)
	doctorPortRE = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

// stableLine replaces a line's new call id and free ports, keeping the
// URLs of keep.
func stableLine(line string, keep ...string) string {
	for i, k := range keep {
		line = strings.ReplaceAll(line, k, "\x00"+string(rune('0'+i)))
	}
	line = doctorPortRE.ReplaceAllString(doctorCallRE.ReplaceAllString(line, "/communications/calls/GUID"), "127.0.0.1:PORT")
	for i, k := range keep {
		line = strings.ReplaceAll(line, "\x00"+string(rune('0'+i)), k)
	}
	return line
}

// TestDoctorFailures: each setup problem is exit 2 with its check's exact
// line; the target is an emulator on loopback, reached as a remote target.
func TestDoctorFailures(t *testing.T) {
	srv := doctorEmulator(t)
	app := srv.DefaultApp()
	base := []string{"--target", srv.GraphBaseURL("beta"), "--token-url", srv.TokenURL(app.TenantID), "--notification-openid", srv.OpenIDConfigURL()}
	bot := append(append([]string{}, base...), "--client-id", app.ClientID, "--client-secret", app.ClientSecret)
	closed := "http://127.0.0.1:" + testkit.FreePort(t) + "/callback"
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer plain.Close()
	appToken, err := srv.Authority().Token(app.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	delegated, err := srv.Authority().DefectiveToken(app.ClientID, identity.DefectDelegated)
	if err != nil {
		t.Fatal(err)
	}
	values := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(values, []byte("users:\n  - id: 112f7296-5fa4-42ca-bae8-6a692b15d4b8\n  - id: <second user's id>\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		// An app registered without Calls.InitiateGroupCall.All claims group calls.
		{"app lacking a role", append(append([]string{}, base...), "--client-id", doctorLackingApp, "--client-secret", "lacking-secret", "--features", "core,group-call"),
			"✗ permissions: app " + doctorLackingApp + " lacks Calls.InitiateGroupCall.All, which scenario group (features group-call, service-hosted-media) needs: " +
				"Graph answers 403 7504 \"Insufficient enterprise tenant permissions\" to such a create (graph-calls-facts.md §4.2, §5.1) — fix: grant it to app " +
				doctorLackingApp + " as an application permission and have an admin consent, or claim fewer features (--features)"},
		// --tenant-id names another tenant than the token's.
		{"wrong tenant", append(append([]string{}, bot...), "--tenant-id", doctorOther),
			"✗ token: the token is for tenant " + app.TenantID + ", not the run's tenant " + doctorOther +
				": Graph answers 403 7505 \"Request authorization tenant mismatch.\" (graph-calls-facts.md §4.2) — fix: give --tenant-id (and tenantId in the values file) " +
				"of the tenant the app's token is for, or a client secret of the app in tenant " + doctorOther},
		// Nothing listens where the callback URL points.
		{"unreachable callback", append(append([]string{}, bot...), "--callback-url", closed),
			"✗ callback: a probe POSTed to " + closed + " did not get through: dial tcp 127.0.0.1:PORT: connect: connection refused — fix: make " + closed +
				" forward POSTs, with their path, body and Authorization header, to --listen 127.0.0.1:PORT (is the tunnel or proxy up, and pointed there?)"},
		// A template marker left in the values file.
		{"placeholder id", append(append([]string{}, bot...), "--values", values, "--features", "core,group-call"),
			"✗ values: " + values + ": users[1].id \"<second user's id>\" is a placeholder left to fill — fix: put the real ids of your tenant in " + values +
				" (docs/values.example.yaml names each, docs/conformance.md says where to find them)"},
		// A user's token.
		{"delegated token", []string{"--target", srv.GraphBaseURL("beta"), "--token", delegated, "--notification-openid", srv.OpenIDConfigURL(), "--app-id", app.ClientID},
			"✗ token: a delegated (user) token (scp \"User.Read Calls.Initiate.All\", user adele.vance@contoso.example): Create call takes application tokens only, " +
				"Graph answers 7500 \"Unsupported AAD Identity.\" (graph-calls-facts.md §4.2, §4.4) — fix: get an application token with client credentials " +
				"(--client-id, --client-secret, --tenant-id) instead of a user's --token"},
		// A plain web server as the target.
		{"not Graph", []string{"--target", plain.URL + "/beta", "--token", appToken, "--notification-openid", srv.OpenIDConfigURL(), "--app-id", app.ClientID},
			"✗ target: GET " + plain.URL + "/beta/communications/calls/GUID answered 200 text/plain; charset=utf-8, not Graph's 404 error body {\"error\":{\"code\":…}}: " +
				"it is not a Graph API base URL — fix: give --target the Graph base URL with its version segment, e.g. https://graph.microsoft.com/beta"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"doctor"}, tc.args...)...)
			var got []string
			for _, line := range strings.Split(stdout, "\n") {
				if strings.HasPrefix(line, "✗ ") {
					got = append(got, stableLine(line, closed, plain.URL))
				}
			}
			if code != exitUsage || len(got) != 1 || got[0] != tc.want || !strings.Contains(stderr, "1 of 6 checks failed") {
				t.Fatalf("exit %d, failed lines:\n%s\nwant exit 2 and\n%s\nstdout:\n%s\nstderr: %s", code, strings.Join(got, "\n"), tc.want, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, app.ClientSecret) || strings.Contains(stdout+stderr, appToken) {
				t.Error("a secret or token was printed")
			}
		})
	}
	t.Run("wrong secret", func(t *testing.T) {
		code, stdout, _ := runCLI(append([]string{"doctor", "--client-id", app.ClientID, "--client-secret", "not-the-secret"}, base...)...)
		want := "✗ token: getting a token from " + srv.TokenURL(app.TenantID) + " for client " + app.ClientID + ": oauth2: \"invalid_client\" \"AADSTS7000215: Invalid client secret provided."
		if code != exitUsage || !strings.Contains(stdout, "\n"+want) || strings.Count(stdout, "✗ ") != 1 || strings.Count(stdout, "- ") != 2 || strings.Contains(stdout, "not-the-secret") {
			t.Fatalf("exit %d\n%s\nwant a line starting %q, the permissions and target checks skipped", code, stdout, want)
		}
	})
	t.Run("all hold", func(t *testing.T) {
		if code, stdout, stderr := runCLI(append([]string{"doctor", "--features", "all"}, bot...)...); code != exitOK || strings.Count(stdout, "✓ ") != 6 {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
	})
}

// TestPreflightStopsRuns: conform, load and certify-bot stop with exit 2
// and the doctor's line when a check fails, before any contract, attack or
// certification; --skip-preflight lets the run go on to its own failure.
func TestPreflightStopsRuns(t *testing.T) {
	srv := doctorEmulator(t)
	app := srv.DefaultApp()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer plain.Close()
	appToken, err := srv.Authority().Token(app.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		// The token's tenant is not --tenant-id's.
		{"conform", []string{"conform", "--target", srv.GraphBaseURL("beta"), "--token-url", srv.TokenURL(app.TenantID), "--client-id", app.ClientID,
			"--client-secret", app.ClientSecret, "--notification-openid", srv.OpenIDConfigURL(), "--tenant-id", doctorOther},
			"callcheck conform: preflight: ✗ token: the token is for tenant " + app.TenantID + ", not the run's tenant " + doctorOther},
		// A plain web server as the target.
		{"load create", []string{"load", "create", "--target", plain.URL + "/beta", "--token", appToken, "--notification-openid", srv.OpenIDConfigURL(),
			"--app-id", app.ClientID, "--duration", "1s", "--out", ""},
			"callcheck load: preflight: ✗ target: GET " + plain.URL + "/beta/communications/calls/"},
		{"load capacity", []string{"load", "capacity", "--target", plain.URL + "/beta", "--token", appToken, "--notification-openid", srv.OpenIDConfigURL(),
			"--app-id", app.ClientID, "--out", ""},
			"callcheck load: preflight: ✗ target: GET " + plain.URL + "/beta/communications/calls/"},
		// The bot's registration (--roles) lacks the group call's permission.
		{"certify-bot", []string{"certify-bot", "--bot-name", "b", "--bot-version", "1", "--roles", graph.RoleInitiate, "--trigger", "group=true", "--listen", "127.0.0.1:0"},
			"callcheck certify-bot: preflight: ✗ permissions: app " + target.DefaultClientID + " lacks Calls.InitiateGroupCall.All, which scenario group (features group-call, service-hosted-media) needs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tc.args...)
			if code != exitUsage || !strings.HasPrefix(stderr, tc.want) || strings.Contains(stdout, "contracts against") {
				t.Fatalf("exit %d\nstderr %q\nwant exit 2 and a stderr starting %q\nstdout %s", code, stderr, tc.want, stdout)
			}
		})
	}
	// Without the checks the run goes on against whatever answers (load's
	// own probe takes the plain server's 200s for successes).
	_, _, stderr := runCLI("load", "create", "--skip-preflight", "--target", plain.URL+"/beta", "--token", appToken,
		"--notification-openid", srv.OpenIDConfigURL(), "--app-id", app.ClientID, "--duration", "1s", "--rate", "5/s", "--out", "")
	if strings.Contains(stderr, "preflight") || !strings.Contains(stderr, "create: constant 5/s for 1s") {
		t.Errorf("--skip-preflight: stderr %q, want the run to start", stderr)
	}
}

// TestDoctorEmulateProcess: callcheck emulate in its own process, with an
// app lacking each calling permission: the doctor passes for the bot and
// names the permission the app lacking Calls.InitiateGroupCall.All misses.
func TestDoctorEmulateProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := conformBinary(t)
	emu := startEmulateProcess(t, bin, t.TempDir())
	args := []string{"doctor", "--target", emu.GraphBaseURLs["beta"], "--token-url", emu.TokenURL, "--notification-openid", emu.OpenIDConfigURL, "--features", "all"}
	code, stdout, stderr := runBinary(t, bin, nil, append(args, "--client-id", emu.ClientID, "--client-secret", emu.ClientSecret)...)
	if code != exitOK || strings.Count(stdout, "✓ ") != 6 {
		t.Fatalf("the bot: exit %d\n%s%s", code, stdout, stderr)
	}
	// lackingClientID(1) lacks graph.CallingRoles()[1], Calls.InitiateGroupCall.All.
	code, stdout, stderr = runBinary(t, bin, nil, append(args, "--client-id", lackingClientID(1), "--client-secret", "lacking-secret-1")...)
	want := "✗ permissions: app " + lackingClientID(1) + " lacks Calls.InitiateGroupCall.All, which scenario group (features group-call, service-hosted-media) needs"
	if code != exitUsage || !strings.Contains(stdout, want) || !strings.Contains(stderr, "1 of 6 checks failed") {
		t.Fatalf("the app lacking a role: exit %d\n%s%s", code, stdout, stderr)
	}
}
