package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"
)

// blackhole is a loopback callback that accepts connections and never
// answers; it holds them until the test ends.
func blackhole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/callback"
}

// TestEmulateStopsWithinItsDeadline: callcheck emulate (the built
// binary), with notifications queued for a callback that never answers,
// exits on SIGTERM within its stated shutdown deadline and says what it
// abandoned.
func TestEmulateStopsWithinItsDeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := conformBinary(t)
	cmd := exec.Command(bin, "emulate", "--listen", "127.0.0.1:0", "--json", "--allow-http-loopback")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	waited := false
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if waited {
			<-exited
		} else {
			_ = cmd.Wait()
		}
	})
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	var info startupInfo
	if err == nil {
		err = json.Unmarshal(line, &info)
	}
	if err != nil {
		t.Fatalf("startup line %q: %v", line, err)
	}
	waited = true
	go func() { _ = cmd.Wait(); close(exited) }()
	cc := clientcredentials.Config{ClientID: info.ClientID, ClientSecret: info.ClientSecret, TokenURL: info.TokenURL, Scopes: []string{info.Scope}}
	client := cc.Client(context.Background())
	callback := blackhole(t)
	for i := range 40 {
		body := fmt.Sprintf(`{"callbackUri":%q,"targets":[{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"user":{"id":"112f7296-5fa4-42ca-bae8-6a692b15d4b8"}}}],
		  "requestedModalities":["audio"],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}`, callback)
		resp, err := client.Post(info.GraphBaseURLs["v1.0"]+"/communications/calls", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("create %d: %d", i, resp.StatusCode)
		}
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The bound: the stated deadline and a margin for a loaded machine to
	// schedule the process; a shutdown that drains the queue takes minutes.
	select {
	case <-exited:
	case <-time.After(emulateShutdown + 20*time.Second):
		t.Fatalf("callcheck emulate still running %s after SIGTERM (deadline %s)\nstderr: %s", time.Since(sent).Round(time.Second), emulateShutdown, stderr.String())
	}
	if !strings.Contains(stderr.String(), "abandoned") {
		t.Errorf("stderr does not say what was abandoned: %s", stderr.String())
	}
	t.Logf("stopped %s after SIGTERM: %s", time.Since(sent).Round(100*time.Millisecond), strings.TrimSpace(stderr.String()))
}
