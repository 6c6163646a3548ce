package certify

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestCommandTrigger(t *testing.T) {
	env := TriggerEnv{Scenario: KeyGroup, CallID: "c-1", GraphURL: "http://g/v1.0", ClientSecret: "s3cret"}
	for _, tc := range []struct {
		name, cmd string
		wantOut   string
		wantErr   string // "" for success
	}{
		// The environment carries what the trigger is about.
		{"environment", `echo "$CALLCHECK_SCENARIO $CALLCHECK_CALL_ID $CALLCHECK_GRAPH_URL"`, "group c-1 http://g/v1.0", ""},
		// stderr is kept with stdout, and the exit status is the error.
		{"failure", `echo oops >&2; exit 3`, "oops", "exit status 3"},
		{"no such command", `callcheck-no-such-command-xyz`, "not found", "exit status 127"},
	} {
		out, err := Command(tc.cmd).Run(context.Background(), env)
		if !strings.Contains(string(out), tc.wantOut) {
			t.Errorf("%s: output %q, want it to contain %q", tc.name, out, tc.wantOut)
		}
		if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}

// TestCommandTriggerKilledWithItsChildren: a trigger that outlives its bound
// is killed with what it started, and Run returns at once.
func TestCommandTriggerKilledWithItsChildren(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep command")
	}
	ctx, cancel := context.WithTimeoutCause(context.Background(), 200*time.Millisecond, errors.New("the test's bound"))
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Command(`sleep 30 & sleep 30; echo never`).Run(ctx, TriggerEnv{})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "the test's bound") {
			t.Errorf("error %v, want it to name the bound", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the killed trigger did not return: its children kept it alive")
	}
}

func TestBoundedBuffer(t *testing.T) {
	var b boundedBuffer
	head := strings.Repeat("h", MaxTriggerOutput/2)
	mid := strings.Repeat("m", 10000)
	tail := strings.Repeat("t", MaxTriggerOutput/2)
	for _, s := range []string{head, mid, tail} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	got := b.Bytes()
	if !bytes.HasPrefix(got, []byte(head)) || !bytes.HasSuffix(got, []byte(tail)) || !bytes.Contains(got, []byte("[… 10000 bytes …]")) {
		t.Errorf("kept %d bytes: %q…%q", len(got), got[:40], got[len(got)-40:])
	}
	if len(got) > MaxTriggerOutput+64 {
		t.Errorf("kept %d bytes, more than the bound", len(got))
	}
}

// TestTriggerPanicIsAnError: an in-process trigger that panics fails its
// check instead of the run.
func TestTriggerPanicIsAnError(t *testing.T) {
	_, err := safeRun(context.Background(), TriggerFunc(func(context.Context, TriggerEnv) ([]byte, error) { panic("boom") }), TriggerEnv{})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("error %v, want the panic", err)
	}
}
