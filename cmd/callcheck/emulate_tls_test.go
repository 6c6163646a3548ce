package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/callcheck/callcheck/emulator"
)

// TestEmulateTLSUsage: the TLS flags that do not fit together exit 2 naming
// the flag.
func TestEmulateTLSUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--tls-cert", "cert.pem"}, "--tls-key"},
		{[]string{"--tls-key", "key.pem"}, "--tls-cert"},
		{[]string{"--tls-ca-file", "ca.pem"}, "--tls"},
		{[]string{"--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-ca-file", "ca.pem"}, "--tls-ca-file"},
		{[]string{"--listen", "127.0.0.1:0", "--tls-cert", "no/such/cert.pem", "--tls-key", "no/such/key.pem"}, "no/such/cert.pem"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(append([]string{"emulate"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("emulate %v: exit %d, want %d with %q\nstdout: %s\nstderr: %s", tt.args, code, exitUsage, tt.want, stdout, stderr)
		}
	}
}

// TestEmulateTLS: emulate --tls --json names the CA file; a client trusting
// only that file gets a token and creates a call over https, curl --cacert
// reaches it too, and the temporary CA file is gone after exit.
func TestEmulateTLS(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	e := &env{stdin: strings.NewReader(""), stdout: pw, stderr: io.Discard, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, []string{"emulate", "--listen", "127.0.0.1:0", "--json", "--tls"}) }()
	line, err := bufio.NewReader(pr).ReadBytes('\n')
	if err != nil {
		t.Fatalf("reading the startup line: %v", err)
	}
	var info startupInfo
	if err := json.Unmarshal(line, &info); err != nil {
		t.Fatalf("startup line %q: %v", line, err)
	}
	if info.CAFile == "" || !strings.HasPrefix(info.URL, "https://") || !strings.HasPrefix(info.TokenURL, "https://") {
		t.Fatalf("startup info %s", line)
	}
	hc := clientTrusting(t, info.CAFile)
	cc := clientcredentials.Config{ClientID: info.ClientID, ClientSecret: info.ClientSecret, TokenURL: info.TokenURL, Scopes: []string{info.Scope}}
	resp, err := cc.Client(context.WithValue(ctx, oauth2.HTTPClient, hc)).Get(info.GraphBaseURLs["v1.0"] + "/communications/calls/unknown")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET of an unknown call over https: %d, want 404", resp.StatusCode)
	}
	if curl, err := exec.LookPath("curl"); err == nil {
		out, err := exec.CommandContext(ctx, curl, "--silent", "--show-error", "--noproxy", "*", "--cacert", info.CAFile,
			"-o", os.DevNull, "-w", "%{http_code}", info.OpenIDConfigURL).CombinedOutput()
		if err != nil || string(out) != "200" {
			t.Errorf("curl --cacert %s %s: %v %s", info.CAFile, info.OpenIDConfigURL, err, out)
		}
	} else {
		t.Log("curl is not installed: the curl check is skipped")
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
	if _, err := os.Stat(info.CAFile); !os.IsNotExist(err) {
		t.Errorf("temporary CA file %s left behind: %v", info.CAFile, err)
	}
}

// TestEmulateTLSHumanStartup: the startup text names the CA file and how
// to trust it.
func TestEmulateTLSHumanStartup(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	srv, err := emulator.Start(context.Background(), emulator.NewConfig(), "127.0.0.1:0", emulator.WithTLS(emulator.TLS{CAFile: ca}))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var b strings.Builder
	if err := printStartup(&b, srv, false, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"https://", "CA certificate:", ca, "SSL_CERT_FILE=" + ca, "--cacert " + ca, "Authority host:", srv.URL() + "/  (MSAL"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("startup text lacks %q:\n%s", want, b.String())
		}
	}
}

// clientTrusting returns an HTTP client whose only root is the CA in file.
func clientTrusting(t *testing.T, file string) *http.Client {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("%s holds no certificate", file)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}
