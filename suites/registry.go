package suites

import (
	"fmt"
	"slices"
	"strings"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/report"
)

// Kind tells a documented example's contract from a negative one.
type Kind string

// The kinds of contract.
const (
	KindExample  Kind = "example"  // one documented example, end to end
	KindNegative Kind = "negative" // a request the target must refuse
)

// Contract is one registered conformance contract: one documented example
// (one file, exampleNN_<slug>.go, named after the example) or one negative
// check. Contracts are exported values, registered in init(); their ids are
// stable and appear in reports and in the golden catalog (docs/contracts.md).
type Contract struct {
	// ID is the stable id: the example's fixture name
	// ("example05_join_scheduled_meeting_service_media") or
	// "negative_<what>".
	ID string
	// Title says what the contract checks, in a sentence fragment.
	Title string
	// Kind is example or negative.
	Kind Kind
	// Example is the documented example's number, 0 for a negative contract.
	Example int
	// Features are the features the contract exercises; a target must claim
	// them all, or the contract is not supported.
	Features []Feature
	// OptionalFeatures enable further steps when claimed (Example 8 admits
	// the guest from the lobby only with lobby-admission-control).
	OptionalFeatures []Feature
	// Steps are the steps the contract takes, in order, as the report names them.
	Steps []string
	// Sources are the documentation the assertions rest on.
	Sources []Source
	// Readings say how the contract reads an example the errata make
	// self-contradictory (create-call-doc.txt defects); the report cites
	// the errata each reading resolves.
	Readings []Reading
	// Expects says, for a negative contract, the refusal it expects and
	// what the exact status rests on.
	Expects string

	run func(*spec)
}

// Reading is how a contract reads an example whose documented text is
// self-contradictory: the errata it resolves and what it does instead.
type Reading struct {
	// Kinds and Block select the example's errata the reading resolves
	// (Block "" matches every block; Pointer a prefix of the erratum's).
	Kinds   []fixtures.ErratumKind
	Block   string
	Pointer string
	// Text says what the contract does, in a sentence.
	Text string

	apply func(body any) // rewrites the filled request, when the reading changes it
}

// registry holds the contracts in registration order: examples in page
// order (their files' init order), then the negative contracts.
var registry []*Contract

// register adds c to the registry; it panics on a duplicate id, an unknown
// feature or a missing step list, so a bad contract fails every test run.
func register(c *Contract) {
	if c.ID == "" || len(c.Steps) == 0 || c.run == nil {
		panic(fmt.Sprintf("suites: contract %q has no id, steps or body", c.ID))
	}
	for _, f := range append(slices.Clone(c.Features), c.OptionalFeatures...) {
		if !f.Known() {
			panic(fmt.Sprintf("suites: contract %s names unknown feature %q", c.ID, f))
		}
	}
	for _, o := range registry {
		if o.ID == c.ID {
			panic("suites: contract registered twice: " + c.ID)
		}
	}
	registry = append(registry, c)
	slices.SortStableFunc(registry, func(a, b *Contract) int { return compareContracts(a, b) })
}

// compareContracts orders examples by number, then negative contracts in
// registration order.
func compareContracts(a, b *Contract) int {
	if a.Kind != b.Kind {
		if a.Kind == KindExample {
			return -1
		}
		return 1
	}
	return a.Example - b.Example
}

// Contracts returns every registered contract: the ten documented examples
// in page order, then the negative contracts.
func Contracts() []*Contract { return slices.Clone(registry) }

// ContractByID returns the contract with id.
func ContractByID(id string) (*Contract, bool) {
	for _, c := range registry {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

// Profile is core when every feature of the contract is, else extended.
func (c *Contract) Profile() Profile {
	for _, f := range c.Features {
		if FeatureProfile(f) != ProfileCore {
			return ProfileExtended
		}
	}
	return ProfileCore
}

// Labels are the contract's Ginkgo labels: its kind, its profile and its
// features (all from the frozen registry).
func (c *Contract) Labels() []string {
	out := []string{string(c.Kind), string(c.Profile())}
	for _, f := range c.Features {
		out = append(out, string(f))
	}
	return out
}

// SpecText is the text of the contract's Ginkgo spec: "<id>: <title>".
func (c *Contract) SpecText() string { return c.ID + ": " + c.Title }

// Errata returns the documentation errata the contract's readings resolve.
func (c *Contract) Errata() []report.ErratumRef {
	if c.Example == 0 || len(c.Readings) == 0 {
		return nil
	}
	var out []report.ErratumRef
	for _, e := range fixtures.ForExample(fixtures.Errata(), c.Example) {
		for _, r := range c.Readings {
			if r.resolves(e) {
				out = append(out, report.ErratumRef{Example: e.Example, Block: e.Block, Pointer: e.Pointer,
					Kind: string(e.Kind), Message: e.Message})
				break
			}
		}
	}
	return out
}

func (r Reading) resolves(e fixtures.Erratum) bool {
	return slices.Contains(r.Kinds, e.Kind) && (r.Block == "" || r.Block == e.Block) &&
		strings.HasPrefix(e.Pointer, r.Pointer)
}
