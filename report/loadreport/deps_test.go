package loadreport

import (
	"os/exec"
	"strings"
	"testing"
)

// TestReadsResultsWithoutTheEngine: the load section reads the result
// documents (load/result), not the attack engine (load).
func TestReadsResultsWithoutTheEngine(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, p := range deps {
		if p == "github.com/callcheck/callcheck/load" {
			t.Error("report/loadreport depends on package load")
		}
	}
	if !strings.Contains(string(out), "github.com/callcheck/callcheck/load/result\n") {
		t.Errorf("report/loadreport does not read load/result; deps: %v", deps)
	}
}
