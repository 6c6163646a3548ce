package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/callcheck/callcheck/target"
)

// The subjects, in the order they run.
const (
	subjectBare     = "bare"
	subjectMinimal  = "minimal"
	subjectEmulator = "emulator"
)

// allSubjects lists them.
var allSubjects = []string{subjectBare, subjectMinimal, subjectEmulator}

// serveEnv, set to a subject's name, makes this program serve that subject
// instead of benchmarking: the benchmark starts each subject as a child
// process of itself, so that each server has a process (its own scheduler
// and collector) apart from the load generator and the receiver, as it
// would in the field, and all of them stay in one process tree.
const serveEnv = "EMUBENCH_SERVE"

// profileEnv, when not empty, is the file a child writes its CPU profile
// to (runtime/pprof) from its start until it has shut down.
const profileEnv = "EMUBENCH_CPUPROFILE"

// profiled runs serve under a CPU profile written to path ("": none).
func profiled(path string, serve func() error) error {
	if path == "" {
		return serve()
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("cpu profile %s: %w", path, err)
	}
	err = serve()
	pprof.StopCPUProfile()
	if cerr := f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("cpu profile %s: %w", path, cerr)
	}
	return err
}

// childInfo is the one line a child prints on stdout once it serves.
type childInfo struct {
	URL string `json:"url"` // the create URL
	// The emulator's token endpoint and app, for the client-credentials
	// flow; empty for the handlers (they check no token).
	TokenURL string `json:"tokenURL,omitempty"`
	ClientID string `json:"clientID,omitempty"`
	Secret   string `json:"secret,omitempty"`
	TenantID string `json:"tenantID,omitempty"`
}

// serveChild serves subject until stdin closes (the parent ended or closed
// it) or a signal arrives, then shuts down cleanly. It prints its
// childInfo first.
func serveChild(subject string, stdin io.Reader, stdout io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		stop()
	}()
	var info childInfo
	var shutdown func(context.Context) error
	switch subject {
	case subjectBare, subjectMinimal:
		var h http.Handler = bareHandler()
		var m *minimal
		if subject == subjectMinimal {
			m = newMinimal()
			h = m
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
		go func() { _ = srv.Serve(ln) }()
		info.URL = "http://" + ln.Addr().String() + "/beta/communications/calls"
		shutdown = func(ctx context.Context) error {
			err := srv.Shutdown(ctx)
			if m != nil {
				m.wait()
			}
			return err
		}
	case subjectEmulator:
		cfg := target.NewEmulatorConfig()
		cfg.Safety.AllowHTTPLoopback = true // the receiver is plain http on loopback
		emu, err := target.StartEmulator(ctx, cfg, "", nil)
		if err != nil {
			return err
		}
		ep := target.EndpointsOf(emu)
		info = childInfo{URL: ep.GraphURLs["beta"] + "/communications/calls", TokenURL: ep.TokenURL,
			ClientID: ep.App.ClientID, Secret: ep.App.ClientSecret, TenantID: ep.App.TenantID}
		shutdown = emu.Shutdown
	default:
		return fmt.Errorf("%s=%q is not one of %v", serveEnv, subject, allSubjects)
	}
	line, _ := json.Marshal(info)
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		return err
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return shutdown(sctx)
}

// child is a subject served by a child process.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	info  childInfo
	done  chan error
}

// startChild starts this program's executable serving subject and reads
// its childInfo, waiting at most wait. A non-empty profile is the file the
// child writes its CPU profile to.
func startChild(subject string, wait time.Duration, profile string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program to start the %s subject: %w", subject, err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serveEnv+"="+subject, profileEnv+"="+profile)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the %s subject: %w", subject, err)
	}
	c := &child{cmd: cmd, stdin: stdin, done: make(chan error, 1)}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
		c.done <- cmd.Wait()
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case line, ok := <-lines:
		if !ok {
			return nil, fmt.Errorf("the %s subject exited before serving: %v", subject, <-c.done)
		}
		if err := json.Unmarshal([]byte(line), &c.info); err != nil || c.info.URL == "" {
			_ = c.stop(5 * time.Second)
			return nil, fmt.Errorf("the %s subject printed %q, not its address", subject, line)
		}
		return c, nil
	case <-timer.C:
		_ = c.stop(5 * time.Second)
		return nil, fmt.Errorf("the %s subject did not serve within %s", subject, wait)
	}
}

// stop closes the child's stdin (its signal to shut down), waits at most
// grace for it to exit, then kills it.
func (c *child) stop(grace time.Duration) error {
	_ = c.stdin.Close()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case err := <-c.done:
		return err
	case <-timer.C:
		_ = c.cmd.Process.Kill()
		<-c.done
		return errors.New("did not shut down in time: killed")
	}
}
