package target

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyTargetAndCmdImportEmulator: the emulator is a server that only the
// command line and this package start (tests start one through
// internal/testkit/emutest, which goes through this package); every other
// package reaches the rules, roles and configuration it needs through graph,
// graph/rules and target. A package (test code aside) that imports the
// emulator fails this test.
func TestOnlyTargetAndCmdImportEmulator(t *testing.T) {
	const module = "github.com/callcheck/callcheck"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string]bool{module + "/cmd/callcheck": true, module + "/target": true}
	importers := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if imp != module+"/emulator" {
				continue
			}
			importers++
			if !allowed[fields[0]] {
				t.Errorf("%s imports the emulator: only cmd/callcheck and target may (docs/architecture.md, import rules)", fields[0])
			}
		}
	}
	if importers == 0 {
		t.Fatalf("no package imports the emulator, not even target: go list said\n%s", out)
	}
}
