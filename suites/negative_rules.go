package suites

import (
	"fmt"
	"slices"

	"github.com/callcheck/callcheck/graph/rules"
	"github.com/callcheck/callcheck/identity"
)

// The request-level negative contracts come from the rulebook's table
// (graph/rules): each rule that gives a negative names the documented
// example to change, the change and the contract's id and title, and the
// rule's status (and its code, when the fact sheet documents it) is what the
// target must answer. A rule added to the rulebook with a negative thus gets
// its negative contract here, as it gets its emulator answer and its
// certify-bot check.

// ruleContract builds the negative contract called name of rule id, citing
// sources. It panics when the rulebook has no such negative, so a renamed
// rule or negative fails every test run.
func ruleContract(id rules.ID, name string, sources ...Source) *Contract {
	r, ok := rules.Lookup(id)
	if !ok {
		panic(fmt.Sprintf("suites: no rule %q in the rulebook", id))
	}
	for _, n := range r.Negatives {
		if n.Name == name {
			return negativeContract(ruleNegative(r, n, sources))
		}
	}
	panic(fmt.Sprintf("suites: rule %q gives no negative %q", id, name))
}

// ruleNegative is the negative contract of rule r's negative n.
func ruleNegative(r rules.Rule, n rules.Negative, sources []Source) negative {
	// The status and code are pinned only when the rulebook records the
	// code as the one the service was seen answering (its source is the
	// contract's first); otherwise any refusal holds and the exact status
	// is an inferred finding.
	want := refusal{Statuses: []int{r.Status}}
	if r.CodeDocumented && len(sources) > 0 {
		want.Code, want.Source = r.Code, sources[0]
		want.StatusInferred = sources[0] == srcMissingRole
	} else if r.CodeDocumented {
		want.Code = r.Code
	}
	return negative{id: n.Name, title: n.Title, features: exampleFeatures(n.Example), sources: sources, want: want,
		build: func(sp *spec) (request, bool, string) { return mutated(sp, n) }}
}

// exampleFeatures are the features of example n's contract, which a
// negative built on it claims too (Example 8's scenario is a guest join, its
// contract also claims the channel meeting it joins).
func exampleFeatures(n int) []Feature {
	for _, c := range []*Contract{Example01, Example02, Example03, Example04, Example05, Example06, Example07, Example08, Example09, Example10} {
		if c.Example == n {
			return slices.Clone(c.Features)
		}
	}
	panic(fmt.Sprintf("suites: no contract of Example %d", n))
}

// mutated is example n.Example's documented request with n's change.
func mutated(sp *spec, n rules.Negative) (request, bool, string) {
	if n.Mutation == rules.MutateWithoutRole {
		ts := sp.env.lacking[n.Role]
		if ts == nil {
			return request{}, false, "no app lacking " + n.Role + " is configured (values: appsLackingRole)"
		}
		req := createOf(documentedBody(sp, n.Example))
		req.Tokens = ts
		return req, true, ""
	}
	body := documentedBody(sp, n.Example)
	switch n.Mutation {
	case rules.MutateDelete:
		deleteAt(body, n.Pointer)
	case rules.MutateHTTPCallback:
		setAt(body, "/callbackUri", plainHTTP(sp.env.callbackURL))
	case rules.MutateSixTargets:
		setAt(body, "/targets", sixTargets(sp.env.values.Users))
	case rules.MutateForeignTenant:
		setAt(body, "/tenantId", identity.ForeignTenantID)
	default:
		panic(fmt.Sprintf("suites: negative %s: unknown mutation %q", n.Name, n.Mutation))
	}
	return createOf(body), true, ""
}
