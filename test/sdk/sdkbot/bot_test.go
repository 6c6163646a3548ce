package sdkbot_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callcheck/callcheck/certify"
	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/report"
	tgt "github.com/callcheck/callcheck/target"
	"github.com/callcheck/callcheck/test/sdk/sdkbot"
)

// session is the certification every test runs against, started by
// TestMain: the emulated Graph serves https with a generated CA, which the
// process trusts through SSL_CERT_FILE before its first TLS connection (as a
// user trusts it, with no change to the bot's code).
var (
	session  *certify.Session
	callback *httptest.Server
	bot      atomic.Pointer[sdkbot.Bot]
)

// keys are the scenarios the bot is certified for.
var keys = []certify.Key{certify.KeyP2P, certify.KeyGroup}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// The bot's callback and status endpoint, over https (the page requires
	// an https callbackUri), handing each request to the bot once it exists.
	callback = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b := bot.Load(); b != nil {
			b.ServeHTTP(w, r)
			return
		}
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	callback.StartTLS()
	defer callback.Close()
	s, err := certify.Start(context.Background(), config())
	if err != nil {
		fmt.Fprintln(os.Stderr, "start certify-bot:", err)
		return 1
	}
	defer s.Close()
	session = s
	os.Setenv("SSL_CERT_FILE", s.Endpoints().CAFile)
	return m.Run()
}

// config is certify-bot's configuration for the bot: triggers that make it
// create a call and hang one up, its status endpoint, its callback's CA.
func config() certify.Config {
	cfg := certify.NewConfig()
	cfg.Bot = report.Bot{Name: "sdkbot (msgraph-sdk-go + golang-jwt/jwt/v5)", Version: "test"}
	cfg.Listen = "127.0.0.1:0"
	cfg.Seed = 1
	cfg.TLS = &tgt.EmulatorTLS{}
	var roles []string
	for _, k := range keys {
		cfg.Triggers[k] = certify.TriggerFunc(func(ctx context.Context, env certify.TriggerEnv) ([]byte, error) {
			id, err := bot.Load().Call(ctx, string(env.Scenario))
			return []byte(id), err
		})
		roles = append(roles, k.Scenario().Permissions()...)
	}
	cfg.App.Roles = unique(roles)
	cfg.Hangup = certify.TriggerFunc(func(ctx context.Context, env certify.TriggerEnv) ([]byte, error) {
		return nil, bot.Load().Hangup(ctx, env.CallID)
	})
	cfg.BotStatus = callback.URL + "/status/{id}"
	cfg.IncomingCallback = callback.URL + "/incoming"
	pool := x509.NewCertPool()
	pool.AddCert(callback.Certificate())
	cfg.BotRootCAs = pool
	// In-process triggers return once Graph answered: a request that has
	// not arrived by then never will.
	cfg.Timeouts.Request = 5 * time.Second
	return cfg
}

func unique(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// TestCertified certifies the SDK-built bot: every check passes (the
// recommendations it does not follow are warnings), and the certificate
// says so in every format.
func TestCertified(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ep := session.Endpoints()
	var users []sdkbot.User
	for _, u := range fixtures.DocumentedValues().Users {
		users = append(users, sdkbot.User{ID: u.ID, DisplayName: u.DisplayName})
	}
	b, err := sdkbot.New(ctx, sdkbot.Config{AuthorityHost: ep.URL + "/", GraphURL: ep.GraphURLs["v1.0"], OpenIDConfigURL: ep.OpenIDConfigURL,
		TenantID: ep.App.TenantID, ClientID: ep.App.ClientID, ClientSecret: ep.App.ClientSecret,
		CallbackURL: callback.URL + "/callback", Users: users})
	if err != nil {
		t.Fatal(err)
	}
	bot.Store(b)
	cert, err := session.Certify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if out := os.Getenv("SDKBOT_CERTIFICATE_DIR"); out != "" {
		dir = out
	}
	if _, err := certify.WriteFiles(dir, cert); err != nil {
		t.Errorf("write the certificate: %v", err)
	}
	answered := false
	for _, ch := range cert.Checks {
		t.Logf("%-8s %-11s %s", ch.Verdict, ch.Requirement, ch.ID)
		if ch.ID == "inbound.incoming.answer" && ch.Verdict == report.Passed {
			answered = true
			t.Logf("  %s", ch.Evidence[0].Message)
		}
		if ch.Verdict != report.Passed && !(ch.Verdict == report.Warning && ch.Requirement == report.RequirementRecommended) {
			t.Errorf("%s is %s:\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
		}
	}
	if !answered {
		t.Error("no passed inbound.incoming.answer check: the incoming call was not certified")
	}
	if cert.Verdict != report.Passed {
		t.Errorf("certificate %s, want passed (%+v); see %s", cert.Verdict, cert.Summary, filepath.Join(dir, "certificate.md"))
	}
}
