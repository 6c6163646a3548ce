package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/identity"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
)

// TestEmulateUsage: bad flags and values exit 2 naming what is wrong;
// --list-violations lists every violation.
func TestEmulateUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stderr (exit != 0) or stdout
	}{
		{[]string{"--bogus"}, exitUsage, "-bogus"},
		{[]string{"--violate", "no-roster,nope"}, exitUsage, `"nope"`},
		{[]string{"--profile", "slow"}, exitUsage, `"slow"`},
		{[]string{"--throttle", "x"}, exitUsage, "--throttle"},
		{[]string{"--latency", "0.5,fast,2ms"}, exitUsage, "--latency"},
		{[]string{"--drop", "2"}, exitUsage, "faults.drop"},
		{[]string{"--config", "no/such/file.yaml"}, exitUsage, "--config"},
		{[]string{"--signing-key", "no/such/key.pem"}, exitUsage, "--signing-key"},
		{[]string{"--listen", "256.0.0.1:0"}, exitUsage, "listen"},
		{[]string{"extra"}, exitUsage, "no arguments"},
		{[]string{"--help"}, exitOK, "Examples:"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(append([]string{"emulate"}, tt.args...)...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("emulate %v: exit %d, want %d with %q\nstdout: %s\nstderr: %s", tt.args, code, tt.code, tt.want, stdout, stderr)
		}
	}
	code, stdout, _ := runCLI("emulate", "--list-violations")
	if code != exitOK {
		t.Fatalf("--list-violations: exit %d", code)
	}
	for _, v := range emulator.Violations() {
		if !strings.Contains(stdout, string(v)+" ") || !strings.Contains(stdout, v.Description()) {
			t.Errorf("--list-violations lacks %s", v)
		}
	}
}

// TestEmulateConfigLayers: defaults < file < flags set.
func TestEmulateConfigLayers(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "emulator.yaml")
	yaml := "profile: realistic\nseed: 7\nviolations: [no-roster]\napps:\n  - clientId: c1\n    clientSecret: from-file\n    tenantId: " +
		emulator.DefaultTenantID + "\n    roles: [Calls.Initiate.All]\nlimits:\n  keepAliveTimeout: 10m\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := newFlagSet(&env{stderr: io.Discard}, "emulate", "", "")
	var f emulateFlags
	f.register(fs)
	if err := parseFlags(fs, []string{"--config", file, "--seed", "9", "--client-id", "c2"}); err != nil {
		t.Fatal(err)
	}
	cfg, generated, err := f.build(flagsSet(fs), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	realistic, _ := emulator.ProfileTiming(emulator.ProfileRealistic)
	switch {
	case cfg.Seed != 9: // the flag wins over the file
		t.Errorf("seed %d, want 9", cfg.Seed)
	case cfg.Timing != realistic: // from the file's profile
		t.Errorf("timing %+v, want the realistic profile", cfg.Timing)
	case cfg.Limits.KeepAliveTimeout != 10*time.Minute:
		t.Errorf("keepAliveTimeout %v, want the file's 10m", cfg.Limits.KeepAliveTimeout)
	case len(cfg.Apps) != 1 || cfg.Apps[0].ClientID != "c2" || cfg.Apps[0].ClientSecret != "from-file" || generated:
		t.Errorf("apps %v (generated %v), want the file's app with the flag's client id", cfg.Apps, generated)
	case len(cfg.Violations) != 1:
		t.Errorf("violations %v, want the file's", cfg.Violations)
	}
	if err := os.WriteFile(file, []byte("profile: fast\nbogus: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("emulate", "--config", file); code != exitUsage || !strings.Contains(stderr, "bogus") {
		t.Errorf("unknown field in config: exit %d, stderr %s", code, stderr)
	}
}

// TestEmulateServes runs callcheck emulate in-process on a free port, reads
// its startup JSON, creates a call through the printed token endpoint and
// base URL with real client credentials, and stops it with the context.
func TestEmulateServes(t *testing.T) {
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	defer cb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	e := &env{stdin: strings.NewReader(""), stdout: pw, stderr: io.Discard, getenv: func(k string) string {
		if k == "CALLCHECK_CLIENT_SECRET" {
			return "env-secret"
		}
		return ""
	}}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, e, []string{"emulate", "--listen", "127.0.0.1:0", "--json", "--allow-http-loopback"})
	}()
	var info startupInfo
	line, err := bufio.NewReader(pr).ReadBytes('\n')
	if err != nil {
		t.Fatalf("reading the startup line: %v", err)
	}
	if err := json.Unmarshal(line, &info); err != nil {
		t.Fatalf("startup line %q: %v", line, err)
	}
	if info.ClientSecret != identity.Redacted || info.TenantID != emulator.DefaultTenantID || info.OpenIDConfigURL == "" {
		t.Errorf("startup info %+v (a secret the user supplied is never echoed)", info)
	}
	cc := clientcredentials.Config{ClientID: info.ClientID, ClientSecret: "env-secret", TokenURL: info.TokenURL, Scopes: []string{info.Scope}}
	body := fmt.Sprintf(`{"callbackUri":%q,"targets":[{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"user":{"id":"112f7296-5fa4-42ca-bae8-6a692b15d4b8"}}}],
	  "requestedModalities":["audio"],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}`, cb.URL+"/cb")
	resp, err := cc.Client(ctx).Post(info.GraphBaseURLs["v1.0"]+"/communications/calls", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("create through the printed URLs: %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after interrupt, want 0", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("emulate did not stop after its context ended")
	}
}

// TestEmulateHumanStartup: the human startup text names everything a
// client needs and says why the secret is printed.
func TestEmulateHumanStartup(t *testing.T) {
	srv := emutest.Start(t, nil)
	var b strings.Builder
	if err := printStartup(&b, srv, true, false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{srv.GraphBaseURL("v1.0"), srv.GraphBaseURL("beta"), srv.TokenURL(emulator.DefaultTenantID),
		srv.OpenIDConfigURL(), emulator.DefaultTenantID, emulator.DefaultClientID, srv.DefaultApp().ClientSecret, "generated for this run"} {
		if !strings.Contains(out, want) {
			t.Errorf("startup text lacks %q:\n%s", want, out)
		}
	}
}
