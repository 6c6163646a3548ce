package suites

import (
	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/target"
)

// TargetConfig returns the target part of c as a run opens it: the
// embedded emulator (with Emulator and the values' API version) or Target
// with its credentials, and the receiver, whose tokens' audience is AppID,
// else the values' application. Preflight checks open the same target.
func (c *Config) TargetConfig() target.Config { return c.targetConfig() }

// ClaimedFeatures returns the features the target claims, as a run
// resolves them: Features, else Values.Features, else all (embedded) or
// the core profile.
func (c *Config) ClaimedFeatures() ([]Feature, error) { return c.claims() }

// RunValues returns the values a run fills the documented requests with:
// Values with the target's version and, where the values leave them to
// the credentials, the app id, and the default media-session blob.
func (c *Config) RunValues() Values { return c.resolvedValues() }

// Fill returns v as the fixtures' filler takes it, with callback as the
// callback URI.
func (v Values) Fill(callback string) fixtures.RunValues { return v.run(callback) }
