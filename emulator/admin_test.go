package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
)

// admin calls the inspection API and decodes its JSON answer into v.
func (h *harness) admin(method, path, body string, v any) int {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.srv.AdminURL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			h.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// TestAdminAPI: the recorded requests with verdicts and token claims, the
// deliveries, the calls, and the admin controls over HTTP.
func TestAdminAPI(t *testing.T) {
	h := newHarness(t, nil)
	var idx AdminIndex
	if st := h.admin("GET", "/", "", &idx); st != 200 || idx.DefaultApp.ClientSecret != "***" || idx.TokenURL != h.srv.TokenURL(DefaultTenantID) {
		t.Errorf("index %d %+v (the secret must not be shown)", st, idx)
	}
	h.create("beta", []byte(`{"callbackUri":"http://example.com/cb"}`)) // refused
	guest := h.createOK(guestBody(h.callback))
	h.waitIdle()

	var recs []RequestRecord
	h.admin("GET", "/requests", "", &recs)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	bad, good := recs[0], recs[1]
	if bad.Status != 400 || len(bad.Verdicts) == 0 || bad.Token == nil || bad.Token.AppID != DefaultClientID || !bad.Token.Valid {
		t.Errorf("refused create record %+v", bad)
	}
	if good.Status != 201 || good.CallID != guest || good.Scenario != graph.KindGuestJoin || !slices.Equal(good.Token.Roles, graph.CallingRoles()) {
		t.Errorf("guest create record %+v", good)
	}
	if auth := good.Headers.Get("Authorization"); auth != "Bearer ***" {
		t.Errorf("recorded Authorization %q, want it redacted", auth)
	}
	var since []RequestRecord
	h.admin("GET", "/requests?since="+itoa(bad.Seq), "", &since)
	if len(since) != 1 || since[0].Seq != good.Seq {
		t.Errorf("requests since %d: %+v", bad.Seq, since)
	}
	if st := h.admin("GET", "/requests?since=x", "", nil); st != 400 {
		t.Errorf("since=x: %d, want 400", st)
	}

	var dels []Delivery
	h.admin("GET", "/deliveries", "", &dels)
	if len(dels) == 0 || !dels[0].Acknowledged || dels[0].CallIDs[0] != guest || dels[0].Kinds[0] != "establishing" {
		t.Errorf("deliveries %+v", dels)
	}
	var calls []CallInfo
	h.admin("GET", "/calls", "", &calls)
	if len(calls) != 1 || calls[0].ID != guest || !calls[0].InLobby {
		t.Errorf("calls %+v", calls)
	}
	w := h.watch(guest)
	if st := h.admin("POST", "/calls/"+guest+"/admit", "", nil); st != 204 {
		t.Errorf("admit: %d", st)
	}
	if st := h.admin("POST", "/calls/"+guest+"/admit", "", nil); st != 409 {
		t.Errorf("second admit: %d, want 409", st)
	}
	if _, err := w.WaitFor(ctxTimeout(t, 5*time.Second), notify.StateIs(graph.CallStateEstablished)); err != nil {
		t.Fatal(err)
	}
	if st := h.admin("POST", "/calls/"+guest+"/end", `{"resultInfo":{"code":200,"subcode":5002,"message":"all left"}}`, nil); st != 204 {
		t.Errorf("end: %d", st)
	}
	ev, err := w.WaitFor(ctxTimeout(t, 5*time.Second), notify.StateIs(graph.CallStateTerminated))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := ev.Notification.Call(); c.ResultInfo.Subcode.Value != 5002 {
		t.Errorf("terminated %s, want the given resultInfo", ev.Notification.ResourceData)
	}
	if st := h.admin("POST", "/calls/nope/end", "", nil); st != 404 {
		t.Errorf("end unknown: %d, want 404", st)
	}
	var vios []ViolationInfo
	h.admin("GET", "/violations", "", &vios)
	if len(vios) != len(Violations()) {
		t.Errorf("%d violations listed", len(vios))
	}
	if st := h.admin("DELETE", "/requests", "", nil); st != 204 || len(h.srv.Requests()) != 0 {
		t.Errorf("reset: %d, %d records left", st, len(h.srv.Requests()))
	}
}

func itoa(n uint64) string { b, _ := json.Marshal(n); return string(b) }

// TestAdminToken: with an admin token set, the admin API refuses requests
// without it.
func TestAdminToken(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AdminToken = "adm" })
	if st := h.admin("GET", "/stats", "", nil); st != 401 {
		t.Errorf("without the token: %d, want 401", st)
	}
	req, _ := http.NewRequest("GET", h.srv.AdminURL()+"/stats", nil)
	req.Header.Set("Authorization", "Bearer adm")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("with the token: %d", resp.StatusCode)
	}
}

// TestIncomingCall: an injected incoming call reaches the bot as a created
// notification (state incoming); answering it establishes it.
func TestIncomingCall(t *testing.T) {
	h := newHarness(t, nil)
	var out map[string]string
	if st := h.admin("POST", "/incoming", `{"callbackUri":"`+h.callback+`"}`, &out); st != 201 {
		t.Fatalf("inject: %d", st)
	}
	id := out["id"]
	w := h.watch(id)
	ev, err := w.WaitFor(ctxTimeout(t, 5*time.Second), func(e notify.Event) bool { return e.Notification.ChangeType == graph.ChangeCreated })
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := ev.Notification.Call(); c.State != graph.CallStateIncoming || c.Direction != graph.DirectionIncoming {
		t.Errorf("created notification %s", ev.Notification.ResourceData)
	}
	answer := `{"callbackUri":"` + h.callback + `","mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"},"acceptedModalities":["audio"]}`
	if r := h.do(h.client, "POST", "/v1.0/communications/calls/"+id+"/answer", []byte(answer), nil); r.status != 202 {
		t.Fatalf("answer: %d %s", r.status, r.body)
	}
	if _, err := w.WaitFor(ctxTimeout(t, 5*time.Second), notify.StateIs(graph.CallStateEstablished)); err != nil {
		t.Fatal(err)
	}
	if r := h.do(h.client, "POST", "/v1.0/communications/calls/"+id+"/answer", []byte(answer), nil); r.status != 400 {
		t.Errorf("second answer: %d, want 400", r.status)
	}
	if st := h.admin("POST", "/incoming", `{"callbackUri":"https://bot.contoso.com/cb"}`, nil); st != 400 {
		t.Errorf("inject to a host not allowed: %d, want 400", st)
	}
}
