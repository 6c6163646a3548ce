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
)

// fakeTarget is a loopback HTTP server that records requests, answers
// creates with call p1, DELETEs as told, and anything else with a body
// larger than the client reads.
type fakeTarget struct {
	mu       sync.Mutex
	requests []string // "METHOD path auth content-type client-request-id"
	deletes  map[string]int
}

func (f *fakeTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, strings.Join([]string{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.Header.Get("client-request-id")}, " "))
	status := f.deletes[r.URL.Path]
	f.mu.Unlock()
	switch r.Method {
	case http.MethodPost:
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"p1"}`))
	case http.MethodDelete:
		if status == 0 {
			status = http.StatusNoContent
		}
		w.WriteHeader(status)
	default:
		_, _ = w.Write([]byte(strings.Repeat("x", maxResponseBytes+10)))
	}
}

func (f *fakeTarget) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

func newTestClient(t *testing.T, f *fakeTarget) *client {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &client{base: srv.URL + "/beta", http: srv.Client(), timeout: 5 * time.Second, done: map[string]bool{},
		retryCap: time.Minute, wait: func(context.Context, time.Duration) error { return nil },
		tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok", TokenType: "Bearer"})}
}

// TestClientTracksAndCleansUp: calls created are deleted newest first;
// one the contract deleted itself is skipped; 404 counts as cleaned up; any
// other status is reported.
func TestClientTracksAndCleansUp(t *testing.T) {
	f := &fakeTarget{deletes: map[string]int{"/beta/communications/calls/c3": http.StatusNotFound, "/beta/communications/calls/c4": http.StatusInternalServerError}}
	c := newTestClient(t, f)
	for _, id := range []string{"c1", "c2", "c3", "c4"} {
		c.track(id)
	}
	c.forget("c2")
	problems := c.cleanup(context.Background())
	if len(problems) != 1 || !strings.Contains(problems[0], "DELETE call c4: status 500") {
		t.Fatalf("problems = %v", problems)
	}
	var order []string
	for _, l := range f.log() {
		order = append(order, strings.Fields(l)[1])
	}
	// c4's 500 to a DELETE (idempotent) is retried until the attempts run out.
	c4 := "/beta/communications/calls/c4 "
	want := strings.Repeat(c4, maxAttempts) + "/beta/communications/calls/c3 /beta/communications/calls/c1"
	if strings.Join(order, " ") != want {
		t.Fatalf("deleted %v, want %s", order, want)
	}
	if again := c.cleanup(context.Background()); len(again) != 1 {
		t.Fatalf("a second cleanup retried only c4: %v", again)
	}
}

// TestClientRequests: the token, no token, or a given Authorization; JSON
// content type by default; a fresh client-request-id each time; the create
// tracks the call its 2xx names.
func TestClientRequests(t *testing.T) {
	f := &fakeTarget{}
	c := newTestClient(t, f)
	ctx := context.Background()
	if _, err := c.create(ctx, []byte(`{}`), request{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.do(ctx, request{Method: http.MethodPost, Path: callsPath, Body: []byte("x"), Auth: authNone, ContentType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.do(ctx, request{Method: http.MethodPost, Path: callsPath, Body: []byte("x"), Auth: authGiven, Authorization: "Bearer given"}); err != nil {
		t.Fatal(err)
	}
	log := f.log()
	checks := []struct{ line, want string }{
		{log[0], "POST /beta/communications/calls Bearer tok application/json "},
		{log[1], "POST /beta/communications/calls  text/plain "},
		{log[2], "POST /beta/communications/calls Bearer given application/json "},
	}
	ids := map[string]bool{}
	for _, ch := range checks {
		if !strings.HasPrefix(ch.line, ch.want) {
			t.Errorf("request %q, want prefix %q", ch.line, ch.want)
		}
		ids[ch.line[strings.LastIndexByte(ch.line, ' ')+1:]] = true
	}
	if len(ids) != 3 {
		t.Errorf("client-request-ids are not fresh: %v", ids)
	}
	if len(c.created) != 1 || c.created[0] != "p1" {
		t.Errorf("the created call was not tracked: %v", c.created)
	}
}

func TestClientTruncatesLargeBodies(t *testing.T) {
	c := newTestClient(t, &fakeTarget{})
	resp, err := c.do(context.Background(), request{Method: http.MethodGet, Path: "/x"})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || len(resp.Body) != maxResponseBytes {
		t.Fatalf("truncated %v, %d bytes", resp.Truncated, len(resp.Body))
	}
}

func TestClientTransportError(t *testing.T) {
	c := &client{base: "http://127.0.0.1:1/beta", http: http.DefaultClient, timeout: time.Second, done: map[string]bool{},
		tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok"})}
	if _, err := c.do(context.Background(), request{Method: http.MethodGet, Path: "/x"}); err == nil || !strings.Contains(err.Error(), "GET http://127.0.0.1:1/beta/x") {
		t.Fatalf("error = %v", err)
	}
}

// TestCreateInFlightOutlivesCancel: a run cancelled while its create is on
// the wire still learns the call the target made, so the cleanup deletes
// it; a create not yet sent when the run was cancelled is not sent.
func TestCreateInFlightOutlivesCancel(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	var posts int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		posts++
		mu.Unlock()
		close(arrived)
		<-release
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"made-after-cancel"}`))
	}))
	defer srv.Close()
	c := &client{base: srv.URL + "/beta", http: srv.Client(), timeout: 5 * time.Second, done: map[string]bool{},
		tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok"})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel() // the run is interrupted while the target makes the call
		close(release)
	}()
	resp, err := c.create(ctx, []byte(`{}`), request{})
	if err != nil || resp.Status != http.StatusCreated {
		t.Fatalf("create = %v, %v; want the 201 the target sent", resp, err)
	}
	if got := c.createdIDs(); len(got) != 1 || got[0] != "made-after-cancel" {
		t.Fatalf("tracked %v, want the call made after the cancel", got)
	}
	if _, err := c.create(ctx, []byte(`{}`), request{}); err == nil {
		t.Fatal("a create after the cancel was sent")
	}
	mu.Lock()
	defer mu.Unlock()
	if posts != 1 {
		t.Fatalf("%d POSTs, want 1", posts)
	}
}
