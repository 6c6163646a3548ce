package emulator

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
)

// rawExchange writes raw bytes to the server and returns the status line it
// answers with ("" when it closes the connection without answering).
func rawExchange(t *testing.T, addr string, raw string, closeWrite bool) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		return ""
	}
	if closeWrite {
		_ = conn.(*net.TCPConn).CloseWrite()
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return ""
	}
	return strings.TrimSpace(line)
}

// TestBadInputOnTheWire: garbage, huge headers, truncated bodies and slow
// clients get a clear error or a closed connection, and the server goes on
// serving (bad input).
func TestBadInputOnTheWire(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Limits.MaxHeaderBytes = 8 << 10
		c.Server.ReadHeader, c.Server.Read = 200*time.Millisecond, 500*time.Millisecond
	})
	addr := h.srv.Addr().String()
	tok, err := h.srv.Authority().Token(h.srv.DefaultApp().ClientID)
	if err != nil {
		t.Fatal(err)
	}
	body := string(p2pBody(h.callback))
	tests := []struct {
		name       string
		raw        string
		closeWrite bool
		want       string // prefix of the status line; "" for a closed connection
	}{
		// Not HTTP at all.
		{"garbage", "\x16\x03\x01\x00\xa5garbage\r\n\r\n", false, "HTTP/1.1 400"},
		// Headers over the limit.
		{"huge header", "GET /beta/communications/calls/x HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", false, "HTTP/1.1 431"},
		// A body shorter than its Content-Length: the read fails, 400.
		{"truncated body", "POST /beta/communications/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok +
			"\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n" + body[:40], true, "HTTP/1.1 400"},
		// A client that never finishes its headers: closed after ReadHeaderTimeout.
		{"slow headers", "POST /beta/communications/calls HTTP/1.1\r\nHost: x\r\n", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rawExchange(t, addr, tt.raw, tt.closeWrite)
			if !strings.HasPrefix(got, tt.want) || (tt.want == "" && got != "") {
				t.Errorf("status line %q, want %q", got, tt.want)
			}
			if r := h.create("beta", p2pBody(h.callback)); r.status != 201 {
				t.Errorf("server stopped serving after %s: %d", tt.name, r.status)
			}
		})
	}
}

// TestConcurrentCreateDelete: many clients creating and deleting at once
// lose no notification and leave no call behind (bad input).
func TestConcurrentCreateDelete(t *testing.T) {
	const clients, perClient = 16, 25
	cfg := testConfig(t)
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var mu sync.Mutex
	seen := map[string][]graph.CallState{}
	v, _ := identity.NewNotificationVerifier(srv.OpenIDConfigURL(), srv.DefaultApp().ClientID)
	recv, err := notify.NewReceiver(v, notify.WithPendingLimits(notify.PendingLimits{}), notify.WithEventHook(func(ev notify.Event) {
		mu.Lock()
		seen[ev.CallID] = append(seen[ev.CallID], ev.State())
		mu.Unlock()
	}))
	if err != nil {
		t.Fatal(err)
	}
	rs := httptest.NewServer(recv)
	defer rs.Close()
	h := &harness{t: t, srv: srv, callback: rs.URL + "/cb"}
	h.client = h.clientFor(srv.DefaultApp())

	ids := make(chan string, clients*perClient)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perClient; i++ {
				id, err := createAndDelete(h)
				if err != nil {
					t.Error(err)
					return
				}
				ids <- id
			}
		}()
	}
	wg.Wait()
	close(ids)
	h.waitIdle()
	mu.Lock()
	defer mu.Unlock()
	n, received := 0, 0
	for id := range ids {
		n++
		states := seen[id]
		received += len(states)
		// DELETE may overtake establishing/established (they are then never
		// sent); terminating and terminated always close the sequence.
		if k := len(states); k < 2 || states[k-2] != graph.CallStateTerminating || states[k-1] != graph.CallStateTerminated {
			t.Errorf("call %s got %v, want the sequence to end terminating, terminated", id, states)
		}
	}
	if n != clients*perClient {
		t.Errorf("%d calls made, want %d", n, clients*perClient)
	}
	sent := 0
	for _, d := range srv.Deliveries() {
		if d.Error == SupersededByEnd { // a record of what a hang-up cancelled, not a delivery
			continue
		}
		if !d.Acknowledged {
			t.Errorf("delivery not acknowledged: %+v", d)
		}
		sent += len(d.Kinds)
	}
	if sent != received {
		t.Errorf("the emulator delivered %d notifications, the receiver got %d", sent, received)
	}
	if left := len(srv.Calls()); left != 0 {
		t.Errorf("%d calls left behind", left)
	}
}

// createAndDelete creates a call, waits for nothing, and deletes it at once:
// DELETE may overtake the notifications of the create.
func createAndDelete(h *harness) (string, error) {
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL()+"/beta/communications/calls", strings.NewReader(string(p2pBody(h.callback))))
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return "", err
	}
	var c graph.Call
	err = decodeJSON(resp, &c)
	if err != nil || resp.StatusCode != 201 {
		return "", fmt.Errorf("create: %d %v", resp.StatusCode, err)
	}
	req, _ = http.NewRequest(http.MethodDelete, h.srv.URL()+"/beta/communications/calls/"+c.ID, nil)
	resp, err = h.client.Do(req)
	if err != nil {
		return "", err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 204 {
		return "", fmt.Errorf("delete %s: %d", c.ID, resp.StatusCode)
	}
	return c.ID, nil
}
