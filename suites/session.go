package suites

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/internal/version"
	"github.com/callcheck/callcheck/report"
)

// SuiteDescription is the text of the Ginkgo container the contracts are
// registered in.
const SuiteDescription = "callcheck conformance: Create call (POST /communications/calls)"

// Session is one registration of the contracts in a Ginkgo tree, and what
// they record as they run: the certification report is read from it after
// the specs ran.
type Session struct {
	cfg      *Config
	resolved *resolved // cfg validated, once the run started
	runCtx   context.Context

	mu       sync.Mutex
	env      *environment
	base     string // the target's base URL, kept after teardown
	ownsEnv  bool
	setupErr error
	records  map[string]*contractRecord
	byText   map[string]*Contract
	started  time.Time
	finished time.Time
	done     int
	arrivals *arrivals // the run's notifications, kept after teardown
	stray    uint64    // the receiver's stray requests, kept after teardown
}

// running is the session RunResolved runs, for InFlight.
var running atomic.Pointer[Session]

// InFlight says what the conformance run of this process is doing, for a
// process that must stop before the run ends: the contracts running and
// the calls created and not deleted yet, by id. It is safe to call from
// any goroutine.
func InFlight() string {
	s := running.Load()
	if s == nil {
		return "the setup of the conformance run"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var contracts, calls []string
	for _, c := range registry {
		rec := s.records[c.ID]
		if rec.client == nil {
			continue
		}
		if !rec.final {
			contracts = append(contracts, c.ID)
		}
		calls = append(calls, rec.client.undeleted()...)
	}
	out := "the contracts " + orNone(strings.Join(contracts, ", "))
	if len(contracts) == 1 {
		out = "the contract " + contracts[0]
	}
	return out + " and the calls they created that are not deleted: " + orNone(strings.Join(calls, ", "))
}

func newSession(cfg *Config) *Session {
	s := &Session{cfg: cfg, runCtx: context.Background(), records: map[string]*contractRecord{}, byText: map[string]*Contract{}}
	for _, c := range registry {
		s.byText[c.SpecText()] = c
		s.records[c.ID] = newRecord(c)
	}
	return s
}

// Describe registers every contract in the current Ginkgo tree, in an
// Ordered container that sets the environment up once (BeforeAll) and
// tears it down after the last contract (AfterAll); a failed contract does
// not stop the others (ContinueOnFailure). It only registers: a vendor
// calls it while building their own tree and runs it with their RunSpecs
// (csi-test's GinkgoTest). cfg is read when the container starts, except
// the node timeouts, which are read now.
func Describe(cfg *Config) *Session {
	s := newSession(cfg)
	t := cfg.timeouts()
	ginkgo.Describe(SuiteDescription, ginkgo.Ordered, ginkgo.ContinueOnFailure, func() {
		ginkgo.BeforeAll(s.beforeAll, ginkgo.NodeTimeout(t.Setup+5*time.Second))
		ginkgo.AfterAll(s.afterAll, ginkgo.NodeTimeout(10*time.Second))
		ginkgo.ReportAfterEach(s.reportAfterEach)
		ginkgo.Describe("documented examples", func() { s.its(KindExample, t) })
		ginkgo.Describe("negative contracts", func() { s.its(KindNegative, t) })
	})
	return s
}

func (s *Session) its(kind Kind, t Timeouts) {
	for _, c := range registry {
		if c.Kind != kind {
			continue
		}
		ginkgo.It(c.SpecText(), ginkgo.Label(c.Labels()...), ginkgo.NodeTimeout(t.Contract),
			func(ctx ginkgo.SpecContext) { s.runContract(ctx, c) })
	}
}

// beforeAll sets the environment up unless Run already did.
func (s *Session) beforeAll(ctx ginkgo.SpecContext) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started = time.Now()
	if s.env != nil {
		return
	}
	r, err := s.cfg.resolve()
	var env *environment
	if err == nil {
		env, err = setUp(ctx, r, s.cfg.HTTPClient)
	}
	if err != nil {
		s.setupErr = err
		ginkgo.Fail("setting up the conformance run: " + err.Error())
	}
	s.env, s.ownsEnv, s.base, s.resolved, s.arrivals = env, true, env.baseURL, r, env.arrivals
}

func (s *Session) afterAll(ctx ginkgo.SpecContext) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finished = time.Now()
	if s.env != nil && s.env.receiver != nil {
		s.stray = s.env.receiver.Stats().Stray
	}
	if s.env != nil && s.ownsEnv {
		s.env.tearDown(ctx)
		s.env = nil
	}
}

// runContract is the body of a contract's spec.
func (s *Session) runContract(ctx ginkgo.SpecContext, c *Contract) {
	s.mu.Lock()
	env, rec := s.env, newRecord(c)
	s.records[c.ID] = rec
	s.mu.Unlock()
	if env == nil {
		ginkgo.Fail(fmt.Sprintf("no environment: %v", s.setupErr))
	}
	if ok, missing := env.claimed(c.Features); !ok {
		rec.verdict = report.NotSupported
		rec.reason = "needs " + joinFeatures(missing) + ", which the target does not claim"
		ginkgo.Skip("not supported: " + rec.reason)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.runCtx, cancel)
	defer stop()
	sp := &spec{env: env, c: c, ctx: sctx, rec: rec, client: newClient(env), t: env.timeouts}
	sp.client.onRetry = func(rt report.Retry) { rec.retries = append(rec.retries, rt) }
	rec.client = sp.client
	ginkgo.DeferCleanup(sp.cleanupTracked, ginkgo.NodeTimeout(env.timeouts.Cleanup))
	c.run(sp)
}

// reportAfterEach closes the contract's record with the spec's final state.
func (s *Session) reportAfterEach(r types.SpecReport) {
	c, ok := s.byText[r.LeafNodeText]
	if !ok {
		return
	}
	s.mu.Lock()
	rec := s.records[c.ID]
	failed := r.State.Is(types.SpecStateFailureStates)
	msg := r.Failure.Message
	if s.setupErr != nil && rec.verdict == "" && !failed {
		failed, msg = true, "setting up the conformance run: "+s.setupErr.Error()
	}
	rec.finish(r.State.String(), failed, msg, r.RunTime)
	// Ginkgo handles SIGINT and SIGTERM itself too, and may abort the
	// running spec before the run's context sees the signal: a spec Ginkgo
	// interrupted did not run either.
	if (s.runCtx != nil && s.runCtx.Err() != nil) || r.State == types.SpecStateInterrupted {
		rec.interrupted()
	}
	s.done++
	done := s.done
	s.mu.Unlock()
	if s.cfg.Progress != nil {
		writeProgress(s.cfg.Progress, done, len(registry), rec)
	}
}

// Report returns the certification report of what ran so far: one entry
// per documented example and per negative contract, in registry order.
func (s *Session) Report() *report.Conformance {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg, tc := s.cfg, s.cfg.targetConfig()
	claims, _ := cfg.claims()
	tgt := report.Target{BaseURL: s.baseURL(), Kind: tc.Kind(), APIVersion: cfg.apiVersion(), Auth: tc.Auth()}
	if r := s.resolved; r != nil {
		claims, tgt.Kind, tgt.APIVersion, tgt.Auth = r.claims, r.target.Kind(), r.values.APIVersion, r.target.Auth()
	}
	out := &report.Conformance{
		SchemaVersion:   report.ConformanceSchema,
		Harness:         report.Harness{Name: "callcheck", Version: version.String(), FixturesDigest: fixtures.Digest()},
		Target:          tgt,
		ClaimedFeatures: featureNames(claims),
		StartedAt:       s.started.UTC(),
		FinishedAt:      finishedAt(s.started, s.finished).UTC(),
		Examples:        []report.ContractResult{},
		Negative:        []report.ContractResult{},
		Errata:          []report.ErratumRef{},
	}
	interrupted := s.runCtx != nil && s.runCtx.Err() != nil
	for _, c := range registry {
		rec := s.records[c.ID]
		if rec.client != nil && s.arrivals != nil {
			rec.duplicates = max(rec.duplicates, s.arrivals.duplicates(rec.client.createdIDs()))
		}
		// Ginkgo skips the specs after an interrupt as it skips those
		// outside the label filter, and may do so before the run's context
		// sees the signal: a selected contract skipped for no reason in an
		// interrupted run was not reached.
		if interrupted && rec.final && rec.verdict == report.Skipped && rec.reason == reasonNotSelected && s.selected(c.Labels()) {
			rec.interrupted()
		}
		res := rec.result()
		if !rec.final {
			res.Verdict, res.Reason = report.Skipped, "did not run"
			if interrupted {
				res.Verdict, res.Reason, res.Steps = report.Skipped, reasonInterrupted, skippedSteps(res.Steps)
			}
		}
		if interrupted && res.Reason == reasonInterrupted {
			out.NotRun = append(out.NotRun, res.ID)
		}
		if rec.client != nil {
			out.Undeleted = append(out.Undeleted, rec.client.undeleted()...)
		}
		out.Summary.Add(res.Verdict)
		out.Summary.Retries += len(res.Retries)
		out.Summary.Duplicates += res.Duplicates
		if c.Kind == KindExample {
			out.Examples = append(out.Examples, res)
			if res.Verdict == report.Passed || res.Verdict == report.Failed {
				out.Errata = append(out.Errata, res.Errata...)
			}
		} else {
			out.Negative = append(out.Negative, res)
		}
	}
	out.Summary.Stray = int(s.stray)
	if s.arrivals != nil {
		out.Summary.UnknownCalls = len(s.arrivals.unknown(time.Time{}))
	}
	if s.env != nil && s.env.receiver != nil {
		out.Summary.Stray = int(s.env.receiver.Stats().Stray)
	}
	out.Verdict = report.Passed
	switch {
	case interrupted:
		// Cancellation is never a verdict about the target: the run as a
		// whole is interrupted, whatever the contracts that ran found.
		out.Verdict, out.Interrupted = report.Interrupted, true
	case out.Summary.Failed > 0:
		out.Verdict = report.Failed
	}
	return out
}

func (s *Session) baseURL() string {
	if s.base != "" {
		return s.base
	}
	if s.cfg.Embedded() {
		return "(embedded emulator)"
	}
	return s.cfg.Target.URL
}

// writeProgress prints one line for a finished contract.
func writeProgress(w io.Writer, done, total int, rec *contractRecord) {
	line := fmt.Sprintf("  %s [%2d/%d] %-56s %s", verdictMark(rec.verdict), done, total, rec.contract.ID, formatDuration(rec.duration))
	if rec.verdict == report.NotSupported || rec.verdict == report.Skipped {
		line += "  (" + string(rec.verdict) + ": " + rec.reason + ")"
	}
	fmt.Fprintln(w, line)
}

// finishedAt is when a run finished, or now for a run that has not (an
// interrupt or a timeout stopped it before its end was recorded), so a
// report's duration is never negative.
func finishedAt(started, finished time.Time) time.Time {
	if finished.IsZero() || finished.Before(started) {
		return time.Now()
	}
	return finished
}

// stepCleanupTracked is the step that deletes what a contract created.
const stepCleanupTracked = "cleanup:tracked"

// skippedSteps marks the failed steps of a contract an interrupt stopped as
// skipped, without the evidence their cancelled waits left. The tracking
// cleanup keeps its evidence: it runs after the interrupt with a context of
// its own, and the calls it could not delete are still live on the target.
func skippedSteps(steps []report.StepResult) []report.StepResult {
	for i := range steps {
		if steps[i].Verdict == report.Failed && steps[i].Name != stepCleanupTracked {
			steps[i].Verdict, steps[i].Evidence = report.Skipped, nil
		}
	}
	return steps
}

// selected reports whether a contract with labels passes the run's label
// filter (every contract does without one; a filter that does not parse
// selected nothing, the run having refused it before starting).
func (s *Session) selected(labels []string) bool {
	if s.cfg == nil || s.cfg.LabelFilter == "" {
		return true
	}
	f, err := types.ParseLabelFilter(s.cfg.LabelFilter)
	return err == nil && f(labels)
}
