package emulator

import (
	"os"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph/rules"
)

// TestDocsListEverything keeps docs/emulator.md from going stale: every
// violation and every rule is named there.
func TestDocsListEverything(t *testing.T) {
	doc, err := os.ReadFile("../docs/emulator.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Violations() {
		if !strings.Contains(string(doc), "`"+string(v)+"`") {
			t.Errorf("docs/emulator.md does not list violation %s", v)
		}
	}
	for _, r := range rules.All() {
		if r.Scope != rules.ScopeService {
			continue
		}
		if !strings.Contains(string(doc), "`"+string(r.ID)+"`") {
			t.Errorf("docs/emulator.md does not list rule %s", r.ID)
		}
	}
}
