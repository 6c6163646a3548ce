package suites_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
)

// runChildJSON runs a child of this test binary and decodes what it writes.
func runChildJSON(t *testing.T, mode string, env []string, out any) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.json")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+mode, outEnv+"="+path), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child %s: %v\n%s", mode, err, b)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatal(err)
	}
}

// TestVendorTree: the contracts registered in a vendor's own Ginkgo tree
// (Describe) run with the vendor's RunSpecs, beside the vendor's specs, and
// the session's report has them all.
func TestVendorTree(t *testing.T) {
	var res vendorResult
	runChildJSON(t, "vendor", nil, &res)
	if !res.OwnSpecRan || !res.Passed {
		t.Fatalf("own spec ran %v, passed %v", res.OwnSpecRan, res.Passed)
	}
	if res.Report.Verdict != report.Passed || res.Report.Summary.Passed != len(suites.Contracts()) {
		t.Fatalf("report %s %+v", res.Report.Verdict, res.Report.Summary)
	}
	if res.Report.Target.Kind != "embedded-emulator" || !strings.HasPrefix(res.Report.Target.BaseURL, "http://127.0.0.1:") {
		t.Fatalf("target %+v", res.Report.Target)
	}
}

// TestLabelFilter: contracts outside the label filter are skipped, with
// the reason, not passed.
func TestLabelFilter(t *testing.T) {
	var rep report.Conformance
	runChildJSON(t, "run", []string{labelsEnv + "=negative && !group-call"}, &rep)
	for _, c := range append(rep.Examples, rep.Negative...) {
		selected := strings.HasPrefix(c.ID, "negative_") && !contains(c.Features, "group-call")
		switch {
		case selected && c.Verdict != report.Passed:
			t.Errorf("%s: %s, want passed", c.ID, c.Verdict)
		case !selected && (c.Verdict != report.Skipped || !strings.Contains(c.Reason, "not selected")):
			t.Errorf("%s: %s (%s), want skipped as not selected", c.ID, c.Verdict, c.Reason)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// authority serves an emulated identity platform on loopback with one app.
func authority(t *testing.T) (tokenURL string, app identity.App) {
	t.Helper()
	key := testkit.Key(t, 0)
	app = identity.App{ClientID: "33333333-3333-4333-8333-333333333333", ClientSecret: "right-secret",
		TenantID: "aa67bd4c-8475-432d-bd41-39f255720e0a", Roles: []string{"Calls.Initiate.All"}}
	a, err := identity.NewAuthority(key, []identity.App{app})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.TokenHandler())
	t.Cleanup(srv.Close)
	return identity.TokenURL(srv.URL, app.TenantID), app
}

// TestRunSetupErrors: what keeps a run from starting is a *SetupError that
// names the cause and never the secret, before any spec runs.
func TestRunSetupErrors(t *testing.T) {
	tokenURL, app := authority(t)
	target := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(target.Close)
	remote := func(secret string) suites.Config {
		cfg := suites.NewConfig()
		cfg.Target.URL = target.URL + "/beta"
		cfg.Target.ClientCredentials = identity.ClientCredentials{TokenURL: tokenURL, ClientID: app.ClientID, ClientSecret: secret}
		cfg.TimingProfile = suites.TimingFast
		return cfg
	}
	for _, tc := range []struct {
		name    string
		cfg     suites.Config
		want    string
		isSetup bool
	}{
		// A wrong secret fails getting the first token.
		{"wrong secret", remote("wrong-secret"), "getting a token from " + tokenURL + " for client " + app.ClientID, true},
		// Keys that cannot be downloaded fail the receiver's setup.
		{"openid unreachable", func() suites.Config {
			c := remote("right-secret")
			c.Target.NotificationOpenID = "http://127.0.0.1:1/v1/.well-known/OpenIdConfiguration"
			return c
		}(), "notification keys (--notification-openid http://127.0.0.1:1/", true},
		// Claiming lobby admission needs a way to admit.
		{"admission without admit URL", func() suites.Config {
			c := remote("right-secret")
			c.Features = suites.Features()
			return c
		}(), "no lobby.admitURL", true},
		// A bad configuration is reported before any setup.
		{"invalid", func() suites.Config { c := remote("x"); c.Target.Listen = "nonsense"; return c }(), "Listen", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := suites.Run(context.Background(), tc.cfg, suites.GinkgoSettings{})
			var se *suites.SetupError
			if rep != nil || err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &se) != tc.isSetup {
				t.Fatalf("Run = %v, %v; want a setup error %v containing %q", rep, err, tc.isSetup, tc.want)
			}
			if strings.Contains(err.Error(), "right-secret") || strings.Contains(err.Error(), "wrong-secret") {
				t.Fatalf("the error shows the secret: %v", err)
			}
		})
	}
}
