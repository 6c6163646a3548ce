package suites

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/target"
)

func TestConfigValidate(t *testing.T) {
	cc := identity.ClientCredentials{TokenURL: "https://login.example/t/oauth2/v2.0/token", ClientID: "app", ClientSecret: "s"}
	for _, tc := range []struct {
		name    string
		change  func(*Config)
		wantErr string // "" when valid
	}{
		// The defaults: the embedded emulator.
		{"defaults", func(*Config) {}, ""},
		// Credentials make no sense without a target.
		{"token without target", func(c *Config) { c.Target.Token = "t" }, "need a Target"},
		// A remote target needs credentials.
		{"target without credentials", func(c *Config) { c.Target.URL = "https://graph.microsoft.com/beta" }, "needs credentials"},
		// A static token is enough.
		{"static token", func(c *Config) { c.Target.URL, c.Target.Token = "https://graph.microsoft.com/beta", "t" }, ""},
		// Token and client credentials are exclusive.
		{"both", func(c *Config) { c.Target.URL, c.Target.Token, c.Target.ClientCredentials = "https://g/beta", "t", cc }, "exclusive"},
		// Client credentials are checked.
		{"bad client credentials", func(c *Config) {
			c.Target.URL, c.Target.ClientCredentials = "https://g/beta", identity.ClientCredentials{ClientID: "app"}
		}, "ClientCredentials"},
		// The target must end with a version segment.
		{"no version", func(c *Config) { c.Target.URL, c.Target.Token = "https://graph.microsoft.com", "t" }, "version segment"},
		// The target must be absolute.
		{"relative target", func(c *Config) { c.Target.URL, c.Target.Token = "graph/beta", "t" }, "absolute"},
		// Callback and OpenID URLs must be absolute http(s).
		{"bad callback", func(c *Config) { c.Target.CallbackURL = "ftp://x/cb" }, "CallbackURL"},
		{"bad openid", func(c *Config) { c.Target.NotificationOpenID = "/relative" }, "NotificationOpenID"},
		// The receiver address must be host:port.
		{"bad listen", func(c *Config) { c.Target.Listen = "8080" }, "Listen"},
		// Features come from the frozen registry.
		{"unknown feature", func(c *Config) { c.Features = []Feature{"teleport"} }, `unknown feature "teleport"`},
		{"unknown feature in values", func(c *Config) { c.Values.Features = []string{"teleport"} }, "values: features"},
		// Timing profiles are fast or realistic; timeouts are not negative.
		{"bad timing", func(c *Config) { c.TimingProfile = "slow" }, "TimingProfile"},
		{"negative timeout", func(c *Config) { c.Timeouts.Gone = -time.Second }, "timeouts.gone is negative"},
		// The values are validated.
		{"bad values", func(c *Config) { c.Values.TenantID = "x" }, "values: tenantId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := NewConfig()
			tc.change(&cfg)
			err := cfg.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestConfigClaims(t *testing.T) {
	cfg := NewConfig()
	if got, _ := cfg.claims(); !slices.Equal(got, Features()) {
		t.Errorf("embedded claims %v, want all", got)
	}
	cfg.Target.URL, cfg.Target.Token = "https://graph.microsoft.com/v1.0", "t"
	if got, _ := cfg.claims(); !slices.Equal(got, ProfileFeatures(ProfileCore)) {
		t.Errorf("remote claims %v, want core", got)
	}
	cfg.Values.Features = []string{"core", "pstn"}
	if got, _ := cfg.claims(); !slices.Equal(got, []Feature{FeaturePeerToPeer, FeatureServiceHostedMedia, FeaturePSTN}) {
		t.Errorf("values claims %v", got)
	}
	cfg.Features = []Feature{}
	if got, _ := cfg.claims(); len(got) != 0 {
		t.Errorf("an explicit empty claim gave %v", got)
	}
	if v := cfg.apiVersion(); v != "v1.0" {
		t.Errorf("apiVersion = %q", v)
	}
}

func TestConfigTimeouts(t *testing.T) {
	cfg := NewConfig()
	if got := cfg.timeouts(); got != FastTimeouts() {
		t.Errorf("embedded timeouts %+v, want fast", got)
	}
	cfg.Target.URL = "https://graph.microsoft.com/beta"
	cfg.Timeouts.NoRoster = time.Second
	got := cfg.timeouts()
	want := RealisticTimeouts()
	want.NoRoster = time.Second
	if got != want {
		t.Errorf("remote timeouts %+v, want realistic with NoRoster 1s", got)
	}
	cfg.TimingProfile = TimingFast
	if got := cfg.timeouts(); got.Notification != FastTimeouts().Notification {
		t.Errorf("TimingProfile fast ignored: %+v", got)
	}
	if _, err := TimeoutsFor("slow"); err == nil {
		t.Error("TimeoutsFor accepted an unknown profile")
	}
}

// TestResolvedValues: client credentials name the bot unless the values do,
// and the version follows the target.
func TestResolvedValues(t *testing.T) {
	cfg := NewConfig()
	cfg.Target.URL = "https://graph.microsoft.com/v1.0"
	cfg.Target.ClientCredentials = identity.ClientCredentials{TokenURL: "https://l/t", ClientID: "11111111-1111-4111-8111-111111111111", ClientSecret: "s"}
	v := cfg.resolvedValues()
	if v.Application.ID != cfg.Target.ClientCredentials.ClientID || v.APIVersion != "v1.0" {
		t.Errorf("resolved app %q version %q", v.Application.ID, v.APIVersion)
	}
	cfg.Values.Application.ID = "22222222-2222-4222-8222-222222222222"
	if v := cfg.resolvedValues(); v.Application.ID != "22222222-2222-4222-8222-222222222222" {
		t.Errorf("the values' application was overridden: %q", v.Application.ID)
	}
	if tc := cfg.targetConfig(); tc.Auth() != "client-credentials" {
		t.Errorf("auth = %q", tc.Auth())
	}
}

// TestResolvedIsImmutable: what the caller changes after Resolve does not
// reach the Resolved, and a Resolved not made by Resolve does not run.
func TestResolvedIsImmutable(t *testing.T) {
	cfg := NewConfig()
	cfg.Features = []Feature{FeaturePeerToPeer}
	ecfg := target.NewEmulatorConfig()
	cfg.Target.Emulator = &ecfg
	r, err := cfg.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Features[0] = FeaturePSTN
	cfg.Values.Users[0].ID = "changed"
	cfg.Target.Emulator.Violations = append(cfg.Target.Emulator.Violations, "x")
	cfg.Target.URL = "https://graph.microsoft.com/beta"
	if r.cfg.Features[0] != FeaturePeerToPeer || r.cfg.Values.Users[0].ID == "changed" || r.Violations() != 0 || !r.Embedded() {
		t.Errorf("a change after Resolve reached the Resolved: %+v", r.cfg)
	}
	if r.run.values.Users[0].ID == "changed" || !slices.Equal(r.run.claims, []Feature{FeaturePeerToPeer}) {
		t.Errorf("a change after Resolve reached the run: %+v", r.run)
	}
	if _, err := RunResolved(t.Context(), Resolved{}, GinkgoSettings{}); err == nil || !strings.Contains(err.Error(), "Config.Resolve") {
		t.Errorf("RunResolved(zero) = %v", err)
	}
}
