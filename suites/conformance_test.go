package suites_test

import (
	"testing"

	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/suites"
)

// TestConformance runs every contract against the embedded emulator, the
// reference implementation: all must pass.
func TestConformance(t *testing.T) {
	rep := suites.Test(t, suites.NewConfig())
	if rep.Verdict != report.Passed {
		t.Errorf("verdict %s: %+v", rep.Verdict, rep.Summary)
	}
	if got := len(rep.Examples); got != 10 {
		t.Errorf("%d example results, want 10", got)
	}
	// Every step a passing contract reports ran: a step left skipped (such
	// as a lobby step in an example without a lobby) is a contract that
	// claims more than it checked.
	for _, r := range append(rep.Examples, rep.Negative...) {
		for _, s := range r.Steps {
			if s.Verdict != report.Passed {
				t.Errorf("%s: step %s is %s in a passing run", r.ID, s.Name, s.Verdict)
			}
		}
	}
}
