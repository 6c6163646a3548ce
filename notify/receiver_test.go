package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/notify/mocks"
)

// The documented establishing notification, verbatim (graph-calls-facts §2).
const documentedEstablishing = `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":"/communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab","callbackUri":"https://bot.contoso.com/callback","resourceData":{"@odata.type":"#microsoft.graph.call","state":"establishing","id":"2e1a0b00-2db4-4022-9570-243709c565ab"}}]}`

var goodClaims = &identity.NotificationClaims{Audience: botAppID, TenantID: tenantID, Issuer: identity.DefaultNotificationIssuer}

// acceptAll is a mocked verifier accepting every token.
func acceptAll(t *testing.T) *mocks.TokenVerifier {
	v := mocks.NewTokenVerifier(t)
	v.EXPECT().Verify(mock.Anything, mock.Anything).Return(goodClaims, nil).Maybe()
	return v
}

func newReceiver(t *testing.T, v notify.TokenVerifier, opts ...notify.Option) *notify.Receiver {
	t.Helper()
	r, err := notify.NewReceiver(v, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func post(r http.Handler, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/callback", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer t")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func envelope(notes ...string) string {
	return `{"@odata.type":"#microsoft.graph.commsNotifications","value":[` + strings.Join(notes, ",") + `]}`
}

func note(resourceURL, data string) string {
	return fmt.Sprintf(`{"changeType":"updated","resourceUrl":%q,"resourceData":%s}`, resourceURL, data)
}

func TestReceiverEnvelopeStrictness(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		reason     string
	}{
		{"documented example", documentedEstablishing, 202, ""},
		{"empty batch", `{"value":[]}`, 202, ""},
		{"not JSON", `hello`, 400, "not a JSON object"},
		{"truncated", documentedEstablishing[:40], 400, "not a commsNotifications envelope"},
		{"array", `[{"value":[]}]`, 400, "not a JSON object"},
		{"no value", `{"@odata.type":"#microsoft.graph.commsNotifications"}`, 400, `no "value" array`},
		{"value not an array", `{"value":{}}`, 400, "not a commsNotifications envelope"},
		{"notification not an object", `{"value":[1]}`, 400, "not a commsNotifications envelope"},
		{"another type", `{"@odata.type":"#microsoft.graph.call","value":[]}`, 400, "@odata.type"},
		{"empty body", ``, 400, "not a JSON object"},
	} {
		r := newReceiver(t, acceptAll(t))
		w := post(r, tc.body)
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.name, w.Code, tc.status, w.Body)
			continue
		}
		if tc.status != 202 {
			rejs := r.Rejections()
			if len(rejs) != 1 || !strings.Contains(rejs[0].Reason, tc.reason) || rejs[0].Status != tc.status {
				t.Errorf("%s: rejections %+v, want one naming %q", tc.name, rejs, tc.reason)
			}
		}
	}
}

func TestReceiverStatuses(t *testing.T) {
	expired := &identity.TokenError{Reason: identity.ErrExpired, Detail: "exp in the past"}
	keysDown := &identity.DiscoveryError{URL: "https://keys.example/config", Reason: "unreachable"}
	for _, tc := range []struct {
		name   string
		err    error
		method string
		body   string
		status int
	}{
		{"token refused", expired, http.MethodPost, documentedEstablishing, 401},
		{"keys unavailable", keysDown, http.MethodPost, documentedEstablishing, 503},
		{"GET", nil, http.MethodGet, "", 405},
		{"too large", nil, http.MethodPost, `{"value":[` + strings.Repeat(" ", 2048) + `]}`, 413},
	} {
		v := mocks.NewTokenVerifier(t)
		if tc.err != nil {
			v.EXPECT().Verify(mock.Anything, "Bearer t").Return(nil, tc.err).Once()
		}
		r := newReceiver(t, v, notify.WithMaxBodyBytes(1024))
		w := watchAll(r, callA)
		req := httptest.NewRequest(tc.method, "/callback", strings.NewReader(tc.body))
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.status)
		}
		if tc.status == 401 && !strings.Contains(rec.Header().Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("%s: no WWW-Authenticate", tc.name)
		}
		if tc.err != nil {
			rejs := w.Rejections()
			if len(rejs) != 1 || !errors.Is(rejs[0].Err, tc.err) {
				t.Errorf("%s: the call's watch saw %+v", tc.name, rejs)
			}
		}
		if st := r.Stats(); st.Rejected != 1 || st.Accepted != 0 || st.Posts != 1 {
			t.Errorf("%s: stats %+v", tc.name, st)
		}
		w.Close()
	}
}

func watchAll(r *notify.Receiver, id string) *notify.CallWatch { return r.Watch(id) }

func TestReceiverCorrelation(t *testing.T) {
	var mu sync.Mutex
	var hooked []notify.Event
	r := newReceiver(t, acceptAll(t), notify.WithEventHook(func(e notify.Event) {
		mu.Lock()
		hooked = append(hooked, e)
		mu.Unlock()
	}))
	wa, wb := r.Watch(callA), r.Watch(callB)
	defer wa.Close()
	defer wb.Close()
	body := envelope(
		note("/communications/calls/"+callA, `{"state":"Establishing"}`), // PascalCase, as the field sees it (§2)
		note("/communications/calls/"+callA+"/participants", `[{"id":"p1"}]`),
		note("https://graph.microsoft.com/beta/communications/calls/"+callB, `{"state":"established"}`),
		`{"changeType":"deleted","resource":"/app/calls/`+callB+`","resourceData":{"state":"terminated"}}`, // legacy resource only
		note("/communications/calls/"+callA+"/operations/op1", `{"status":"completed"}`),
		`{"changeType":"updated","resourceData":{}}`, // names no call
	)
	if w := post(r, body); w.Code != 202 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	a, b := wa.Events(), wb.Events()
	if len(a) != 3 || a[0].State() != graph.CallStateEstablishing || !a[1].IsRoster() || a[2].Resource.Sub != "operations/op1" {
		t.Errorf("call A events %+v", a)
	}
	if len(b) != 2 || b[0].State() != graph.CallStateEstablished || b[1].State() != graph.CallStateTerminated || b[1].Resource.Prefix != "/app/calls" {
		t.Errorf("call B events %+v", b)
	}
	if len(hooked) != 6 || hooked[5].CallID != "" || hooked[5].Index != 5 || hooked[5].BatchSize != 6 {
		t.Errorf("hook saw %d events, last %+v", len(hooked), hooked[len(hooked)-1])
	}
	if st := r.Stats(); st.Notifications != 6 || st.Uncorrelated != 1 || st.Unwatched != 0 || st.Watches != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestWatchOrderDuplicatesAndWaitFor(t *testing.T) {
	r := newReceiver(t, acceptAll(t))
	w := r.Watch(callA)
	defer w.Close()
	established := note("/communications/calls/"+callA, `{"state":"established"}`)
	for _, body := range []string{envelope(established), envelope(established), envelope(note("/communications/calls/"+callA, `{"state":"establishing"}`))} {
		post(r, body)
	}
	ctx := testkit.Context(t, 5*time.Second)
	// Next streams arrival order, duplicates included.
	for i, want := range []graph.CallState{graph.CallStateEstablished, graph.CallStateEstablished, graph.CallStateEstablishing} {
		if e, err := w.Next(ctx); err != nil || e.State() != want {
			t.Errorf("Next #%d = %v, %v; want %s", i, e.State(), err, want)
		}
	}
	// WaitFor looks at everything seen, whatever the order or the cursor.
	if e, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateEstablishing)); err != nil || e.State() != graph.CallStateEstablishing {
		t.Errorf("WaitFor(establishing) = %v, %v", e.State(), err)
	}
	// A notification that has not arrived: WaitFor waits for it.
	got := make(chan error, 1)
	go func() {
		_, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateTerminated))
		got <- err
	}()
	post(r, envelope(note("/communications/calls/"+callA, `{"state":"terminated"}`)))
	if err := <-got; err != nil {
		t.Errorf("WaitFor(terminated) = %v", err)
	}
}

func TestWatchWaitsAreBounded(t *testing.T) {
	r := newReceiver(t, acceptAll(t))
	w := r.Watch(callA)
	post(r, envelope(note("/communications/calls/"+callA, `{"state":"establishing"}`)))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateEstablished))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), callA) || !strings.Contains(err.Error(), "after 1 notifications") {
		t.Errorf("WaitFor = %v, want the deadline, naming the call and what was seen", err)
	}
	// Closing wakes waiters.
	if _, err := w.Next(testkit.Context(t, 5*time.Second)); err != nil { // consume the event so Next below blocks
		t.Fatal(err)
	}
	got := make(chan error, 2)
	go func() { _, err := w.Next(testkit.Context(t, 10*time.Second)); got <- err }()
	go func() { _, err := w.WaitFor(testkit.Context(t, 10*time.Second), notify.IsRoster); got <- err }()
	w.Close()
	for range 2 {
		if err := <-got; !errors.Is(err, notify.ErrWatchClosed) {
			t.Errorf("waiter woke with %v, want ErrWatchClosed", err)
		}
	}
	if st := r.Stats(); st.Watches != 0 {
		t.Errorf("closed watch still registered: %+v", st)
	}
}

// A waiter that has already looked at kept events wakes cleanly when the
// watch closes (and releases them) under it.
func TestWatchClosedUnderAWaiterThatHasSeenEvents(t *testing.T) {
	r := newReceiver(t, acceptAll(t))
	w := r.Watch(callA)
	post(r, envelope(note("/communications/calls/"+callA, `{"state":"establishing"}`)))
	looked := make(chan struct{})
	var once sync.Once
	got := make(chan error, 1)
	go func() {
		_, err := w.WaitFor(testkit.Context(t, 10*time.Second), func(notify.Event) bool {
			once.Do(func() { close(looked) })
			return false
		})
		got <- err
	}()
	<-looked // the waiter has seen the kept event: closing now releases it under the waiter
	w.Close()
	if err := <-got; !errors.Is(err, notify.ErrWatchClosed) {
		t.Errorf("waiter woke with %v, want ErrWatchClosed", err)
	}
}

func TestWatchOverflow(t *testing.T) {
	r := newReceiver(t, acceptAll(t), notify.WithWatchLimit(2))
	w := r.Watch(callA)
	defer w.Close()
	for range 3 {
		post(r, envelope(note("/communications/calls/"+callA, `{"state":"establishing"}`)))
	}
	_, err := w.WaitFor(testkit.Context(t, 10*time.Second), notify.StateIs(graph.CallStateEstablished))
	if !errors.Is(err, notify.ErrWatchOverflow) || w.Dropped() != 1 || len(w.Events()) != 2 {
		t.Errorf("WaitFor = %v, dropped %d, kept %d", err, w.Dropped(), len(w.Events()))
	}
}

func TestPendingBeforeWatch(t *testing.T) {
	clock := testkit.NewClock()
	limits := notify.PendingLimits{Calls: 2, EventsPerCall: 2, TTL: time.Minute}
	r := newReceiver(t, acceptAll(t), notify.WithPendingLimits(limits), notify.WithClock(clock.Now))
	send := func(id, state string) { post(r, envelope(note("/communications/calls/"+id, `{"state":"`+state+`"}`))) }
	send(callA, "establishing")
	send(callA, "established")
	send(callA, "terminating") // over EventsPerCall: dropped
	w := r.Watch(callA)
	if ev := w.Events(); len(ev) != 2 || ev[1].State() != graph.CallStateEstablished {
		t.Errorf("adopted %+v, want the two kept before the watch", ev)
	}
	w.Close()
	// Calls beyond the limit push out the oldest.
	c1, c2, c3 := graph.NewGUID(), graph.NewGUID(), graph.NewGUID()
	send(c1, "establishing")
	send(c2, "establishing")
	send(c3, "establishing")
	w1 := r.Watch(c1)
	defer w1.Close()
	if n := len(w1.Events()); n != 0 {
		t.Errorf("oldest unwatched call kept %d events, want it evicted", n)
	}
	// And the TTL expires the rest.
	clock.Advance(time.Minute)
	send(graph.NewGUID(), "establishing")
	w3 := r.Watch(c3)
	defer w3.Close()
	if n := len(w3.Events()); n != 0 {
		t.Errorf("expired call kept %d events", n)
	}
	if st := r.Stats(); st.PendingDropped != 4 || st.Unwatched != 7 {
		t.Errorf("stats %+v, want 4 dropped (1 over the per-call limit, c1 evicted, c2 and c3 expired), 7 unwatched", st)
	}
}

func TestPendingDisabled(t *testing.T) {
	r := newReceiver(t, acceptAll(t), notify.WithPendingLimits(notify.PendingLimits{}))
	post(r, documentedEstablishing)
	if n := len(r.Watch(callA).Events()); n != 0 {
		t.Errorf("kept %d events with pending disabled", n)
	}
}

func TestTwoWatchesOfOneCall(t *testing.T) {
	r := newReceiver(t, acceptAll(t))
	w1 := r.Watch(callA)
	post(r, documentedEstablishing)
	w2 := r.Watch(callA) // starts with what w1 has seen
	post(r, envelope(note("/communications/calls/"+callA, `{"state":"established"}`)))
	if len(w1.Events()) != 2 || len(w2.Events()) != 2 {
		t.Errorf("w1 %d events, w2 %d; want 2 each", len(w1.Events()), len(w2.Events()))
	}
	w1.Close()
	post(r, envelope(note("/communications/calls/"+callA, `{"state":"terminated"}`)))
	if len(w2.Events()) != 3 {
		t.Errorf("w2 has %d events after w1 closed, want 3", len(w2.Events()))
	}
	w2.Close()
}

func TestReceiverClose(t *testing.T) {
	r := newReceiver(t, acceptAll(t))
	w := r.Watch(callA)
	got := make(chan error, 1)
	go func() { _, err := w.Next(testkit.Context(t, 10*time.Second)); got <- err }()
	r.Close()
	if err := <-got; !errors.Is(err, notify.ErrWatchClosed) {
		t.Errorf("waiter woke with %v", err)
	}
	if code := post(r, documentedEstablishing).Code; code != 503 {
		t.Errorf("POST after Close: %d, want 503", code)
	}
	if _, err := r.Watch(callA).Next(testkit.Context(t, 10*time.Second)); !errors.Is(err, notify.ErrWatchClosed) {
		t.Errorf("Watch after Close: %v", err)
	}
	if _, err := notify.NewReceiver(nil); err == nil {
		t.Error("NewReceiver(nil) accepted")
	}
}

// TestReceiverStrayRequests: requests that name no call (a probe's HEAD /
// or GET /, an empty POST, a body naming no call) are refused, logged and
// counted as stray, and reach no call's watch; a refused body that does
// name a call (a bare notification, outside an envelope) reaches its
// call's watch and is not stray.
func TestReceiverStrayRequests(t *testing.T) {
	r := newReceiver(t, acceptAll(t))
	w := r.Watch(callA)
	defer w.Close()
	bare := note("/communications/calls/"+callA, `{"@odata.type":"#microsoft.graph.call","state":"established"}`)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		stray                    bool
	}{
		{"HEAD /", http.MethodHead, "/", "", 405, true},           // a scanner or a health check
		{"GET /", http.MethodGet, "/", "", 405, true},             // the same
		{"GET with a body", http.MethodGet, "/", bare, 405, true}, // a probe's body is not read as naming a call
		{"empty POST", http.MethodPost, "/callback", "", 400, true},
		{"POST naming no call", http.MethodPost, "/callback", `{"hello":"world"}`, 400, true},
		{"bare notification", http.MethodPost, "/callback", bare, 400, false}, // names callA: the call's business
	} {
		before := r.Stats().Stray
		req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.status)
		}
		if got := r.Stats().Stray - before; got != map[bool]uint64{true: 1, false: 0}[tc.stray] {
			t.Errorf("%s: stray counted %d", tc.name, got)
		}
	}
	if rejs := w.Rejections(); len(rejs) != 1 || rejs[0].Status != 400 {
		t.Fatalf("the call's watch saw %+v, want only the bare notification", rejs)
	}
	if st := r.Stats(); st.Rejected != 6 || st.Stray != 5 || len(r.Rejections()) != 6 {
		t.Fatalf("stats %+v, %d rejections logged", st, len(r.Rejections()))
	}
}
