package emulator

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
)

// TestPeerToPeerLifecycle drives Example 1 end to end over real sockets:
// client credentials, create, the 201 as documented, signed establishing and
// established notifications and no roster, DELETE, terminating and
// terminated with resultInfo, and the call gone.
func TestPeerToPeerLifecycle(t *testing.T) {
	h := newHarness(t, nil)
	r := h.do(h.client, http.MethodPost, "/beta/communications/calls", p2pBody(h.callback),
		http.Header{"Client-Request-Id": {"my-client-request-id"}})
	if r.status != http.StatusCreated {
		t.Fatalf("status %d, want 201: %s", r.status, r.body)
	}
	body := r.json(t)
	id := body["id"].(string)
	checkCreated(t, h, r, body, "beta")
	if got := r.header.Get("client-request-id"); got != "my-client-request-id" {
		t.Errorf("client-request-id = %q, want the one sent", got)
	}

	w := h.watch(id)
	ctx := ctxTimeout(t, 10*time.Second)
	for _, st := range []graph.CallState{graph.CallStateEstablishing, graph.CallStateEstablished} {
		if _, err := w.WaitFor(ctx, notify.StateIs(st)); err != nil {
			t.Fatalf("waiting for %s: %v", st, err)
		}
	}
	h.waitIdle()
	if got := kinds(t, w.Events()); !slices.Equal(got, []string{"establishing", "established"}) {
		t.Errorf("notifications %v, want establishing then established and no roster (Example 2 note)", got)
	}
	ev, _ := w.WaitFor(ctx, notify.StateIs(graph.CallStateEstablished))
	if c, _ := ev.Notification.Call(); c.TenantID != DefaultTenantID || c.Direction != graph.DirectionOutgoing {
		t.Errorf("established resourceData = %+v, want tenantId and direction as in Example 1", c)
	}
	if ev.ChainID != body["callChainId"] || ev.MessageID == "" || ev.Header.Get("User-Agent") != "Microsoft-Skype/3.0,(Calling/1.0)" {
		t.Errorf("notification headers: chain id %q (call's %v), message id %q, user agent %q (facts §2)",
			ev.ChainID, body["callChainId"], ev.MessageID, ev.Header.Get("User-Agent"))
	}
	if ev.Claims.Audience != DefaultClientID || ev.Claims.TenantID != DefaultTenantID {
		t.Errorf("notification token aud %q tid %q, want the app and its tenant", ev.Claims.Audience, ev.Claims.TenantID)
	}

	if g := h.do(h.client, http.MethodGet, "/beta/communications/calls/"+id, nil, nil); g.status != 200 || g.json(t)["state"] != "established" {
		t.Errorf("GET while established: %d %s", g.status, g.body)
	}
	if d := h.do(h.client, http.MethodDelete, "/beta/communications/calls/"+id, nil, nil); d.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", d.status, d.body)
	}
	term, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateTerminated))
	if err != nil {
		t.Fatalf("waiting for terminated: %v", err)
	}
	if term.Notification.ChangeType != graph.ChangeDeleted {
		t.Errorf("terminated changeType %q, want deleted", term.Notification.ChangeType)
	}
	if c, _ := term.Notification.Call(); c.ResultInfo == nil || c.ResultInfo.Code.Value != 200 || c.ResultInfo.Subcode.Value != 5001 {
		t.Errorf("terminated resultInfo = %+v, want 200/5001", c.ResultInfo)
	}
	h.waitIdle()
	if got := kinds(t, w.Events()); !slices.Equal(got, []string{"establishing", "established", "terminating", "terminated"}) {
		t.Errorf("notifications %v, want establishing, established, terminating, terminated", got)
	}
	g := h.do(h.client, http.MethodGet, "/beta/communications/calls/"+id, nil, nil)
	if g.status != http.StatusNotFound || g.errorCode() != CodeCallNotFound {
		t.Errorf("GET after terminated: %d %s, want 404 8522", g.status, g.body)
	}
	if n := len(h.srv.Calls()); n != 0 {
		t.Errorf("%d calls left behind", n)
	}
}

// checkCreated asserts the documented 201 (facts §3.1).
func checkCreated(t *testing.T, h *harness, r response, body map[string]any, version string) {
	t.Helper()
	id, _ := body["id"].(string)
	if !graph.IsGUID(id) {
		t.Errorf("id %q is not a GUID", id)
	}
	if want := h.srv.URL() + "/" + version + "/communications/calls/" + id; r.header.Get("Location") != want {
		t.Errorf("Location = %q, want %q", r.header.Get("Location"), want)
	}
	if r.header.Get("request-id") == "" || r.header.Get("client-request-id") == "" {
		t.Errorf("missing request-id or client-request-id: %v", r.header)
	}
	for k, want := range map[string]any{"@odata.type": graph.TypeCall, "state": "establishing", "direction": "outgoing",
		"tenantId": DefaultTenantID, "callbackUri": h.callback} {
		if body[k] != want {
			t.Errorf("%s = %v, want %v", k, body[k], want)
		}
	}
	for _, k := range []string{"myParticipantId", "callChainId"} {
		if s, _ := body[k].(string); !graph.IsGUID(s) {
			t.Errorf("%s = %v, want a GUID", k, body[k])
		}
	}
	if ctx, _ := body["@odata.context"].(string); !strings.HasSuffix(ctx, "/"+version+"/$metadata#app/calls/$entity") {
		t.Errorf("@odata.context = %q", ctx)
	}
	for _, p := range graph.CallProperties(version == "beta") {
		if _, ok := body[p]; !ok {
			t.Errorf("property %q missing from the full call object", p)
		}
	}
}

// TestScenarioSequences checks each scenario's documented notification
// sequence (the notification sequences).
func TestScenarioSequences(t *testing.T) {
	tests := []struct {
		name     string
		body     func(cb string) []byte
		scenario graph.Kind
		want     []string
	}{
		// Examples 1, 2: state changes only.
		{"peer-to-peer", p2pBody, graph.KindPeerToPeer, []string{"establishing", "established"}},
		// Examples 3, 4: a roster after the state changes.
		{"group call", func(cb string) []byte { return groupBody(cb, 2, serviceMedia) }, graph.KindGroupCall, []string{"establishing", "established", "roster"}},
		// Examples 5–7: meeting joins get a roster too.
		{"meeting join", func(cb string) []byte { return meetingBody(cb, appMedia) }, graph.KindMeetingJoin, []string{"establishing", "established", "roster"}},
		// Example 8: the bot alone in the lobby, and nothing more.
		{"guest join", guestBody, graph.KindGuestJoin, []string{"establishing", "lobby-roster"}},
		// Examples 9, 10: PSTN, state changes only.
		{"pstn", func(cb string) []byte { return pstnBody(cb, appMedia) }, graph.KindPSTN, []string{"establishing", "established"}},
	}
	h := newHarness(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := h.createOK(tt.body(h.callback))
			w := h.watch(id)
			h.waitIdle()
			if got := kinds(t, w.Events()); !slices.Equal(got, tt.want) {
				t.Errorf("notifications %v, want %v", got, tt.want)
			}
			if c, _ := h.srv.Call(id); c.Scenario != tt.scenario {
				t.Errorf("scenario %q, want %q", c.Scenario, tt.scenario)
			}
		})
	}
}

// TestRosterShapes checks the roster of a meeting join as Example 5 shows
// it: an array of participants including the bot, whose id is myParticipantId.
func TestRosterShapes(t *testing.T) {
	h := newHarness(t, nil)
	r := h.create("beta", meetingBody(h.callback, serviceMedia))
	body := r.json(t)
	id, my := body["id"].(string), body["myParticipantId"].(string)
	w := h.watch(id)
	ev, err := w.WaitFor(ctxTimeout(t, 10*time.Second), notify.IsRoster)
	if err != nil {
		t.Fatal(err)
	}
	if !ev.Notification.ResourceDataIsArray() || !strings.HasSuffix(ev.Notification.ResourceURL, "/"+id+"/participants") {
		t.Errorf("roster resourceUrl %q / array %v", ev.Notification.ResourceURL, ev.Notification.ResourceDataIsArray())
	}
	ps, _ := ev.Notification.Participants()
	if len(ps) != 2 || ps[0].ID != my || ps[0].Info.Identity.Application == nil || ps[1].Info.Identity.User.DisplayName != "Bob" {
		t.Errorf("roster %s, want the bot (id myParticipantId) and the organizer", ev.Notification.ResourceData)
	}
	est, _ := w.WaitFor(ctxTimeout(t, 10*time.Second), notify.StateIs(graph.CallStateEstablished))
	if c, _ := est.Notification.Call(); c.ChatInfo == nil || c.MeetingInfo == nil {
		t.Errorf("a meeting join's established notification echoes chatInfo and meetingInfo (Example 5): %s", est.Notification.ResourceData)
	}
}

// TestGuestLobby checks Example 8: only the bot, in the lobby, until
// admitted; then established and the full roster with isInLobby false.
func TestGuestLobby(t *testing.T) {
	h := newHarness(t, nil)
	id := h.createOK(guestBody(h.callback))
	w := h.watch(id)
	h.waitIdle()
	ev, err := w.WaitFor(ctxTimeout(t, 5*time.Second), notify.IsRoster)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := ev.Notification.Participants()
	if len(ps) != 1 || !ps[0].InLobby() || ps[0].Info.Identity.Guest == nil {
		t.Fatalf("lobby roster %s, want only the guest bot with isInLobby true", ev.Notification.ResourceData)
	}
	if c, _ := h.srv.Call(id); !c.InLobby || c.State != graph.CallStateEstablishing {
		t.Errorf("call in lobby: %+v", c)
	}
	if err := h.srv.Admit(id); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Admit(id); err == nil {
		t.Error("a second Admit succeeded")
	}
	h.waitIdle()
	if got := kinds(t, w.Events()); !slices.Equal(got, []string{"establishing", "lobby-roster", "established", "roster"}) {
		t.Errorf("notifications %v", got)
	}
	evs := w.Events()
	ps, _ = evs[len(evs)-1].Notification.Participants()
	if len(ps) < 2 || ps[0].InLobby() {
		t.Errorf("roster after admit %s, want the bot out of the lobby plus others", evs[len(evs)-1].Notification.ResourceData)
	}
}

// TestRejectFromLobbyAndEndCall checks the admin controls that end calls.
func TestRejectFromLobbyAndEndCall(t *testing.T) {
	h := newHarness(t, nil)
	guest := h.createOK(guestBody(h.callback))
	p2p := h.createOK(p2pBody(h.callback))
	wg, wp := h.watch(guest), h.watch(p2p)
	h.waitIdle()
	if err := h.srv.RejectFromLobby(p2p); err == nil {
		t.Error("RejectFromLobby of a peer-to-peer call succeeded")
	}
	if err := h.srv.RejectFromLobby(guest); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.EndCall(p2p, nil); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.EndCall("no-such-call", nil); err == nil {
		t.Error("EndCall of an unknown call succeeded")
	}
	h.waitIdle()
	for _, tc := range []struct {
		w       *notify.CallWatch
		subcode int64
	}{{wg, 5000}, {wp, 4521}} {
		ev, err := tc.w.WaitFor(ctxTimeout(t, time.Second), notify.StateIs(graph.CallStateTerminated))
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := ev.Notification.Call(); c.ResultInfo == nil || c.ResultInfo.Subcode.Value != tc.subcode {
			t.Errorf("terminated %s, want subcode %d", ev.Notification.ResourceData, tc.subcode)
		}
	}
	if n := len(h.srv.Calls()); n != 0 {
		t.Errorf("%d calls left", n)
	}
}

// TestShutdownDrains: Shutdown waits for a delivery in flight to a slow
// callback instead of aborting it.
func TestShutdownDrains(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-release
		w.WriteHeader(http.StatusAccepted)
	}))
	defer slow.Close()
	cfg := testConfig(t)
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: srv}
	h.client = h.clientFor(srv.DefaultApp())
	h.createOK(p2pBody(slow.URL + "/cb"))
	<-entered
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(ctxTimeout(t, 10*time.Second)) }()
	for i := 0; i < 10000; i++ { // until the listener is closed: Shutdown is under way
		conn, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			break
		}
		conn.Close()
		runtime.Gosched()
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) while a delivery was in flight", err)
	default:
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	ds := srv.Deliveries()
	if len(ds) == 0 || !ds[0].Acknowledged {
		t.Errorf("the delivery in flight was not drained: %+v", ds)
	}
}
