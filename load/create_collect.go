package load

import (
	"context"
	"errors"
	"fmt"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load/result"
)

// collect reads the results until the attack ends. When ctx ends first it
// stops the attack, lets the requests in flight finish for the stop grace
// and then cancels them; it reports whether that happened.
func (r *createRun) collect(ctx context.Context, first *vegeta.Result, results <-chan *vegeta.Result, atk *vegeta.Attacker, cancelRequests func()) bool {
	interval := r.cfg.ProgressInterval
	if interval <= 0 {
		interval = DefaultProgressInterval
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	r.add(first, atk)
	done, interrupted := ctx.Done(), false
	for {
		select {
		case res, ok := <-results:
			if !ok {
				r.tick(time.Now())
				return interrupted
			}
			r.add(res, atk)
		case now := <-ticker.C:
			r.tick(now)
		case <-done:
			atk.Stop()
			done, interrupted = nil, true
			time.AfterFunc(r.cfg.Timeouts.Stop, cancelRequests)
		}
	}
}

// add collects one result; a write error stops the attack.
func (r *createRun) add(res *vegeta.Result, atk *vegeta.Attacker) {
	err := r.col.add(res)
	if err != nil && r.writeErr == nil {
		r.writeErr = fmt.Errorf("writing %s: %w", result.ResultsFile, err)
		atk.Stop()
	}
}

// tick prints progress, notes the heap and resolves the calls whose grace
// ran out.
func (r *createRun) tick(now time.Time) {
	r.peakHeap = max(r.peakHeap, heapInUse())
	r.heapProf.tick(now)
	if r.tracker != nil {
		r.tracker.Sweep(now)
	}
	r.aggMu.Lock()
	if r.agg.series != nil {
		r.agg.series.seal(now.Add(-r.sealAfter()))
	}
	if r.progress != nil {
		r.progress.tick(now)
	}
	r.aggMu.Unlock()
}

// sealAfter is how long after a series bucket's end its digests are kept:
// past the longest a request (the attack's timeout) and its call's record
// (created, then a grace for its notifications, a hang-up and a grace for
// the termination) can take, with a minute to spare, so that every value
// of a bucket is in before its quantiles are fixed.
func (r *createRun) sealAfter() time.Duration {
	return r.cfg.Attack.Timeout + 2*r.cfg.Timeouts.Grace + r.cfg.Timeouts.Hangup + time.Minute
}

// e2eProgress describes the end-to-end state for the progress line; aggMu
// is held.
func (r *createRun) e2eProgress() string {
	if r.tracker == nil {
		return ""
	}
	e := r.agg.e2e
	if e == nil {
		return "e2e: waiting"
	}
	return fmt.Sprintf("e2e p99 %s  lost %d", e.est.Quantile(0.99).Round(10*time.Microsecond), e.s.Lost)
}

// finish waits for the notifications still due, closes everything, writes
// the manifest and the summary and returns the run.
func (r *createRun) finish(ctx context.Context, interrupted bool, attackErr error) (*Run, error) {
	if r.progress != nil {
		r.progress.done()
	}
	r.heapProf.end() // what the attack holds at its end, before the drain lets go
	if r.tracker != nil {
		drainCtx := ctx
		if interrupted {
			var cancel context.CancelFunc
			drainCtx, cancel = context.WithCancel(ctx)
			cancel()
		}
		if r.tracker.Drain(drainCtx) != nil {
			interrupted = true
		}
	}
	closeErr := r.shutdown()
	m := r.complete(interrupted, errors.Join(attackErr, closeErr))
	r.aggMu.Lock()
	r.agg.addRun(*m)
	sum := r.agg.summary()
	r.aggMu.Unlock()
	err := errors.Join(attackErr, closeErr, r.writeManifest())
	if r.cfg.Out != "" {
		err = errors.Join(err, writeJSON(r.cfg.Out, result.SummaryFile, sum))
	}
	run := &Run{Dir: r.cfg.Out, Manifest: m, Summary: sum}
	if interrupted {
		err = errors.Join(fmt.Errorf("%w: results gathered so far are written", ErrInterrupted), err)
	}
	return run, err
}

// shutdown waits for the hangups, cleans up, and closes the receiver and
// the files; each of the three is bounded by the shutdown timeout.
func (r *createRun) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.Timeouts.Shutdown)
	defer cancel()
	var errs []error
	if r.hanger != nil {
		stop := context.AfterFunc(ctx, r.hangCancel) // abandon the DELETEs still queued at the timeout
		r.hanger.Close()
		stop()
		r.hangCancel()
	}
	r.cleanUp()
	// The receiver gets a deadline of its own: the cleanup may have used the
	// whole of the first, and the calls it deleted are still notifying.
	ctx, cancel = context.WithTimeout(context.Background(), r.cfg.Timeouts.Shutdown)
	defer cancel()
	if r.recv != nil {
		errs = append(errs, r.recv.close(ctx))
	}
	if r.sink != nil {
		errs = append(errs, r.sink.Shutdown(ctx))
	}
	if r.files != nil {
		errs = append(errs, r.files.close())
	}
	return errors.Join(errs...)
}

// cleanUp deletes every call the run created and did not delete, with a
// drain bounded by the shutdown timeout.
func (r *createRun) cleanUp() {
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.Timeouts.Shutdown)
	defer cancel()
	r.cleanup.drain(ctx, func(ctx context.Context, emit func(*vegeta.Result)) *hanger {
		return newHanger(ctx, r.cfg.Target.BaseURL, r.cfg.Target.Tokens, r.cfg.Timeouts.Hangup, emit)
	})
}

// complete fills the manifest's outcome.
func (r *createRun) complete(interrupted bool, err error) *result.Manifest {
	m := r.manifest
	m.End, m.Complete, m.Interrupted = time.Now(), true, interrupted
	m.Sent, m.Achieved = r.col.sent, r.col.achieved()
	if err != nil {
		m.Error = err.Error()
	}
	m.Cleanup = r.cleanup.report()
	if r.tracker != nil {
		m.E2E.Unmatched, m.E2E.Evicted = r.tracker.Counts()
		m.E2E.AfterRecords = r.tracker.AfterRecords()
		m.E2E.Receiver = r.recv.counts()
		if r.files != nil {
			m.E2E.Records = r.files.nrec
		}
	}
	m.Process = result.Process{MaxRSSBytes: maxRSS(), PeakHeapBytes: r.peakHeap}
	m.Warnings = r.warnings(m)
	for _, w := range m.Warnings {
		r.logf("WARNING: %s", w)
	}
	return m
}

// warnings says what the run should shout about.
func (r *createRun) warnings(m *result.Manifest) []string {
	var ws []string
	if m.Sent > 1 && m.Achieved.Ratio < r.cfg.MinAchieved {
		ws = append(ws, fmt.Sprintf("the achieved rate %.1f/s is %.0f%% of the offered %.1f/s: the load generator could not keep to the schedule (send lag p99 %s); latencies count from the schedule and include that lag",
			m.Achieved.Rate, 100*m.Achieved.Ratio, m.OfferedRate, time.Duration(m.Achieved.Lag.P99)))
	}
	if r.col.noCallID > 0 {
		ws = append(ws, fmt.Sprintf("%d created calls named no call id (no Location header, no id in the body): their notifications cannot be matched", r.col.noCallID))
	}
	if m.E2E != nil && m.E2E.Receiver.Rejected > 0 {
		ws = append(ws, fmt.Sprintf("the receiver refused %d notification POSTs (token or body): their calls may count as lost", m.E2E.Receiver.Rejected))
	}
	if m.E2E != nil && m.E2E.Evicted > 0 {
		ws = append(ws, fmt.Sprintf("%d calls were given up to keep memory bounded (more than %d waiting at once)", m.E2E.Evicted, r.cfg.MaxPending))
	}
	if c := m.Cleanup; c != nil && c.FailedCount > 0 {
		ws = append(ws, fmt.Sprintf("the cleanup could not delete %d of the %d calls created; they are left on the target: %s", c.FailedCount, c.Created, r.cleanup.failure(c)))
	}
	if r.hanger != nil && r.hanger.skipped.Load() > 0 {
		ws = append(ws, fmt.Sprintf("%d hangups were skipped (more than %d waiting): those calls were left on the target", r.hanger.skipped.Load(), DefaultHangupQueue))
	}
	return ws
}

func (r *createRun) logStart() {
	out := "no result files"
	if r.cfg.Out != "" {
		out = "results in " + r.cfg.Out
	}
	r.logf("%s: %s against %s, shard %s (%.1f/s of %.1f/s); %s", r.manifest.Kind, r.cfg.Pacer, r.manifest.Target,
		r.cfg.Shard, r.manifest.OfferedRate, r.manifest.TotalRate, out)
}

func (r *createRun) logf(format string, args ...any) {
	if r.cfg.Log != nil {
		fmt.Fprintf(r.cfg.Log, format+"\n", args...)
	}
}
