package main

import (
	"context"
	"fmt"
	"time"
)

// stopDeadline is how long conform and certify-bot take at most to stop
// once interrupted (SIGINT, SIGTERM), whatever the target or the bot does:
// a run whose waits, cleanup and report writing outlast it is abandoned and
// the command says what it abandoned. Their cancelled waits end at once;
// the deadline is for what does not honour cancellation (a peer that holds
// a connection, a command that ignores its signal).
const stopDeadline = 10 * time.Second

// abandonedError is the exit of a command stopped by its deadline after an
// interrupt: exit 3, naming what was still in flight.
type abandonedError struct {
	deadline  time.Duration
	abandoned string
}

func (e abandonedError) Error() string {
	return fmt.Sprintf("interrupted: did not stop within %s of the signal; abandoned %s; no report was written", e.deadline, e.abandoned)
}

// withStopDeadline runs work; once ctx ends it waits at most deadline for
// work to return, then returns an abandonedError naming inFlight() (work's
// goroutine is left to the process's exit).
func withStopDeadline(ctx context.Context, deadline time.Duration, inFlight func() string, work func() error) error {
	done := make(chan error, 1)
	go func() { done <- work() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	t := time.NewTimer(deadline)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return abandonedError{deadline: deadline, abandoned: inFlight()}
	}
}
