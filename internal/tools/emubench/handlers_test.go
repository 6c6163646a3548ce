package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// batchesTo serves a receiver that keeps every POSTed body.
func batchesTo(t *testing.T) (*httptest.Server, func() [][]byte) {
	t.Helper()
	var mu sync.Mutex
	var got [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, b)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv, func() [][]byte { mu.Lock(); defer mu.Unlock(); return append([][]byte(nil), got...) }
}

func TestMinimalPostsOneBatchEstablishingThenEstablished(t *testing.T) {
	recv, got := batchesTo(t)
	m := newMinimal()
	body := `{"@odata.type":"#microsoft.graph.call","callbackUri":"` + recv.URL + `/cb","targets":[{"identity":{}}]}`
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "http://emu.test/beta/communications/calls", strings.NewReader(body)))
	m.wait()
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d, want 201", rec.Code)
	}
	loc := rec.Header().Get("Location")
	id := loc[strings.LastIndexByte(loc, '/')+1:]
	batches := got()
	if len(batches) != 1 {
		t.Fatalf("%d POSTs to the callback, want exactly 1", len(batches))
	}
	var batch notificationBatchIn
	if err := json.Unmarshal(batches[0], &batch); err != nil {
		t.Fatalf("batch is not JSON: %v\n%s", err, batches[0])
	}
	if len(batch.Value) != 2 {
		t.Fatalf("batch holds %d notifications, want 2: %s", len(batch.Value), batches[0])
	}
	for i, want := range []string{"establishing", "established"} {
		n := batch.Value[i]
		if n.ResourceData.State != want || n.ResourceURL != "/communications/calls/"+id {
			t.Errorf("notification %d: state %q of %q, want %q of /communications/calls/%s", i, n.ResourceData.State, n.ResourceURL, want, id)
		}
	}
	if m.failed.Load() != 0 {
		t.Errorf("%d deliveries failed", m.failed.Load())
	}
}

func TestMinimalRefusesABodyWithoutCallbackAndPostsNothing(t *testing.T) {
	m := newMinimal()
	for _, body := range []string{`{"targets":[]}`, `not json`, ``} {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "http://emu.test/beta/communications/calls", strings.NewReader(body)))
		if rec.Code != http.StatusBadRequest {
			t.Errorf("body %q: status %d, want 400", body, rec.Code)
		}
	}
	m.wait()
	if n := m.n.Load(); n != 0 {
		t.Errorf("%d calls created from bad bodies", n)
	}
}

func TestBareAnswers201WithLocation(t *testing.T) {
	rec := httptest.NewRecorder()
	bareHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "http://emu.test/beta/communications/calls", bytes.NewReader([]byte(`{}`))))
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Header().Get("Location"), "/communications/calls/") {
		t.Fatalf("status %d Location %q", rec.Code, rec.Header().Get("Location"))
	}
}

func TestReceiverCountsPerCall(t *testing.T) {
	rc, err := startReceiver()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.close(t.Context())
	post := func(b []byte) {
		resp, err := http.Post(rc.callback, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("receiver answered %d", resp.StatusCode)
		}
	}
	post(notificationBatch("a"))
	post(notificationBatch("b"))
	post([]byte(`{"value":[{"resource":"/app/calls/c","resourceData":{"state":"Established"}}]}`))
	post([]byte(`{"value":[{"resourceUrl":"/communications/calls/d","resourceData":{"state":"establishing"}}]}`))
	post([]byte(`{"value":[{"resourceUrl":"/communications/calls/e/participants","resourceData":{"state":"established"}}]}`))
	post([]byte(`garbage`))
	// Every POST was counted before it was answered: nothing to wait for.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if n := rc.waitEstablished(ctx, []string{"a", "b", "c"}); n != 0 {
		t.Errorf("%d of a, b, c missing", n)
	}
	if left := rc.missing([]string{"a", "d", "e", "x"}); strings.Join(left, ",") != "d,e,x" {
		t.Errorf("missing %v, want d, e (establishing, or a roster, only) and x (never notified)", left)
	}
	done, cancelDone := context.WithCancel(t.Context())
	cancelDone()
	if n := rc.waitEstablished(done, []string{"a", "x"}); n != 1 {
		t.Errorf("waitEstablished after its context ended: %d missing, want 1", n)
	}
	if notes, posts, bad := rc.counts(); notes != 7 || posts != 6 || bad != 1 {
		t.Errorf("counts %d notifications in %d POSTs, %d bad; want 7 in 6, 1 bad", notes, posts, bad)
	}
	rc.reset()
	if notes, _, _ := rc.counts(); notes != 0 || len(rc.missing([]string{"a"})) != 1 {
		t.Errorf("reset kept %d notifications or call a", notes)
	}
}
