package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/load/result"
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

// runFlags are the flags every load subcommand shares: the schedule, the
// shard, the output, the thresholds and the attacker's knobs.
type runFlags struct {
	pacing     load.Pacing
	shard      string
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
}

func (f *runFlags) register(fs *flag.FlagSet, withSchedule bool) {
	f.attack, f.shard = load.DefaultAttackOptions(), load.Whole.String()
	if withSchedule {
		fs.StringVar(&f.pacing.Rate, "rate", "", "constant rate, e.g. 100/s, 6000/m (default 50/s)")
		fs.StringVar(&f.pacing.Ramp, "ramp", "", "linear ramp FROM..TO over --duration, e.g. 10/s..500/s")
		fs.StringVar(&f.pacing.Steps, "steps", "", "rate steps RATE[@DURATION],... e.g. 100,200,400@10s (each step without its own @DURATION takes the last one given)")
		fs.DurationVar(&f.pacing.Duration, "duration", 0, "length of --rate or --ramp (default 10s)")
		fs.StringVar(&f.shard, "shard", f.shard, "this process's part INDEX/COUNT (0-based, as JOB_COMPLETION_INDEX): it sends every COUNT-th hit")
		fs.Var(&f.thresholds, "threshold", "threshold expression(s), e.g. 'p99<200ms,success>=99.9%,e2e.p99<1s,lost==0' (repeatable); exit 1 when one is breached")
	}
	fs.StringVar(&f.out, "out", "load-results", "directory of the result files (with --shard i/N: DIR/shard-i-of-N)")
	fs.StringVar(&f.example, "example", "all", "documented examples to send: all, N, N,M or N:WEIGHT,M:WEIGHT")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress line (there is none anyway when stdout is not a terminal)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "check the flags and print the plan, without touching the target")
	fs.Uint64Var(&f.attack.Workers, "workers", f.attack.Workers, "initial vegeta workers (more are started when all are busy)")
	fs.Uint64Var(&f.attack.MaxWorkers, "max-workers", 0, "cap on vegeta workers (0: none, the open model)")
	fs.IntVar(&f.attack.Connections, "connections", f.attack.Connections, "idle keep-alive connections kept per host")
	fs.DurationVar(&f.attack.Timeout, "timeout", f.attack.Timeout, "timeout of one request")
	fs.Int64Var(&f.attack.MaxBody, "max-body", f.attack.MaxBody, "bytes of a response body read at most")
	fs.BoolVar(&f.attack.Insecure, "insecure", false, "skip TLS certificate verification (test targets only)")
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
	if !f.quiet && load.IsTerminal(e.stdout) {
		cfg.Progress = e.stdout
	}
	return nil
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
// here; the returned function stops it) or a remote target.
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
	tokens, err := tf.tokenSource(ctx)
	if err != nil {
		return nil, err
	}
	tenant := tf.tenantID
	if tenant == "" {
		tenant = tokenTenant(tf.token)
	}
	cfg.Target = load.Target{BaseURL: tf.target, Tokens: tokens, TenantID: tenant, AppID: tf.appID}
	cfg.Receiver = load.ReceiverConfig{Listen: tf.listen, CallbackURL: tf.callbackURL, OpenIDConfigURL: tf.notificationOpenID, AppID: tf.appID}
	if cfg.E2E && tf.appID == "" {
		return nil, usagef("--e2e with --token needs --app-id: the audience notification tokens carry (or --e2e=false)")
	}
	return func() {}, nil
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
// a configuration problem (2) naming --target.
func runErr(err error) error {
	var pe *load.ProbeError
	if errors.As(err, &pe) {
		return usagef("--target: %v", err)
	}
	return err
}

// finishRun prints the summary and the verdicts and returns the outcome:
// the run's error (an interrupt: exit 3), else a failedError when a
// threshold was breached (exit 1).
func finishRun(w io.Writer, run *load.Run, ts []result.Threshold, err error) error {
	if run == nil {
		return runErr(err)
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
	return thresholdsOutcome(run.Summary, passed)
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

func runLoadCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "load create", "load create [flags]", createExamples)
	var tf targetFlags
	var rf runFlags
	var ef e2eFlags
	tf.register(fs)
	rf.register(fs, true)
	ef.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("load create takes no arguments, got %q", fs.Args())
	}
	cfg := load.NewConfig()
	ts, err := rf.thresholds.parse("--threshold")
	if err != nil {
		return err
	}
	if err := rf.config(e, &cfg); err != nil {
		return err
	}
	if err := ef.apply(&cfg); err != nil {
		return err
	}
	if rf.dryRun {
		if err := tf.resolve(e.getenv); err != nil {
			return err
		}
		rf.plan(e.stdout, &cfg, tf.target)
		return nil
	}
	stop, err := loadTarget(ctx, e, &tf, &cfg)
	if err != nil {
		return err
	}
	defer stop()
	run, err := load.Create(ctx, cfg)
	return finishRun(e.stdout, run, ts, err)
}

const callbacksExamples = `  # flood a bot's callback with every documented notification, 100/s for 30s, signed with
  # the same key 'callcheck emulate --notification-key key.pem' signs with
  callcheck load callbacks --url https://bot.example.com/callback --app-id "$BOT_APP_ID" \
      --notification-key key.pem --rate 100/s --duration 30s --threshold 'p99<500ms,success>=99.9%'
  # with a fresh key: point the bot at the printed OpenID configuration URL first
  callcheck load callbacks --url http://127.0.0.1:9000/callback --app-id "$BOT_APP_ID" --listen 127.0.0.1:9100`

func runLoadCallbacks(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "load callbacks", "load callbacks --url URL --app-id ID [flags]", callbacksExamples)
	var rf runFlags
	var url, appID, tenantID, keyFile, listen, issuer string
	rf.register(fs, true)
	fs.StringVar(&url, "url", "", "the bot's callback endpoint (required)")
	fs.StringVar(&appID, "app-id", "", "the bot's app id: the audience of the notification tokens (required)")
	fs.StringVar(&tenantID, "tenant-id", "", "tid of the tokens and tenantId of the notifications (default: the documented tenant)")
	fs.StringVar(&keyFile, "notification-key", "", "PEM file of the RSA key that signs the notifications (default: a new key, published at --listen)")
	fs.StringVar(&listen, "listen", "127.0.0.1:0", "where the signing key's OpenID configuration and JWKS are served")
	fs.StringVar(&issuer, "notification-issuer", identity.DefaultNotificationIssuer, "iss of the notification tokens")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("load callbacks takes no arguments, got %q", fs.Args())
	}
	if err := checkURL("--url", url); err != nil {
		return err
	}
	if appID == "" {
		return usagef("--app-id is required: the bot verifies that notification tokens carry its app id")
	}
	cfg := load.NewConfig()
	ts, err := rf.thresholds.parse("--threshold")
	if err != nil {
		return err
	}
	if err := rf.config(e, &cfg); err != nil {
		return err
	}
	notes, err := load.Notifications(cfg.Mix, url, tenantID)
	if err != nil {
		return usagef("--example: %v", err)
	}
	if rf.dryRun {
		rf.plan(e.stdout, &cfg, url)
		return nil
	}
	signer, stop, err := notificationSigner(e, keyFile, listen, issuer)
	if err != nil {
		return err
	}
	defer stop()
	run, err := load.Callbacks(ctx, load.CallbacksConfig{Run: cfg, URL: url, Notifications: notes, Signer: signer, AppID: appID, TenantID: tenantID})
	return finishRun(e.stdout, run, ts, err)
}

// notificationSigner loads (or makes) the signing key and publishes its
// OpenID configuration and JWKS on listen, printing where.
func notificationSigner(e *env, keyFile, listen, issuer string) (*identity.NotificationSigner, func(), error) {
	key, err := signingKey(keyFile)
	if err != nil {
		return nil, nil, err
	}
	signer, err := identity.NewNotificationSigner(key, identity.WithIssuer(issuer))
	if err != nil {
		return nil, nil, usagef("--notification-issuer: %v", err)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, nil, usagef("--listen %s: %v", listen, err)
	}
	srv := &http.Server{Handler: http.StripPrefix("/v1", signer.Handler("/v1")), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(e.stderr, "notification keys: http://%s/v1/.well-known/OpenIdConfiguration (key %s)\n", ln.Addr(), key.ID())
	return signer, func() { _ = srv.Close() }, nil
}

func signingKey(file string) (*identity.Key, error) {
	if file == "" {
		return identity.GenerateKey()
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, usagef("--notification-key: %v", err)
	}
	key, err := identity.ParseKeyPEM(data)
	if err != nil {
		return nil, usagef("--notification-key %s: %v", file, err)
	}
	return key, nil
}

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

func runLoadCapacity(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "load capacity", "load capacity --slo EXPR [flags]", capacityExamples)
	var tf targetFlags
	var rf runFlags
	var ef e2eFlags
	var cf capacityFlags
	tf.register(fs)
	rf.register(fs, false)
	ef.register(fs)
	cf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("load capacity takes no arguments, got %q", fs.Args())
	}
	run := load.NewConfig()
	rf.pacing.Rate = "1/s" // each step sets its own schedule
	if err := rf.config(e, &run); err != nil {
		return err
	}
	if err := ef.apply(&run); err != nil {
		return err
	}
	cc, err := cf.config(run)
	if err != nil {
		return err
	}
	if rf.dryRun {
		if err := tf.resolve(e.getenv); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "plan: capacity of %s at %s from %s to %s (x%g, then bisecting to %g), steps of %s after %s; result in %s\n",
			orEmbedded(tf.target), fmtThresholds(cc.SLO), load.FormatRate(cc.Start), load.FormatRate(cc.Max), cc.Factor, cc.Precision, cc.StepDuration, cc.Stabilize, rf.out)
		return nil
	}
	stop, err := loadTarget(ctx, e, &tf, &cc.Run)
	if err != nil {
		return err
	}
	defer stop()
	cc.Out, cc.Log, cc.Run.Log = rf.out, e.stderr, nil
	res, err := load.Capacity(ctx, cc)
	if res != nil {
		_ = load.WriteCapacityText(e.stdout, res)
		if cc.Out != "" {
			fmt.Fprintf(e.stdout, "Result: %s/%s\n", cc.Out, result.CapacityFile)
		}
	}
	return runErr(err)
}

func orEmbedded(target string) string {
	if target == "" {
		return "the embedded emulator"
	}
	return load.RedactURL(target)
}

func fmtThresholds(ts []result.Threshold) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, ",")
}
