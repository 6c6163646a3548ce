package suites

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/callcheck/callcheck/target"
)

// DefaultNotificationOpenID is the OpenID configuration whose keys sign the
// notifications Microsoft Graph posts (graph-calls-facts.md §6), the default
// for a remote target.
const DefaultNotificationOpenID = target.DefaultNotificationOpenID

// Config says what to test and how. Build it with NewConfig and change what
// you need; no field is read before the suites run, so a vendor may finish
// it after registering the specs (Describe).
type Config struct {
	// Target is what the contracts run against, how callcheck authenticates
	// to it and where it receives its notifications (target.Config, one per
	// flag: --target, --token, --client-id, --listen, --callback-url,
	// --notification-openid, --app-id). The zero value is the embedded
	// emulator, started on loopback for the run, in which the suites
	// register their own apps (the bot, and apps lacking one permission
	// each); a remote Target.URL ends with the version segment /beta or
	// /v1.0. For the embedded emulator the version is Values.APIVersion
	// (Target.APIVersion is not read); notification tokens carry
	// Target.AppID, else Values.Application.ID, as their audience.
	Target target.Config

	// Values are the ids filled into the documented requests.
	Values Values
	// Features are the features the target claims. Nil: every feature for
	// the embedded emulator, the features of Values.Features if any, else
	// the core profile.
	Features []Feature
	// Timeouts bound the waits; zero fields take the timing profile's
	// (TimingProfile, else fast for the embedded emulator, realistic otherwise).
	Timeouts Timeouts
	// TimingProfile names the profile zero Timeouts fields come from ("fast"
	// or "realistic"); empty: chosen by the target as above.
	TimingProfile string

	// Strict makes every check able to fail the run against a remote target,
	// inferred ones (callcheck's own reading) and duplicated notifications
	// included; otherwise those only warn there. The embedded emulator is
	// always judged strictly.
	Strict bool

	// LabelFilter selects contracts by Ginkgo label (features, "example",
	// "negative", "core", "extended"), as ginkgo --label-filter does; Run only.
	LabelFilter string
	// HTTPClient sends the requests to the target; nil: a client with no
	// overall timeout (each request is bounded by Timeouts.Request).
	HTTPClient *http.Client
	// Progress, when set, gets one line per contract as it finishes.
	Progress io.Writer
}

// NewConfig returns the defaults: the embedded emulator, the page's own
// values (DocumentedValues), every feature claimed for the emulator, the
// timing profile chosen by the target.
func NewConfig() Config {
	return Config{Values: DocumentedValues()}
}

// Embedded reports whether the embedded emulator is the target.
func (c *Config) Embedded() bool { return c.Target.Embedded() }

// Validate reports the first invalid setting, naming the field (or the flag
// that sets it). It is Resolve without the result.
func (c *Config) Validate() error {
	_, err := c.Resolve()
	return err
}

// Resolved is a Config validated once, at the edge, into what a run reads:
// an immutable value made by Config.Resolve and run by RunResolved. A CLI
// resolves first, so that a bad setting is a usage error before anything
// is printed or started.
type Resolved struct {
	cfg Config    // the Config resolved, its slices, map and emulator configuration copied
	run *resolved // what the run reads
}

// Resolve validates c once and returns it as a Resolved; the first invalid
// setting is the error, naming the field (or the flag that sets it). Later
// changes to c (or to the slices it holds) do not reach the Resolved.
func (c Config) Resolve() (Resolved, error) {
	c.Features, c.Values = slices.Clone(c.Features), c.Values.clone()
	c.Target.ClientCredentials.Scopes = slices.Clone(c.Target.ClientCredentials.Scopes)
	if c.Target.Emulator != nil {
		e := c.Target.Emulator.Clone()
		c.Target.Emulator = &e
	}
	r, err := c.resolve()
	if err != nil {
		return Resolved{}, err
	}
	return Resolved{cfg: c, run: r}, nil
}

// Embedded reports whether the embedded emulator is the target.
func (r Resolved) Embedded() bool { return r.cfg.Embedded() }

// Target is the remote target's base URL as given ("" for the embedded
// emulator).
func (r Resolved) Target() string { return r.cfg.Target.URL }

// Violations is how many deliberate contract violations the embedded
// emulator is configured to make (Config.Emulator).
func (r Resolved) Violations() int {
	if r.cfg.Target.Emulator == nil {
		return 0
	}
	return len(r.cfg.Target.Emulator.Violations)
}

// resolved is what a run reads of a Config validated once, at the edge
// (Config.Resolve, or the container of Describe), and never changes.
type resolved struct {
	target   target.Spec
	timeouts Timeouts
	values   Values
	claims   []Feature
	strict   bool // every check may fail: Strict, or the embedded emulator
	// strictFlag is Strict as set: duplicated notifications fail only then,
	// since a delivery retried under load duplicates one on any target.
	strictFlag bool
}

// resolve validates c and returns what the run reads.
func (c *Config) resolve() (*resolved, error) {
	spec, err := c.targetConfig().Resolve()
	if err != nil {
		return nil, err
	}
	if v := spec.APIVersion(); !c.Embedded() && v != "beta" && v != "v1.0" {
		return nil, fmt.Errorf("Target %s must end with the version segment /beta or /v1.0, not %q", c.Target.URL, v)
	}
	for _, f := range c.Features {
		if !f.Known() {
			return nil, fmt.Errorf("Features: unknown feature %q; known: %s", f, joinFeatures(Features()))
		}
	}
	claims, err := c.claims()
	if err != nil {
		return nil, err
	}
	if c.TimingProfile != "" {
		if _, err := TimeoutsFor(c.TimingProfile); err != nil {
			return nil, fmt.Errorf("TimingProfile: %w", err)
		}
	}
	if err := c.Timeouts.validate(); err != nil {
		return nil, err
	}
	values := c.resolvedValues()
	if err := values.validate(); err != nil {
		return nil, err
	}
	return &resolved{target: spec, timeouts: c.timeouts(), values: values, claims: claims, strict: c.Strict || c.Embedded(), strictFlag: c.Strict}, nil
}

// targetConfig is c.Target with the embedded emulator's version
// (Values.APIVersion) and, when it names no audience for notification
// tokens, the values' application.
func (c *Config) targetConfig() target.Config {
	tc := c.Target
	tc.APIVersion = ""
	if c.Embedded() {
		tc.APIVersion = c.apiVersion()
	}
	if tc.AppID == "" {
		tc.AppID = c.resolvedValues().Application.ID
	}
	return tc
}

// apiVersion is the version the run uses: the last path segment of Target,
// else Values.APIVersion.
func (c *Config) apiVersion() string {
	if c.Embedded() {
		if c.Values.APIVersion == "" {
			return "beta"
		}
		return c.Values.APIVersion
	}
	return target.VersionOf(c.Target.URL)
}

// claims returns the claimed features: Features, else Values.Features,
// else all (embedded) or the core profile.
func (c *Config) claims() ([]Feature, error) {
	switch {
	case c.Features != nil:
		return c.Features, nil
	case len(c.Values.Features) > 0:
		fs, err := ParseFeatures(strings.Join(c.Values.Features, ","))
		if err != nil {
			return nil, fmt.Errorf("values: features: %w", err)
		}
		return fs, nil
	case c.Embedded():
		return Features(), nil
	}
	return ProfileFeatures(ProfileCore), nil
}

// timeouts returns the Timeouts with zero fields from the profile.
func (c *Config) timeouts() Timeouts {
	profile := c.TimingProfile
	if profile == "" {
		profile = TimingRealistic
		if c.Embedded() {
			profile = TimingFast
		}
	}
	d, _ := TimeoutsFor(profile)
	return c.Timeouts.orDefaults(d)
}

// resolvedValues returns Values with the version of the target and, where
// the values leave them to credentials, the app id and tenant.
func (c *Config) resolvedValues() Values {
	v := c.Values
	v.APIVersion = c.apiVersion()
	if id := c.Target.ClientCredentials.ClientID; id != "" && v.Application.ID == DocumentedValues().Application.ID {
		v.Application.ID = id
	}
	if v.MediaSessionBlob == "" {
		v.MediaSessionBlob = DocumentedValues().MediaSessionBlob
	}
	return v
}

// clone copies v's slices and map, so that a Resolved shares none with the
// Config it was made from.
func (v Values) clone() Values {
	v.Users, v.Features = slices.Clone(v.Users), slices.Clone(v.Features)
	v.AppsLackingRole = maps.Clone(v.AppsLackingRole)
	return v
}
