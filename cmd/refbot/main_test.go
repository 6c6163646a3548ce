package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/refbot"
)

func TestParse(t *testing.T) {
	t.Setenv("REFBOT_CLIENT_SECRET", "s3cret")
	o, err := parse([]string{"--listen", "127.0.0.1:7443", "--flaw", "slow-ack"})
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.ClientSecret != "s3cret" || o.cfg.CallbackURL != "https://127.0.0.1:7443/callback" ||
		o.cfg.TokenURL != "http://127.0.0.1:8080/aa67bd4c-8475-432d-bd41-39f255720e0a/oauth2/v2.0/token" ||
		len(o.cfg.Flaws) != 1 || o.cfg.Flaws[0] != refbot.FlawSlowAck {
		t.Errorf("options %+v", o.cfg)
	}
	// The token endpoint and the notification keys follow --graph-url's origin.
	o, err = parse([]string{"--graph-url", "http://127.0.0.1:18080/beta", "--tenant-id", "t1"})
	if err != nil || o.cfg.TokenURL != "http://127.0.0.1:18080/t1/oauth2/v2.0/token" ||
		o.cfg.OpenIDConfigURL != "http://127.0.0.1:18080/v1/.well-known/OpenIdConfiguration" {
		t.Errorf("defaults from --graph-url: %+v, %v", o, err)
	}
	if _, err := parse([]string{"--graph-url", "127.0.0.1:8080/beta"}); err == nil || !strings.Contains(err.Error(), "--graph-url") {
		t.Errorf("a relative --graph-url: %v", err)
	}
	if _, err := parse([]string{"--flaw", "nope"}); err == nil || !strings.Contains(err.Error(), `unknown flaw "nope"`) {
		t.Errorf("an unknown flaw: %v", err)
	}
}

// TestSelfSigned: the certificate written to --ca-out is the one served and
// verifies for 127.0.0.1.
func TestSelfSigned(t *testing.T) {
	o := &options{caOut: filepath.Join(t.TempDir(), "ca.pem")}
	cfg, err := o.tlsConfig()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(o.caOut)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatal("no certificate in --ca-out")
	}
	leaf, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("the certificate does not verify for 127.0.0.1: %v", err)
	}
	if _, err := (&options{tlsCert: "no/such.pem", tlsKey: "no/such.key"}).tlsConfig(); err == nil {
		t.Error("a missing --tls-cert loaded")
	}
}

// TestRunServesAndStops: the callback answers over https, the control API
// over http, and both stop when the context ends.
func TestRunServesAndStops(t *testing.T) {
	callback, control := testkit.FreeAddr(t), testkit.FreeAddr(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	t.Setenv("REFBOT_CLIENT_SECRET", "s3cret")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--listen", callback, "--control", control, "--ca-out", ca}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	pool := x509.NewCertPool()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	// The callback refuses a GET, after TLS with the written certificate.
	if err := waitFor(ctx, func() error {
		data, err := os.ReadFile(ca)
		if err != nil || !pool.AppendCertsFromPEM(data) {
			return errors.New("no certificate yet")
		}
		resp, err := client.Get("https://" + callback + "/callback")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET /callback: %d", resp.StatusCode)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	resp, err := client.Get("http://" + control + "/calls/unknown")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /calls/unknown: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("run: %v", err)
	}
}

// waitFor retries f on each tick until it succeeds or ctx ends: the servers
// start in the background and have no readiness signal of their own.
func waitFor(ctx context.Context, f func() error) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var err error
	for {
		if err = f(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		case <-tick.C:
		}
	}
}

// TestREADMECommandLine: the refbot command the README shows is one refbot
// accepts, flag for flag.
func TestREADMECommandLine(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		_, args, ok := strings.Cut(line, "go run ./cmd/refbot")
		if !ok {
			continue
		}
		n++
		if _, err := parse(strings.Fields(args)); err != nil {
			t.Errorf("README: refbot%s: %v", args, err)
		}
	}
	if n == 0 {
		t.Error("the README shows no refbot command")
	}
}

// TestRunStopsWithinItsDeadline: refbot, serving a notification whose
// token it cannot verify because Graph's key endpoint never answers, stops within its shutdown deadline
// once its context ends (what SIGTERM does in main), and logs the request
// it abandoned.
func TestRunStopsWithinItsDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c // held, never answered
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for {
			select {
			case c := <-accepted:
				c.Close()
			default:
				return
			}
		}
	})
	graph := "http://" + ln.Addr().String()
	callback, control := testkit.FreeAddr(t), testkit.FreeAddr(t)
	t.Setenv("REFBOT_CLIENT_SECRET", "s3cret")
	var logs syncBuffer
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--graph-url", graph + "/v1.0", "--listen", callback, "--control", control, "--ca-out", filepath.Join(t.TempDir(), "ca.pem")},
			slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	if err := waitFor(ctx, func() error {
		resp, err := http.Get("http://" + control + "/calls/unknown")
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// A notification to the callback: verifying its token fetches the
	// notification keys from Graph, which holds the request; the
	// request's context is the server's, which a shutdown does not cancel.
	go func() {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
		req, _ := http.NewRequest(http.MethodPost, "https://"+callback+"/callback", strings.NewReader(`{"value":[]}`))
		req.Header.Set("Authorization", "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJzdWIiOiJ4In0.c2ln")
		req.Header.Set("Content-Type", "application/json")
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	select {
	case c := <-accepted: // readiness: the bot's request to Graph is held
		accepted <- c
	case <-time.After(time.Minute):
		t.Fatal("the bot never called Graph")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("run: %v", err)
		}
	case <-time.After(shutdownDeadline + 15*time.Second):
		t.Fatalf("refbot still running %s after it was stopped (deadline %s)", shutdownDeadline+15*time.Second, shutdownDeadline)
	}
	if l := logs.String(); !strings.Contains(l, "abandoned=1") || !strings.Contains(l, "POST /callback") {
		t.Errorf("the log does not name the abandoned request:\n%s", l)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
