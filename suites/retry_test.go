package suites

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
)

// throttlingTarget answers each request's first `refuse` attempts (by
// client-request-id) with status and the Retry-After header, then 201.
type throttlingTarget struct {
	status     int
	retryAfter string
	refuse     int

	mu       sync.Mutex
	attempts map[string]int
	retryHdr []string // the Retry-Attempt headers received, in order
}

func (f *throttlingTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	crid := r.Header.Get("client-request-id")
	f.attempts[crid]++
	n := f.attempts[crid]
	f.retryHdr = append(f.retryHdr, r.Header.Get(headerRetryAttempt))
	f.mu.Unlock()
	if n <= f.refuse {
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		w.WriteHeader(f.status)
		return
	}
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write([]byte(`{"id":"c1"}`))
}

// retryClient is a client of f whose waits are recorded, not slept.
func retryClient(t *testing.T, f *throttlingTarget) (*client, *[]time.Duration, *[]report.Retry) {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	var waits []time.Duration
	var retries []report.Retry
	c := &client{base: srv.URL, http: srv.Client(), timeout: 5 * time.Second, done: map[string]bool{}, retryCap: 30 * time.Second,
		tokens:  oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok", TokenType: "Bearer"}),
		wait:    func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
		onRetry: func(r report.Retry) { retries = append(retries, r) }}
	return c, &waits, &retries
}

// TestClientRetries: which answers are retried, how long the client waits
// (Retry-After honoured, capped, or backed off), that a retry keeps its
// client-request-id and numbers itself, and that the last answer is
// returned once the attempts run out.
func TestClientRetries(t *testing.T) {
	date := time.Now().Add(20 * time.Second).UTC().Format(http.TimeFormat)
	cases := []struct {
		name       string
		method     string
		status     int
		retryAfter string
		refuse     int
		wantStatus int
		wantWaits  int
		minWait    time.Duration
		maxWait    time.Duration
	}{
		// 429 with Retry-After: 1, once: one retry after a second.
		{"429 once", http.MethodPost, 429, "1", 1, 201, 1, time.Second, time.Second},
		// Graph's throttling page shows a fractional Retry-After.
		{"429 fractional", http.MethodPost, 429, "2.128", 1, 201, 1, 2128 * time.Millisecond, 2128 * time.Millisecond},
		// An HTTP date: the wait until then (about 20 s).
		{"503 date", http.MethodPost, 503, date, 1, 201, 1, 15 * time.Second, 20 * time.Second},
		// A Retry-After beyond the cap waits the cap.
		{"429 capped", http.MethodPost, 429, "3600", 1, 201, 1, 30 * time.Second, 30 * time.Second},
		// No Retry-After: exponential back-off from a second.
		{"503 no header", http.MethodGet, 503, "", 2, 201, 2, time.Second, 2 * time.Second},
		// A 500 to GET is retried (idempotent)...
		{"500 GET", http.MethodGet, 500, "", 1, 201, 1, time.Second, time.Second},
		// ...but not to POST, which could create a second call.
		{"500 POST", http.MethodPost, 500, "", 1, 500, 0, 0, 0},
		// A 400 is never retried.
		{"400", http.MethodDelete, 400, "1", 1, 400, 0, 0, 0},
		// Throttled for ever: the attempts run out and the last 429 is returned.
		{"exhausted", http.MethodPost, 429, "1", 100, 429, maxAttempts - 1, time.Second, time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &throttlingTarget{status: tc.status, retryAfter: tc.retryAfter, refuse: tc.refuse, attempts: map[string]int{}}
			c, waits, retries := retryClient(t, f)
			resp, err := c.do(context.Background(), request{Method: tc.method, Path: callsPath, Body: []byte(`{}`)})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tc.wantStatus {
				t.Fatalf("status %d, want %d", resp.Status, tc.wantStatus)
			}
			if len(*waits) != tc.wantWaits || len(*retries) != tc.wantWaits {
				t.Fatalf("waits %v, retries %d; want %d of each", *waits, len(*retries), tc.wantWaits)
			}
			for i, w := range *waits {
				if w < tc.minWait || w > tc.maxWait {
					t.Errorf("wait %d = %s, want within [%s, %s]", i, w, tc.minWait, tc.maxWait)
				}
				if rt := (*retries)[i]; rt.Attempt != i+1 || rt.Status != tc.status || rt.RetryAfter != tc.retryAfter || rt.Path != callsPath {
					t.Errorf("retry %d recorded as %+v", i, rt)
				}
			}
			if len(f.attempts) != 1 {
				t.Errorf("the retries used %d client-request-ids, want the first one kept", len(f.attempts))
			}
			if got := strings.Join(f.retryHdr, ","); tc.wantWaits == 1 && got != ",1" {
				t.Errorf("Retry-Attempt headers %q, want none then 1", got)
			}
		})
	}
}

// TestParseRetryAfter: seconds, fractions, dates in the past and garbage.
func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"10", 10 * time.Second, true},
		{" 2.128 ", 2128 * time.Millisecond, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true}, // a date past: no wait
		{now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := notify.ParseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("notify.ParseRetryAfter(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
