package emulator

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/callcheck/callcheck/identity"
)

// startTLS starts an emulator serving https with a generated CA.
func startTLS(t *testing.T, mutate func(*Config), tc TLS) *Server {
	t.Helper()
	cfg := testConfig(t)
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := Start(context.Background(), cfg, "", WithTLS(tc))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// trustingOnly returns an HTTP client whose only trusted root is the CA
// certificate in file.
func trustingOnly(t *testing.T, file string) *http.Client {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("%s holds no PEM certificate", file)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// TestTLSGeneratedCA: with WithTLS the emulator serves https with a leaf
// its generated CA signed; a client trusting only the CA file gets a token
// and creates a call, and the Location is https.
func TestTLSGeneratedCA(t *testing.T) {
	srv := startTLS(t, nil, TLS{})
	if !strings.HasPrefix(srv.URL(), "https://") || srv.CAFile() == "" {
		t.Fatalf("URL %s, CA file %q", srv.URL(), srv.CAFile())
	}
	hc := trustingOnly(t, srv.CAFile())
	app := srv.DefaultApp()
	cc := clientcredentials.Config{ClientID: app.ClientID, ClientSecret: app.ClientSecret,
		TokenURL: srv.TokenURL(app.TenantID), Scopes: []string{identity.DefaultGraphScope}}
	client := cc.Client(context.WithValue(context.Background(), oauth2.HTTPClient, hc))
	resp, err := client.Post(srv.GraphBaseURL("v1.0")+"/communications/calls", "application/json",
		strings.NewReader(string(p2pBody("https://127.0.0.1:1/callback"))))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(resp.Header.Get("Location"), srv.URL()+"/v1.0/") {
		t.Errorf("create over https: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp.TLS == nil {
		t.Error("the response did not come over TLS")
	}
	if _, err := http.Get(srv.URL() + "/v1.0/communications/calls/x"); err == nil || !errors.As(err, new(x509.UnknownAuthorityError)) {
		t.Errorf("a client that does not trust the CA: %v, want an unknown authority error", err)
	}
}

// TestTLSCertificateNames: the leaf names localhost, 127.0.0.1, ::1 and the
// public URL's host; it is ECDSA P-256, for server auth, signed by the CA.
func TestTLSCertificateNames(t *testing.T) {
	srv := startTLS(t, func(c *Config) { c.PublicURL = "https://emulator.example.test:8443" }, TLS{Hosts: []string{"bot.example.test"}})
	conn, err := tls.Dial("tcp", srv.Addr().String(), &tls.Config{InsecureSkipVerify: true}) // inspect the chain only
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	leaf := conn.ConnectionState().PeerCertificates[0]
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(srv.CACertPEM())
	for _, name := range []string{"localhost", "127.0.0.1", "::1", "emulator.example.test", "bot.example.test"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "other.example.test", Roots: roots}); err == nil {
		t.Error("the leaf is valid for a name it should not hold")
	}
	key, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() || leaf.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth || leaf.IsCA {
		t.Errorf("leaf key %T, usages %v, CA %v", leaf.PublicKey, leaf.ExtKeyUsage, leaf.IsCA)
	}
}

// TestTLSWithCurl: curl --cacert with the CA file reaches the emulator by
// IP address and by localhost.
func TestTLSWithCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed; TestTLSGeneratedCA covers a Go client trusting only the CA file")
	}
	srv := startTLS(t, nil, TLS{})
	tok, err := srv.Authority().Token(srv.DefaultApp().ClientID)
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(srv.Addr().String())
	for _, host := range []string{"127.0.0.1", "localhost"} {
		url := "https://" + host + ":" + port + "/v1.0/communications/calls/unknown"
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := exec.CommandContext(ctx, curl, "--silent", "--show-error", "--noproxy", "*", "--cacert", srv.CAFile(),
			"-H", "Authorization: Bearer "+tok, "-o", os.DevNull, "-w", "%{http_code}", url).CombinedOutput()
		cancel()
		if err != nil || string(out) != "404" {
			t.Errorf("curl --cacert %s: %v, %s (want 404)", url, err, out)
		}
	}
}

// TestTLSCAFile: the CA is written where asked and kept; a temporary one is
// removed at shutdown.
func TestTLSCAFile(t *testing.T) {
	want := filepath.Join(t.TempDir(), "emulator-ca.pem")
	srv := startTLS(t, nil, TLS{CAFile: want})
	if srv.CAFile() != want {
		t.Errorf("CA file %q, want %q", srv.CAFile(), want)
	}
	tmp := startTLS(t, nil, TLS{})
	file := tmp.CAFile()
	if err := tmp.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("temporary CA file %s left behind: %v", file, err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(want); err != nil {
		t.Errorf("the CA file asked for is gone: %v", err)
	}
}

// TestTLSOwnPair: the emulator serves a certificate and key the user gives.
func TestTLSOwnPair(t *testing.T) {
	caPEM, leaf, err := GenerateCertificates(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(leaf.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile, caFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "ca.pem")
	for file, data := range map[string][]byte{caFile: caPEM,
		certFile: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Certificate[0]}),
		keyFile:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})} {
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv := startTLS(t, nil, TLS{CertFile: certFile, KeyFile: keyFile})
	if srv.CAFile() != "" || srv.CACertPEM() != nil {
		t.Errorf("a CA was generated although the pair was given: %q", srv.CAFile())
	}
	resp, err := trustingOnly(t, caFile).Get(srv.URL() + "/v1.0/communications/calls/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401 (no token)", resp.StatusCode)
	}
	if _, err := Start(context.Background(), testConfig(t), "", WithTLS(TLS{CertFile: certFile})); err == nil {
		t.Error("a certificate without its key was accepted")
	}
}
