package certify

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

// TestReferenceBotIsCertified certifies the reference bot for every
// scenario: every check of the catalog that applies is made, and passes.
func TestReferenceBotIsCertified(t *testing.T) {
	cert := certifyRig(t, Keys(), nil, nil)
	dump(t, cert)
	if cert.Verdict != report.Passed || cert.Summary.Passed != len(cert.Checks) {
		t.Fatalf("verdict %s, summary %+v", cert.Verdict, cert.Summary)
	}
	made := map[string]bool{}
	for _, ch := range cert.Checks {
		made[Pattern(ch.ID)] = true
		if _, ok := catalogIndex[Pattern(ch.ID)]; !ok {
			t.Errorf("check %s is not in the catalog", ch.ID)
		}
	}
	// Every check of the catalog is made (outbound.request only with --wait,
	// the incoming call only with an incoming-call webhook, which the
	// reference bot does not have).
	for _, c := range Catalog() {
		if !made[c.ID] && c.ID != "outbound.request" && c.ID != incomingCheckID {
			t.Errorf("catalog check %s was not made", c.ID)
		}
	}
	// 11 outbound and 2 inbound checks per scenario, and the two sets once.
	if want := 13*len(Keys()) + len(setCheckIDs()); len(cert.Checks) != want {
		t.Errorf("%d checks, want %d", len(cert.Checks), want)
	}
}

// TestBadCallbacks: a callback that refuses connections, never answers,
// redirects to a host certify-bot may not post to, or answers something
// that is not HTTP gets a failed verdict
// with evidence saying so, and the run ends.
func TestBadCallbacks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(t *testing.T) string // returns the callback URL
		want  string
	}{
		{"unreachable", unreachable, "refused the connection"},
		{"silent", silent, "did not answer within the deadline"},
		{"redirecting", redirecting, `redirected to https://region2.bot.example/callback: The callback host "region2.bot.example" is not allowed`},
		{"garbage", garbage, "not HTTP"},
		{"untrusted certificate", untrusted, "TLS certificate is not trusted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := tc.start(t)
			cert := certifyRig(t, []Key{KeyP2P}, nil, func(c *Config, _ *refbot.Config) {
				c.BotCallback, c.BotStatus, c.Hangup, c.BotRootCAs = url, "", nil, nil
				// Only the silent callback waits the deadline out; the others fail
				// at once, so they keep the default deadline and a busy machine
				// cannot turn their error into "no answer".
				if tc.name == "silent" {
					c.Timeouts.Ack = 100 * time.Millisecond
				}
			})
			ch := find(t, cert, "inbound.p2p.sequence")
			if ch.Verdict != report.Failed || len(ch.Evidence) == 0 || !strings.Contains(ch.Evidence[0].Message, tc.want) {
				t.Fatalf("%s: %s\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
			}
			if ch.Evidence[0].DocQuote == "" || ch.Evidence[0].Source == "" {
				t.Errorf("the evidence quotes no documentation: %+v", ch.Evidence[0])
			}
		})
	}
}

func unreachable(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/callback"
}

// silent accepts connections and never answers.
func silent(t *testing.T) string {
	return rawServer(t, func(c net.Conn) { _, _ = c.Read(make([]byte, 1<<16)); <-t.Context().Done() })
}

// garbage reads the request and answers something that is not HTTP.
func garbage(t *testing.T) string {
	return rawServer(t, func(c net.Conn) {
		_, _ = http.ReadRequest(bufio.NewReader(c))
		_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n\r\n"))
	})
}

// untrusted serves https with a certificate certify-bot was not told to trust.
func untrusted(t *testing.T) string {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return srv.URL + "/callback"
}

func redirecting(t *testing.T) string {
	srv := httptest.NewServer(http.RedirectHandler("https://region2.bot.example/callback", http.StatusFound))
	t.Cleanup(srv.Close)
	return srv.URL + "/callback"
}

func rawServer(t *testing.T, serve func(net.Conn)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); serve(c) }()
		}
	}()
	return "http://" + ln.Addr().String() + "/callback"
}

// TestTriggerFailureIsReported: a failing trigger fails the request check
// with its output, the secret removed; the call's inbound checks and the
// sets are skipped, not passed.
func TestTriggerFailureIsReported(t *testing.T) {
	var secret string
	cert := certifyRig(t, []Key{KeyP2P}, nil, func(c *Config, _ *refbot.Config) {
		secret = c.App.ClientSecret
		c.Triggers[KeyP2P] = TriggerFunc(func(_ context.Context, env TriggerEnv) ([]byte, error) {
			return []byte("bot: login with " + env.ClientSecret + " refused"), errors.New("exit status 2")
		})
	})
	ch := find(t, cert, "outbound.p2p.request")
	if ch.Verdict != report.Failed || !strings.Contains(ch.Evidence[0].Excerpt, "login with *** refused") || strings.Contains(report.EvidenceText(ch.Evidence), secret) {
		t.Fatalf("%s %s:\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
	}
	for _, id := range []string{"inbound.p2p.sequence", "inbound.p2p.end", "robustness.batch", "negative.expired"} {
		if v := find(t, cert, id).Verdict; v != report.Skipped {
			t.Errorf("%s is %s, want skipped", id, v)
		}
	}
	if cert.Verdict != report.Failed {
		t.Errorf("verdict %s", cert.Verdict)
	}
}

// TestTriggerWithoutRequest: a trigger that succeeds but makes no call.
func TestTriggerWithoutRequest(t *testing.T) {
	cert := certifyRig(t, []Key{KeyP2P}, nil, func(c *Config, _ *refbot.Config) {
		c.Triggers[KeyP2P] = TriggerFunc(func(context.Context, TriggerEnv) ([]byte, error) { return []byte("queued"), nil })
	})
	ch := find(t, cert, "outbound.p2p.request")
	if ch.Verdict != report.Failed || !strings.Contains(ch.Evidence[0].Message, "No create request") || ch.Evidence[0].Excerpt != "queued" {
		t.Fatalf("%s %s:\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
	}
}

// TestScenarioMismatch: the group trigger makes a peer-to-peer call.
func TestScenarioMismatch(t *testing.T) {
	var r *rig
	cert := runRig(t, rigRun{keys: []Key{KeyGroup}, mutate: func(c *Config, _ *refbot.Config) {
		c.Triggers[KeyGroup] = TriggerFunc(func(ctx context.Context, _ TriggerEnv) ([]byte, error) {
			_, err := r.bot.Load().Call(ctx, botScenario(KeyP2P))
			return nil, err
		})
	}, started: func(_ context.Context, rr *rig) { r = rr }})
	ch := find(t, cert, "outbound.group.scenario")
	if ch.Verdict != report.Failed || ch.Evidence[0].Expected != "group-call" || ch.Evidence[0].Got != "peer-to-peer" {
		t.Fatalf("%s %s:\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
	}
	if v := find(t, cert, "outbound.group.required").Verdict; v != report.Failed {
		t.Errorf("required is %s: a group call has at least two targets", v)
	}
}

// TestWaitMode: a bot that creates calls on its own is certified for the
// scenarios it made; one that makes none fails outbound.request.
func TestWaitMode(t *testing.T) {
	cert := runRig(t, rigRun{keys: []Key{KeyP2P, KeyGuest}, mutate: func(c *Config, _ *refbot.Config) {
		c.Triggers, c.Wait, c.Calls = map[Key]Trigger{}, time.Minute, 2
	}, started: func(ctx context.Context, r *rig) {
		go func() {
			for _, s := range []graph.Scenario{botScenario(KeyP2P), botScenario(KeyGuest)} {
				if _, err := r.bot.Load().Call(ctx, s); err != nil {
					t.Error(err)
				}
			}
		}()
	}})
	dump(t, cert)
	if cert.Verdict != report.Passed || find(t, cert, "inbound.guest.end").Verdict != report.Passed {
		t.Fatalf("verdict %s", cert.Verdict)
	}
	none := certifyRig(t, []Key{KeyP2P}, nil, func(c *Config, _ *refbot.Config) {
		c.Triggers, c.Wait = map[Key]Trigger{}, 100*time.Millisecond
	})
	if ch := find(t, none, "outbound.request"); ch.Verdict != report.Failed || none.Verdict != report.Failed {
		t.Fatalf("%s %s, certificate %s", ch.ID, ch.Verdict, none.Verdict)
	}
}

// TestViewObservation: how negative.view-unchanged is judged with each way
// of observing the bot, for a bot that verifies tokens and one that does not.
func TestViewObservation(t *testing.T) {
	for _, tc := range []struct {
		name           string
		status, hangup bool
		flaws          []refbot.Flaw
		want           report.Verdict
	}{
		{"not observable", false, false, nil, report.Skipped},
		{"hang-up only", false, true, nil, report.Passed},
		{"hang-up only, forged end believed", false, true, []refbot.Flaw{refbot.FlawSkipTokenVerification}, report.Failed},
		{"status only, forged end believed", true, false, []refbot.Flaw{refbot.FlawSkipTokenVerification}, report.Failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cert := certifyRig(t, []Key{KeyP2P}, tc.flaws, func(c *Config, _ *refbot.Config) {
				if !tc.status {
					c.BotStatus = ""
				}
				if !tc.hangup {
					c.Hangup = nil
				}
			})
			ch := find(t, cert, "negative.view-unchanged")
			if ch.Verdict != tc.want {
				t.Fatalf("%s %s, want %s:\n%s", ch.ID, ch.Verdict, tc.want, report.EvidenceText(ch.Evidence))
			}
		})
	}
}

// TestBotCallback: a bot whose callbackUri certify-bot may not post to is
// reached through --bot-callback.
func TestBotCallback(t *testing.T) {
	public := func(c *Config, b *refbot.Config) { b.CallbackURL = "https://bot.contoso.com/api/calling" }
	cert := certifyRig(t, []Key{KeyP2P}, nil, public)
	ch := find(t, cert, "inbound.p2p.sequence")
	if ch.Verdict != report.Skipped || !strings.Contains(ch.Evidence[0].Message, `host "bot.contoso.com" is not allowed`) {
		t.Fatalf("%s %s:\n%s", ch.ID, ch.Verdict, report.EvidenceText(ch.Evidence))
	}
	cert = certifyRig(t, []Key{KeyP2P}, nil, func(c *Config, b *refbot.Config) {
		c.BotCallback = b.CallbackURL // where the rig serves the bot's callback
		public(c, b)
	})
	dump(t, cert)
	if cert.Verdict != report.Passed {
		t.Fatalf("with --bot-callback: %s", cert.Verdict)
	}
}

// normalized returns the bodies with every GUID replaced by its order of
// first appearance and the loopback port removed, so runs with fresh call ids
// and servers compare.
func normalized(bodies [][]byte) []string {
	guid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	port := regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)
	seen := map[string]string{}
	var out []string
	for _, b := range bodies {
		out = append(out, guid.ReplaceAllStringFunc(port.ReplaceAllString(string(b), "127.0.0.1:port"), func(g string) string {
			if _, ok := seen[g]; !ok {
				seen[g] = fmt.Sprintf("guid-%d", len(seen))
			}
			return seen[g]
		}))
	}
	return out
}

// TestReproducible: the same seed posts the same notifications in the same
// order and makes the same checks; another seed posts others.
func TestReproducible(t *testing.T) {
	keys := []Key{KeyP2P, KeyGroup, KeyMeeting}
	run := func(seed int64) ([]string, []string) {
		var r *rig
		cert := runRig(t, rigRun{keys: keys, mutate: func(c *Config, _ *refbot.Config) { c.Seed = seed },
			started: func(_ context.Context, rr *rig) { r = rr }})
		var ids []string
		for _, ch := range cert.Checks {
			ids = append(ids, ch.ID+"="+string(ch.Verdict))
		}
		return normalized(r.received()), ids
	}
	a, ida := run(7)
	b, idb := run(7)
	c, _ := run(8)
	if !slices.Equal(ida, idb) {
		t.Errorf("the same seed made other checks:\n%v\n%v", ida, idb)
	}
	if !slices.Equal(a, b) {
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("POST %d differs:\n%s\n%s", i, a[i], b[i])
			}
		}
		t.Fatalf("%d and %d POSTs", len(a), len(b))
	}
	if slices.Equal(a, c) {
		t.Error("seeds 7 and 8 posted the same notifications")
	}
}
