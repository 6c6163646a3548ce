package serve

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBounded: a server of New refuses oversized headers with 431 and
// drops a client that stops sending its body within the read timeout.
func TestBounded(t *testing.T) {
	tm := DefaultTimeouts
	tm.Read = 200 * time.Millisecond // the client below stalls forever: any bound ends it
	srv := tm.Server(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 1<<10)
		for {
			if _, err := r.Body.Read(buf); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		}
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _ = c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 128<<10) + "\r\n\r\n"))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("oversized headers: %v %v, want 431", resp, err)
	}

	slow, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	_, _ = slow.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")) // then nothing
	_ = slow.SetReadDeadline(time.Now().Add(time.Minute))                                     // a bound for a broken server, not a timing
	resp, err = http.ReadResponse(bufio.NewReader(slow), nil)
	if err == nil && resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("stalled body: %d, want the connection dropped or 400", resp.StatusCode)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server held a stalled client for a minute")
	}
}
