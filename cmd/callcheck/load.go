package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/target"
)

func init() {
	register(command{name: "load", summary: "load and capacity: create calls at a rate, flood a callback, find the capacity", priority: 30, run: runLoad})
}

const loadUsage = `Usage: callcheck load <create|callbacks|capacity> [flags]

  create     create calls at a rate against the embedded emulator or --target, measuring
             latency, statuses and end-to-end notification latency
  callbacks  flood a bot's callback endpoint (--url) with signed documented notifications
  capacity   find the highest rate that meets an objective (--slo), stepping then bisecting

Run 'callcheck load <subcommand> --help' for its flags and examples; docs/load.md has the details.
`

// runLoad is `callcheck load`: it hands the arguments to the subcommand
// (load_create.go, load_callbacks.go, load_capacity.go); this file holds
// what they share.
func runLoad(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, loadUsage)
		return usagef("load needs a subcommand: create, callbacks or capacity")
	}
	switch args[0] {
	case "create":
		return runLoadCreate(ctx, e, args[1:])
	case "callbacks":
		return runLoadCallbacks(ctx, e, args[1:])
	case "capacity":
		return runLoadCapacity(ctx, e, args[1:])
	case "-h", "--help", "-help", "help":
		fmt.Fprint(e.stdout, loadUsage)
		return flag.ErrHelp
	}
	return usagef("unknown load subcommand %q: want create, callbacks or capacity", args[0])
}

// thresholdFlag collects --threshold (or --slo) expressions; each may be a
// comma-separated list, and the flag may be repeated.
type thresholdFlag struct{ exprs []string }

func (f *thresholdFlag) String() string     { return strings.Join(f.exprs, ",") }
func (f *thresholdFlag) Set(s string) error { f.exprs = append(f.exprs, s); return nil }

// parse reads every expression; a syntax error is a usage error naming the
// flag, the expression and the column.
func (f *thresholdFlag) parse(flagName string) ([]result.Threshold, error) {
	var out []result.Threshold
	for _, s := range f.exprs {
		ts, err := result.ParseThresholds(s)
		if err != nil {
			return nil, usagef("%s: %v", flagName, err)
		}
		out = append(out, ts...)
	}
	return out, nil
}

// parseNoArgs parses the flags of a subcommand that takes no arguments.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("%s takes no arguments, got %q", strings.TrimPrefix(fs.Name(), "callcheck "), fs.Args())
	}
	return nil
}

// attackFlags are the flags of the load subcommands that attack a target
// (create, capacity): the target, the run, the end-to-end measurement.
type attackFlags struct {
	target targetFlags
	run    runFlags
	e2e    e2eFlags
}

func (f *attackFlags) register(fs *flag.FlagSet, withSchedule bool, defaultOut string) {
	f.target.register(fs)
	f.run.register(fs, withSchedule, defaultOut)
	f.e2e.register(fs)
}

// newConfig returns the run configuration the run and end-to-end flags
// describe, and the thresholds.
func (f *attackFlags) newConfig(e *env) (load.Config, []result.Threshold, error) {
	cfg, ts, err := f.run.newConfig(e)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, ts, f.e2e.apply(&cfg)
}

// runFlags are the flags every load subcommand shares: the schedule, the
// shard, the output, the thresholds and the attacker's knobs.
type runFlags struct {
	pacing     load.Pacing
	shard      string
	startAt    string
	out        string
	thresholds thresholdFlag
	example    string
	quiet      bool
	dryRun     bool
	attack     load.AttackOptions
}

// plan prints what a run would do (--dry-run).
func (f *runFlags) plan(w io.Writer, cfg *load.Config, target string) {
	p := load.ShardPacer(cfg.Shard, cfg.Pacer)
	fmt.Fprintf(w, "plan: %s; shard %s sends %d hits at %.1f/s against %s; examples %s; e2e %v; results in %s\n",
		cfg.Pacer, cfg.Shard, load.Hits(p), load.OfferedRate(p), orEmbedded(target), cfg.Mix, cfg.E2E, cfg.Out)
	if !cfg.StartAt.IsZero() {
		fmt.Fprintf(w, "start: %s\n", cfg.StartAt.UTC().Format(time.RFC3339Nano))
	}
}

func (f *runFlags) register(fs *flag.FlagSet, withSchedule bool, defaultOut string) {
	f.attack, f.shard = load.DefaultAttackOptions(), load.Whole.String()
	if withSchedule {
		fs.StringVar(&f.pacing.Rate, "rate", "", "constant rate, e.g. 100/s, 6000/m (default 50/s)")
		fs.StringVar(&f.pacing.Ramp, "ramp", "", "linear ramp FROM..TO over --duration, e.g. 10/s..500/s")
		fs.StringVar(&f.pacing.Steps, "steps", "", "rate steps RATE[@DURATION],... e.g. 100,200,400@10s (each step without its own @DURATION takes the last one given)")
		fs.DurationVar(&f.pacing.Duration, "duration", 0, "length of --rate or --ramp (default 10s)")
		fs.StringVar(&f.shard, "shard", f.shard, "this process's part INDEX/COUNT (0-based, as JOB_COMPLETION_INDEX): it sends every COUNT-th hit")
		fs.StringVar(&f.startAt, "start-at", "", "RFC 3339 time hit 0 is due, e.g. 2026-12-02T16:00:00Z, the same for every shard so their loads overlap (default $"+load.StartAtEnv+", else at once)")
		fs.Var(&f.thresholds, "threshold", "threshold expression(s), e.g. 'p99<200ms,success>=99.9%,e2e.p99<1s,lost==0' (repeatable); exit 1 when one is breached")
	}
	fs.StringVar(&f.out, "out", defaultOut, "directory of the result files (with --shard i/N: DIR/shard-i-of-N); each subcommand has its own default so their results never mix")
	fs.StringVar(&f.example, "example", "all", "documented examples to send: all, N, N,M or N:WEIGHT,M:WEIGHT")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress (else a line rewritten every second on a terminal, a line every 5s in a log)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "check the flags and print the plan, without touching the target")
	fs.Uint64Var(&f.attack.Workers, "workers", f.attack.Workers, "initial vegeta workers (more are started when all are busy)")
	fs.Uint64Var(&f.attack.MaxWorkers, "max-workers", 0, "cap on vegeta workers (0: none, the open model)")
	fs.IntVar(&f.attack.Connections, "connections", f.attack.Connections, "idle keep-alive connections kept per host")
	fs.DurationVar(&f.attack.Timeout, "timeout", f.attack.Timeout, "timeout of one request")
	fs.Int64Var(&f.attack.MaxBody, "max-body", f.attack.MaxBody, "bytes of a response body read at most")
	fs.BoolVar(&f.attack.Insecure, "insecure", false, "skip TLS certificate verification (test targets only)")
}

// newConfig parses the thresholds and returns the run configuration the
// flags describe (load.NewConfig, then config).
func (f *runFlags) newConfig(e *env) (load.Config, []result.Threshold, error) {
	cfg := load.NewConfig()
	ts, err := f.thresholds.parse("--threshold")
	if err != nil {
		return cfg, nil, err
	}
	return cfg, ts, f.config(e, &cfg)
}

// config fills the run configuration the flags describe.
func (f *runFlags) config(e *env, cfg *load.Config) error {
	p, err := f.pacing.Pacer()
	if err != nil {
		return usageError{err}
	}
	shard, err := result.ParseShard(f.shard)
	if err != nil {
		return usagef("--shard: %v", err)
	}
	mix, err := load.ParseMix(f.example)
	if err != nil {
		return usagef("--example: %v", err)
	}
	if err := checkAttack(f.attack); err != nil {
		return err
	}
	cfg.Pacer, cfg.Shard, cfg.Mix, cfg.Attack, cfg.Log = p, shard, mix, f.attack, e.stderr
	cfg.Out = f.outDir(shard)
	if cfg.StartAt, err = f.start(e, shard); err != nil {
		return err
	}
	if !f.dryRun {
		if err := checkOutDir("--out", cfg.Out); err != nil {
			return err
		}
	}
	if !f.quiet {
		cfg.Progress = e.stdout
		if !load.IsTerminal(e.stdout) {
			cfg.ProgressLines, cfg.ProgressInterval = true, load.DefaultLogProgressInterval
		}
	}
	return nil
}

// start is --start-at, or $CALLCHECK_START_AT (which deploy/load-job.yaml
// sets from its pod annotation), or none. A shard of a Job started without
// one says that its load may not overlap the others'.
func (f *runFlags) start(e *env, shard load.Shard) (time.Time, error) {
	s, from := f.startAt, "--start-at"
	if s == "" {
		s, from = e.getenv(load.StartAtEnv), "$"+load.StartAtEnv
	}
	if s == "" {
		if shard.Count > 1 && e.getenv("JOB_COMPLETION_INDEX") != "" {
			fmt.Fprintf(e.stderr, "warning: shard %s starts at once, without --start-at or $%s: its load overlaps the other shards' only if their pods start together\n", shard, load.StartAtEnv)
		}
		return time.Time{}, nil
	}
	t, err := load.ParseStartAt(s)
	if err != nil {
		return time.Time{}, usagef("%s: %v", from, err)
	}
	return t, nil
}

func checkAttack(a load.AttackOptions) error {
	switch {
	case a.Timeout <= 0:
		return usagef("--timeout %s must be positive", a.Timeout)
	case a.Connections < 0:
		return usagef("--connections %d must not be negative", a.Connections)
	case a.MaxBody < -1:
		return usagef("--max-body %d must be -1 (no limit) or more", a.MaxBody)
	}
	return nil
}

// outDir is --out, or its shard-i-of-N subdirectory for a shard.
func (f *runFlags) outDir(s load.Shard) string {
	if f.out == "" || s.Count <= 1 {
		return f.out
	}
	return fmt.Sprintf("%s/shard-%d-of-%d", strings.TrimRight(f.out, "/"), s.Index, s.Count)
}

// e2eFlags configure the end-to-end measurement of create and capacity.
type e2eFlags struct {
	on     bool
	grace  time.Duration
	hangup bool
}

func (f *e2eFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.on, "e2e", true, "measure end to end: receive the notifications and time established (and roster) from each request's scheduled time")
	fs.DurationVar(&f.grace, "grace", load.DefaultGrace, "how long after its creation a call's notifications may arrive before it counts as lost")
	fs.BoolVar(&f.hangup, "hangup", false, "delete each call once it is established")
}

func (f *e2eFlags) apply(cfg *load.Config) error {
	if f.grace <= 0 {
		return usagef("--grace %s must be positive", f.grace)
	}
	if f.hangup && !f.on {
		return usagef("--hangup needs --e2e: a call is deleted once its established notification arrives")
	}
	cfg.E2E, cfg.Timeouts.Grace, cfg.Hangup = f.on, f.grace, f.hangup
	return nil
}

// loadTarget resolves the target flags: the embedded emulator (started
// here; the returned function stops it) or a remote target, opened the way
// conform opens it (target.Config, Resolve, Open: its first token fetched
// now, so a wrong secret or an unreachable token endpoint is reported before
// any traffic).
func loadTarget(ctx context.Context, e *env, tf *targetFlags, cfg *load.Config) (func(), error) {
	if err := tf.resolve(e.getenv); err != nil {
		return nil, err
	}
	if tf.embedded() {
		emb, err := load.StartEmbedded(ctx, load.EmbeddedConfig())
		if err != nil {
			return nil, err
		}
		cfg.Target, cfg.Receiver = emb.Target, emb.Receiver
		cfg.Receiver.Listen, cfg.Receiver.CallbackURL = tf.listen, tf.callbackURL
		return func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = emb.Close(sctx)
		}, nil
	}
	if !cfg.E2E && tf.callbackURL == "" {
		return nil, usagef("--e2e=false against --target needs --callback-url: without the receiver the requests would carry no callbackUri, and Graph refuses them (400)")
	}
	tenant := tf.tenantID
	if tenant == "" {
		tenant = tokenTenant(tf.token)
	}
	if err := load.CheckBodies(cfg.Mix, load.BodyValues{CallbackURI: "https://callback.invalid", TenantID: tenant, AppID: tf.appID}); err != nil {
		return nil, usagef("--example %s against --target: %v", cfg.Mix, err)
	}
	if err := tf.probeTarget(ctx, cfg.Attack.Insecure); err != nil {
		return nil, err
	}
	spec, err := tf.config().Resolve()
	if err != nil {
		return nil, usageError{err}
	}
	if cfg.E2E && spec.AppID() == "" {
		return nil, usagef("--e2e with --token needs --app-id: the audience notification tokens carry (or --e2e=false)")
	}
	t, err := target.Open(ctx, spec)
	if err != nil {
		return nil, err
	}
	cfg.Target = load.Target{BaseURL: t.BaseURL(), Tokens: t.Tokens(), TenantID: tenant, AppID: spec.AppID()}
	cfg.Receiver = t.Receiver()
	return func() { _ = t.Close(context.Background()) }, nil
}

// tokenTenant returns the tid claim of a static token when it is a JWT (read,
// not verified: it is the user's own token, and --tenant-id is exclusive
// with --token), or "".
func tokenTenant(token string) string {
	if token == "" {
		return ""
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return ""
	}
	tid, _ := claims["tid"].(string)
	return tid
}

// runErr maps a run's error onto the exit codes: an unreachable target is
// a configuration problem (2) naming the flag that gave it (--target, or
// --url for load callbacks).
func runErr(flagName string, err error) error {
	var pe *load.ProbeError
	if errors.As(err, &pe) {
		return usagef("%s: %v", flagName, err)
	}
	return err
}

// finishRun prints the summary and the verdicts and returns the outcome
// (targetFlag names the flag of the URL attacked, for an unreachable one):
// the run's error (an interrupt: exit 3), else a failedError when a
// threshold was breached (exit 1).
func finishRun(w io.Writer, run *load.Run, ts []result.Threshold, targetFlag string, err error) error {
	if run == nil {
		return runErr(targetFlag, err)
	}
	passed := run.Summary.Evaluate(ts)
	if werr := load.WriteText(w, run.Summary); werr != nil && err == nil {
		err = werr
	}
	if run.Dir != "" {
		fmt.Fprintf(w, "Results: %s (merge and gate with: callcheck report --threshold ... %s)\n", run.Dir, run.Dir)
	}
	if err != nil {
		return err
	}
	if err := thresholdsOutcome(run.Summary, passed); err != nil {
		return err
	}
	if err := nothingHeld(run.Summary); err != nil {
		return err
	}
	return unexplainedLoss(run.Summary, ts)
}

// unexplainedLoss is a failedError when calls never reached established
// and no threshold judged lost calls: a loss is never passed over in
// silence. The message gives the usual cause of a loss against callcheck
// emulate: a guest (Example 8) waits in the lobby until admitted.
func unexplainedLoss(s *result.Summary, ts []result.Threshold) error {
	if s.E2E == nil || s.E2E.Lost == 0 {
		return nil
	}
	for _, t := range ts {
		if t.Metric == result.MetricLost {
			return nil // the gate decided
		}
	}
	return failedError{fmt.Sprintf("%d of %d calls never reached established within --grace (lost). "+
		"A guest join (Example 8) waits in the lobby until admitted: against 'callcheck emulate' set behaviour.autoAdmitAfter "+
		"in its --config, or leave Example 8 out (--example); to accept losses, gate them with --threshold 'lost<=N'", s.E2E.Lost, s.E2E.Calls)}
}

// nothingHeld is a failedError when no request of the run succeeded (none
// sent, or every one refused, e.g. a bot answering 401 to every
// notification): with or without thresholds, that run measured nothing.
func nothingHeld(s *result.Summary) error {
	r := s.Requests
	if r.Count == 0 {
		return failedError{"no request was sent: nothing was measured"}
	}
	if r.Success > 0 {
		return nil
	}
	codes := make([]string, 0, len(r.StatusCodes))
	for code, n := range r.StatusCodes {
		codes = append(codes, fmt.Sprintf("%s×%d", code, n))
	}
	sort.Strings(codes)
	msg := fmt.Sprintf("every one of the %d requests failed (status %s)", r.Count, strings.Join(codes, ", "))
	if r.StatusCodes["401"] == r.Count || r.StatusCodes["403"] == r.Count {
		msg += ": the target refused the tokens (for load callbacks: does the bot trust the printed OpenID configuration, and is --app-id its app id?)"
	}
	return failedError{msg}
}

// thresholdsOutcome is nil when every threshold held, else a failedError
// listing the breached ones.
func thresholdsOutcome(s *result.Summary, passed bool) error {
	if passed {
		return nil
	}
	var breached []string
	for _, v := range s.Verdicts {
		if !v.Passed {
			breached = append(breached, fmt.Sprintf("%s (actual %s)", v.Expr, v.Actual))
		}
	}
	return failedError{"thresholds breached: " + strings.Join(breached, "; ")}
}

func orEmbedded(target string) string {
	if target == "" {
		return "the embedded emulator"
	}
	return identity.RedactURL(target)
}
