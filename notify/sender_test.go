package notify_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	idmocks "github.com/callcheck/callcheck/identity/mocks"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/notify/mocks"
)

var fastRetry = notify.RetryPolicy{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

func newSender(t *testing.T, opts ...notify.Option) *notify.Sender {
	t.Helper()
	signer, err := identity.NewNotificationSigner(testkit.Key(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	s, err := notify.NewSender(signer, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func delivery(url string) notify.Delivery {
	return notify.Delivery{URL: url, AppID: botAppID, TenantID: tenantID, Batch: batch(callNote(callA, graph.CallStateEstablished))}
}

// statusSequence answers the statuses in turn (the last one repeats).
func statusSequence(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		w.Header().Set("Location", "https://elsewhere.example/callback")
		w.WriteHeader(statuses[min(i, len(statuses)-1)])
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestSenderRetries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int
		attempts int
		want     error
	}{
		// A transient failure is retried until acknowledged.
		{"503 then 202", []int{503, 202}, 2, nil},
		// Retries stop after Attempts.
		{"always 500", []int{500}, 3, notify.ErrNotAcknowledged},
		// A client error is final.
		{"400", []int{400}, 1, notify.ErrNotAcknowledged},
		// A 401 (the bot refused the token) is final.
		{"401", []int{401}, 1, notify.ErrNotAcknowledged},
		// Redirects are refused, reported, and not retried (§6 region redirects).
		{"307", []int{307}, 1, notify.ErrRedirect},
		// Any 2xx is an acknowledgement (§10: "treat any 2xx as acknowledged").
		{"200", []int{200}, 1, nil},
	} {
		srv, hits := statusSequence(t, tc.statuses...)
		ring := notify.NewRingRecorder(16)
		s := newSender(t, notify.WithRetryPolicy(fastRetry), notify.WithRecorder(ring))
		rec, err := s.Send(context.Background(), delivery(srv.URL))
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
		if int(hits.Load()) != tc.attempts || rec.Attempt != tc.attempts || !rec.Final {
			t.Errorf("%s: %d requests, record %+v; want %d attempts", tc.name, hits.Load(), rec, tc.attempts)
		}
		recs := ring.Snapshot()
		if len(recs) != tc.attempts || recs[0].MessageID != rec.MessageID || recs[0].Final != (tc.attempts == 1) {
			t.Errorf("%s: records %+v", tc.name, recs)
		}
		if tc.want == notify.ErrRedirect && rec.Redirect != "https://elsewhere.example/callback" {
			t.Errorf("%s: redirect not reported: %+v", tc.name, rec)
		}
	}
}

func TestRetryPolicyDelay(t *testing.T) {
	p := notify.RetryPolicy{Attempts: 5, Backoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	srv, _ := statusSequence(t, 429)
	ring := notify.NewRingRecorder(8)
	// Retry-After of 0.01 s (fractional, as Graph writes it) replaces the 100 ms backoff.
	retryAfter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0.01")
		w.WriteHeader(429)
	}))
	defer retryAfter.Close()
	s := newSender(t, notify.WithRetryPolicy(notify.RetryPolicy{Attempts: 3, Backoff: time.Hour, MaxBackoff: time.Hour}), notify.WithRecorder(ring))
	ctx := testkit.Context(t, 10*time.Second)
	if _, err := s.Send(ctx, delivery(retryAfter.URL)); !errors.Is(err, notify.ErrNotAcknowledged) {
		t.Fatalf("Send = %v", err)
	}
	if n := len(ring.Snapshot()); n != 3 {
		t.Errorf("%d attempts, want 3 (Retry-After honoured instead of the hour-long backoff)", n)
	}
	// A context ending during a backoff abandons the delivery, and says so.
	s2 := newSender(t, notify.WithRetryPolicy(p), notify.WithRecorder(ring))
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	rec, err := s2.Send(short, delivery(srv.URL))
	if !errors.Is(err, context.DeadlineExceeded) || !rec.Final || rec.Attempt != 2 || !strings.Contains(rec.Error, "abandoned") {
		t.Errorf("abandoned: %+v, %v", rec, err)
	}
}

func TestDefaultRetryable(t *testing.T) {
	for _, tc := range []struct {
		status int
		err    error
		want   bool
	}{
		{0, errors.New("connection refused"), true},
		{0, context.DeadlineExceeded, true}, // the per-POST timeout
		{0, context.Canceled, false},
		{307, notify.ErrRedirect, false},
		{408, nil, true}, {429, nil, true}, {500, nil, true}, {502, nil, true}, {503, nil, true}, {504, nil, true},
		{400, nil, false}, {401, nil, false}, {403, nil, false}, {404, nil, false}, {501, nil, false},
	} {
		if got := notify.DefaultRetryable(tc.status, tc.err); got != tc.want {
			t.Errorf("DefaultRetryable(%d, %v) = %v", tc.status, tc.err, got)
		}
	}
}

// TestSenderRequestWithMocks checks the request a Sender builds and its retry
// of transport errors, with a mocked Doer and TokenSigner.
func TestSenderRequestWithMocks(t *testing.T) {
	doer, signer := idmocks.NewDoer(t), mocks.NewTokenSigner(t)
	signer.EXPECT().Token(botAppID, tenantID).Return("tok", nil).Times(3)
	isGraphPost := mock.MatchedBy(func(r *http.Request) bool {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		return r.Method == http.MethodPost && r.Header.Get("Authorization") == "Bearer tok" &&
			r.Header.Get(notify.HeaderChainID) == "chain-1" && graph.IsGUID(r.Header.Get(notify.HeaderMessageID)) &&
			r.Header.Get("User-Agent") == notify.DefaultUserAgent && strings.Contains(string(body), `"resourceUrl":"/communications/calls/`+callA)
	})
	doer.EXPECT().Do(isGraphPost).Return(nil, errors.New("connection reset")).Once()
	doer.EXPECT().Do(isGraphPost).Return(&http.Response{StatusCode: 502, Body: http.NoBody, Header: http.Header{}}, nil).Once()
	doer.EXPECT().Do(isGraphPost).Return(&http.Response{StatusCode: 202, Body: http.NoBody, Header: http.Header{}}, nil).Once()
	s, err := notify.NewSender(signer, notify.WithDoer(doer), notify.WithRetryPolicy(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	d := delivery("https://bot.contoso.example/callback")
	d.ChainID = "chain-1"
	rec, err := s.Send(context.Background(), d)
	if err != nil || rec.Attempt != 3 || rec.Status != 202 {
		t.Errorf("Send = %+v, %v; want acknowledged on the third attempt", rec, err)
	}
}

func TestSenderOverridesWithMocks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		o      notify.Override
		expect func(*mocks.TokenSigner)
		check  func(*http.Request) bool
	}{
		{"defect", notify.Override{Defect: identity.DefectExpired},
			func(s *mocks.TokenSigner) {
				s.EXPECT().DefectiveToken(botAppID, tenantID, identity.DefectExpired).Return("expired", nil).Once()
			},
			func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer expired" }},
		{"no token", notify.Override{NoToken: true}, func(*mocks.TokenSigner) {},
			func(r *http.Request) bool { _, ok := r.Header["Authorization"]; return !ok }},
		{"raw authorization", notify.Override{Authorization: "Bearer raw"}, func(*mocks.TokenSigner) {},
			func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer raw" }},
		{"headers and body", notify.Override{NoToken: true, Body: []byte("{not json"), Header: http.Header{"User-Agent": nil, "X-Extra": {"1"}}},
			func(*mocks.TokenSigner) {},
			func(r *http.Request) bool {
				body, _ := io.ReadAll(r.Body)
				_, ua := r.Header["User-Agent"]
				return string(body) == "{not json" && !ua && r.Header.Get("X-Extra") == "1"
			}},
	} {
		doer, signer := idmocks.NewDoer(t), mocks.NewTokenSigner(t)
		tc.expect(signer)
		doer.EXPECT().Do(mock.MatchedBy(tc.check)).Return(&http.Response{StatusCode: 401, Body: http.NoBody, Header: http.Header{}}, nil).Once()
		s, _ := notify.NewSender(signer, notify.WithDoer(doer), notify.WithRetryPolicy(fastRetry))
		d := delivery("https://bot.contoso.example/callback")
		d.Override = &tc.o
		rec, err := s.Send(context.Background(), d)
		if !errors.Is(err, notify.ErrNotAcknowledged) || rec.Defect == "" {
			t.Errorf("%s: %+v, %v", tc.name, rec, err)
		}
	}
}

func TestSenderTokenFailureIsNotRetried(t *testing.T) {
	doer, signer := idmocks.NewDoer(t), mocks.NewTokenSigner(t)
	signer.EXPECT().Token(mock.Anything, mock.Anything).Return("", errors.New("no key")).Once()
	s, _ := notify.NewSender(signer, notify.WithDoer(doer), notify.WithRetryPolicy(fastRetry))
	rec, err := s.Send(context.Background(), delivery("https://bot.contoso.example/callback"))
	if err == nil || !strings.Contains(err.Error(), "no key") || rec.Attempt != 1 || !rec.Final {
		t.Errorf("Send = %+v, %v", rec, err)
	}
}

func TestSenderBadInput(t *testing.T) {
	if _, err := notify.NewSender(nil); err == nil {
		t.Error("nil signer accepted")
	}
	s := newSender(t)
	for _, u := range []string{"", "::not a url"} {
		if _, err := s.Send(context.Background(), delivery(u)); err == nil {
			t.Errorf("URL %q accepted", u)
		}
	}
	empty := delivery("http://127.0.0.1:1/callback")
	empty.Batch.Value = nil
	if _, err := s.Send(context.Background(), empty); err == nil || !strings.Contains(err.Error(), "no notifications") {
		t.Errorf("empty batch: %v", err)
	}
}

func TestSenderPerPostTimeout(t *testing.T) {
	g := newGate(202)
	srv := httptest.NewServer(g)
	defer srv.Close()
	defer close(g.release)
	s := newSender(t, notify.WithTimeouts(notify.Timeouts{Post: 50 * time.Millisecond, IdleConn: time.Minute}),
		notify.WithRetryPolicy(notify.RetryPolicy{Attempts: 2, Backoff: time.Millisecond}))
	start := time.Now()
	rec, err := s.Send(context.Background(), delivery(srv.URL))
	if !errors.Is(err, context.DeadlineExceeded) || rec.Attempt != 2 || rec.Status != 0 {
		t.Errorf("Send = %+v, %v; want two timed-out attempts", rec, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestSenderSignsBeforeThePostTimeout: the per-POST timeout bounds the
// callback's answer, not callcheck's own signing (a defect's foreign key is
// generated on first use, which can take longer than a short deadline): the
// request's deadline is set after the token is signed. The mocked signer
// takes twice the timeout, so a deadline set before signing would already
// have passed.
func TestSenderSignsBeforeThePostTimeout(t *testing.T) {
	const post = 20 * time.Millisecond
	doer, signer := idmocks.NewDoer(t), mocks.NewTokenSigner(t)
	var signed time.Time
	signer.EXPECT().DefectiveToken(botAppID, tenantID, identity.DefectBadSignature).RunAndReturn(
		func(string, string, identity.Defect) (string, error) {
			time.Sleep(2 * post) // slow work of callcheck's own: a key generated on first use
			signed = time.Now()
			return "forged", nil
		}).Once()
	doer.EXPECT().Do(mock.MatchedBy(func(r *http.Request) bool {
		deadline, ok := r.Context().Deadline()
		return ok && deadline.After(signed)
	})).Return(&http.Response{StatusCode: 401, Body: http.NoBody, Header: http.Header{}}, nil).Once()
	s, err := notify.NewSender(signer, notify.WithDoer(doer), notify.WithRetryPolicy(notify.NoRetry),
		notify.WithTimeouts(notify.Timeouts{Post: post, IdleConn: time.Minute}))
	if err != nil {
		t.Fatal(err)
	}
	d := delivery("https://bot.contoso.example/callback")
	d.Override = &notify.Override{Defect: identity.DefectBadSignature}
	if rec, err := s.Send(context.Background(), d); rec.Status != 401 {
		t.Errorf("Send = %+v, %v; want the callback's 401", rec, err)
	}
}

func TestSenderBoundsConcurrency(t *testing.T) {
	g := newGate(202)
	srv := httptest.NewServer(g)
	defer srv.Close()
	s := newSender(t, notify.WithConcurrency(2), notify.WithMaxPending(6))
	done := make(chan error, 6)
	for range 6 {
		if err := s.SendAsync(delivery(srv.URL), func(_ notify.Record, err error) { done <- err }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SendAsync(delivery(srv.URL), nil); !errors.Is(err, notify.ErrOverloaded) {
		t.Errorf("7th SendAsync = %v, want ErrOverloaded", err)
	}
	waitArrivals(t, g, 2)
	select { // a third POST must not start while two are held
	case <-g.arrived:
		t.Fatal("a third POST started with concurrency 2")
	case <-time.After(100 * time.Millisecond):
	}
	close(g.release)
	for range 6 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	if m := g.mostAtOnce(); m != 2 {
		t.Errorf("%d POSTs at once, want 2", m)
	}
}

func TestSenderCloseDrains(t *testing.T) {
	g := newGate(202)
	srv := httptest.NewServer(g)
	defer srv.Close()
	s := newSender(t)
	done := make(chan error, 1)
	if err := s.SendAsync(delivery(srv.URL), func(_ notify.Record, err error) { done <- err }); err != nil {
		t.Fatal(err)
	}
	waitArrivals(t, g, 1)
	closed := make(chan error, 1)
	go func() { closed <- s.Close(testkit.Context(t, 10*time.Second)) }()
	close(g.release)
	if err := <-closed; err != nil {
		t.Errorf("Close = %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("in-flight delivery = %v, want acknowledged", err)
	}
	if _, err := s.Send(context.Background(), delivery(srv.URL)); !errors.Is(err, notify.ErrClosed) {
		t.Errorf("Send after Close = %v", err)
	}
	if err := s.SendAsync(delivery(srv.URL), nil); !errors.Is(err, notify.ErrClosed) {
		t.Errorf("SendAsync after Close = %v", err)
	}
}

func TestSenderCloseGivesUp(t *testing.T) {
	g := newGate(202)
	srv := httptest.NewServer(g)
	defer srv.Close()
	defer close(g.release)
	s := newSender(t)
	done := make(chan error, 1)
	_ = s.SendAsync(delivery(srv.URL), func(_ notify.Record, err error) { done <- err })
	waitArrivals(t, g, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := s.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close = %v, want the deadline", err)
	}
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled delivery = %v", err)
	}
}

// TestSenderReusesConnections: deliveries to one callback share a pooled
// keep-alive connection.
func TestSenderReusesConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(202) }))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	s := newSender(t)
	for range 50 {
		if _, err := s.Send(context.Background(), delivery(srv.URL)); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 50 sequential deliveries, want 1", n)
	}
}

func TestRingRecorderIsBounded(t *testing.T) {
	ring := notify.NewRingRecorder(3)
	for i := range 5 {
		ring.Record(notify.Record{Attempt: i})
	}
	got := ring.Snapshot()
	if len(got) != 3 || got[0].Attempt != 2 || got[2].Attempt != 4 || ring.Total() != 5 {
		t.Errorf("snapshot %+v total %d", got, ring.Total())
	}
}
