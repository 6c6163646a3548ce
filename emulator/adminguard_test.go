package emulator

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAdminDoors: the admin API refuses what a web page in the developer's
// browser could send (a simple cross-site POST, another Origin, a
// rebinding Host) and takes what callcheck's own clients send.
func TestAdminDoors(t *testing.T) {
	h := newHarness(t, nil)
	_, port, _ := net.SplitHostPort(h.srv.Addr().String())
	incoming := `{"source":{"identity":{"user":{"id":"8e8a4b9c-0000-4000-8000-000000000001"}}}}`
	for _, c := range []struct {
		name, method, path, host, body string
		header                         map[string]string
		want                           int
	}{
		// a cross-site form or fetch in no-cors mode can send text/plain only
		{"simple cross-site POST", "POST", "/incoming", "", incoming, map[string]string{"Content-Type": "text/plain"}, 415},
		// no Content-Type at all on a POST
		{"POST without a type", "POST", "/calls/x/end", "", "", nil, 415},
		// a page of another origin, even with the JSON type (a preflight the emulator never grants)
		{"foreign Origin", "POST", "/incoming", "", incoming, map[string]string{"Content-Type": "application/json", "Origin": "http://evil.example"}, 403},
		{"opaque Origin", "GET", "/calls", "", "", map[string]string{"Origin": "null"}, 403},
		// a browser's fetch metadata naming another site
		{"cross-site fetch", "GET", "/requests", "", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		// DNS rebinding: the attacker's name resolved to loopback
		{"rebinding Host", "GET", "/requests", "evil.example:" + port, "", nil, 421},
		// callcheck's own clients and a developer's curl
		{"GET by 127.0.0.1", "GET", "/calls", "", "", nil, 200},
		{"GET by localhost", "GET", "/calls", "localhost:" + port, "", nil, 200},
		{"same-origin page", "GET", "/stats", "", "", map[string]string{"Origin": h.srv.URL(), "Sec-Fetch-Site": "same-origin"}, 200},
		{"JSON POST", "POST", "/wait-idle", "", "", map[string]string{"Content-Type": "application/json; charset=utf-8"}, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, h.srv.AdminURL()+c.path, strings.NewReader(c.body))
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			if c.host != "" {
				req.Host = c.host
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.want)
			}
		})
	}
	if n := len(h.srv.Calls()); n != 0 {
		t.Errorf("%d calls injected through refused requests", n)
	}
}

// TestAdminBeyondLoopback: listening beyond loopback, the admin API is
// closed without a token and needs it with one.
func TestAdminBeyondLoopback(t *testing.T) {
	wide := &net.TCPAddr{IP: net.IPv4zero, Port: 8080} // noted only: nothing listens there
	for _, c := range []struct {
		token, auth string
		want        int
	}{
		{"", "", http.StatusForbidden},                      // no token configured: closed
		{"s3cret", "", http.StatusUnauthorized},             // token configured, none sent
		{"s3cret", "Bearer wrong", http.StatusUnauthorized}, // wrong token
		{"s3cret", "Bearer s3cret", http.StatusOK},          // the token
	} {
		cfg := testConfig(t)
		cfg.AdminToken = c.token
		e, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.adminListener(wide)
		req := httptest.NewRequest("GET", "http://emulator.example:8080/_callcheck/calls", nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("token %q, Authorization %q: %d, want %d", c.token, c.auth, rec.Code, c.want)
		}
		_ = e.Close(context.Background())
	}
}
