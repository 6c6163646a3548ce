package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
)

// fieldConfig is the field profile with the fast profile's delays, so that
// the shapes are tested without the realistic seconds.
func fieldConfig(c *Config) {
	if err := c.ApplyProfile(ProfileField); err != nil {
		panic(err)
	}
	c.Timing, _ = ProfileTiming(ProfileFast)
	c.Ringing.AnswerAfter = Delay{0, time.Millisecond}
}

// capture is a callback that keeps each POST's raw body and hands the POST
// on to the harness's real receiver.
type capture struct {
	mu     sync.Mutex
	bodies [][]byte
	srv    *httptest.Server
}

func newCapture(t *testing.T, h *harness) *capture {
	c := &capture{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.bodies = append(c.bodies, body)
		c.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.receiver.ServeHTTP(w, r)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *capture) all() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.bodies...)
}

// TestFieldProfileShapes runs a peer-to-peer call's life in the field
// profile and checks every POST on the wire against the field corpus: one
// notification per POST, resource beside resourceUrl, PascalCase changeType
// and state, no id in resourceData, no callbackUri on the notification; and
// that callcheck's receiver still correlates every one to the call.
func TestFieldProfileShapes(t *testing.T) {
	h := newHarness(t, fieldConfig)
	cb := newCapture(t, h)
	id := h.createOK(p2pBody(cb.srv.URL + "/callback"))
	w := h.watch(id)
	ctx := ctxTimeout(t, 10*time.Second)
	if _, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateEstablished)); err != nil {
		t.Fatal(err)
	}
	if r := h.do(h.client, http.MethodDelete, "/v1.0/communications/calls/"+id, nil, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	if _, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateTerminated)); err != nil {
		t.Fatal(err)
	}
	h.waitIdle()
	wantStates := []string{"Establishing", "Established", "Terminating", "Terminated"}
	wantChanges := []string{"Updated", "Updated", "Updated", "Deleted"}
	bodies := cb.all()
	if len(bodies) != len(wantStates) {
		t.Fatalf("%d POSTs, want %d (one per notification)", len(bodies), len(wantStates))
	}
	for i, b := range bodies {
		var batch struct {
			Value []map[string]json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(b, &batch); err != nil || len(batch.Value) != 1 {
			t.Fatalf("POST %d: want a batch of one notification: %s", i, b)
		}
		n := batch.Value[0]
		var data map[string]any
		_ = json.Unmarshal(n["resourceData"], &data)
		switch {
		case string(n["resource"]) != `"/app/calls/`+id+`"` || string(n["resourceUrl"]) != `"/communications/calls/`+id+`"`:
			t.Errorf("POST %d: resource %s resourceUrl %s, want both naming the call", i, n["resource"], n["resourceUrl"])
		case string(n["changeType"]) != `"`+wantChanges[i]+`"` || data["state"] != wantStates[i]:
			t.Errorf("POST %d: changeType %s state %v, want %s %s", i, n["changeType"], data["state"], wantChanges[i], wantStates[i])
		case data["id"] != nil || n["callbackUri"] != nil:
			t.Errorf("POST %d: resourceData.id %v, callbackUri %s; want neither: %s", i, data["id"], n["callbackUri"], b)
		}
	}
	if got := strings.Join(kinds(t, w.Events()), ","); !strings.EqualFold(got, strings.Join(wantStates, ",")) {
		t.Errorf("the receiver read %s, want %v", got, wantStates)
	}
	if st := h.receiver.Stats(); st.Rejected != 0 || st.Uncorrelated != 0 {
		t.Errorf("receiver stats %+v", st)
	}
}

// TestFieldProfileErrorBody: in the field profile a rule with a field
// alternative answers as the field saw it (mediaConfig without @odata.type:
// 500/9999, rules.FieldStatusOf); by default as the rulebook's table says.
func TestFieldProfileErrorBody(t *testing.T) {
	untyped := []byte(strings.Replace(string(p2pBody("https://127.0.0.1/cb")),
		`{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}`, `{}`, 1))
	for _, tc := range []struct {
		name   string
		mutate func(*Config)
		status int
		code   string
	}{
		{"default", nil, http.StatusBadRequest, "BadRequest"},
		{"field", fieldConfig, http.StatusInternalServerError, "9999"},
	} {
		h := newHarness(t, tc.mutate)
		r := h.create("v1.0", untyped)
		if r.status != tc.status || r.errorCode() != tc.code {
			t.Errorf("%s: %d %s, want %d %s: %s", tc.name, r.status, r.errorCode(), tc.status, tc.code, r.body)
		}
	}
}

// TestFieldProfileOmitResourceURL: the 2019-2020 shape, legacy resource
// only (comms-samples #95), still reaches the receiver's watch of the call.
func TestFieldProfileOmitResourceURL(t *testing.T) {
	h := newHarness(t, func(c *Config) { fieldConfig(c); c.Notifications.OmitResourceURL = true })
	id := h.createOK(p2pBody(h.callback))
	w := h.watch(id)
	ev, err := w.WaitFor(ctxTimeout(t, 10*time.Second), notify.StateIs(graph.CallStateEstablished))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Notification.ResourceURL != "" || ev.Notification.Resource != "/app/calls/"+id {
		t.Errorf("resourceUrl %q resource %q, want only the legacy resource", ev.Notification.ResourceURL, ev.Notification.Resource)
	}
	// A roster names the call's participants in its legacy resource too,
	// so a receiver that has only that member still tells it from a call
	// state notification.
	gid := h.createOK(groupBody(h.callback, 2, serviceMedia))
	rev, err := h.watch(gid).WaitFor(ctxTimeout(t, 10*time.Second), notify.IsRoster)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/app/calls/" + gid + "/participants"; rev.Notification.Resource != want {
		t.Errorf("roster resource %q, want %q", rev.Notification.Resource, want)
	}
	bad := testConfig(t)
	bad.Notifications.OmitResourceURL = true
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "legacyResource") {
		t.Errorf("omitResourceUrl without legacyResource: %v", err)
	}
}

// TestFieldProfileFromFile: "profile: field" in a configuration file applies
// the field shapes before the file's own settings, which override them.
func TestFieldProfileFromFile(t *testing.T) {
	c := NewConfig()
	if err := c.LoadConfig([]byte("profile: field\nnotifications: {pascalCase: false}\n"), "test"); err != nil {
		t.Fatal(err)
	}
	n := c.Notifications
	if c.Profile != ProfileField || !n.LegacyResource || n.PascalCase || !n.OmitResourceDataID || n.MaxBatch != 1 ||
		c.Ringing.AnswerAfter.Max == 0 || c.Timing.Established.Min < time.Second {
		t.Errorf("field profile from a file: %+v %+v %+v", n, c.Ringing, c.Timing)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
