package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/callcheck/callcheck/identity"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
)

func TestConformHelp(t *testing.T) {
	code, stderr, errOut := runCLI("conform", "--help")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q: want exit 0 and the help on stdout", code, errOut)
	}
	for _, want := range []string{"Usage: callcheck conform", "--values", "--features", "--out", "--label-filter", "Examples:", "callcheck conform --list"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	for _, hidden := range []string{"-violate", "-emulator-config"} {
		if strings.Contains(stderr, hidden) {
			t.Errorf("--help shows the hidden flag %s", hidden)
		}
	}
}

// TestConformUsageErrors: bad flags are exit 2 with a message naming the
// flag or field, before anything runs or prints.
func TestConformUsageErrors(t *testing.T) {
	badValues := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(badValues, []byte("tenantId: 1\nbogus: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown feature", []string{"--features", "core,teleport"}, `--features: unknown feature "teleport"`},
		{"unknown timing", []string{"--timing", "slow"}, "--timing"},
		{"violate with a target", []string{"--target", "https://g/beta", "--token", "t", "--violate", "no-roster"}, "embedded emulator only"},
		{"unknown violation", []string{"--violate", "be-rude"}, `--violate: unknown violation "be-rude"`},
		{"missing values file", []string{"--values", "/nonexistent/values.yaml"}, "--values"},
		{"unknown field in values", []string{"--values", badValues}, "field bogus not found"},
		{"token without target", []string{"--token", "t"}, "--token needs --target"},
		{"target without version", []string{"--target", "https://graph.microsoft.com", "--token", "t"}, "version segment"},
		{"arguments", []string{"extra"}, "takes no arguments"},
		{"bad emulator config", []string{"--emulator-config", "/nonexistent.yaml"}, "--emulator-config"},
		{"label filter syntax", []string{"--label-filter", "(("}, `--label-filter "((": Mismatched '('`},
		{"empty selection", []string{"--label-filter", "no-such-label"}, "selects no contract"},
		{"out not creatable", []string{"--out", filepath.Join(badValues, "reports")}, "--out " + filepath.Join(badValues, "reports") + " cannot be created"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"conform"}, tc.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 naming %q", code, stderr, tc.want)
			}
			if stdout != "" || strings.Count(stderr, "\n") > 2 || strings.Contains(stderr, "\x1b") {
				t.Errorf("want one or two plain lines on stderr and nothing run; stdout %q, stderr %q", stdout, stderr)
			}
		})
	}
}

// TestConformNothingCheckedFails: claiming no feature leaves no contract to
// check but the featureless one; claiming none of the selected features
// leaves none, and that is exit 1, never PASSED with exit 0.
func TestConformNothingCheckedFails(t *testing.T) {
	code, stdout, stderr := runCLI("conform", "--features", "", "--label-filter", "pstn")
	if code != exitFailed || !strings.Contains(stderr, "no contract was checked") {
		t.Fatalf("exit %d, stderr %q; want exit 1, no contract was checked\n%s", code, stderr, stdout)
	}
}

// conformBinary builds callcheck for the binary-level tests.
func conformBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "callcheck")
	testkit.GoBuild(t, ".", bin)
	return bin
}

// TestConformRemoteEmulator is the real-tenant path end to end: callcheck
// emulate in its own process (apps lacking each permission registered in
// its configuration file), and callcheck conform against it as a remote
// target, with client credentials from its token endpoint, an explicit
// callback URL, its OpenID configuration, a values file (admit URL, apps
// lacking roles) and --out. Every contract passes, and no secret is printed
// or written.
func TestConformRemoteEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := conformBinary(t)
	dir := t.TempDir()
	emu := startEmulateProcess(t, bin, dir)
	port := testkit.FreePort(t)
	values := writeRemoteValues(t, dir, emu)
	out := filepath.Join(dir, "reports")
	args := []string{"conform", "--target", emu.GraphBaseURLs["beta"], "--client-id", emu.ClientID, "--client-secret", emu.ClientSecret,
		"--token-url", emu.TokenURL, "--listen", "127.0.0.1:" + port, "--callback-url", "http://127.0.0.1:" + port + "/callback",
		"--notification-openid", emu.OpenIDConfigURL, "--values", values, "--features", "all", "--timing", "fast", "--out", out}
	code, stdout, stderr := runBinary(t, bin, lackingRoleEnv(), args...)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	rep := readConformance(t, filepath.Join(out, suites.FileConformance))
	if rep.Summary.Passed != len(suites.Contracts()) || rep.Target.Kind != "remote" || rep.Target.Auth != "client-credentials" ||
		rep.Target.BaseURL != emu.GraphBaseURLs["beta"] {
		t.Fatalf("report: %+v %+v", rep.Summary, rep.Target)
	}
	_, listed, _ := strings.Cut(stdout, "reports: ")
	listed, _, _ = strings.Cut(listed, "\n")
	files := strings.Split(listed, ", ")
	if len(files) != 5 || files[3] != filepath.Join(out, suites.FileHTML) || files[4] != filepath.Join(out, suites.FileGinkgoJSON) {
		t.Fatalf("reports listed: %q, want the four reports and Ginkgo's", listed)
	}
	for _, f := range append(files, "stdout", "stderr") {
		text := stdout + stderr
		if !strings.HasPrefix(f, "std") {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text = string(b)
		}
		for _, secret := range []string{emu.ClientSecret, "lacking-secret-"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains a secret", f)
			}
		}
	}
}

// emulateInfo is what `callcheck emulate --json` prints.
type emulateInfo struct {
	GraphBaseURLs   map[string]string `json:"graphBaseURLs"`
	TokenURL        string            `json:"tokenURL"`
	OpenIDConfigURL string            `json:"openIDConfigURL"`
	ClientID        string            `json:"clientId"`
	ClientSecret    string            `json:"clientSecret"`
	TenantID        string            `json:"tenantId"`
	AdminURL        string            `json:"adminURL"`
}

// startEmulateProcess starts callcheck emulate with the default app and one
// app lacking each calling permission (and the extra flags), and reads
// where it listens.
func startEmulateProcess(t *testing.T, bin, dir string, extra ...string) emulateInfo {
	t.Helper()
	var b strings.Builder
	b.WriteString("apps:\n")
	app := emulator.DefaultApp("the-bot-secret")
	fmt.Fprintf(&b, "  - {clientId: %s, clientSecret: %s, tenantId: %s, roles: [%s]}\n", app.ClientID, app.ClientSecret, app.TenantID, strings.Join(app.Roles, ", "))
	for i, role := range graph.CallingRoles() {
		var roles []string
		for _, r := range graph.CallingRoles() {
			if r != role {
				roles = append(roles, r)
			}
		}
		fmt.Fprintf(&b, "  - {clientId: %s, clientSecret: lacking-secret-%d, tenantId: %s, roles: [%s]}\n", lackingClientID(i), i, app.TenantID, strings.Join(roles, ", "))
	}
	cfgPath := filepath.Join(dir, "emulator.yaml")
	if err := os.WriteFile(cfgPath, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"emulate", "--listen", "127.0.0.1:0", "--json", "--allow-http-loopback", "--config", cfgPath}, extra...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	var info emulateInfo
	if err == nil {
		err = json.Unmarshal(line, &info)
	}
	if err != nil || info.TokenURL == "" || info.ClientSecret != identity.Redacted {
		t.Fatalf("reading callcheck emulate's startup line %q (a secret from the config file is never echoed): %v", line, err)
	}
	info.ClientSecret = app.ClientSecret
	return info
}

func lackingClientID(i int) string { return fmt.Sprintf("44444444-4444-4444-8444-%012d", i) }

// lackingRoleEnv holds the secrets of the apps lacking a role.
func lackingRoleEnv() []string {
	var env []string
	for i := range graph.CallingRoles() {
		env = append(env, fmt.Sprintf("LACKING_%d=lacking-secret-%d", i, i))
	}
	return env
}

// writeRemoteValues writes the values file: the admit URL of the emulator's
// admin API and the apps lacking each role.
func writeRemoteValues(t *testing.T, dir string, emu emulateInfo) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "lobby:\n  admitURL: %scalls/{id}/admit\nappsLackingRole:\n", emu.AdminURL)
	for i, role := range graph.CallingRoles() {
		fmt.Fprintf(&b, "  %s: {clientId: %s, clientSecretEnv: LACKING_%d}\n", role, lackingClientID(i), i)
	}
	path := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runBinary runs the built callcheck and returns its exit code and output.
func runBinary(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.String(), stderr.String()
}

func readConformance(t *testing.T, path string) *report.Conformance {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadConformance(f)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestConformBinaryExitCodes: the embedded emulator passes (0); making a
// violation fails the contract it breaks (1) and says which; --list is a
// dry run; a wrong secret is a configuration error (2) that does not print it.
func TestConformBinaryExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := conformBinary(t)
	if code, stdout, stderr := runBinary(t, bin, nil, "conform"); code != exitOK || !strings.Contains(stdout, "PASSED: 30 passed") {
		t.Errorf("conform: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr := runBinary(t, bin, nil, "conform", "--violate", "guest-not-in-lobby")
	if code != exitFailed || !strings.Contains(stdout, "✗ example08_join_channel_meeting_as_guest_service_media: step notification:lobby") ||
		!strings.Contains(stderr, "1 of 30 contracts failed") {
		t.Errorf("--violate guest-not-in-lobby: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runBinary(t, bin, nil, "conform", "--list")
	if code != exitOK || strings.Count(stdout, "\nexample") != 10 || strings.Count(stdout, "\nnegative_") != 20 {
		t.Errorf("--list: exit %d\n%s", code, stdout)
	}
	live := httptest.NewServer(http.NotFoundHandler()) // a target that answers; its token endpoint does not
	defer live.Close()
	code, _, stderr = runBinary(t, bin, []string{secretEnv + "=not-the-secret"}, "conform", "--target", live.URL+"/beta",
		"--client-id", "55555555-5555-4555-8555-555555555555", "--token-url", "http://127.0.0.1:1/t/oauth2/v2.0/token")
	if code != exitUsage || !strings.Contains(stderr, "for client 55555555-5555-4555-8555-555555555555") || strings.Contains(stderr, "not-the-secret") {
		t.Errorf("unreachable token endpoint: exit %d, stderr %q", code, stderr)
	}
}

// TestConformInterruptedBinary: SIGTERM during a run exits 3 and says how
// many contracts did not run; the reports written hold no failure the
// target never produced: a contract stopped or never reached is "not run
// (interrupted)", never failed or "not selected". The emulator delays
// every Graph request, so the run is still going when the first contract's
// progress line (the readiness signal) has been read.
func TestConformInterruptedBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := conformBinary(t)
	dir := t.TempDir()
	emuCfg := filepath.Join(dir, "emulator.yaml")
	if err := os.WriteFile(emuCfg, []byte("faults:\n  latency:\n    rate: 1\n    delay: {min: 200ms, max: 200ms}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "reports")
	cmd := exec.Command(bin, "conform", "--out", out, "--emulator-config", emuCfg)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen strings.Builder
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		seen.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "[ 1/30]") {
			t.Log("the first contract ended; sending SIGTERM")
			_ = cmd.Process.Signal(syscall.SIGTERM)
			break
		}
	}
	_, _ = io.Copy(&seen, stdout)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitAborted || !strings.Contains(stderr.String(), "interrupted:") || !strings.Contains(seen.String(), "INTERRUPTED: ") {
		t.Fatalf("exit %v, stderr %q; want exit 3, interrupted\n%s", err, stderr.String(), seen.String())
	}
	rep := readConformance(t, filepath.Join(out, "conformance.json"))
	interrupted := 0
	for _, r := range append(rep.Examples, rep.Negative...) {
		switch {
		case r.Verdict == report.Failed:
			t.Errorf("%s failed after the interrupt: %+v", r.ID, r.Steps)
		case strings.Contains(r.Reason, "not selected"):
			t.Errorf("%s is %q after the interrupt", r.ID, r.Reason)
		case r.Reason == "not run (interrupted)":
			interrupted++
		}
	}
	if interrupted == 0 {
		t.Errorf("no contract is not run (interrupted)\n%s", seen.String())
	}
	assertInterruptedReports(t, bin, out, seen.String(), rep)
}

// assertInterruptedReports checks that every report of an interrupted
// conform run says "interrupted" and what did not run — the JSON document,
// the text summary on stdout, the Markdown, the HTML and the JUnit — and
// that callcheck report over it fails unless --accept-partial.
func assertInterruptedReports(t *testing.T, bin, out, stdout string, rep *report.Conformance) {
	t.Helper()
	if !rep.Interrupted || rep.Verdict != report.Interrupted || len(rep.NotRun) == 0 || rep.SchemaVersion != report.ConformanceSchema {
		t.Errorf("conformance.json: interrupted %v, verdict %q, notRun %d, schema %q; want interrupted, its contracts named",
			rep.Interrupted, rep.Verdict, len(rep.NotRun), rep.SchemaVersion)
	}
	first := rep.NotRun[0]
	want := map[string][]string{
		"stdout":           {"INTERRUPTED: " + fmt.Sprint(len(rep.NotRun)) + " contracts not run;", "Interrupted (SIGINT or SIGTERM)", first},
		"summary.md":       {"Conformance: interrupted", "Interrupted (SIGINT or SIGTERM)", first, "not run (interrupted)"},
		"conformance.html": {"v-interrupted", "INTERRUPTED", first, "not run (interrupted)"},
		"junit.xml":        {`<property name="interrupted" value="true">`, `type="interrupted"`, `name="` + first + `"`},
	}
	for file, wants := range want {
		text := stdout
		if file != "stdout" {
			data, err := os.ReadFile(filepath.Join(out, file))
			if err != nil {
				t.Error(err)
				continue
			}
			text = string(data)
		}
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not say %q", file, w)
			}
		}
		if file != "stdout" && regexp.MustCompile(`(?i)\bPASSED\b|Conformance: passed`).MatchString(firstLines(text, 3)) {
			t.Errorf("%s opens with a pass: %s", file, firstLines(text, 3))
		}
	}
	if strings.Contains(stdout, "\nPASSED") || strings.Contains(stdout, "\nFAILED:") {
		t.Errorf("stdout gives the interrupted run a verdict about the target:\n%s", stdout)
	}
	conformance := filepath.Join(out, "conformance.json")
	gate := exec.Command(bin, "report", conformance)
	if b, err := gate.CombinedOutput(); exitOf(err) != exitFailed || !strings.Contains(string(b), "was interrupted") || !strings.Contains(string(b), "--accept-partial") {
		t.Errorf("callcheck report over the interrupted run: exit %d; want 1 naming --accept-partial\n%s", exitOf(err), b)
	}
	accept := exec.Command(bin, "report", "--accept-partial", conformance)
	wantExit := exitOK
	if rep.Summary.Failed > 0 {
		wantExit = exitFailed
	}
	if b, err := accept.CombinedOutput(); exitOf(err) != wantExit {
		t.Errorf("callcheck report --accept-partial over the interrupted run: exit %d, want %d\n%s", exitOf(err), wantExit, b)
	}
}

// firstLines is the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// exitOf is a finished command's exit code.
func exitOf(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestClosedTargetBeforeAnyEndpoint: a --target whose port is closed is
// exit 2 naming --target, found before the token endpoint (or any other
// endpoint) is contacted, for conform and load alike.
func TestClosedTargetBeforeAnyEndpoint(t *testing.T) {
	var hits atomic.Int32
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		http.Error(w, "no", http.StatusUnauthorized)
	}))
	defer tokens.Close()
	dead := "http://" + loadClosedAddr(t) + "/beta"
	creds := []string{"--target", dead, "--client-id", "55555555-5555-4555-8555-555555555555", "--client-secret", "s", "--token-url", tokens.URL + "/token"}
	for _, args := range [][]string{
		append([]string{"conform"}, creds...),
		append([]string{"load", "create", "--example", "1", "--tenant-id", "t"}, creds...),
	} {
		code, _, stderr := runCLI(args...)
		if code != exitUsage || !strings.Contains(stderr, "--target: target "+dead+" is unreachable") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming --target", args[:2], code, stderr)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the token endpoint was contacted %d times before the closed target was noticed", n)
	}
}
