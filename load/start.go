package load

import (
	"context"
	"fmt"
	"io"
	"time"
)

// StartAtEnv is the environment variable `callcheck load create` reads as
// the default of --start-at. deploy/load-job.yaml sets it through the
// downward API from the pod annotation StartAtAnnotation, which is stamped
// once on the Job's pod template when the Job is created, so every pod of
// the Job gets the same value.
const StartAtEnv = "CALLCHECK_START_AT"

// StartAtAnnotation is the pod annotation deploy/load-job.yaml maps onto
// StartAtEnv.
const StartAtAnnotation = "callcheck.dev/start-at"

// ParseStartAt reads a start time in RFC 3339 (2026-12-02T16:00:00Z).
func ParseStartAt(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("start %q is not an RFC 3339 time such as 2026-12-02T16:00:00Z", s)
	}
	return t, nil
}

// MaxStartWait bounds how far ahead a start time may be: a start further
// away is taken for a mistake (a wrong date) rather than waited for.
const MaxStartWait = 24 * time.Hour

// waitStart waits until start (nothing to wait for when it is zero). A
// start already past is an error: this shard would begin behind the others
// and its schedule would not overlap theirs.
func waitStart(ctx context.Context, start time.Time, now func() time.Time, log io.Writer) error {
	if start.IsZero() {
		return nil
	}
	wait := start.Sub(now())
	if wait < 0 {
		return fmt.Errorf("the start time %s passed %s ago, before this process was ready: give every shard a later --start-at (or %s)",
			start.UTC().Format(time.RFC3339Nano), (-wait).Round(time.Millisecond), StartAtEnv)
	}
	if wait > MaxStartWait {
		return fmt.Errorf("the start time %s is %s ahead, more than %s: is its date right?",
			start.UTC().Format(time.RFC3339Nano), wait.Round(time.Second), MaxStartWait)
	}
	if log != nil {
		fmt.Fprintf(log, "waiting %s for the start time %s\n", wait.Round(time.Millisecond), start.UTC().Format(time.RFC3339Nano))
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for the start time %s: %w (%w)", start.UTC().Format(time.RFC3339Nano), ErrInterrupted, context.Cause(ctx))
	}
}
