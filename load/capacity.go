package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/callcheck/callcheck/identity"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/internal/version"
	"github.com/callcheck/callcheck/load/result"
)

// Defaults of a capacity search.
const (
	DefaultCapacityStart     = 50.0
	DefaultCapacityMax       = 100000.0
	DefaultCapacityFactor    = 2.0
	DefaultStepDuration      = 10 * time.Second
	DefaultStabilize         = 2 * time.Second
	DefaultCapacityPrecision = 0.05
	DefaultCapacitySteps     = 20
	// MinCapacityResolution ends a bisection whose bounds are closer than
	// one hit per second.
	MinCapacityResolution = 1.0
	// MinStepDuration is the shortest measured step: below it a step holds
	// too few hits, and too few scheduler ticks, for its achieved rate and
	// its p99 to mean anything on a busy machine.
	MinStepDuration = time.Second
)

// CapacityConfig configures a capacity search (callcheck load capacity).
type CapacityConfig struct {
	// Run is the run every step makes; its Pacer, Shard, Out, MeasureFrom
	// and Kind are the search's to set.
	Run Config
	// SLO is the objective. A step fails when a threshold is breached, or
	// when its achieved rate falls below MinAchieved of the offered one
	// (the target, or the generator, could not take the rate at all).
	SLO         []result.Threshold
	MinAchieved float64
	// Start is the first rate tried; each step multiplies it by Factor
	// until a step fails or Max is reached; then the search bisects between
	// the highest pass and the lowest failure until they are within
	// Precision of each other, or MaxSteps steps were made.
	Start, Max, Factor, Precision float64
	MaxSteps                      int
	// StepDuration is the measured part of a step, after a Stabilize period
	// whose hits are sent but not counted.
	StepDuration, Stabilize time.Duration
	// Out is where capacity.json goes; empty writes nothing.
	Out string
	// Log receives a line per step; nil prints nothing.
	Log io.Writer
}

// NewCapacityConfig returns the defaults around run.
func NewCapacityConfig(run Config) CapacityConfig {
	return CapacityConfig{Run: run, MinAchieved: DefaultMinAchieved, Start: DefaultCapacityStart, Max: DefaultCapacityMax,
		Factor: DefaultCapacityFactor, Precision: DefaultCapacityPrecision, MaxSteps: DefaultCapacitySteps,
		StepDuration: DefaultStepDuration, Stabilize: DefaultStabilize}
}

// Validate reports the first invalid setting, naming it as the command line does.
func (c *CapacityConfig) Validate() error {
	switch {
	case len(c.SLO) == 0:
		return errors.New("--slo: no objective")
	case !(c.Start > 0) || c.Start > MaxRate:
		return fmt.Errorf("--start %s must be above 0/s", FormatRate(c.Start))
	case !(c.Max >= c.Start) || c.Max > MaxRate:
		return fmt.Errorf("--max %s must be at least --start %s", FormatRate(c.Max), FormatRate(c.Start))
	case !(c.Factor > 1):
		return fmt.Errorf("--factor %g must be above 1", c.Factor)
	case !(c.Precision > 0 && c.Precision < 1):
		return fmt.Errorf("--precision %g must be between 0 and 1 (e.g. 0.05)", c.Precision)
	case c.MaxSteps < 1:
		return fmt.Errorf("--max-steps %d must be at least 1", c.MaxSteps)
	case c.StepDuration < MinStepDuration:
		return fmt.Errorf("--step-duration %s is too short to measure a rate: at least %s", c.StepDuration, MinStepDuration)
	case c.Stabilize < 0:
		return fmt.Errorf("--stabilize %s must not be negative", c.Stabilize)
	case !(c.MinAchieved > 0 && c.MinAchieved <= 1):
		return fmt.Errorf("--min-achieved %g must be above 0 and at most 1", c.MinAchieved)
	}
	return nil
}

// criterionOf classifies a metric.
func criterionOf(m result.Metric) result.Criterion {
	switch {
	case m == result.MetricRosterLost || result.IsNotificationMetric(m):
		return result.CriterionLost
	case m == result.MetricAchieved || m == result.MetricRate || m == result.MetricThroughput || m == result.MetricRequests:
		return result.CriterionAchievedRate
	case m == result.MetricSuccess || m == result.MetricErrors:
		return result.CriterionSuccess
	case strings.HasPrefix(string(m), "e2e.") || strings.HasPrefix(string(m), "roster."):
		return result.CriterionE2ELatency
	}
	return result.CriterionLatency
}

// Capacity runs the search. The result is returned with what was measured
// even when ctx interrupts it (the error then matches ErrInterrupted).
func Capacity(ctx context.Context, cfg CapacityConfig) (*result.CapacityResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &search{cfg: cfg, res: newCapacityResult(cfg)}
	s.measure = s.create
	err := s.run(ctx)
	conclude(s.res)
	s.res.Process = &result.ProcessPeak{Command: "callcheck load capacity", PID: os.Getpid(), MaxRSSBytes: maxRSS()}
	if cfg.Out != "" {
		err = errors.Join(err, WriteCapacity(cfg.Out, s.res))
	}
	return s.res, err
}

func newCapacityResult(cfg CapacityConfig) *result.CapacityResult {
	t := cfg.Run.Target
	return &result.CapacityResult{SchemaVersion: result.CapacitySchema, Harness: version.String(), FixturesDigest: fixtures.Digest(),
		Target: identity.RedactURL(t.BaseURL), Embedded: t.Embedded, Examples: cfg.Run.Mix.Entries(),
		Objective: result.FormatThresholds(cfg.SLO), MinAchieved: cfg.MinAchieved,
		StepDuration: result.Duration(cfg.StepDuration), Stabilize: result.Duration(cfg.Stabilize), Start: time.Now()}
}

// search is a capacity search in progress.
type search struct {
	cfg    CapacityConfig
	res    *result.CapacityResult
	lo, hi float64 // highest pass, lowest failure (0: none yet)
	// measure runs one constant-rate step and summarises it: create against
	// the target, or a model of a target in the search's unit tests.
	measure func(ctx context.Context, rate float64) (*result.Summary, error)
}

func (s *search) run(ctx context.Context) error {
	if err := s.stepUp(ctx); err != nil || s.hi == 0 {
		return err
	}
	return s.bisect(ctx)
}

// stepUp multiplies the rate until a step fails or the maximum passes.
func (s *search) stepUp(ctx context.Context) error {
	for rate := s.cfg.Start; ; rate = min(rate*s.cfg.Factor, s.cfg.Max) {
		if len(s.res.Points) >= s.cfg.MaxSteps {
			s.res.Stopped = fmt.Sprintf("made --max-steps %d steps while stepping up", s.cfg.MaxSteps)
			return nil
		}
		p, err := s.step(ctx, "step", rate)
		if err != nil {
			return err
		}
		if !p.Passed {
			return nil
		}
		if rate >= s.cfg.Max {
			s.res.Stopped = fmt.Sprintf("met the objective at --max %s", FormatRate(s.cfg.Max))
			return nil
		}
	}
}

// bisect narrows the bounds.
func (s *search) bisect(ctx context.Context) error {
	for {
		switch {
		case s.lo > 0 && s.hi/s.lo-1 <= s.cfg.Precision:
			s.res.Stopped = fmt.Sprintf("bounds within --precision %g", s.cfg.Precision)
			return nil
		case s.hi-s.lo < MinCapacityResolution:
			s.res.Stopped = "bounds within 1/s"
			return nil
		case len(s.res.Points) >= s.cfg.MaxSteps:
			s.res.Stopped = fmt.Sprintf("made --max-steps %d steps", s.cfg.MaxSteps)
			return nil
		}
		if _, err := s.step(ctx, "bisect", math.Round((s.lo+s.hi)/2*100)/100); err != nil {
			return err
		}
	}
}

// step runs one constant-rate step and records its point.
func (s *search) step(ctx context.Context, phase string, rate float64) (*result.CurvePoint, error) {
	sum, err := s.measure(ctx, rate)
	if errors.Is(err, ErrInterrupted) || ctx.Err() != nil {
		s.res.Stopped = "interrupted"
		return nil, fmt.Errorf("%w: the curve measured so far is kept", ErrInterrupted)
	}
	if err != nil {
		s.res.Stopped = fmt.Sprintf("step at %s could not run", FormatRate(rate))
		return nil, fmt.Errorf("capacity step at %s: %w", FormatRate(rate), err)
	}
	pt := s.point(phase, rate, sum)
	s.res.Points = append(s.res.Points, *pt)
	if pt.Passed {
		s.lo = max(s.lo, rate)
	} else if s.hi == 0 || rate < s.hi {
		s.hi = rate
	}
	s.logPoint(pt)
	return pt, nil
}

// create measures one step against the target with load create.
func (s *search) create(ctx context.Context, rate float64) (*result.Summary, error) {
	run := s.cfg.Run
	p, err := NewConstantPacer(rate, s.cfg.Stabilize+s.cfg.StepDuration)
	if err != nil {
		return nil, err
	}
	run.Pacer, run.Shard, run.Out, run.Kind, run.MeasureFrom = p, Whole, "", KindCapacityStep, s.cfg.Stabilize
	run.Attack.MaxWorkers = stepWorkers(rate, s.cfg.SLO, run.Attack)
	// A step's cleanup may take as long as the step: the calls it leaves on
	// the target would weigh on the next step (and, in the embedded
	// emulator, on this process's memory), step after step.
	run.Timeouts.Shutdown = max(run.Timeouts.Shutdown, s.cfg.Stabilize+s.cfg.StepDuration)
	run.MinAchieved, run.Log = s.cfg.MinAchieved, nil
	r, err := Create(ctx, run)
	if err != nil {
		return nil, err
	}
	return r.Summary, nil
}

// Bounds of a step's workers (stepWorkers).
const (
	// StepConcurrencyFactor is how many times the concurrency a step needs
	// to meet its latency objective its workers may reach. Each worker in
	// flight costs the load process about 60 KB (its goroutines, stacks and
	// connection buffers): against the default emulator a 6400/s step
	// (p99<100ms) peaked at 224–238 MB RSS with 4 (2624 workers), 166 MB
	// with 2 (1344), 126 MB with 700 workers (docs/load.md).
	StepConcurrencyFactor = 2
	// MinStepWorkers is the fewest workers a step may have.
	MinStepWorkers = 64
)

// stepWorkers caps the workers of a step at rate, so that a target (or a
// machine) that cannot keep up does not make the attack open a connection
// and a goroutine for every request waiting, without bound: by Little's law
// requests that take L on average keep rate×L of them in flight, and a
// step whose objective bounds the request latency by L (p99<L, mean<L…)
// and needs more than StepConcurrencyFactor×rate×L in flight has a mean
// latency above 2L, which fails that objective anyway: with p99 below L the
// mean exceeds 2L only if the slowest 1% average over 100L. Once the cap binds,
// the attack waits for a worker, the hits are sent late and their latency,
// counted from the schedule, shows the wait: the step fails as it would
// have, in bounded memory. Without a latency objective the attack's timeout
// is L. A cap set by the user (--max-workers) is kept when lower.
func stepWorkers(rate float64, slo []result.Threshold, o AttackOptions) uint64 {
	var bound time.Duration
	for _, t := range slo {
		if !t.Metric.IsDuration() || strings.Contains(string(t.Metric), ".") || t.Metric == result.MetricMin {
			continue // end-to-end latencies and the minimum do not bound the requests in flight
		}
		if t.Op == result.OpLess || t.Op == result.OpLessEq {
			bound = max(bound, time.Duration(t.Limit()))
		}
	}
	if bound == 0 {
		bound = o.Timeout
	}
	w := uint64(math.Ceil(StepConcurrencyFactor*rate*bound.Seconds())) + MinStepWorkers
	if o.MaxWorkers > 0 {
		w = min(w, o.MaxWorkers)
	}
	return w
}

// point makes the curve point of a step's summary.
func (s *search) point(phase string, rate float64, sum *result.Summary) *result.CurvePoint {
	slo := append(append([]result.Threshold(nil), s.cfg.SLO...), result.Threshold{Metric: result.MetricAchieved, Op: result.OpGreaterEq, Value: s.cfg.MinAchieved})
	passed := sum.Evaluate(slo)
	rq := sum.Requests
	// The achieved rate is measured over the schedule (collector.achieved),
	// and never reported above the rate offered.
	pt := &result.CurvePoint{Phase: phase, Offered: rate, Achieved: min(rq.Rate, rate), Requests: rq.Count,
		P50: rq.Latency.P50, P90: rq.Latency.P90, P99: rq.Latency.P99, Max: rq.Latency.Max,
		ErrorRatio: 1 - rq.Success, Passed: passed, Verdicts: sum.Verdicts}
	if sum.E2E != nil {
		pt.E2EP99, pt.Lost = sum.E2E.Latency.P99, sum.E2E.Lost
	}
	return pt
}

func (s *search) logPoint(p *result.CurvePoint) {
	if s.cfg.Log == nil {
		return
	}
	verdict := "meets the objective"
	if !p.Passed {
		verdict = "FAILS: " + failedText(p)
	}
	fmt.Fprintf(s.cfg.Log, "%-6s %9s: achieved %.1f/s  p50 %s  p99 %s  errors %.3f%%  e2e p99 %s  lost %d  %s\n",
		p.Phase, FormatRate(p.Offered), p.Achieved, round(p.P50), round(p.P99), 100*p.ErrorRatio, round(p.E2EP99), p.Lost, verdict)
}

// failedText lists a point's breached thresholds with their actual values.
func failedText(p *result.CurvePoint) string {
	s := ""
	for _, v := range p.Verdicts {
		if !v.Passed {
			if s != "" {
				s += ", "
			}
			s += fmt.Sprintf("%s (actual %s)", v.Expr, v.Actual)
		}
	}
	return s
}

// WriteCapacity writes res to dir/capacity.json, creating dir.
func WriteCapacity(dir string, res *result.CapacityResult) error {
	if err := makeDir(dir); err != nil {
		return err
	}
	return writeJSON(dir, result.CapacityFile, res)
}
