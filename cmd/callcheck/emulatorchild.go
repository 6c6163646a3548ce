package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/target"
)

// The bounds of the emulator's child process (load capacity).
const (
	// emulatorReadyTimeout is how long the child has to print that it
	// listens.
	emulatorReadyTimeout = 30 * time.Second
	// emulatorStopGrace is how long a child stopped by SIGTERM has to exit
	// before it is killed: emulate's own shutdown deadline, and a margin.
	emulatorStopGrace = emulateShutdown + 2*time.Second
	// emulatorStderrTail is how much of the child's stderr is kept for an
	// error message.
	emulatorStderrTail = 4096
)

// emulatorChild is the emulator run as a child process, `callcheck
// emulate` re-executed from this binary: the default target of load
// capacity. A capacity search finds the target's limits; the embedded
// emulator would share the generator's Go runtime (one heap, one garbage
// collector, one scheduler), which distorts both the latency measured and
// the memory (the emulator's live calls were ~70% of the heap of a search
// at 6400/s, the process's peak RSS ~700 MB), and in the field the target
// is never inside the generator.
type emulatorChild struct {
	cmd     *exec.Cmd
	info    startupInfo
	stderr  *tailBuffer
	exited  chan struct{} // closed once Wait returned
	waitErr error
	stop    sync.Once
	// died is set when the child had exited before it was stopped.
	died bool
}

// startEmulatorChild starts exe as `callcheck emulate` with cfg (written
// to a temporary --config file) on a free loopback port, and waits at
// most readyWithin for the startup line emulate --json prints once it
// listens. The child never outlives this process: it is stopped on every
// path (stopChild), killed by the kernel should this process die first
// (Linux, childProcAttr), and in a process group of its own so that a
// terminal's Ctrl-C reaches this process only, which deletes its calls on
// the child before stopping it.
func startEmulatorChild(ctx context.Context, exe string, cfg target.EmulatorConfig, readyWithin time.Duration) (*emulatorChild, error) {
	cfgFile, err := writeEmulatorConfig(cfg)
	if err != nil {
		return nil, err
	}
	defer os.Remove(cfgFile) // read by the child before it listens
	ready := &startupLine{line: make(chan []byte, 1)}
	c := &emulatorChild{stderr: &tailBuffer{max: emulatorStderrTail}, exited: make(chan struct{})}
	c.cmd = exec.Command(exe, "emulate", "--listen", "127.0.0.1:0", "--json", "--config", cfgFile)
	c.cmd.Env = childEnv(os.Environ())
	c.cmd.Stdout, c.cmd.Stderr = ready, c.stderr
	c.cmd.SysProcAttr = childProcAttr()
	c.cmd.WaitDelay = time.Second
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the emulator process (%s emulate): %w", exe, err)
	}
	go func() { c.waitErr = c.cmd.Wait(); close(c.exited) }()
	timer := time.NewTimer(readyWithin)
	defer timer.Stop()
	var line []byte
	select {
	case line = <-ready.line:
	case <-c.exited:
		return nil, c.failed(fmt.Sprintf("exited before it was ready (%v)", c.waitErr))
	case <-timer.C:
		c.kill()
		return nil, c.failed(fmt.Sprintf("was not ready within %s", readyWithin))
	case <-ctx.Done():
		c.kill()
		return nil, fmt.Errorf("starting the emulator process: %w", ctx.Err())
	}
	if err := json.Unmarshal(line, &c.info); err != nil || c.info.TokenURL == "" || c.info.GraphBaseURLs[target.DefaultAPIVersion] == "" {
		c.kill()
		return nil, c.failed(fmt.Sprintf("printed %q instead of its startup JSON", truncate(string(line), 200)))
	}
	return c, nil
}

// writeEmulatorConfig writes cfg as a configuration file emulate reads
// (its fields, YAML), readable by this user only, and returns its path.
func writeEmulatorConfig(cfg target.EmulatorConfig) (string, error) {
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("the emulator's configuration: %w", err)
	}
	f, err := os.CreateTemp("", "callcheck-emulator-*.yaml")
	if err != nil {
		return "", fmt.Errorf("the emulator's configuration file: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("the emulator's configuration file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("the emulator's configuration file: %w", err)
	}
	return f.Name(), nil
}

// childEnv is this process's environment without the client secret, so
// that the child generates its app's secret and prints it to this process
// alone (on the startup line), as the embedded emulator generates its own.
func childEnv(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, secretEnv+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// failed is the one-line error of a child that did not get ready: what
// happened, and the tail of its stderr.
func (c *emulatorChild) failed(what string) error {
	msg := fmt.Sprintf("the emulator process (pid %d, %s emulate) %s", c.cmd.Process.Pid, c.cmd.Path, what)
	if tail := c.stderr.lastLines(3); tail != "" {
		msg += "; its stderr: " + tail
	}
	return errors.New(msg)
}

// kill kills the child and waits for it.
func (c *emulatorChild) kill() {
	_ = c.cmd.Process.Kill()
	<-c.exited
}

// target is what load attacks: the child's Graph base URL, its default
// app's tokens through the client-credentials flow at its token endpoint
// (the first fetched now), and its notification keys for the receiver.
func (c *emulatorChild) target(ctx context.Context) (load.Target, load.ReceiverConfig, error) {
	i := c.info
	tokens, err := target.FetchingSource(ctx, identity.ClientCredentials{TokenURL: i.TokenURL, ClientID: i.ClientID, ClientSecret: i.ClientSecret})
	if err != nil {
		return load.Target{}, load.ReceiverConfig{}, fmt.Errorf("a token from the emulator process: %w", err)
	}
	t := load.Target{BaseURL: i.GraphBaseURLs[target.DefaultAPIVersion], Tokens: tokens, TenantID: i.TenantID, AppID: i.ClientID, Embedded: true}
	return t, load.ReceiverConfig{OpenIDConfigURL: i.OpenIDConfigURL, AppID: i.ClientID}, nil
}

// stopChild ends the child once (later calls return the same): SIGTERM,
// on which emulate stops within its own deadline, then SIGKILL after
// grace. It returns the process's record, and an error when the child
// had exited before it was stopped (the search then measured a dead
// target).
func (c *emulatorChild) stopChild(grace time.Duration) (*result.ProcessPeak, error) {
	c.stop.Do(func() {
		select {
		case <-c.exited:
			c.died = true
			return
		default:
		}
		if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			_ = c.cmd.Process.Kill() // no SIGTERM on this platform
		}
		timer := time.NewTimer(grace)
		defer timer.Stop()
		select {
		case <-c.exited:
		case <-timer.C:
			c.kill()
		}
	})
	peak := &result.ProcessPeak{Command: "callcheck emulate", PID: c.cmd.Process.Pid, MaxRSSBytes: load.MaxRSSOf(c.cmd.ProcessState)}
	if c.cmd.ProcessState != nil {
		peak.Exit = c.cmd.ProcessState.String()
	}
	if c.died {
		return peak, c.failed(fmt.Sprintf("exited during the search (%v)", c.waitErr))
	}
	return peak, nil
}

// startupLine is the child's stdout: its first line is sent on line once,
// the rest is discarded. exec's copying goroutine is its only writer.
type startupLine struct {
	buf  []byte
	line chan []byte
	sent bool
}

// maxStartupLine bounds the startup line kept.
const maxStartupLine = 1 << 16

// Write keeps p up to the first newline, then sends the line.
func (w *startupLine) Write(p []byte) (int, error) {
	if w.sent {
		return len(p), nil
	}
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		if len(w.buf) < maxStartupLine {
			w.buf = append(w.buf, p...)
		}
		return len(p), nil
	}
	w.buf, w.sent = append(w.buf, p[:i]...), true
	w.line <- w.buf
	return len(p), nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

// Write appends p, dropping the oldest bytes beyond max.
func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// lastLines returns the last n non-empty lines, joined into one line.
func (b *tailBuffer) lastLines(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var lines []string
	for _, l := range strings.Split(string(b.buf), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return truncate(strings.Join(lines, " | "), 600)
}

// truncate shortens s to at most n bytes, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
