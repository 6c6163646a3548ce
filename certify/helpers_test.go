package certify

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

// testConfig is a Config for tests: a free port, fixed keys and seed.
func testConfig(t testing.TB) Config {
	t.Helper()
	cfg := NewConfig()
	cfg.Bot = report.Bot{Name: "refbot", Version: "test"}
	cfg.Listen = "127.0.0.1:0"
	cfg.Seed = 1
	// In-process triggers return once the request is answered: a request
	// that has not arrived by then never will.
	cfg.Timeouts.Request = 500 * time.Millisecond
	// The bots of the tests answer at once unless a test makes one late
	// (and sets its own deadline); on a starved machine (-race, busy loops)
	// the reference bot took 5.2 s to acknowledge a 277-participant roster,
	// past the 5 s default, so the tests' deadline leaves room.
	cfg.Timeouts.Ack = 15 * time.Second
	cfg.Emulator.Key, cfg.Emulator.NotificationKey = emutest.Keys(t)
	return cfg
}

// rig is a reference bot (with flaws) serving its callback and its control
// API on loopback, driven by certify-bot through in-process triggers.
type rig struct {
	t        testing.TB
	bot      atomic.Pointer[refbot.Bot]
	callback *httptest.Server
	control  *httptest.Server
	botCfg   refbot.Config

	mu     sync.Mutex
	bodies [][]byte // every notification body the bot received
}

// received returns the notification bodies received so far.
func (r *rig) received() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.bodies)
}

// newRig starts the bot's servers: the callback over https (plain http for
// FlawHTTPCallback) and the control API over http.
func newRig(t testing.TB, flaws ...refbot.Flaw) *rig {
	t.Helper()
	r := &rig{t: t}
	r.callback = httptest.NewUnstartedServer(http.HandlerFunc(r.serveCallback))
	if slices.Contains(flaws, refbot.FlawHTTPCallback) {
		r.callback.Start()
	} else {
		r.callback.StartTLS()
	}
	r.control = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { r.bot.Load().ControlHandler().ServeHTTP(w, req) }))
	t.Cleanup(func() { r.callback.Close(); r.control.Close() })
	r.botCfg = refbot.Config{CallbackURL: r.callback.URL + "/callback", Flaws: flaws}
	return r
}

// configure points cfg at the rig: roles as the bot declares them for
// keys, a trigger for each key, the hang-up trigger, the status endpoint,
// and trust in the callback's certificate.
func (r *rig) configure(cfg *Config, keys []Key) {
	var scenarios []graph.Scenario
	for _, k := range keys {
		scenarios = append(scenarios, botScenario(k))
		cfg.Triggers[k] = TriggerFunc(r.create)
	}
	cfg.App.Roles = r.botCfg.Permissions(scenarios...)
	cfg.Hangup = TriggerFunc(r.hangup)
	cfg.BotStatus = r.control.URL + "/calls/{id}"
	if cert := r.callback.Certificate(); cert != nil {
		pool := x509.NewCertPool()
		pool.AddCert(cert)
		cfg.BotRootCAs = pool
	}
}

// serveCallback keeps each body, then hands the request to the bot; a POST
// to /moved is redirected (302) to /callback, as a bot in another region
// answers (TestRegionRedirectFollowed).
func (r *rig) serveCallback(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/moved" {
		http.Redirect(w, req, "/callback", http.StatusFound)
		return
	}
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, body)
	r.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(body))
	r.bot.Load().ServeHTTP(w, req)
}

func (r *rig) create(ctx context.Context, env TriggerEnv) ([]byte, error) {
	id, err := r.bot.Load().Call(ctx, botScenario(env.Scenario))
	return []byte(id), err
}

func (r *rig) hangup(ctx context.Context, env TriggerEnv) ([]byte, error) {
	return nil, r.bot.Load().Hangup(ctx, env.CallID)
}

// start makes the bot, configured with the session's endpoints.
func (r *rig) start(ctx context.Context, s *Session) {
	r.t.Helper()
	ep := s.Endpoints()
	c := r.botCfg
	c.GraphURL, c.TokenURL, c.OpenIDConfigURL = ep.GraphURLs["v1.0"], ep.TokenURL, ep.OpenIDConfigURL
	c.TenantID, c.ClientID, c.ClientSecret = ep.App.TenantID, ep.App.ClientID, ep.App.ClientSecret
	b, err := refbot.New(ctx, c)
	if err != nil {
		r.t.Fatal(err)
	}
	r.bot.Store(b)
}

// certifyRig certifies a reference bot with flaws for the scenarios keys;
// mutate changes the configuration (and the bot's) before the session
// starts.
func certifyRig(t *testing.T, keys []Key, flaws []refbot.Flaw, mutate func(*Config, *refbot.Config)) *report.Certificate {
	t.Helper()
	return runRig(t, rigRun{keys: keys, flaws: flaws, mutate: mutate})
}

// rigRun is one certification of a rig.
type rigRun struct {
	keys    []Key
	flaws   []refbot.Flaw
	mutate  func(*Config, *refbot.Config)
	started func(context.Context, *rig) // after the bot started, before Certify
}

func runRig(t *testing.T, run rigRun) *report.Certificate {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r := newRig(t, run.flaws...)
	cfg := testConfig(t)
	r.configure(&cfg, run.keys)
	if run.mutate != nil {
		run.mutate(&cfg, &r.botCfg)
	}
	s, err := Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r.start(ctx, s)
	if run.started != nil {
		run.started(ctx, r)
	}
	cert, err := s.Certify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// find returns the check with id.
func find(t *testing.T, c *report.Certificate, id string) report.Check {
	t.Helper()
	for _, ch := range c.Checks {
		if ch.ID == id {
			return ch
		}
	}
	t.Fatalf("no check %s", id)
	return report.Check{}
}

// withVerdict returns the ids of the checks with verdict v.
func withVerdict(c *report.Certificate, v report.Verdict) []string {
	var out []string
	for _, ch := range c.Checks {
		if ch.Verdict == v {
			out = append(out, ch.ID)
		}
	}
	return out
}

// dump logs every check that did not pass, with its evidence.
func dump(t *testing.T, c *report.Certificate) {
	t.Helper()
	for _, ch := range c.Checks {
		if ch.Verdict != report.Passed {
			t.Logf("%s %s\n%s", ch.Verdict, ch.ID, report.EvidenceText(ch.Evidence))
		}
	}
}

// botScenario is the scenario the reference bot makes for key k.
func botScenario(k Key) graph.Scenario {
	s, _ := graph.ParseScenario(fmt.Sprint(k))
	return s
}
