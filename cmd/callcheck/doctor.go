package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/callcheck/callcheck/certify"
	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/preflight"
	"github.com/callcheck/callcheck/suites"
	"github.com/callcheck/callcheck/target"
)

func init() {
	register(command{name: "doctor", summary: "check a tenant's setup before a run: token, permissions, values, callback, keys, target", priority: 11, run: runDoctor})
}

const doctorSynopsis = "doctor [--target URL --token T | --client-id ID ...] [--values FILE] [--features LIST] [flags]"

const doctorExamples = `  callcheck doctor                                    # every check against the embedded emulator (all pass)

  # a real tenant: the same flags as conform; one line per check, with the fix of each that fails
  CALLCHECK_CLIENT_SECRET=... callcheck doctor --target https://graph.microsoft.com/beta \
      --tenant-id $TENANT --client-id $APP --listen 0.0.0.0:8443 --callback-url https://bot.example.com/callback \
      --values values.yaml --features core,group-call,meeting-join

  # callcheck emulate running on this machine, as a remote target
  callcheck doctor --target http://127.0.0.1:8080/beta --client-id 2891555a-92ff-42e6-80fa-6e1300c6b5c6 \
      --client-secret s3cret --token-url http://127.0.0.1:8080/aa67bd4c-8475-432d-bd41-39f255720e0a/oauth2/v2.0/token \
      --notification-openid http://127.0.0.1:8080/v1/.well-known/OpenIdConfiguration --features all

Checks, in order: token (an application token: roles, no scp; tid = --tenant-id), permissions (its roles
grant every claimed scenario's permission), values (every id the claimed features need, well formed, no
placeholder), callback (https, a public address, and a signed probe POSTed to it arrives at --listen),
notification-keys (--notification-openid loads), target (an unknown call is Graph's 404 error body).
Exit 0 when every check holds, 2 when one fails. conform, load and certify-bot make the same checks first
(--skip-preflight skips them).`

// runDoctor makes every preflight check against the target the flags
// describe and prints one line per check.
func runDoctor(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "doctor", doctorSynopsis, doctorExamples)
	var f conformFlags
	f.target.register(fs)
	fs.StringVar(&f.values, "values", "", "values file (YAML or JSON): the tenant's real ids, claimed features (docs/conformance.md)")
	fs.StringVar(&f.features, "features", "", "claimed features and profiles, comma-separated (core, extended, all, or names; default as conform)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("doctor takes no arguments, got %q", fs.Args())
	}
	cfg, err := f.config(flagsSet(fs), e.getenv)
	if err != nil {
		return err
	}
	rep, err := suitesPreflight(ctx, &cfg, f.values)
	if err != nil {
		return err
	}
	r, err := cfg.Resolve()
	if err != nil {
		return usagef("%v", err)
	}
	fmt.Fprintf(e.stdout, "callcheck doctor: %d checks against %s\n", len(rep.Results), describeTarget(r))
	for _, line := range rep.Lines() {
		fmt.Fprintln(e.stdout, line)
	}
	return doctorOutcome(rep)
}

// doctorOutcome is nil when every check held, else a usage error (exit 2:
// the setup, not the target, is at fault) counting the failures.
func doctorOutcome(rep preflight.Report) error {
	if rep.OK() {
		return nil
	}
	failed := 0
	for _, r := range rep.Results {
		if r.Status == preflight.Failed {
			failed++
		}
	}
	return usagef("%d of %d checks failed: the setup is not ready for a run", failed, len(rep.Results))
}

// registerSkipPreflight adds --skip-preflight to a command that makes the
// doctor's checks first.
func registerSkipPreflight(fs *flag.FlagSet, skip *bool) {
	fs.BoolVar(skip, "skip-preflight", false, "do not make callcheck doctor's checks before the run")
}

// suitesPreflight makes the checks for a conformance run of cfg: its target
// and receiver, its claimed features and values. For the embedded emulator
// it makes the signing keys once and leaves them in cfg, so that the
// run's emulator reuses them instead of making its own.
func suitesPreflight(ctx context.Context, cfg *suites.Config, valuesFile string) (preflight.Report, error) {
	if cfg.Embedded() {
		if err := shareEmulatorKeys(cfg); err != nil {
			return preflight.Report{}, err
		}
	}
	spec, err := cfg.TargetConfig().Resolve()
	if err != nil {
		return preflight.Report{}, usagef("%v", err)
	}
	claims, err := cfg.ClaimedFeatures()
	if err != nil {
		return preflight.Report{}, usagef("%v", err)
	}
	v := cfg.RunValues()
	pc := preflight.Config{Target: spec, TenantID: v.TenantID, Features: claims,
		Values: &preflight.Values{File: valuesFile, Run: v.Fill(""), AdmitURL: v.Lobby.AdmitURL}}
	if spec.Embedded() {
		// The run registers the values' application in the values' tenant
		// with every calling permission; the checks use such an app too.
		pc.App = target.DefaultApp(target.NewSecret())
		pc.App.ClientID, pc.App.TenantID = v.Application.ID, v.TenantID
	}
	return preflight.Run(ctx, pc), nil
}

// shareEmulatorKeys gives the embedded emulator's configuration its signing
// keys now, so the checks' emulator and the run's sign with the same keys
// and the keys are made once.
func shareEmulatorKeys(cfg *suites.Config) error {
	ecfg := target.NewEmulatorConfig()
	if cfg.Target.Emulator != nil {
		ecfg = cfg.Target.Emulator.Clone()
	}
	var err error
	if ecfg.Key == nil {
		if ecfg.Key, err = identity.GenerateKey(); err != nil {
			return err
		}
	}
	if ecfg.NotificationKey == nil {
		if ecfg.NotificationKey, err = identity.GenerateKey(); err != nil {
			return err
		}
	}
	cfg.Target.Emulator = &ecfg
	return nil
}

// preflightGate turns a failed preflight into the run's stop: exit 2 with
// the first failing check's line; a passing one prints one line to w.
func preflightGate(w io.Writer, rep preflight.Report) error {
	if res, failed := rep.FirstFailure(); failed {
		return usagef("preflight: %s (callcheck doctor shows every check; --skip-preflight skips them)", res.Line())
	}
	if !rep.OK() {
		return usagef("preflight: %s", strings.Join(rep.Lines(), "; "))
	}
	fmt.Fprintf(w, "preflight: %d checks passed in %s (callcheck doctor)\n", len(rep.Results), rep.Took.Round(100*time.Microsecond))
	return nil
}

// conformPreflight makes the checks before a conformance run. An embedded
// emulator making deliberate violations (--violate) is left unchecked: its
// defects are for the contracts to find, and some (unknown-call-200,
// error-body-not-json) are what the target check refuses.
func conformPreflight(ctx context.Context, e *env, f *conformFlags, cfg *suites.Config) error {
	if f.skipPreflight || (cfg.Target.Emulator != nil && len(cfg.Target.Emulator.Violations) > 0) {
		return nil
	}
	rep, err := suitesPreflight(ctx, cfg, f.values)
	if err != nil {
		return err
	}
	return preflightGate(e.stdout, rep)
}

// loadPreflight makes the checks before a load run, against the target
// loadTarget opened (the embedded emulator already started, or the remote
// target with its token source): the token, the permissions of the
// examples sent, the callback, the keys and the target.
func loadPreflight(ctx context.Context, e *env, skip bool, cfg *load.Config) error {
	if skip {
		return nil
	}
	tc := target.Config{URL: cfg.Target.BaseURL, TokenSource: cfg.Target.Tokens, Listen: cfg.Receiver.Listen,
		CallbackURL: cfg.Receiver.CallbackURL, NotificationOpenID: cfg.Receiver.OpenIDConfigURL, AppID: cfg.Receiver.AppID}
	spec, err := tc.Resolve()
	if err != nil {
		return usagef("%v", err)
	}
	var scenarios []graph.Scenario
	for _, entry := range cfg.Mix.Entries() {
		ex, err := fixtures.ByNumber(entry.Example)
		if err != nil {
			return usagef("--example: %v", err)
		}
		scenarios = append(scenarios, ex.Scenario())
	}
	rep := preflight.Run(ctx, preflight.Config{Target: spec, TenantID: cfg.Target.TenantID, Scenarios: scenarios, NoNotifications: !cfg.E2E})
	return preflightGate(e.stdout, rep)
}

// certifyPreflight makes the check certify-bot's setup allows: the app's
// roles (--roles) grant every permission the triggered scenarios need; a
// bot registered without one gets 403 7504 from Graph on those creates,
// a setup problem rather than a flaw of the bot.
func certifyPreflight(skip bool, cfg *certify.Config) error {
	if skip || len(cfg.Triggers) == 0 {
		return nil
	}
	var scenarios []graph.Scenario
	for _, k := range certify.Keys() {
		if _, ok := cfg.Triggers[k]; ok {
			scenarios = append(scenarios, k.Scenario())
		}
	}
	res := preflight.RolesCover(cfg.App.ClientID, cfg.App.Roles, scenarios,
		"add it to --roles, and grant it to app %s in its registration too, or drop that scenario's --trigger")
	if res.Status == preflight.Failed {
		return usagef("preflight: %s (--skip-preflight skips the check)", res.Line())
	}
	return nil
}
