package testkit

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
)

// createURL is where CreateLoop's requests go.
var createURL = &url.URL{Scheme: "http", Host: "emulator.test", Path: "/beta/communications/calls"}

// CreateLoop reports allocations, resets the timer and sends b.N creates of
// body to h in process, as a Graph client sends them (POST, the
// authorization given, Content-Type application/json), failing at the first
// status but 201. Each create gets a new request and response writer, as
// net/http gives a handler; nothing else is spent per create, so that what
// a benchmark counts is the handler's. BenchmarkCreateLoop measures the
// loop itself: 9 allocations and 0.6 µs per create, where a loop of
// httptest.NewRequest and ResponseRecorder costs 22 and 2.9 µs.
func CreateLoop(b *testing.B, h http.Handler, body []byte, authorization string) {
	b.Helper()
	auth, ct := []string{authorization}, []string{"application/json"} // read-only, shared as net/http's parsed values are not
	var out bytes.Buffer                                              // the last response's body, for the failure message
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := &http.Request{Method: http.MethodPost, URL: createURL, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Authorization": auth, "Content-Type": ct}, Body: io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)), Host: createURL.Host, RemoteAddr: "192.0.2.1:1234", RequestURI: createURL.Path}
		out.Reset()
		w := &responseWriter{header: http.Header{}, body: &out}
		h.ServeHTTP(w, req)
		if w.code != http.StatusCreated {
			b.Fatalf("create %d: status %d: %s", i, w.code, out.Bytes())
		}
	}
}

// responseWriter keeps what CreateLoop checks: the status and the body.
type responseWriter struct {
	header http.Header
	code   int
	body   *bytes.Buffer
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.body.Write(p)
}
