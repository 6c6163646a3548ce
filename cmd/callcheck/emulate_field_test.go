package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/suites"
)

// TestConformAgainstFieldProfile runs the whole suite, with the rules of a
// remote target, against `callcheck emulate --profile field` in its own
// process: notifications shaped like the field corpus (legacy resource,
// PascalCase, no ids, one POST per notification), realistic timing, callees
// that ring before answering. Every contract must pass: a receiver and
// contracts that hold against real Graph's shapes.
func TestConformAgainstFieldProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; realistic timing takes a while")
	}
	t.Parallel() // mostly waiting on the profile's timing: it overlaps the docs test
	bin := conformBinary(t)
	dir := t.TempDir()
	emu := startEmulateProcess(t, bin, dir, "--profile", "field")
	port := testkit.FreePort(t)
	values := writeRemoteValues(t, dir, emu)
	out := filepath.Join(dir, "reports")
	args := []string{"conform", "--target", emu.GraphBaseURLs["beta"], "--client-id", emu.ClientID, "--client-secret", emu.ClientSecret,
		"--token-url", emu.TokenURL, "--listen", "127.0.0.1:" + port, "--callback-url", "http://127.0.0.1:" + port + "/callback",
		"--notification-openid", emu.OpenIDConfigURL, "--values", values, "--features", "all", "--out", out}
	code, stdout, stderr := runBinaryWithin(t, 6*time.Minute, bin, lackingRoleEnv(), args...)
	rep, err := os.ReadFile(filepath.Join(out, suites.FileConformance))
	if err != nil {
		t.Fatalf("exit %d, no report: %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout, stderr)
	}
	if code != exitOK || !strings.Contains(stdout, "PASSED") {
		t.Fatalf("exit %d against the field profile\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if r := readConformance(t, filepath.Join(out, suites.FileConformance)); r.Summary.Passed != len(suites.Contracts()) || len(rep) == 0 {
		t.Fatalf("summary %+v, want all %d contracts passed", r.Summary, len(suites.Contracts()))
	}
}

// runBinaryWithin is runBinary with a bound of its own: the field profile's
// realistic timing makes a whole run take minutes on a loaded machine.
func runBinaryWithin(t *testing.T, bound time.Duration, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stdout.String(), stderr.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, stdout.String(), stderr.String()
}
