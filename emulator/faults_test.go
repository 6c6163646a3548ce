package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
)

// TestThrottle: an app over its token bucket gets 429 TooManyRequests with
// Retry-After (facts §4.3), other apps are not affected.
func TestThrottle(t *testing.T) {
	other := App{ClientID: "11111111-0000-4000-8000-000000000000", ClientSecret: "s2", TenantID: DefaultTenantID, Roles: graph.CallingRoles()}
	h := newHarness(t, func(c *Config) {
		c.Faults.Throttle = Throttle{Rate: 0.001, Burst: 2}
		c.Apps = append(c.Apps, other)
	})
	var statuses []int
	var last response
	for i := 0; i < 3; i++ {
		last = h.create("beta", p2pBody(h.callback))
		statuses = append(statuses, last.status)
	}
	if !slices.Equal(statuses, []int{201, 201, 429}) {
		t.Fatalf("statuses %v, want 201 201 429", statuses)
	}
	if ra, err := strconv.Atoi(last.header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After %q, want whole seconds >= 1", last.header.Get("Retry-After"))
	}
	e, _ := graph.ParseError(last.body)
	if e == nil || e.Error.Code != CodeTooManyRequests || string(e.Error.InnerError.Extra["status"]) != `"429"` {
		t.Errorf("429 body %s", last.body)
	}
	if r := h.do(h.clientFor(other), http.MethodPost, "/beta/communications/calls", p2pBody(h.callback), nil); r.status != 201 {
		t.Errorf("another app was throttled: %d", r.status)
	}
}

// TestServerErrorFault: every request answered 503 with Retry-After at rate 1.
func TestServerErrorFault(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Faults.ServerErrors = ServerErrors{Rate: 1, Status: 503} })
	r := h.create("beta", p2pBody(h.callback))
	if r.status != 503 || r.errorCode() != CodeServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("got %d %q %v", r.status, r.errorCode(), r.header)
	}
}

// TestLatencyFault: injected latency delays the answer.
func TestLatencyFault(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Faults.Latency = RateDelay{Rate: 1, Delay: Delay{Min: 50 * time.Millisecond, Max: 50 * time.Millisecond}}
	})
	start := time.Now()
	h.createOK(p2pBody(h.callback))
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("create took %v, want at least the injected 50ms", d)
	}
}

// TestNotificationFaults: drop, duplicate, reorder at rate 1.
func TestNotificationFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		want   []string
	}{
		// Every notification dropped: the call still runs its course.
		{"drop", Faults{Drop: 1}, nil},
		// Every notification twice.
		{"duplicate", Faults{Duplicate: 1}, []string{"establishing", "establishing", "established", "established"}},
		// Established before establishing ("may arrive out of order").
		{"reorder", Faults{Reorder: 1}, []string{"established", "establishing"}},
		// Delayed, but all there and in order.
		{"delay", Faults{NotificationDelay: RateDelay{Rate: 1, Delay: Delay{Min: 5 * time.Millisecond, Max: 10 * time.Millisecond}}},
			[]string{"establishing", "established"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.Faults = tt.faults })
			id := h.createOK(p2pBody(h.callback))
			w := h.watch(id)
			h.waitIdle()
			if got := kinds(t, w.Events()); !slices.Equal(got, tt.want) {
				t.Errorf("notifications %v, want %v", got, tt.want)
			}
			if c, _ := h.srv.Call(id); c.State != graph.CallStateEstablished {
				t.Errorf("state %q, want established whatever was delivered", c.State)
			}
		})
	}
}

// TestStuckFault: a call stuck in establishing ends with 500/7117 (facts §3.9).
func TestStuckFault(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Faults.Stuck = Stuck{Rate: 1, For: 20 * time.Millisecond} })
	id := h.createOK(p2pBody(h.callback))
	w := h.watch(id)
	ev, err := w.WaitFor(ctxTimeout(t, 5*time.Second), notify.StateIs(graph.CallStateTerminated))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := ev.Notification.Call(); c.ResultInfo == nil || c.ResultInfo.Code.Value != 500 || c.ResultInfo.Subcode.Value != 7117 {
		t.Errorf("terminated %s, want 500/7117", ev.Notification.ResourceData)
	}
	h.waitIdle()
	if got := kinds(t, w.Events()); !slices.Equal(got, []string{"establishing", "terminated"}) {
		t.Errorf("notifications %v", got)
	}
}

// TestDiceReproducible: decisions depend only on seed, stream and ordinal.
func TestDiceReproducible(t *testing.T) {
	a, b, c := dice{seed: 7}, dice{seed: 7}, dice{seed: 8}
	same, differ := 0, 0
	for i := uint64(0); i < 1000; i++ {
		if a.float(streamDrop, i) == b.float(streamDrop, i) {
			same++
		}
		if a.float(streamDrop, i) != c.float(streamDrop, i) {
			differ++
		}
	}
	if same != 1000 || differ < 990 {
		t.Errorf("same seed agreed %d/1000, other seed differed %d/1000", same, differ)
	}
	hits := 0
	for i := uint64(0); i < 10000; i++ {
		if a.hit(0.25, streamDuplicate, i) {
			hits++
		}
	}
	if hits < 2300 || hits > 2700 {
		t.Errorf("p=0.25 hit %d/10000 times", hits)
	}
}

// TestKeepAliveExpiry: a call without keepAlive ends with 408/8537 and is
// evicted; keepAlive keeps one alive (facts §3.10).
func TestKeepAliveExpiry(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Limits.KeepAliveTimeout = 300 * time.Millisecond })
	idle := h.createOK(p2pBody(h.callback))
	kept := h.createOK(p2pBody(h.callback))
	w := h.watch(idle)
	ctx := ctxTimeout(t, 10*time.Second)
	deadline := time.NewTicker(50 * time.Millisecond)
	defer deadline.Stop()
	done := make(chan error, 1)
	go func() {
		_, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateTerminated))
		done <- err
	}()
	for waiting := true; waiting; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			waiting = false
		case <-deadline.C:
			if r := h.do(h.client, http.MethodPost, "/beta/communications/calls/"+kept+"/keepAlive", nil, nil); r.status != 200 {
				t.Fatalf("keepAlive: %d %s", r.status, r.body)
			}
		}
	}
	ev, _ := w.WaitFor(ctx, notify.StateIs(graph.CallStateTerminated))
	if c, _ := ev.Notification.Call(); c.ResultInfo.Code.Value != 408 || c.ResultInfo.Subcode.Value != 8537 {
		t.Errorf("terminated %s, want 408/8537", ev.Notification.ResourceData)
	}
	h.waitIdle()
	if _, ok := h.srv.Call(idle); ok {
		t.Error("the expired call was not evicted")
	}
	if c, ok := h.srv.Call(kept); !ok || c.Ended {
		t.Error("the call kept alive ended")
	}
}

// TestThrottleFirstAttempt: the first attempt of every request (by
// client-request-id) is answered 429 with Retry-After: 1, its retry is
// served; a request without a client-request-id is never throttled by it.
func TestThrottleFirstAttempt(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Faults.Throttle.FirstAttempt = true })
	body := p2pBody(h.callback)
	var statuses []string
	for _, crid := range []string{"a1", "a1", "b2", "b2", "b2", ""} {
		hdr := http.Header{}
		if crid != "" {
			hdr.Set("client-request-id", crid)
		}
		r := h.do(h.client, http.MethodPost, "/beta/communications/calls", body, hdr)
		statuses = append(statuses, strconv.Itoa(r.status)+"/"+r.header.Get("Retry-After"))
	}
	want := []string{"429/1", "201/", "429/1", "201/", "201/", "201/"}
	if !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
}
