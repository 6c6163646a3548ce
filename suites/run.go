package suites

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/callcheck/callcheck/report"
)

// GinkgoSettings are the settings of Run that concern Ginkgo itself.
type GinkgoSettings struct {
	// JSONReport, when set, is the path Ginkgo writes its JSON report to.
	JSONReport string
	// Output receives Ginkgo's own reporter output; nil discards it (Run's
	// caller prints the progress and the summary).
	Output io.Writer
	// Verbose makes Ginkgo's reporter print every spec and step (By).
	Verbose bool
}

// SetupError is a failure to set the run up (the target's credentials, the
// notification keys, the receiver's address): a configuration problem, not
// a contract that failed.
type SetupError struct{ Err error }

// Error says what kept the run from starting.
func (e *SetupError) Error() string { return "setting up the conformance run: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *SetupError) Unwrap() error { return e.Err }

// ErrRanTwice is returned by Run when the specs already ran in this process:
// Ginkgo runs a suite once per process.
var ErrRanTwice = errors.New("suites: the conformance specs already ran in this process (Ginkgo runs specs once per process)")

var ran atomic.Bool

// Test registers the contracts and runs them under go test: t fails when a
// contract fails. Ginkgo's own flags (-ginkgo.label-filter, -ginkgo.v)
// apply. It returns the certification report.
//
//	func TestConformance(t *testing.T) {
//		cfg := suites.NewConfig()
//		suites.Test(t, cfg)
//	}
func Test(t *testing.T, cfg Config) *report.Conformance {
	t.Helper()
	gomega.RegisterFailHandler(ginkgo.Fail)
	s := Describe(&cfg)
	ran.Store(true)
	ginkgo.RunSpecs(t, SuiteDescription)
	return s.Report()
}

// failFlag is the tiny testing.T stand-in RunSpecs needs (csi-sanity's).
type failFlag struct{ failed bool }

// Fail records that a spec failed.
func (f *failFlag) Fail() { f.failed = true }

// Run resolves cfg (Config.Resolve) and runs it (RunResolved).
func Run(ctx context.Context, cfg Config, g GinkgoSettings) (*report.Conformance, error) {
	r, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	return RunResolved(ctx, r, g)
}

// RunResolved runs every contract against the target of r, in this
// process, through Ginkgo's RunSpecs, and returns the certification report;
// the report's Verdict says whether a contract failed. It sets the
// environment up before running any spec, so a problem reaching the target
// (credentials, notification keys, the receiver's address) is a
// *SetupError instead of thirty failed contracts. Ginkgo runs specs once
// per process: a run after Run or Test returns ErrRanTwice (after the
// setup). ctx cancels the run: every wait ends.
func RunResolved(ctx context.Context, r Resolved, g GinkgoSettings) (*report.Conformance, error) {
	if r.run == nil {
		return nil, errors.New("suites: RunResolved needs a Resolved made by Config.Resolve")
	}
	cfg := r.cfg
	env, err := setUp(ctx, r.run, cfg.HTTPClient)
	if err != nil {
		return nil, &SetupError{err}
	}
	defer env.tearDown(context.Background())
	if !ran.CompareAndSwap(false, true) {
		return nil, ErrRanTwice
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	s := Describe(&cfg)
	s.env, s.base, s.runCtx, s.resolved, s.arrivals = env, env.baseURL, ctx, r.run, env.arrivals
	running.Store(s)
	suiteCfg, reporterCfg := ginkgoConfig(cfg, g)
	out := g.Output
	if out == nil {
		out = io.Discard
	}
	formatter.ColorableStdOut = out
	ginkgo.RunSpecs(&failFlag{}, SuiteDescription, suiteCfg, reporterCfg)
	return s.Report(), ctx.Err()
}

// ginkgoConfig builds Ginkgo's configuration for Run: no randomization
// (contracts run in page order), the label filter, the JSON report.
func ginkgoConfig(cfg Config, g GinkgoSettings) (types.SuiteConfig, types.ReporterConfig) {
	suiteCfg := types.NewDefaultSuiteConfig()
	suiteCfg.LabelFilter = cfg.LabelFilter
	reporterCfg := types.NewDefaultReporterConfig()
	reporterCfg.NoColor = true
	reporterCfg.Succinct = !g.Verbose
	reporterCfg.Verbose = g.Verbose
	reporterCfg.JSONReport = g.JSONReport
	return suiteCfg, reporterCfg
}
