package suites

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/identity"
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
	// Target is the base URL of the API under test, including the version
	// segment ("https://graph.microsoft.com/beta"). Empty: the embedded
	// emulator, started on loopback for the run.
	Target string
	// Token is a static bearer token for the target (--token).
	Token string
	// ClientCredentials get tokens for the target with the OAuth2
	// client-credentials grant (--client-id, --client-secret, --token-url).
	// The secret is never printed nor written to a report.
	ClientCredentials identity.ClientCredentials
	// TokenSource, when set, supplies the target's tokens instead of Token or
	// ClientCredentials (for library users with their own credentials).
	TokenSource oauth2.TokenSource

	// Listen is the address of callcheck's notification receiver
	// (default 127.0.0.1:0).
	Listen string
	// CallbackURL is the public URL that reaches the receiver, sent as every
	// call's callbackUri. Empty: the receiver's own URL (fine for targets on
	// this machine).
	CallbackURL string
	// NotificationOpenID is the OpenID configuration URL whose keys sign the
	// target's notification tokens. Empty: the embedded emulator's, or
	// DefaultNotificationOpenID for a remote target.
	NotificationOpenID string
	// AppID is the audience notification tokens must carry, the bot's app id.
	// Empty: Values.Application.ID.
	AppID string

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

	// Emulator configures the embedded emulator; nil: its defaults
	// (target.NewEmulatorConfig). The suites register their own apps in it
	// (the bot, and apps lacking one permission each) and allow plain-http
	// loopback callbacks, since the receiver is a loopback server of this
	// process.
	Emulator *target.EmulatorConfig

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
func (c *Config) Embedded() bool { return c.Target == "" }

// Validate reports the first invalid setting, naming the field (or the flag
// that sets it).
func (c *Config) Validate() error {
	_, err := c.resolve()
	return err
}

// resolved is a Config validated once, at the edge (Run, or the container
// of Describe), into the values a run reads and never changes.
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
		return nil, fmt.Errorf("Target %s must end with the version segment /beta or /v1.0, not %q", c.Target, v)
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

// targetConfig is the target part of c: the embedded emulator (with
// Emulator) or Target with its credentials, and the receiver, whose
// tokens' audience is AppID, else the values' application.
func (c *Config) targetConfig() target.Config {
	tc := target.Config{URL: c.Target, Token: c.Token, ClientCredentials: c.ClientCredentials, TokenSource: c.TokenSource,
		Listen: c.Listen, CallbackURL: c.CallbackURL, NotificationOpenID: c.NotificationOpenID, AppID: c.AppID}
	if c.Embedded() {
		tc.APIVersion, tc.Emulator = c.apiVersion(), c.Emulator
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
	return target.VersionOf(c.Target)
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
	if c.ClientCredentials.ClientID != "" && v.Application.ID == DocumentedValues().Application.ID {
		v.Application.ID = c.ClientCredentials.ClientID
	}
	if v.MediaSessionBlob == "" {
		v.MediaSessionBlob = DocumentedValues().MediaSessionBlob
	}
	return v
}
