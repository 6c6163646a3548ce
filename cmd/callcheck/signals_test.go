package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/report"
)

// holdingPeer is a loopback peer that accepts connections and never
// answers: a bot (or a target) that holds every request. accepted receives
// once per connection, the readiness signal that a request is held.
func holdingPeer(t *testing.T) (addr string, accepted <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan struct{}, 64)
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
			select {
			case ch <- struct{}{}:
			default:
			}
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
	return ln.Addr().String(), ch
}

// signalled is a started callcheck process under test.
type signalled struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	exited         chan struct{}
	err            error
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

// startSignalled starts bin with args, its output collected, and kills it
// when the test ends.
func startSignalled(t *testing.T, bin string, args ...string) *signalled {
	t.Helper()
	return startSignalledEnv(t, nil, bin, args...)
}

// stopWithin sends SIGTERM and waits for the exit at most bound; it
// returns how long the process took.
func (p *signalled) stopWithin(t *testing.T, bound time.Duration) time.Duration {
	t.Helper()
	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(bound):
		t.Fatalf("still running %s after SIGTERM (bound %s)\nstdout:\n%s\nstderr:\n%s", time.Since(sent).Round(time.Second), bound, p.stdout.String(), p.stderr.String())
	}
	return time.Since(sent)
}

// waitFor returns once ch receives, failing the test after a generous
// bound (a readiness signal, not a timing).
func waitFor(t *testing.T, ch <-chan struct{}, what string, p *signalled) {
	t.Helper()
	select {
	case <-ch:
	case <-p.exited:
		t.Fatalf("exited before %s: %v\nstdout:\n%s\nstderr:\n%s", what, p.err, p.stdout.String(), p.stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("no %s within 2m\nstdout:\n%s\nstderr:\n%s", what, p.stdout.String(), p.stderr.String())
	}
}

// stopMargin is what a loaded machine may add to a stated stop deadline
// to schedule the process and reap it.
const stopMargin = 15 * time.Second

// TestCertifyBotInterrupted: certify-bot (the built binary), while the
// bot holds its trigger request and never answers, stops on SIGTERM within
// its deadline with exit 3 and one line saying it was interrupted and what
// did not run, and every report it writes says "interrupted"; also when
// the trigger escapes its process group (so killing the group does not end
// it, and it holds the pipes certify-bot reads).
func TestCertifyBotInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := conformBinary(t)
	for _, tc := range []struct{ name, prefix string }{
		{"the bot holds its trigger", ""},
		{"the trigger escapes its process group", "setsid "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			botAddr, held := holdingPeer(t)
			out := filepath.Join(t.TempDir(), "cert")
			p := startSignalled(t, bin, "certify-bot", "--bot-name", "holdbot", "--bot-version", "1", "--listen", testkit.FreeAddr(t),
				"--client-secret", "s3cret-for-the-test", "--trigger-timeout", "10m", "--skip-preflight", "--out", out,
				"--trigger", "p2p="+tc.prefix+"curl -sS -X POST http://"+botAddr+"/calls?scenario=p2p")
			waitFor(t, held, "the trigger's request to the bot", p)
			took := p.stopWithin(t, stopDeadline+stopMargin)
			t.Logf("stopped %s after SIGTERM; stderr: %s", took.Round(100*time.Millisecond), strings.TrimSpace(p.stderr.String()))
			stderr := p.stderr.String()
			if code := exitOf(p.err); code != exitAborted {
				t.Errorf("exit %d, want 3\nstdout:\n%s\nstderr:\n%s", code, p.stdout.String(), stderr)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n != 0 {
				t.Errorf("stderr has %d lines, want one:\n%s", n+1, stderr)
			}
			for _, w := range []string{"interrupted: ", "checks stopped", "neither certified nor refused"} {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q: %s", w, stderr)
				}
			}
			assertInterruptedCertificate(t, out, p.stdout.String())
		})
	}
}

// assertInterruptedCertificate checks that every file of an interrupted
// certify-bot run, and its stdout, says "interrupted", never certified or
// not certified.
func assertInterruptedCertificate(t *testing.T, out, stdout string) {
	t.Helper()
	f, err := os.Open(filepath.Join(out, "certificate.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cert, err := report.ReadCertificate(f)
	if err != nil {
		t.Fatal(err)
	}
	if !cert.Interrupted || cert.Verdict != report.Interrupted || len(cert.NotRun) == 0 {
		t.Errorf("certificate.json: interrupted %v, verdict %q, notRun %v", cert.Interrupted, cert.Verdict, cert.NotRun)
	}
	for _, ch := range cert.Checks {
		if ch.Verdict == report.Failed {
			t.Errorf("check %s failed after the interrupt: %+v", ch.ID, ch.Evidence)
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if !strings.Contains(strings.ToLower(text), "interrupted") || !strings.Contains(text, cert.NotRun[0]) {
			t.Errorf("%s does not say interrupted and name %s", e.Name(), cert.NotRun[0])
		}
		if strings.Contains(text, "NOT CERTIFIED") || strings.Contains(text, ">CERTIFIED<") {
			t.Errorf("%s gives the interrupted run a verdict about the bot", e.Name())
		}
	}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	found := false
	for sc.Scan() {
		found = found || strings.HasPrefix(sc.Text(), "Verdict: INTERRUPTED")
	}
	if !found {
		t.Errorf("stdout has no Verdict: INTERRUPTED line:\n%s", stdout)
	}
}

// TestStopDeadlineAbandons: work that ignores the interrupt is abandoned
// at the deadline, and the error (exit 3) names what was in flight; work
// that returns in time keeps its own error.
func TestStopDeadlineAbandons(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	never := make(chan struct{})
	defer close(never)
	err := withStopDeadline(ctx, time.Millisecond, func() string { return "the contract x and its calls 1, 2" }, func() error { <-never; return nil })
	if exitCode(err) != exitAborted || !strings.Contains(err.Error(), "abandoned the contract x and its calls 1, 2") {
		t.Errorf("got %v (exit %d), want exit 3 naming what was abandoned", err, exitCode(err))
	}
	want := errors.New("its own")
	if err := withStopDeadline(ctx, time.Hour, func() string { return "" }, func() error { return want }); err != want {
		t.Errorf("got %v, want the work's own error", err)
	}
}

// liveCalls lists the calls the emulator's admin API holds that nobody
// hung up: a call in "terminating" was deleted (DELETE accepted) and is on
// its way out.
func liveCalls(t *testing.T, adminURL string) []string {
	t.Helper()
	resp, err := http.Get(adminURL + "calls")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var calls []struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&calls); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %scalls: %d %v", adminURL, resp.StatusCode, err)
	}
	var live []string
	for _, c := range calls {
		if c.State != "terminated" && c.State != "terminating" {
			live = append(live, c.ID+" ("+c.State+")")
		}
	}
	return live
}

// TestConformInterruptedCleansUp: conform against `callcheck emulate` in a
// process of its own (realistic timing, so a contract holds a live call
// for seconds), interrupted with SIGTERM while a call it created is live,
// deletes every call it created before it exits: the emulator, whose state
// outlives conform, holds no live call afterwards — or the report names,
// by id, each call that could not be deleted.
func TestConformInterruptedCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := conformBinary(t)
	dir := t.TempDir()
	emu := startEmulateProcess(t, bin, dir, "--profile", "realistic")
	port := testkit.FreePort(t)
	values := writeRemoteValues(t, dir, emu)
	out := filepath.Join(dir, "reports")
	p := startSignalledEnv(t, lackingRoleEnv(), bin, "conform", "--target", emu.GraphBaseURLs["beta"], "--client-id", emu.ClientID,
		"--client-secret", emu.ClientSecret, "--token-url", emu.TokenURL, "--listen", "127.0.0.1:"+port,
		"--callback-url", "http://127.0.0.1:"+port+"/callback", "--notification-openid", emu.OpenIDConfigURL,
		"--values", values, "--features", "all", "--timing", "realistic", "--out", out)
	// Readiness: a call conform created is live on the emulator. A bounded
	// poll of the admin API, not a sleep: the interval only paces it.
	var live []string
	for i := 0; len(live) == 0; i++ {
		if i == 1200 {
			t.Fatalf("no live call within 2 minutes\nstdout:\n%s\nstderr:\n%s", p.stdout.String(), p.stderr.String())
		}
		select {
		case <-p.exited:
			t.Fatalf("conform exited before creating a call: %v\nstdout:\n%s\nstderr:\n%s", p.err, p.stdout.String(), p.stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
		live = liveCalls(t, emu.AdminURL)
	}
	t.Logf("live before SIGTERM: %v", live)
	took := p.stopWithin(t, stopDeadline+stopMargin)
	t.Logf("stopped %s after SIGTERM; stderr: %s", took.Round(100*time.Millisecond), strings.TrimSpace(p.stderr.String()))
	if code := exitOf(p.err); code != exitAborted {
		t.Fatalf("exit %d, want 3\nstdout:\n%s\nstderr:\n%s", code, p.stdout.String(), p.stderr.String())
	}
	rep := readConformance(t, filepath.Join(out, "conformance.json"))
	if !rep.Interrupted {
		t.Errorf("conformance.json does not say interrupted")
	}
	left := liveCalls(t, emu.AdminURL)
	for _, l := range left {
		id, _, _ := strings.Cut(l, " ")
		if !slices.Contains(rep.Undeleted, id) {
			t.Errorf("call %s is live after the interrupted run and the report does not name it (undeleted: %v)", l, rep.Undeleted)
		}
	}
	t.Logf("live after: %d; undeleted in the report: %v", len(left), rep.Undeleted)
}

// startSignalledEnv is startSignalled with extra environment variables.
func startSignalledEnv(t *testing.T, env []string, bin string, args ...string) *signalled {
	t.Helper()
	p := &signalled{cmd: exec.Command(bin, args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// TestConformStopsWithinItsDeadline: conform (the built binary) against a
// target that holds every DELETE and never answers, interrupted while its
// cleanup waits on one, exits 3 within its stop deadline, and the one line
// it prints names the call (abandoned, or not deleted). Without the
// deadline a cleanup that started after the interrupt waits out Ginkgo's
// grace period (30 s) or its own timeout (a minute, realistic).
func TestConformStopsWithinItsDeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := conformBinary(t)
	dir := t.TempDir()
	emu := startEmulateProcess(t, bin, dir)
	upstream, err := url.Parse(emu.GraphBaseURLs["beta"])
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan string, 16)
	release := make(chan struct{})
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: upstream.Scheme, Host: upstream.Host})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			held <- path.Base(r.URL.Path)
			<-release // a target that never answers
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	t.Cleanup(func() { close(release) })
	port := testkit.FreePort(t)
	values := writeRemoteValues(t, dir, emu)
	p := startSignalledEnv(t, lackingRoleEnv(), bin, "conform", "--target", front.URL+upstream.Path, "--client-id", emu.ClientID,
		"--client-secret", emu.ClientSecret, "--token-url", emu.TokenURL, "--listen", "127.0.0.1:"+port,
		"--callback-url", "http://127.0.0.1:"+port+"/callback", "--notification-openid", emu.OpenIDConfigURL,
		"--values", values, "--features", "all", "--timing", "realistic", "--skip-preflight", "--out", filepath.Join(dir, "reports"))
	var id string
	select {
	case id = <-held:
	case <-p.exited:
		t.Fatalf("conform exited before a DELETE: %v\nstdout:\n%s\nstderr:\n%s", p.err, p.stdout.String(), p.stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("no DELETE within 2m\nstdout:\n%s\nstderr:\n%s", p.stdout.String(), p.stderr.String())
	}
	took := p.stopWithin(t, stopDeadline+stopMargin)
	stderr := strings.TrimSpace(p.stderr.String())
	t.Logf("stopped %s after SIGTERM; stderr: %s", took.Round(100*time.Millisecond), stderr)
	if code := exitOf(p.err); code != exitAborted {
		t.Errorf("exit %d, want 3", code)
	}
	if strings.Count(stderr, "\n") != 0 || !strings.Contains(stderr, "interrupted") || !strings.Contains(stderr, id) {
		t.Errorf("stderr is not one line saying interrupted and naming call %s:\n%s", id, stderr)
	}
}

// TestReportGateOverAnInterruptedCertificate: callcheck report over an
// interrupted certificate exits 1 unless --accept-partial; with it, a check
// that failed before the interrupt still fails the gate.
func TestReportGateOverAnInterruptedCertificate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		failed bool
		args   []string
		code   int
		want   string
	}{
		{"gated", false, nil, exitFailed, "was interrupted (1 checks not run)"},
		{"accepted", false, []string{"--accept-partial"}, exitOK, ""},
		{"accepted, a check failed", true, []string{"--accept-partial"}, exitFailed, "not certified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := report.Certificate{SchemaVersion: report.CertificateSchema, Bot: report.Bot{Name: "refbot", Version: "1"},
				Verdict: report.Interrupted, Interrupted: true, NotRun: []string{"inbound.p2p.sequence"},
				Checks: []report.Check{{ID: "outbound.p2p.schema", Group: "outbound", Verdict: report.Passed},
					{ID: "inbound.p2p.sequence", Group: "inbound", Verdict: report.Skipped, Evidence: []report.Evidence{{Message: "not run (interrupted)"}}}}}
			if tc.failed {
				c.Checks[0].Verdict = report.Failed
			}
			for _, ch := range c.Checks {
				c.Summary.Add(ch.Verdict)
			}
			var buf bytes.Buffer
			if err := report.WriteJSON(&buf, c); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "certificate.json")
			writeTestFile(t, path, buf.String())
			code, stdout, stderr := runCLI(append(append([]string{"report", "--format", "md"}, tc.args...), path)...)
			if code != tc.code || !strings.Contains(stderr, tc.want) || !strings.Contains(stdout, "Bot certificate: interrupted") {
				t.Errorf("exit %d, stderr %q; want exit %d, %q\n%.300s", code, stderr, tc.code, tc.want, stdout)
			}
		})
	}
}
