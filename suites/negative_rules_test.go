package suites

import (
	"slices"
	"testing"

	"github.com/callcheck/callcheck/graph/rules"
)

// TestRuleNegativesAreRegistered: every negative the rulebook gives is a
// registered contract with its id and title, the features of the example
// it changes, and the rule's status (and documented code) as the refusal
// it expects.
func TestRuleNegativesAreRegistered(t *testing.T) {
	n := 0
	for _, r := range rules.All() {
		for _, neg := range r.Negatives {
			n++
			c, ok := ContractByID("negative_" + neg.Name)
			if !ok {
				t.Errorf("rule %s: negative %s is not registered", r.ID, neg.Name)
				continue
			}
			if c.Title != neg.Title || c.Kind != KindNegative || !slices.Equal(c.Features, exampleFeatures(neg.Example)) {
				t.Errorf("contract %s: title %q, kind %s, features %v; the rulebook says %q on Example %d", c.ID, c.Title, c.Kind, c.Features, neg.Title, neg.Example)
			}
			want := ruleNegative(r, neg, c.Sources).want
			if r.CodeDocumented && want.Source.Basis == "" {
				t.Errorf("contract %s pins code %s with no source", c.ID, want.Code)
			}
			if !slices.Equal(want.Statuses, []int{r.Status}) || (want.Code != "") != r.CodeDocumented || (r.CodeDocumented && want.Code != r.Code) {
				t.Errorf("contract %s expects %s; the rule refuses with %d %s (documented %v)", c.ID, want, r.Status, r.Code, r.CodeDocumented)
			}
		}
	}
	if n != 12 {
		t.Errorf("%d negatives in the rulebook, want the 12 request negatives (4 body, 6 roles, 2 tenant)", n)
	}
}
