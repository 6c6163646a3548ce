package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/load/result"
)

const capacityExamples = `  # the embedded emulator's capacity at create p99 < 10 ms
  callcheck load capacity --slo 'p99<10ms,success>=99.9%'
  # a remote target, from 20/s, 30-second steps after 5 seconds of stabilisation
  callcheck load capacity --target https://graph.example.com/beta --token "$TOKEN" --app-id "$BOT_APP_ID" \
      --callback-url https://bot.example.com/callback --listen :8443 \
      --slo 'p99<500ms,success>=99.9%,e2e.p99<3s,lost==0' --start 20/s --step-duration 30s --stabilize 5s`

// capacityFlags are the search's own flags.
type capacityFlags struct {
	slo                     thresholdFlag
	start, max              string
	factor, precision       float64
	minAchieved             float64
	maxSteps                int
	stepDuration, stabilize time.Duration
}

func (f *capacityFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.slo, "slo", "objective, threshold expressions (default 'p99<100ms,success>=99.9%', and lost==0 with --e2e)")
	fs.StringVar(&f.start, "start", load.FormatRate(load.DefaultCapacityStart), "first rate tried")
	fs.StringVar(&f.max, "max", load.FormatRate(load.DefaultCapacityMax), "highest rate tried")
	fs.Float64Var(&f.factor, "factor", load.DefaultCapacityFactor, "each step multiplies the rate by this until a step fails")
	fs.Float64Var(&f.precision, "precision", load.DefaultCapacityPrecision, "bisect until the bounds are within this ratio")
	fs.Float64Var(&f.minAchieved, "min-achieved", load.DefaultMinAchieved, "a step whose achieved rate is below this share of the offered one fails")
	fs.IntVar(&f.maxSteps, "max-steps", load.DefaultCapacitySteps, "most steps made")
	fs.DurationVar(&f.stepDuration, "step-duration", load.DefaultStepDuration, "measured length of each step")
	fs.DurationVar(&f.stabilize, "stabilize", load.DefaultStabilize, "stabilisation period at the start of each step, not measured")
}

// config builds the search configuration around run.
func (f *capacityFlags) config(run load.Config) (load.CapacityConfig, error) {
	cc := load.NewCapacityConfig(run)
	if len(f.slo.exprs) == 0 {
		f.slo.exprs = []string{"p99<100ms,success>=99.9%"}
		if run.E2E {
			f.slo.exprs = append(f.slo.exprs, "lost==0")
		}
	}
	slo, err := f.slo.parse("--slo")
	if err != nil {
		return cc, err
	}
	if cc.Start, err = load.ParseRate(f.start); err != nil {
		return cc, usagef("--start: %v", err)
	}
	if cc.Max, err = load.ParseRate(f.max); err != nil {
		return cc, usagef("--max: %v", err)
	}
	cc.SLO, cc.Factor, cc.Precision, cc.MinAchieved = slo, f.factor, f.precision, f.minAchieved
	cc.MaxSteps, cc.StepDuration, cc.Stabilize = f.maxSteps, f.stepDuration, f.stabilize
	if err := cc.Validate(); err != nil {
		return cc, usageError{err}
	}
	return cc, nil
}

// runLoadCapacity is `callcheck load capacity`: the highest rate that meets
// --slo, found by stepping then bisecting.
func runLoadCapacity(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "load capacity", "load capacity --slo EXPR [flags]", capacityExamples)
	var f attackFlags
	var cf capacityFlags
	var skipPreflight bool
	f.register(fs, false, "capacity-results")
	registerSkipPreflight(fs, &skipPreflight)
	cf.register(fs)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	f.run.pacing.Rate = "1/s" // each step sets its own schedule
	run, _, err := f.newConfig(e)
	if err != nil {
		return err
	}
	cc, err := cf.config(run)
	if err != nil {
		return err
	}
	if f.run.dryRun {
		if err := f.target.resolve(e.getenv); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "plan: capacity of %s at %s from %s to %s (x%g, then bisecting to %g), steps of %s after %s; result in %s\n",
			orEmbedded(f.target.target), result.FormatThresholds(cc.SLO), load.FormatRate(cc.Start), load.FormatRate(cc.Max), cc.Factor, cc.Precision, cc.StepDuration, cc.Stabilize, f.run.out)
		return nil
	}
	stop, err := capacityTarget(ctx, e, &f.target, &cc.Run)
	if err != nil {
		return err
	}
	defer func() { _, _ = stop() }() // on every path; once stopped, a call only returns the outcome
	if err := loadPreflight(ctx, e, skipPreflight, &cc.Run); err != nil {
		return err
	}
	// capacity.json is written once the emulator's process is stopped, so
	// that it records that process's peak memory.
	cc.Log, cc.Run.Log = e.stderr, nil
	res, err := load.Capacity(ctx, cc)
	emu, stopErr := stop()
	if res == nil {
		return runErr("--target", errors.Join(err, stopErr))
	}
	res.EmulatorProcess = emu
	if f.run.out != "" {
		err = errors.Join(err, load.WriteCapacity(f.run.out, res))
	}
	_ = load.WriteCapacityText(e.stdout, res)
	if f.run.out != "" {
		fmt.Fprintf(e.stdout, "Result: %s/%s\n", f.run.out, result.CapacityFile)
	}
	return runErr("--target", errors.Join(err, stopErr))
}

// stopTarget stops what capacityTarget started, once (later calls return
// the first's outcome): the emulator's child process, whose record it
// returns, or a remote target (nil record).
type stopTarget func() (*result.ProcessPeak, error)

// capacityTarget opens the target of a search: a remote --target as load
// create opens it, or by default the emulator in a child process of its
// own (emulatorChild says why), configured as load create's embedded one
// (load.EmbeddedConfig) and measured the same way.
func capacityTarget(ctx context.Context, e *env, tf *targetFlags, cfg *load.Config) (stopTarget, error) {
	if err := tf.resolve(e.getenv); err != nil {
		return nil, err
	}
	if !tf.embedded() {
		stop, err := loadTarget(ctx, e, tf, cfg)
		if err != nil {
			return nil, err
		}
		var once sync.Once
		return func() (*result.ProcessPeak, error) { once.Do(stop); return nil, nil }, nil
	}
	exe, err := executable(e)
	if err != nil {
		return nil, fmt.Errorf("the emulator process: this program's path: %w", err)
	}
	child, err := startEmulatorChild(ctx, exe, load.EmbeddedConfig(), emulatorReadyTimeout)
	if err != nil {
		return nil, err
	}
	stop := func() (*result.ProcessPeak, error) { return child.stopChild(emulatorStopGrace) }
	t, rc, err := child.target(ctx)
	if err != nil {
		_, _ = stop()
		return nil, err
	}
	cfg.Target, cfg.Receiver = t, rc
	cfg.Receiver.Listen, cfg.Receiver.CallbackURL = tf.listen, tf.callbackURL
	return stop, nil
}

// executable is e.executable, else os.Executable.
func executable(e *env) (string, error) {
	if e.executable != nil {
		return e.executable()
	}
	return os.Executable()
}
