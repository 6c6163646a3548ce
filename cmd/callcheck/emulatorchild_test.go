package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/load/result"
)

// capacityArgs is a short search: steps of 1 s at 20/s then 40/s.
func capacityArgs(out string) []string {
	return []string{"load", "capacity", "--start", "20/s", "--max", "40/s", "--step-duration", "1s", "--stabilize", "0s",
		"--quiet", "--skip-preflight", "--out", out}
}

// runCapacityCLI runs args in this process with ctx, stderr written to
// stderr, and returns the exit code, stdout and the capacity result.
func runCapacityCLI(t *testing.T, ctx context.Context, stderr *cancelOnWrite, args []string) (int, string, *result.CapacityResult) {
	t.Helper()
	var stdout bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: stderr, getenv: func(string) string { return "" }}
	code := run(ctx, e, args)
	res, err := result.ReadCapacity(filepath.Join(args[len(args)-1], result.CapacityFile))
	if err != nil {
		t.Fatalf("exit %d, no capacity result: %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout.String(), stderr.String())
	}
	return code, stdout.String(), res
}

// cancelOnWrite is a stderr that cancels a context once a line containing
// trigger is written (never when trigger is empty).
type cancelOnWrite struct {
	mu      sync.Mutex
	b       bytes.Buffer
	trigger string
	cancel  context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.trigger != "" && bytes.Contains(p, []byte(w.trigger)) {
		w.cancel()
	}
	return w.b.Write(p)
}

func (w *cancelOnWrite) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// checkChildGone checks that the search recorded an emulator process other
// than this one, that it is gone, and that its port no longer answers.
func checkChildGone(t *testing.T, res *result.CapacityResult) {
	t.Helper()
	p := res.EmulatorProcess
	if p == nil || p.PID <= 0 || p.PID == os.Getpid() || p.Command != "callcheck emulate" || !res.Embedded {
		t.Fatalf("the result records no emulator child process: %+v (embedded %v)", p, res.Embedded)
	}
	if err := syscall.Kill(p.PID, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("the emulator process %d is still there after the command returned (kill 0: %v)", p.PID, err)
	}
	if runtime.GOOS == "linux" && p.MaxRSSBytes == 0 {
		t.Errorf("the emulator process's peak RSS is not recorded: %+v", p)
	}
	u, err := url.Parse(res.Target)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", u.Host); err == nil {
		c.Close()
		t.Errorf("the emulator's address %s still accepts connections", u.Host)
	}
}

// TestCapacityEmulatorInAChildProcess: without --target, load capacity
// measures the emulator in a child process of its own, records it with
// both processes' peak memory, and the child is gone once the command
// returns.
func TestCapacityEmulatorInAChildProcess(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, res := runCapacityCLI(t, context.Background(), &cancelOnWrite{}, capacityArgs(out))
	if code != exitOK || res.Capacity != 40 {
		t.Fatalf("exit %d, capacity %v\n%s", code, res.Capacity, stdout)
	}
	checkChildGone(t, res)
	if res.EmulatorProcess.Exit != "exit status 0" {
		t.Errorf("the emulator process ended with %q, want exit status 0 (stopped by SIGTERM)", res.EmulatorProcess.Exit)
	}
	if res.Process == nil || res.Process.PID != os.Getpid() {
		t.Errorf("the load process is not recorded: %+v", res.Process)
	}
	if !regexp.MustCompile(`Memory: load process peak RSS \d+ MB; emulator process peak RSS \d+ MB\.`).MatchString(stdout) {
		t.Errorf("stdout does not print both processes' peak RSS:\n%s", stdout)
	}
}

// TestCapacityInterruptedStopsTheEmulator: a search interrupted after its
// first step (the context ends as the step's line is logged) exits 3,
// keeps the curve, and stops its emulator process.
func TestCapacityInterruptedStopsTheEmulator(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := filepath.Join(t.TempDir(), "out")
	stderr := &cancelOnWrite{trigger: "step ", cancel: cancel}
	code, _, res := runCapacityCLI(t, ctx, stderr, capacityArgs(out))
	if code != exitAborted || res.Stopped != "interrupted" || len(res.Points) != 1 {
		t.Fatalf("exit %d, stopped %q, %d points; want 3, interrupted, 1\n%s", code, res.Stopped, len(res.Points), stderr.String())
	}
	checkChildGone(t, res)
}

// TestCapacityEmulatorThatFailsToStart: a child that exits before it is
// ready is one line naming it, with its stderr, and exit 3 (a runtime
// error, not the user's configuration).
func TestCapacityEmulatorThatFailsToStart(t *testing.T) {
	script := writeScript(t, "echo 'callcheck emulate: listen tcp 127.0.0.1:0: socket: too many open files' >&2\nexit 2\n")
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
		executable: func() (string, error) { return script, nil }}
	code := run(context.Background(), e, capacityArgs(filepath.Join(t.TempDir(), "out")))
	msg := stderr.String()
	want := regexp.MustCompile(`^callcheck load: the emulator process \(pid \d+, \S+ emulate\) exited before it was ready \(exit status 2\); ` +
		`its stderr: callcheck emulate: listen tcp 127\.0\.0\.1:0: socket: too many open files\n$`)
	if code != exitAborted || !want.MatchString(msg) {
		t.Fatalf("exit %d, stderr %q; want 3 and one line matching %s", code, msg, want)
	}
}

// TestEmulatorChildNeverReady: a child that never prints its startup line
// is killed after the wait, or as soon as the context ends.
func TestEmulatorChildNeverReady(t *testing.T) {
	script := writeScript(t, "exec sleep 60\n")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"timeout", context.Background(), "was not ready within 300ms"},
		{"interrupted", cancelled, "context canceled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := startEmulatorChild(tc.ctx, script, load.EmbeddedConfig(), 300*time.Millisecond)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if m := regexp.MustCompile(`pid (\d+)`).FindStringSubmatch(err.Error()); m != nil {
				pid, _ := strconv.Atoi(m[1])
				if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
					t.Errorf("the child %d is still there (kill 0: %v)", pid, err)
				}
			}
		})
	}
}

// TestEmulatorChildConfig: the configuration file the child reads gives
// emulate load.EmbeddedConfig(), field for field (its app aside: emulate
// makes the default one, as the embedded emulator does).
func TestEmulatorChildConfig(t *testing.T) {
	path, err := writeEmulatorConfig(load.EmbeddedConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(path)
	f := emulateFlags{config: path}
	got, generated, err := f.build(map[string]bool{"config": true}, func(string) string { return "" })
	if err != nil || !generated || len(got.Apps) != 1 {
		t.Fatalf("emulate --config: %v, generated secret %v, %d apps", err, generated, len(got.Apps))
	}
	got.Apps = nil
	a, errA := yaml.Marshal(got)
	b, errB := yaml.Marshal(load.EmbeddedConfig())
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Errorf("emulate --config gives\n%s\nwant\n%s", a, b)
	}
}

// TestChildEnvDropsTheSecret: the child does not inherit a client secret,
// so it generates its own and prints it on the startup line.
func TestChildEnvDropsTheSecret(t *testing.T) {
	got := childEnv([]string{"PATH=/bin", secretEnv + "=s3cret", "HOME=/h"})
	if strings.Join(got, " ") != "PATH=/bin HOME=/h" {
		t.Errorf("childEnv = %q", got)
	}
}

func writeScript(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("a shell script stands for the child")
	}
	path := filepath.Join(t.TempDir(), "callcheck")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
