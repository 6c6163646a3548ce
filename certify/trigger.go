package certify

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/callcheck/callcheck/identity"
)

// Trigger asks the bot to do something certify-bot cannot do for it: create a
// call of a scenario, or hang one up. It returns what it printed, which the
// certificate quotes when something goes wrong.
type Trigger interface {
	Run(ctx context.Context, env TriggerEnv) (output []byte, err error)
}

// TriggerFunc adapts a function to a Trigger (a bot driven in-process).
type TriggerFunc func(ctx context.Context, env TriggerEnv) ([]byte, error)

// Run calls f.
func (f TriggerFunc) Run(ctx context.Context, env TriggerEnv) ([]byte, error) { return f(ctx, env) }

// TriggerEnv is what a trigger is told. A Command gets it as environment
// variables (Environ).
type TriggerEnv struct {
	// Scenario is the key of the call to create, or of the call to hang up.
	Scenario Key
	// CallID is the call to hang up ("" for a create).
	CallID string
	// GraphURL (with the version segment), TokenURL and OpenIDConfigURL are
	// the emulated Graph's; TenantID, ClientID and ClientSecret the app's.
	GraphURL, TokenURL, OpenIDConfigURL string
	TenantID, ClientID, ClientSecret    string
}

// Environ returns the environment variables of env: CALLCHECK_SCENARIO,
// CALLCHECK_CALL_ID, CALLCHECK_GRAPH_URL, CALLCHECK_TOKEN_URL,
// CALLCHECK_OPENID_URL, CALLCHECK_TENANT_ID, CALLCHECK_CLIENT_ID and
// CALLCHECK_CLIENT_SECRET.
func (e TriggerEnv) Environ() []string {
	return []string{
		"CALLCHECK_SCENARIO=" + string(e.Scenario), "CALLCHECK_CALL_ID=" + e.CallID,
		"CALLCHECK_GRAPH_URL=" + e.GraphURL, "CALLCHECK_TOKEN_URL=" + e.TokenURL,
		"CALLCHECK_OPENID_URL=" + e.OpenIDConfigURL, "CALLCHECK_TENANT_ID=" + e.TenantID,
		"CALLCHECK_CLIENT_ID=" + e.ClientID, "CALLCHECK_CLIENT_SECRET=" + e.ClientSecret,
	}
}

// Command is a trigger that runs a shell command (sh -c) with TriggerEnv in
// its environment. Its output (stdout and stderr) is kept, bounded by
// MaxTriggerOutput. When ctx ends the command and everything it started are
// killed.
type Command string

// MaxTriggerOutput bounds the output a trigger keeps: its first and last
// halves.
const MaxTriggerOutput = 8 << 10

// commandWaitDelay bounds how long a killed command's pipes may stay open
// (a child that kept them).
const commandWaitDelay = time.Second

// Run runs the command.
func (c Command) Run(ctx context.Context, env TriggerEnv) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", string(c))
	cmd.Env = append(os.Environ(), env.Environ()...)
	var out boundedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = commandWaitDelay
	killGroup(cmd)
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("killed after %v: %w", context.Cause(ctx), ctx.Err())
	}
	return out.Bytes(), err
}

// boundedBuffer keeps the first and the last MaxTriggerOutput/2 bytes
// written to it, and counts what it dropped between them.
type boundedBuffer struct {
	mu      sync.Mutex
	head    []byte
	tail    []byte
	dropped int
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(p)
	half := MaxTriggerOutput / 2
	if room := half - len(b.head); room > 0 {
		take := min(room, len(p))
		b.head = append(b.head, p[:take]...)
		p = p[take:]
	}
	b.tail = append(b.tail, p...)
	if over := len(b.tail) - half; over > 0 {
		b.dropped += over
		b.tail = append(b.tail[:0:0], b.tail[over:]...)
	}
	return n, nil
}

// Bytes returns what was kept, with a marker where bytes were dropped.
func (b *boundedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := bytes.Clone(b.head)
	if b.dropped > 0 {
		out = fmt.Appendf(out, "\n[… %d bytes …]\n", b.dropped)
	}
	return append(out, b.tail...)
}

// runTrigger runs t bounded by the trigger timeout; the output it returns
// has the app's secret removed.
func (s *Session) runTrigger(ctx context.Context, t Trigger, env TriggerEnv) (string, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, s.cfg.Timeouts.Trigger,
		fmt.Errorf("the trigger timeout (%v)", s.cfg.Timeouts.Trigger))
	defer cancel()
	what := fmt.Sprintf("the command %q (started %s)", s.redact(fmt.Sprint(t)), s.now().UTC().Format(time.TimeOnly))
	s.activity.Store(&what)
	defer s.activity.Store(nil)
	out, err := safeRun(ctx, t, env)
	if err == nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	return s.redact(string(out)), err
}

// safeRun runs t, turning a panic of an in-process trigger into an error.
func safeRun(ctx context.Context, t Trigger, env TriggerEnv) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("trigger panicked: %v", r)
		}
	}()
	return t.Run(ctx, env)
}

// redact removes credentials from text a bot or trigger produced: the
// app's client secret, and every credential identity.Redact recognises.
func (s *Session) redact(text string) string { return identity.Redact(text, s.cfg.App.ClientSecret) }
