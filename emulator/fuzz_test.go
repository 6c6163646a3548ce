package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph"
)

// FuzzCreate feeds arbitrary bodies to the create handler. Invariants: no
// panic; the status is one the contract allows; every response carries a
// request-id; errors are Graph error bodies naming that request-id; a 201
// is a call whose id the Location names. The seed corpus (testdata/fuzz/
// FuzzCreate) holds the scenarios' bodies and nasty cases.
func FuzzCreate(f *testing.F) {
	cfg := testConfig(f)
	cfg.Faults.Drop = 1 // notifications are decided but never posted: the fuzzer needs no receiver
	e, err := New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = e.Close(ctxTimeout(f, 5e9)) })
	tok, err := e.Authority().Token(e.DefaultApp().ClientID)
	if err != nil {
		f.Fatal(err)
	}
	cb := "https://127.0.0.1:9/callback"
	for _, b := range [][]byte{p2pBody(cb), groupBody(cb, 3, appMedia), meetingBody(cb, serviceMedia), guestBody(cb), pstnBody(cb, appMedia)} {
		f.Add(b)
	}
	allowed := map[int]bool{201: true, 400: true, 403: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "http://emulator.test/beta/communications/calls", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		rid := rec.Header().Get("request-id")
		switch {
		case !allowed[rec.Code]:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		case rid == "":
			t.Fatal("no request-id")
		case !json.Valid(rec.Body.Bytes()):
			t.Fatalf("response body is not JSON: %q", rec.Body)
		}
		if rec.Code >= 400 {
			ge, err := graph.ParseError(rec.Body.Bytes())
			if err != nil || ge.Error.InnerError == nil || ge.Error.InnerError.RequestID != rid {
				t.Fatalf("error body %s: %v", rec.Body, err)
			}
			return
		}
		var c graph.Call
		if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil || !strings.HasSuffix(rec.Header().Get("Location"), "/"+c.ID) {
			t.Fatalf("201 body %s, Location %q: %v", rec.Body, rec.Header().Get("Location"), err)
		}
		del := httptest.NewRequest(http.MethodDelete, "http://emulator.test/beta/communications/calls/"+c.ID, nil)
		del.Header.Set("Authorization", "Bearer "+tok)
		drec := httptest.NewRecorder()
		e.Handler().ServeHTTP(drec, del)
		if drec.Code != http.StatusNoContent {
			t.Fatalf("DELETE of the created call: %d %s", drec.Code, drec.Body)
		}
	})
}
