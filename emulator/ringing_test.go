package emulator

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
)

// adminDo calls the admin API and returns the status and body.
func adminDo(t *testing.T, h *harness, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, h.srv.AdminURL()+"/"+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json") // the admin API takes JSON only
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// terminatedResult waits for the call's terminated notification and returns
// its resultInfo code and subcode.
func terminatedResult(t *testing.T, w *notify.CallWatch) (int64, int64) {
	t.Helper()
	ev, err := w.WaitFor(ctxTimeout(t, 10*time.Second), notify.StateIs(graph.CallStateTerminated))
	if err != nil {
		t.Fatal(err)
	}
	c, err := ev.Notification.Call()
	if err != nil || c.ResultInfo == nil || c.ResultInfo.Subcode == nil {
		t.Fatalf("terminated without resultInfo: %v %s", err, ev.Notification.ResourceData)
	}
	return c.ResultInfo.Code.Value, c.ResultInfo.Subcode.Value
}

// TestNeverAnswered: a callee that never answers leaves the call
// establishing until the no-answer timeout (short here), then terminated
// with 408/10057; no established, no terminating (facts §3.2, §3.9;
// fixtures/field comms-samples-17-no-answer).
func TestNeverAnswered(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Ringing.Answer, c.Ringing.NoAnswerTimeout = AnswerNever, 50*time.Millisecond })
	for _, body := range [][]byte{p2pBody(h.callback), pstnBody(h.callback, serviceMedia)} {
		id := h.createOK(body)
		w := h.watch(id)
		if code, sub := terminatedResult(t, w); code != 408 || sub != 10057 {
			t.Errorf("resultInfo %d/%d, want 408/10057", code, sub)
		}
		h.waitIdle()
		if got := kinds(t, w.Events()); !slices.Equal(got, []string{"establishing", "terminated"}) {
			t.Errorf("notifications %v, want establishing then terminated", got)
		}
		if g := h.do(h.client, http.MethodGet, "/v1.0/communications/calls/"+id, nil, nil); g.status != http.StatusNotFound {
			t.Errorf("GET after ring-out: %d, want 404", g.status)
		}
	}
}

// TestManualAnswer: in manual mode the call rings (state establishing,
// ringing in inspection) until the admin API answers it; a second call is
// rung out through the admin API; answering what does not ring is refused.
func TestManualAnswer(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Ringing.Answer = AnswerManual })
	id := h.createOK(p2pBody(h.callback))
	w := h.watch(id)
	ctx := ctxTimeout(t, 10*time.Second)
	if _, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateEstablishing)); err != nil {
		t.Fatal(err)
	}
	h.waitIdle()
	if info, _ := h.srv.Call(id); !info.Ringing || info.State != graph.CallStateEstablishing {
		t.Fatalf("while ringing: %+v, want ringing and establishing", info)
	}
	if g := h.do(h.client, http.MethodGet, "/v1.0/communications/calls/"+id, nil, nil); g.status != 200 || g.json(t)["state"] != "establishing" {
		t.Errorf("GET while ringing: %d %s", g.status, g.body)
	}
	if st, body := adminDo(t, h, http.MethodPost, "calls/"+id+"/answer", ""); st != http.StatusNoContent {
		t.Fatalf("answer: %d %s", st, body)
	}
	if _, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateEstablished)); err != nil {
		t.Fatal(err)
	}
	if st, _ := adminDo(t, h, http.MethodPost, "calls/"+id+"/answer", ""); st != http.StatusConflict {
		t.Errorf("answering an answered call: %d, want 409", st)
	}
	if st, _ := adminDo(t, h, http.MethodPost, "calls/"+graph.NewGUID()+"/answer", ""); st != http.StatusNotFound {
		t.Errorf("answering an unknown call: %d, want 404", st)
	}

	other := h.createOK(p2pBody(h.callback))
	w2 := h.watch(other)
	if st, body := adminDo(t, h, http.MethodPost, "calls/"+other+"/no-answer", ""); st != http.StatusNoContent {
		t.Fatalf("no-answer: %d %s", st, body)
	}
	if code, sub := terminatedResult(t, w2); code != 408 || sub != 10057 {
		t.Errorf("rung out: %d/%d, want 408/10057", code, sub)
	}
}

// TestAnswerModeSwitch: PUT /_callcheck/ringing changes how the callees of
// later calls answer; group calls never ring; a bad mode is refused.
func TestAnswerModeSwitch(t *testing.T) {
	h := newHarness(t, nil)
	if st, body := adminDo(t, h, http.MethodPut, "ringing", `{"answer":"sometimes"}`); st != http.StatusBadRequest || !strings.Contains(body, "ringing.answer") {
		t.Errorf("bad mode: %d %s", st, body)
	}
	if st, body := adminDo(t, h, http.MethodPut, "ringing", `{"answer":"manual"}`); st != http.StatusOK {
		t.Fatalf("PUT ringing: %d %s", st, body)
	}
	p2p := h.createOK(p2pBody(h.callback))
	group := h.createOK(groupBody(h.callback, 2, serviceMedia))
	wg := h.watch(group)
	if _, err := wg.WaitFor(ctxTimeout(t, 10*time.Second), notify.StateIs(graph.CallStateEstablished)); err != nil {
		t.Fatalf("group call: %v", err)
	}
	h.waitIdle()
	if info, _ := h.srv.Call(p2p); !info.Ringing {
		t.Errorf("peer-to-peer call after switching to manual: %+v, want ringing", info)
	}
	if err := h.srv.SetAnswerMode(AnswerAuto); err != nil {
		t.Fatal(err)
	}
	w := h.watch(h.createOK(p2pBody(h.callback)))
	if _, err := w.WaitFor(ctxTimeout(t, 10*time.Second), notify.StateIs(graph.CallStateEstablished)); err != nil {
		t.Fatalf("after switching back to auto: %v", err)
	}
}

// TestRingingConfigRefused: bad ringing settings are refused, naming them.
func TestRingingConfigRefused(t *testing.T) {
	for _, tc := range []struct {
		mutate func(*Ringing)
		want   string
	}{
		{func(r *Ringing) { r.Answer = "later" }, "ringing.answer"},
		{func(r *Ringing) { r.NoAnswerTimeout = 0 }, "ringing.noAnswerTimeout"},
		{func(r *Ringing) { r.AnswerAfter = Delay{2, 1} }, "ringing.answerAfter"},
	} {
		c := testConfig(t)
		tc.mutate(&c.Ringing)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want it to name %s", err, tc.want)
		}
	}
}

// TestRingingTimeoutInSeconds: a request's ringingTimeoutInSeconds bounds
// the ringing in place of the configured no-answer timeout (facts §1.1).
func TestRingingTimeoutInSeconds(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Ringing.Answer = AnswerNever }) // the configured timeout: a minute
	body := strings.Replace(string(p2pBody(h.callback)), `"requestedModalities"`, `"ringingTimeoutInSeconds":1,"requestedModalities"`, 1)
	r := h.create("beta", []byte(body))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	w := h.watch(r.json(t)["id"].(string))
	if code, sub := terminatedResult(t, w); code != 408 || sub != 10057 {
		t.Errorf("resultInfo %d/%d, want 408/10057 after the request's one second", code, sub)
	}
}
