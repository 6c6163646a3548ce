package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
	"github.com/callcheck/callcheck/target"
)

func init() {
	register(command{name: "conform", summary: "run every documented example as a contract against the embedded emulator or a target", priority: 10, run: runConform})
}

const conformSynopsis = "conform [--target URL --token T | --client-id ID ...] [--values FILE] [--features LIST] [--out DIR] [flags]"

const conformExamples = `  callcheck conform                                   # every contract against the embedded emulator
  callcheck conform --out reports                     # also conformance.json, junit.xml, ginkgo-report.json, summary.md, conformance.html
  callcheck conform --list                            # the contracts, from a dry run; runs nothing
  callcheck conform --label-filter 'peer-to-peer && !negative'

  # a real tenant: client credentials, a public callback URL that reaches --listen, the ids of values.yaml
  CALLCHECK_CLIENT_SECRET=... callcheck conform --target https://graph.microsoft.com/beta \
      --tenant-id $TENANT --client-id $APP --listen 0.0.0.0:8443 --callback-url https://bot.example.com/callback \
      --values values.yaml --features core,group-call,meeting-join --out reports

  # 'callcheck emulate --listen 127.0.0.1:8080 --client-secret s3cret --allow-http-loopback' elsewhere, as a remote
  # target (docs/conformance.md); values.yaml says how to admit a guest from the lobby:
  #   lobby: {admitURL: "http://127.0.0.1:8080/_callcheck/calls/{id}/admit"}
  callcheck conform --target http://127.0.0.1:8080/beta --client-id 2891555a-92ff-42e6-80fa-6e1300c6b5c6 \
      --client-secret s3cret --token-url http://127.0.0.1:8080/aa67bd4c-8475-432d-bd41-39f255720e0a/oauth2/v2.0/token \
      --notification-openid http://127.0.0.1:8080/v1/.well-known/OpenIdConfiguration --timing fast --features all \
      --values values.yaml`

// conformFlags are the flags of callcheck conform besides the target flags.
type conformFlags struct {
	target                  targetFlags
	values, features, out   string
	labelFilter, timing     string
	list, verbose, strict   bool
	skipPreflight           bool
	violate, emulatorConfig string // hidden: the embedded emulator's violations and configuration
}

// hiddenConformFlags are left out of --help (the violation matrix uses them).
var hiddenConformFlags = map[string]bool{"violate": true, "emulator-config": true}

func (f *conformFlags) register(fs *flag.FlagSet) {
	f.target.register(fs)
	fs.StringVar(&f.values, "values", "", "values file (YAML or JSON): the tenant's real ids, claimed features, API version (docs/conformance.md)")
	fs.StringVar(&f.features, "features", "", "claimed features and profiles, comma-separated (core, extended, all, or names; default: all for the embedded emulator, else the values file's or core)")
	fs.StringVar(&f.out, "out", "", "directory for conformance.json, junit.xml, ginkgo-report.json, summary.md and conformance.html")
	fs.StringVar(&f.labelFilter, "label-filter", "", "run only contracts whose labels match (Ginkgo syntax; labels: features, example, negative, core, extended)")
	fs.StringVar(&f.timing, "timing", "", "timeouts profile: fast (an emulator) or realistic (Microsoft Graph); default: fast embedded, realistic otherwise")
	fs.BoolVar(&f.list, "list", false, "list the contracts (a dry run) and exit")
	fs.BoolVar(&f.verbose, "v", false, "print Ginkgo's own report (every spec and step) on stderr")
	fs.BoolVar(&f.strict, "strict", false, "against a remote target, let inferred checks (callcheck's own reading) and duplicated notifications fail the run too; the embedded emulator is always judged strictly")
	registerSkipPreflight(fs, &f.skipPreflight)
	fs.StringVar(&f.violate, "violate", "", "embedded emulator only: deliberate contract violations to make (callcheck emulate --list-violations)")
	fs.StringVar(&f.emulatorConfig, "emulator-config", "", "embedded emulator only: its configuration file (docs/emulator.md)")
}

// runConform maps the flags onto a suites.Config and runs the contracts.
func runConform(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "conform", conformSynopsis, conformExamples)
	var f conformFlags
	f.register(fs)
	hideFlags(fs, hiddenConformFlags)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("conform takes no arguments, got %q", fs.Args())
	}
	if f.list {
		return listContracts(e.stdout)
	}
	cfg, err := f.config(flagsSet(fs), e.getenv)
	if err != nil {
		return err
	}
	if err := checkOutDir("--out", f.out); err != nil {
		return err
	}
	if cfg.Embedded() && !f.skipPreflight {
		// The preflight's emulator and the run's sign with the same keys,
		// made once.
		if err := shareEmulatorKeys(&cfg); err != nil {
			return err
		}
	}
	cfg.Progress = e.stdout
	r, err := cfg.Resolve()
	if err != nil {
		return usagef("%v", err)
	}
	// A remote target is probed before its token endpoint or any other
	// endpoint is contacted.
	if err := f.target.probeTarget(ctx, false); err != nil {
		return err
	}
	if err := conformPreflight(ctx, e, &f, &cfg); err != nil {
		return err
	}
	return withStopDeadline(ctx, stopDeadline, suites.InFlight, func() error { return conform(ctx, e, &f, r) })
}

// hideFlags makes --help leave out the hidden flags.
func hideFlags(fs *flag.FlagSet, hidden map[string]bool) {
	usage := fs.Usage
	fs.Usage = func() {
		visible := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
		visible.SetOutput(fs.Output())
		fs.VisitAll(func(fl *flag.Flag) {
			if !hidden[fl.Name] {
				visible.Var(fl.Value, fl.Name, fl.Usage)
			}
		})
		orig := *fs
		*fs = *visible
		usage()
		*fs = orig
	}
}

// config layers the configuration: defaults < values file < flags set. The
// caller resolves it (suites.Config.Resolve), once.
func (f *conformFlags) config(set map[string]bool, getenv func(string) string) (suites.Config, error) {
	cfg := suites.NewConfig()
	if f.values != "" {
		if err := cfg.Values.LoadValuesFile(f.values); err != nil {
			return cfg, usagef("--values: %v", err)
		}
	}
	t := &f.target
	if err := t.resolve(getenv); err != nil {
		return cfg, err
	}
	if err := f.applyTarget(&cfg, set); err != nil {
		return cfg, err
	}
	if err := f.applyRun(&cfg, set); err != nil {
		return cfg, err
	}
	if err := f.applyEmulator(&cfg, set); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// applyTarget maps the shared target flags.
func (f *conformFlags) applyTarget(cfg *suites.Config, set map[string]bool) error {
	t := &f.target
	cfg.Target = t.config()
	cfg.Strict = f.strict
	if set["tenant-id"] {
		cfg.Values.TenantID = t.tenantID
	}
	if !t.embedded() && cfg.Values.APIVersion != t.apiVersion() && f.values != "" && set["values"] {
		cfg.Values.APIVersion = t.apiVersion()
	}
	return nil
}

// applyRun maps the flags that choose what runs and how long it waits.
func (f *conformFlags) applyRun(cfg *suites.Config, set map[string]bool) error {
	if set["features"] {
		fs, err := suites.ParseFeatures(f.features)
		if err != nil {
			return usagef("--features: %v", err)
		}
		if fs == nil {
			fs = []suites.Feature{}
		}
		cfg.Features = fs
	}
	if set["timing"] {
		if _, err := suites.TimeoutsFor(f.timing); err != nil {
			return usagef("--timing: %v", err)
		}
		cfg.TimingProfile = f.timing
	}
	if err := checkLabelFilter(f.labelFilter); err != nil {
		return err
	}
	cfg.LabelFilter = f.labelFilter
	return nil
}

// checkLabelFilter parses --label-filter before anything runs: a syntax
// error, or a filter that selects no contract, is bad usage (exit 2) in one
// line without the terminal colours Ginkgo's own message carries.
func checkLabelFilter(expr string) error {
	if expr == "" {
		return nil
	}
	match, err := types.ParseLabelFilter(expr)
	if err != nil {
		return usagef("--label-filter %q: %s", expr, labelFilterProblem(err))
	}
	for _, c := range suites.Contracts() {
		if match(c.Labels()) {
			return nil
		}
	}
	return usagef("--label-filter %q selects no contract; the labels are listed by 'callcheck conform --list' and docs/contracts.md", expr)
}

// labelFilterProblem is the last line of Ginkgo's parse error, its colour
// markup removed.
func labelFilterProblem(err error) string {
	msg := err.Error()
	var ge types.GinkgoError
	if errors.As(err, &ge) {
		msg = ge.Message
	}
	msg = ansiOrMarkup.ReplaceAllString(msg, "")
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// ansiOrMarkup matches ANSI colour sequences and Ginkgo's {{colour}} markup.
var ansiOrMarkup = regexp.MustCompile(`\x1b\[[0-9;]*m|\{\{/?[a-z-]*\}\}`)

// applyEmulator maps the hidden flags of the embedded emulator.
func (f *conformFlags) applyEmulator(cfg *suites.Config, set map[string]bool) error {
	if !set["violate"] && !set["emulator-config"] {
		return nil
	}
	if !f.target.embedded() {
		return usagef("--violate and --emulator-config apply to the embedded emulator only, not with --target")
	}
	ecfg := target.NewEmulatorConfig()
	if f.emulatorConfig != "" {
		if err := ecfg.LoadConfigFile(f.emulatorConfig); err != nil {
			return usagef("--emulator-config: %v", err)
		}
	}
	if set["violate"] {
		vs, err := target.ParseViolations(f.violate)
		if err != nil {
			return usagef("--violate: %v", err)
		}
		ecfg.Violations = vs
	}
	cfg.Target.Emulator = &ecfg
	return nil
}

// conform runs the contracts, prints the progress and the summary, writes
// the reports and maps the verdict onto the exit code.
func conform(ctx context.Context, e *env, f *conformFlags, r suites.Resolved) error {
	fmt.Fprintf(e.stdout, "callcheck conform: %d contracts against %s\n", len(suites.Contracts()), describeTarget(r))
	g := suites.GinkgoSettings{Verbose: f.verbose}
	if f.verbose {
		g.Output = e.stderr
	}
	if f.out != "" {
		g.JSONReport = filepath.Join(f.out, suites.FileGinkgoJSON)
	}
	rep, err := suites.RunResolved(ctx, r, g)
	var se *suites.SetupError
	switch {
	case ctx.Err() != nil && rep == nil:
		return fmt.Errorf("interrupted before any contract ran: %w", ctx.Err())
	case errors.As(err, &se):
		return usagef("%v", err)
	case rep == nil:
		return err
	}
	if werr := suites.WriteSummary(e.stdout, rep); werr != nil {
		return werr
	}
	if f.out != "" {
		files, werr := suites.WriteOutputs(f.out, rep)
		if werr != nil {
			return fmt.Errorf("--out: %w", werr)
		}
		fmt.Fprintf(e.stdout, "reports: %s\n", strings.Join(append(files, g.JSONReport), ", "))
	}
	if ctx.Err() != nil {
		msg := fmt.Sprintf("interrupted: %d of %d contracts did not run; the verdicts above cover only what ran", len(rep.NotRun), len(rep.Examples)+len(rep.Negative))
		if len(rep.Undeleted) > 0 {
			msg += fmt.Sprintf("; %d calls could not be deleted: %s", len(rep.Undeleted), strings.Join(rep.Undeleted, ", "))
		}
		return errors.New(msg)
	}
	if err != nil {
		return err
	}
	if rep.Verdict == report.Failed {
		return failedError{fmt.Sprintf("%d of %d contracts failed", rep.Summary.Failed, len(rep.Examples)+len(rep.Negative))}
	}
	if rep.Summary.Passed == 0 {
		return failedError{fmt.Sprintf("no contract was checked (%d not supported, %d skipped): nothing passed", rep.Summary.NotSupported, rep.Summary.Skipped)}
	}
	return nil
}

func describeTarget(r suites.Resolved) string {
	if r.Embedded() {
		if n := r.Violations(); n > 0 {
			return fmt.Sprintf("the embedded emulator, making %d deliberate violations", n)
		}
		return "the embedded emulator"
	}
	return r.Target()
}

// listContracts prints the catalog of a dry run.
func listContracts(w io.Writer) error {
	cat, err := suites.PreviewCatalog()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "contract\tprofile\tfeatures\tsteps")
	for _, c := range cat {
		feats := make([]string, len(c.Features))
		for i, ft := range c.Features {
			feats[i] = string(ft)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", c.ID, c.Profile, strings.Join(feats, ","), len(c.Steps))
	}
	return tw.Flush()
}
