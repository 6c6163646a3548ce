package suites

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/callcheck/callcheck/fixtures"
)

// TestRegistryExamples: one documented example = one file = one registered
// contract, named after the example, in page order.
func TestRegistryExamples(t *testing.T) {
	var examples []*Contract
	for _, c := range Contracts() {
		if c.Kind == KindExample {
			examples = append(examples, c)
		}
	}
	all := fixtures.All()
	if len(examples) != len(all) {
		t.Fatalf("%d example contracts for %d documented examples", len(examples), len(all))
	}
	for i, ex := range all {
		c := examples[i]
		if c.ID != ex.Name() || c.Example != ex.Number || c.Title != ex.Title.English {
			t.Errorf("contract %d is %s (%d, %q), want %s", i, c.ID, c.Example, c.Title, ex.Name())
		}
		if _, err := os.Stat(c.ID + ".go"); err != nil {
			t.Errorf("contract %s has no file of its own: %v", c.ID, err)
		}
	}
}

// TestRegistryContracts: every contract is complete, its labels are valid
// Ginkgo labels, ids are unique and prefixed by kind.
func TestRegistryContracts(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Contracts() {
		if seen[c.ID] {
			t.Errorf("duplicate id %s", c.ID)
		}
		seen[c.ID] = true
		if c.Title == "" || len(c.Steps) == 0 || len(c.Sources) == 0 || c.run == nil {
			t.Errorf("%s is incomplete: %+v", c.ID, c)
		}
		if c.Kind == KindNegative && !strings.HasPrefix(c.ID, "negative_") {
			t.Errorf("negative contract %s is not prefixed negative_", c.ID)
		}
		for _, l := range c.Labels() {
			if _, err := types.ValidateAndCleanupLabel(l, types.CodeLocation{}); err != nil {
				t.Errorf("%s: label %q: %v", c.ID, l, err)
			}
		}
		if got, ok := ContractByID(c.ID); !ok || got != c {
			t.Errorf("ContractByID(%s) = %v", c.ID, got)
		}
	}
	if _, ok := ContractByID("example11"); ok {
		t.Error("an unknown id was found")
	}
}

// TestRegisterRefuses: a contract with an unknown feature, or registered
// twice, panics at registration (so at init, in every test run).
func TestRegisterRefuses(t *testing.T) {
	saved := registry
	t.Cleanup(func() { registry = saved })
	for _, tc := range []struct {
		name string
		c    *Contract
		want string
	}{
		{"unknown feature", &Contract{ID: "x", Steps: []string{"s"}, Features: []Feature{"teleport"}, run: func(*spec) {}}, "unknown feature"},
		{"duplicate", &Contract{ID: Example01.ID, Steps: []string{"s"}, run: func(*spec) {}}, "registered twice"},
		{"no steps", &Contract{ID: "y", run: func(*spec) {}}, "no id, steps or body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tc.want) {
					t.Fatalf("register panicked with %v, want %q", r, tc.want)
				}
			}()
			register(tc.c)
		})
	}
}

// TestReadingsCiteErrata: every reading of an example resolves at least one
// erratum of that example, so the report cites what the contract works around.
func TestReadingsCiteErrata(t *testing.T) {
	for _, c := range Contracts() {
		for _, r := range c.Readings {
			found := false
			for _, e := range fixtures.ForExample(fixtures.Errata(), c.Example) {
				found = found || r.resolves(e)
			}
			if !found {
				t.Errorf("%s: reading %q resolves no erratum of Example %d", c.ID, r.Text, c.Example)
			}
		}
	}
	if len(Example05.Errata()) == 0 {
		t.Error("Example 5 cites no errata")
	}
}

// TestExampleSteps: the steps follow what the page says of each example.
func TestExampleSteps(t *testing.T) {
	for _, tc := range []struct {
		c    *Contract
		has  string
		lack string
	}{
		{Example01, stepNoRoster, stepRoster}, // peer-to-peer: state changes only (Example 2's note)
		{Example09, stepNoRoster, stepRoster}, // PSTN: peer-to-peer too
		{Example05, stepRoster, stepNoRoster}, // meeting join: roster (Example 5's note)
		{Example03, stepRoster, stepNoRoster}, // group call: roster (facts §3.3)
		{Example08, stepLobby, stepNoRoster},  // guest: the lobby
		{Example08, stepAdmission, stepNoRoster},
	} {
		if !contains(tc.c.Steps, tc.has) || contains(tc.c.Steps, tc.lack) {
			t.Errorf("%s steps %v: want %s, not %s", tc.c.ID, tc.c.Steps, tc.has, tc.lack)
		}
	}
	for _, c := range Contracts() {
		if c.Kind == KindExample && (c.Steps[0] != stepRequest || c.Steps[len(c.Steps)-1] != stepAllNotifications) {
			t.Errorf("%s steps %v", c.ID, c.Steps)
		}
	}
}
