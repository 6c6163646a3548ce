package suites_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
)

// Child processes: Ginkgo runs specs once per process, so the tests that
// need several runs (the violation matrix, the dry-run catalog) re-execute
// this test binary with childEnv set, and it does one job and exits.
const (
	childEnv     = "CALLCHECK_SUITES_CHILD"     // "run", "vendor" or "preview"
	violationEnv = "CALLCHECK_SUITES_VIOLATION" // the emulator violation of a "run" child ("" none)
	labelsEnv    = "CALLCHECK_SUITES_LABELS"    // the label filter of a "run" child
	outEnv       = "CALLCHECK_SUITES_OUT"       // where the child writes its JSON result
)

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "run":
		os.Exit(childRun())
	case "preview":
		os.Exit(childPreview())
	case "vendor":
		os.Exit(childVendor())
	case "remote":
		os.Exit(childRemote())
	default:
		fmt.Fprintf(os.Stderr, "unknown %s %q\n", childEnv, os.Getenv(childEnv))
		os.Exit(2)
	}
}

// childRun runs every contract against the embedded emulator making the
// violation named in the environment, and writes the report.
func childRun() int {
	cfg := suites.NewConfig()
	ecfg := emulator.NewConfig()
	if v := os.Getenv(violationEnv); v != "" {
		vs, err := emulator.ParseViolations(v)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		ecfg.Violations = vs
	}
	cfg.Target.Emulator = &ecfg
	// Tighter ceilings than FastTimeouts: a violation that withholds a
	// notification costs one ceiling per example. The faithful emulator
	// delivers within milliseconds; the faithful row of the matrix would
	// show a ceiling too tight.
	cfg.Timeouts = suites.Timeouts{Notification: 750 * time.Millisecond, Gone: 750 * time.Millisecond}
	cfg.LabelFilter = os.Getenv(labelsEnv)
	rep, err := suites.Run(context.Background(), cfg, suites.GinkgoSettings{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return writeChildJSON(rep)
}

// vendorResult is what the "vendor" child reports.
type vendorResult struct {
	OwnSpecRan bool                `json:"ownSpecRan"`
	Passed     bool                `json:"passed"`
	Report     *report.Conformance `json:"report"`
}

// childVendor embeds the contracts in a vendor's own Ginkgo tree beside a
// spec of its own (the register-only entry, csi-test's GinkgoTest) and
// runs that tree with the vendor's RunSpecs.
func childVendor() int {
	cfg := suites.NewConfig()
	var res vendorResult
	var session *suites.Session
	ginkgo.Describe("a vendor's suite", func() {
		ginkgo.It("runs the vendor's own spec", func() { res.OwnSpecRan = true })
		session = suites.Describe(&cfg)
	})
	gomega.RegisterFailHandler(ginkgo.Fail)
	t := &failRecorder{}
	ginkgo.RunSpecs(t, "vendor suite")
	res.Passed, res.Report = !t.failed, session.Report()
	return writeChildJSON(res)
}

// failRecorder is the vendor's testing.T stand-in.
type failRecorder struct{ failed bool }

func (f *failRecorder) Fail() { f.failed = true }

// childPreview writes the catalog of a dry run (Ginkgo's PreviewSpecs).
func childPreview() int {
	cat, err := suites.PreviewCatalog()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return writeChildJSON(cat)
}

func writeChildJSON(v any) int {
	f, err := os.Create(os.Getenv(outEnv))
	if err == nil {
		err = report.WriteJSON(f, v)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}
