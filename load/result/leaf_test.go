package result

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeaf: this package imports no other callcheck package, so the attack
// engine, the renderers and the command line can all import it.
func TestLeaf(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/callcheck/callcheck") && p != "github.com/callcheck/callcheck/load/result" {
			t.Errorf("load/result depends on %s", p)
		}
	}
}
