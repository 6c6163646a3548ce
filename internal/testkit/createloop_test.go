package testkit_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/callcheck/callcheck/internal/testkit"
)

// BenchmarkCreateLoop is CreateLoop's own cost: a handler that reads the
// body and answers 201 with a small JSON body, as cheaply as it can.
func BenchmarkCreateLoop(b *testing.B) {
	reply := []byte(`{"id":"x"}`)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = []string{"application/json"}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(reply)
	})
	testkit.CreateLoop(b, h, make([]byte, 1500), "Bearer x")
}

// CreateLoop fails on a status that is not 201, naming it and the body.
func TestCreateLoopFailsOnAnotherStatus(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer x" ||
			r.Header.Get("Content-Type") != "application/json" || r.URL.Path != "/beta/communications/calls" {
			http.Error(w, "not a create", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	if res := testing.Benchmark(func(b *testing.B) { testkit.CreateLoop(b, h, []byte(`{}`), "Bearer x") }); res.N == 0 {
		t.Errorf("a handler answering 201 to a create failed the loop")
	}
	bad := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "refused", http.StatusForbidden) })
	if res := testing.Benchmark(func(b *testing.B) { testkit.CreateLoop(b, bad, []byte(`{}`), "Bearer x") }); res.N != 0 {
		t.Errorf("a handler answering 403 passed the loop: %v", res)
	}
}
