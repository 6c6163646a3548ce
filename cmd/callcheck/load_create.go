package main

import (
	"context"

	"github.com/callcheck/callcheck/load"
)

const createExamples = `  # against the embedded emulator: 50 calls/s for 10s, every documented example
  callcheck load create
  # 200 calls/s for a minute, Examples 1 and 9 three to one, deleting each call, gated for CI
  callcheck load create --rate 200/s --duration 1m --example 1:3,9 --hangup \
      --threshold 'p99<200ms,success>=99.9%,e2e.p99<1s,lost==0'
  # a ramp, then steps
  callcheck load create --ramp 10/s..500/s --duration 2m
  callcheck load create --steps 100,200,400@30s
  # shard 2 of 4 against a remote target (each shard sends a quarter of the rate)
  callcheck load create --target https://graph.example.com/beta --token "$TOKEN" --app-id "$BOT_APP_ID" \
      --callback-url https://bot.example.com/callback --listen :8443 --rate 400/s --shard 2/4 --out results`

// runLoadCreate is `callcheck load create`: calls created at a rate against
// the embedded emulator or --target, measured end to end.
func runLoadCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "load create", "load create [flags]", createExamples)
	var f attackFlags
	var skipPreflight bool
	f.register(fs, true, "load-results")
	registerSkipPreflight(fs, &skipPreflight)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, ts, err := f.newConfig(e)
	if err != nil {
		return err
	}
	if f.run.dryRun {
		if err := f.target.resolve(e.getenv); err != nil {
			return err
		}
		f.run.plan(e.stdout, &cfg, f.target.target)
		return nil
	}
	stop, err := loadTarget(ctx, e, &f.target, &cfg)
	if err != nil {
		return err
	}
	defer stop()
	if err := loadPreflight(ctx, e, skipPreflight, &cfg); err != nil {
		return err
	}
	run, err := load.Create(ctx, cfg)
	return finishRun(e.stdout, run, ts, "--target", err)
}
