package refbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/notify"
)

// world is an emulator (the Graph the bot calls) and a bot on loopback.
type world struct {
	emu    *emulator.Server
	bot    *Bot
	sender *notify.Sender
	cfg    Config
}

func newWorld(t *testing.T, flaws ...Flaw) *world {
	t.Helper()
	emu := emutest.Start(t, func(c *emulator.Config) {
		c.Faults.Drop = 1 // the tests post the notifications themselves
		c.Safety.AllowHTTPLoopback = false
	})
	app := emu.DefaultApp()
	cfg := Config{GraphURL: emu.GraphBaseURL("v1.0"), TokenURL: emu.TokenURL(app.TenantID), TenantID: app.TenantID,
		ClientID: app.ClientID, ClientSecret: app.ClientSecret, OpenIDConfigURL: emu.OpenIDConfigURL(),
		CallbackURL: "https://127.0.0.1:9/callback", Flaws: flaws}
	bot, err := New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	sender, err := notify.NewSender(emu.NotificationSigner(), notify.WithRetryPolicy(notify.NoRetry))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sender.Close(context.Background()) })
	return &world{emu: emu, bot: bot, sender: sender, cfg: cfg}
}

// post delivers a batch to the bot's callback, served by a test server,
// with override o, and returns the bot's status.
func (w *world) post(t *testing.T, batch graph.CommsNotifications, o *notify.Override) int {
	t.Helper()
	srv := httptest.NewServer(w.bot)
	defer srv.Close()
	rec, _ := w.sender.Send(t.Context(), notify.Delivery{URL: srv.URL, AppID: w.cfg.ClientID, TenantID: w.cfg.TenantID, Batch: batch, Override: o})
	return rec.Status
}

func stateNotification(id string, change graph.ChangeType, state graph.CallState) graph.CommsNotification {
	data, _ := json.Marshal(map[string]any{"@odata.type": graph.TypeCall, "id": id, "state": state})
	return graph.CommsNotification{ODataType: graph.TypeCommsNotification, ChangeType: change, ResourceURL: "/communications/calls/" + id, ResourceData: data}
}

func batch(ns ...graph.CommsNotification) graph.CommsNotifications {
	return graph.CommsNotifications{Value: ns}
}

// TestCallThroughClientCredentials: the bot creates a call of every
// scenario with a token from the client-credentials grant, and the
// emulator accepts each as the scenario it is.
func TestCallThroughClientCredentials(t *testing.T) {
	w := newWorld(t)
	for _, s := range graph.Scenarios() {
		id, err := w.bot.Call(t.Context(), s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		info, ok := w.emu.Call(id)
		if !ok || string(info.Scenario) == "" {
			t.Fatalf("%s: the emulator does not hold call %s", s, id)
		}
		if v, _ := w.bot.State(id); v.Scenario != s || v.State != graph.CallStateEstablishing {
			t.Errorf("%s: the bot's view %+v", s, v)
		}
	}
	for _, r := range w.emu.Requests() {
		if r.Token == nil || !r.Token.Valid || r.Status != http.StatusCreated || len(r.Verdicts) != 0 {
			t.Errorf("%s %s: status %d, token %+v, verdicts %+v", r.Method, r.Path, r.Status, r.Token, r.Verdicts)
		}
	}
}

// TestRequestsFollowTheDoc: every scenario's body is valid against the
// schema of both versions, sends no read-only property, and is the scenario
// it is made for.
func TestRequestsFollowTheDoc(t *testing.T) {
	w := newWorld(t)
	for _, v := range []schema.Version{schema.Beta, schema.V1} {
		val, err := schema.Load(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range graph.Scenarios() {
			body := requestJSON(t, w.bot, s)
			var c graph.Call
			if err := json.Unmarshal(body, &c); err != nil {
				t.Fatal(err)
			}
			for _, vi := range val.ValidateRequest(schema.TypeCall, body) {
				// A scheduled meeting's join keeps its tenantId (rules.UsesReadOnly).
				if vi.Kind != schema.KindReadOnly || !rules.UsesReadOnly(&c, vi.Pointer) {
					t.Errorf("%s %s: %s", v, s, vi)
				}
			}
			if got := graph.InferScenario(&c); got != s {
				t.Errorf("%s is a %s request (%s, %s media)", s, got, got.Kind, got.Media)
			}
		}
	}
	if _, err := w.bot.request(graph.Scenario{Kind: graph.KindUnknown}); err == nil {
		t.Error("an unknown scenario made a request")
	}
}

// TestRequestsAreTheDocumentedExamples: every scenario's body has exactly
// the members of its documented example (create-call-doc.txt Examples 1–10;
// a guest join with app-hosted media, Example 8 with Example 2's
// mediaConfig) but the read-only ones (graph-calls-facts.md §1.2) the
// service does not use, the values being the bot's.
func TestRequestsAreTheDocumentedExamples(t *testing.T) {
	w := newWorld(t)
	readOnly := map[string]bool{"/direction": true, "/tenantId": true}
	for _, s := range graph.Scenarios() {
		ex, media, err := exampleOf(s)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(ex.Request().Canonical(), &doc); err != nil {
			t.Fatal(err)
		}
		if media != nil {
			var m map[string]any
			if err := json.Unmarshal(media.Request().Canonical(), &m); err != nil {
				t.Fatal(err)
			}
			doc["mediaConfig"] = m["mediaConfig"]
		}
		var docCall graph.Call
		if err := json.Unmarshal(ex.Request().Canonical(), &docCall); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, p := range members(doc, "") {
			// A scheduled meeting's join keeps its tenantId (rules.UsesReadOnly).
			if !readOnly[p] || (ex.Kind == graph.KindMeetingJoin && rules.UsesReadOnly(&docCall, p)) {
				want = append(want, p)
			}
		}
		var got map[string]any
		if err := json.Unmarshal(requestJSON(t, w.bot, s), &got); err != nil {
			t.Fatal(err)
		}
		if g := members(got, ""); !slices.Equal(g, want) {
			t.Errorf("%s (Example %d): members\n%v\nwant\n%v", s, ex.Number, g, want)
		}
		if got["callbackUri"] != w.cfg.CallbackURL {
			t.Errorf("%s: callbackUri %v, want the bot's %s", s, got["callbackUri"], w.cfg.CallbackURL)
		}
	}
}

// members lists the pointers of every leaf of a decoded JSON value, sorted.
func members(v any, p string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out = append(out, members(e, p+"/"+k)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, members(e, fmt.Sprintf("%s/%d", p, i))...)
		}
	default:
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// requestJSON is the body the bot sends for s.
func requestJSON(t *testing.T, b *Bot, s graph.Scenario) []byte {
	t.Helper()
	body, err := b.request(s)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestNotifications: the callback verifies, parses and applies.
func TestNotifications(t *testing.T) {
	w := newWorld(t)
	id, err := w.bot.Call(t.Context(), scenario(t, "p2p"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		batch graph.CommsNotifications
		o     *notify.Override
		want  int
		state graph.CallState // the bot's view afterwards
	}{
		{"established", batch(stateNotification(id, graph.ChangeUpdated, graph.CallStateEstablished)), nil, 202, graph.CallStateEstablished},
		// "establishing/established notifications may arrive out of order" (§8): no step back.
		{"late establishing", batch(stateNotification(id, graph.ChangeUpdated, graph.CallStateEstablishing)), nil, 202, graph.CallStateEstablished},
		{"no token", batch(stateNotification(id, graph.ChangeDeleted, graph.CallStateTerminated)), &notify.Override{NoToken: true}, 401, graph.CallStateEstablished},
		{"expired token", batch(stateNotification(id, graph.ChangeDeleted, graph.CallStateTerminated)), &notify.Override{Defect: identity.DefectExpired}, 401, graph.CallStateEstablished},
		{"foreign key", batch(stateNotification(id, graph.ChangeDeleted, graph.CallStateTerminated)), &notify.Override{Defect: identity.DefectUnknownKey}, 401, graph.CallStateEstablished},
		{"not JSON", batch(), &notify.Override{Body: []byte(`{"value":[`)}, 400, graph.CallStateEstablished},
		{"unknown call", batch(stateNotification("0b003a80-0000-4000-8000-000000000000", graph.ChangeUpdated, graph.CallStateEstablished)), nil, 202, graph.CallStateEstablished},
		{"roster", batch(graph.CommsNotification{ChangeType: graph.ChangeUpdated, ResourceURL: "/communications/calls/" + id + "/participants",
			ResourceData: json.RawMessage(`[{"@odata.type":"#microsoft.graph.participant","id":"p1"},{"id":"p2"}]`)}), nil, 202, graph.CallStateEstablished},
		{"terminated", batch(stateNotification(id, graph.ChangeDeleted, graph.CallStateTerminated)), nil, 202, graph.CallStateTerminated},
	} {
		if got := w.post(t, tc.batch, tc.o); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
		if v, _ := w.bot.State(id); v.State != tc.state {
			t.Errorf("%s: the bot's view is %s, want %s", tc.name, v.State, tc.state)
		}
	}
	if v, _ := w.bot.State(id); v.Participants != 2 {
		t.Errorf("participants %d, want 2", v.Participants)
	}
	if err := w.bot.Hangup(t.Context(), id); !errors.Is(err, ErrCallEnded) {
		t.Errorf("Hangup of an ended call: %v", err)
	}
}

// TestCallbackEndpointLimits: wrong method, too large a body.
func TestCallbackEndpointLimits(t *testing.T) {
	w := newWorld(t, FlawSmallBodyLimit)
	srv := httptest.NewServer(w.bot)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	big := batch()
	for range 200 {
		big.Value = append(big.Value, stateNotification("0b003a80-0000-4000-8000-000000000000", graph.ChangeUpdated, graph.CallStateEstablished))
	}
	if got := w.post(t, big, nil); got != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d", got)
	}
}

// TestHangup: DELETE 204 through Graph; unknown calls are refused.
func TestHangup(t *testing.T) {
	w := newWorld(t)
	id, err := w.bot.Call(t.Context(), scenario(t, "group"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.bot.Hangup(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	deleted := slices.ContainsFunc(w.emu.Requests(), func(r emulator.RequestRecord) bool {
		return r.Method == http.MethodDelete && r.CallID == id && r.Status == http.StatusNoContent
	})
	if !deleted {
		t.Error("no DELETE reached Graph")
	}
	if err := w.bot.Hangup(t.Context(), "nope"); !errors.Is(err, ErrUnknownCall) {
		t.Errorf("unknown call: %v", err)
	}
}

// TestControlAPI drives the bot through its control API.
func TestControlAPI(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewServer(w.bot.ControlHandler())
	defer srv.Close()
	do := func(method, path string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := do(http.MethodPost, "/calls?scenario=pstn")
	var v CallView
	if code != http.StatusCreated || json.Unmarshal([]byte(body), &v) != nil || v.Scenario != scenario(t, "pstn") {
		t.Fatalf("create: %d %s", code, body)
	}
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/calls/" + v.ID, http.StatusOK},
		{http.MethodPost, "/calls?scenario=voip", http.StatusBadRequest},
		{http.MethodGet, "/calls/nope", http.StatusNotFound},
		{http.MethodPost, "/calls/nope/hangup", http.StatusNotFound},
		{http.MethodPost, "/calls/" + v.ID + "/hangup", http.StatusAccepted},
	} {
		if code, body := do(tc.method, tc.path); code != tc.want {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, code, body, tc.want)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	good := Config{GraphURL: "http://g/v1.0", TokenURL: "http://t", TenantID: "t", ClientID: "c", ClientSecret: "s",
		OpenIDConfigURL: "http://o", CallbackURL: "https://bot.example/callback"}
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"no secret", func(c *Config) { c.ClientSecret = "" }, "Config.ClientSecret is required"},
		// The callbackUri "Must be an HTTPS URL" (graph-calls-facts.md §1.1).
		{"http callback", func(c *Config) { c.CallbackURL = "http://bot.example/callback" }, "must be an https URL"},
		{"relative callback", func(c *Config) { c.CallbackURL = "/callback" }, "not an absolute URL"},
	} {
		c := good
		tc.change(&c)
		if _, err := New(t.Context(), c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	c := good
	c.CallbackURL, c.Flaws = "http://bot.example/callback", []Flaw{FlawHTTPCallback}
	if _, err := New(t.Context(), c); err != nil {
		t.Errorf("the http-callback flaw: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	var c Config
	got := c.Permissions(scenario(t, "p2p"), scenario(t, "group-app"), scenario(t, "meeting"), scenario(t, "guest"), scenario(t, "pstn"))
	want := []string{graph.RoleInitiate, graph.RoleInitiateGroupCall, graph.RoleAccessMedia, graph.RoleJoinGroupCall, graph.RoleJoinGroupCallAsGuest}
	if !slices.Equal(got, want) {
		t.Errorf("Permissions = %v, want %v", got, want)
	}
	c.Flaws = []Flaw{FlawGroupCallP2PPermission}
	if got := c.Permissions(scenario(t, "group"), scenario(t, "group-app")); !slices.Equal(got, []string{graph.RoleInitiate, graph.RoleAccessMedia}) {
		t.Errorf("the flawed group permission: %v", got)
	}
}

func TestParseNames(t *testing.T) {
	for _, s := range graph.Scenarios() {
		if got, err := ParseScenario(s.Key()); err != nil || got != s {
			t.Errorf("ParseScenario(%q) = %q, %v", s, got, err)
		}
	}
	if _, err := ParseScenario("voip"); err == nil || !strings.HasPrefix(err.Error(), "refbot: unknown scenario \"voip\" (want one of p2p, p2p-app, group,") {
		t.Errorf("ParseScenario(voip) = %v", err)
	}
	for _, f := range Flaws() {
		if got, err := ParseFlaw(string(f)); err != nil || got != f || f.Description() == "" {
			t.Errorf("ParseFlaw(%q) = %q, %v (description %q)", f, got, err, f.Description())
		}
	}
	if _, err := ParseFlaw("nope"); err == nil {
		t.Error("ParseFlaw accepted nope")
	}
}

// scenario returns the scenario whose key is key.
func scenario(t *testing.T, key string) graph.Scenario {
	t.Helper()
	s, err := graph.ParseScenario(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRequestsGolden: the create bodies the bot sends for every scenario,
// with the page's own values (fixtures.DocumentedValues), are those of
// testdata/requests.golden.
func TestRequestsGolden(t *testing.T) {
	b := &Bot{cfg: Config{CallbackURL: "https://bot.example/callback", TenantID: "10000000-0000-4000-8000-000000000001",
		ClientID: "20000000-0000-4000-8000-000000000002"}}
	var out strings.Builder
	for _, s := range graph.Scenarios() {
		fmt.Fprintf(&out, "%s:\n%s\n", s, requestJSON(t, b, s))
	}
	testkit.Golden(t, "testdata/requests.golden", []byte(out.String()))
}
