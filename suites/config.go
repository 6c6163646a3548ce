package suites

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/identity"
)

// DefaultNotificationOpenID is the OpenID configuration whose keys sign the
// notifications Microsoft Graph posts (graph-calls-facts.md §6), the default
// for a remote target.
const DefaultNotificationOpenID = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration"

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

	// Emulator configures the embedded emulator; nil: emulator.NewConfig().
	// The suites register their own apps in it (the bot, and apps lacking
	// one permission each) and allow plain-http loopback callbacks, since the
	// receiver is a loopback server of this process.
	Emulator *emulator.Config

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
	if err := c.validateTarget(); err != nil {
		return err
	}
	for _, f := range []struct{ name, raw string }{{"CallbackURL (--callback-url)", c.CallbackURL},
		{"NotificationOpenID (--notification-openid)", c.NotificationOpenID}} {
		if f.raw != "" {
			if err := checkAbsURL(f.name, f.raw); err != nil {
				return err
			}
		}
	}
	if c.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Listen); err != nil {
			return fmt.Errorf("Listen (--listen) %q is not host:port: %v", c.Listen, err)
		}
	}
	for _, f := range c.Features {
		if !f.Known() {
			return fmt.Errorf("Features: unknown feature %q; known: %s", f, joinFeatures(Features()))
		}
	}
	if _, err := c.claims(); err != nil {
		return err
	}
	if c.TimingProfile != "" {
		if _, err := TimeoutsFor(c.TimingProfile); err != nil {
			return fmt.Errorf("TimingProfile: %w", err)
		}
	}
	if err := c.Timeouts.validate(); err != nil {
		return err
	}
	return c.resolvedValues().validate()
}

func (c *Config) validateTarget() error {
	if c.Embedded() {
		if c.Token != "" || c.ClientCredentials.ClientID != "" || c.TokenSource != nil {
			return errors.New("credentials (--token, --client-id) need a Target (--target): the embedded emulator issues its own")
		}
		return nil
	}
	if err := checkAbsURL("Target (--target)", c.Target); err != nil {
		return err
	}
	switch {
	case c.TokenSource != nil:
	case c.Token != "" && c.ClientCredentials.ClientID != "":
		return errors.New("Token (--token) and ClientCredentials (--client-id) are exclusive; give one")
	case c.Token != "":
	case c.ClientCredentials.ClientID != "":
		if err := c.ClientCredentials.Validate(); err != nil {
			return fmt.Errorf("ClientCredentials: %w", err)
		}
	default:
		return fmt.Errorf("Target %s needs credentials: Token (--token) or ClientCredentials (--client-id, --client-secret, --token-url)", c.Target)
	}
	if v := c.apiVersion(); v != "beta" && v != "v1.0" {
		return fmt.Errorf("Target %s must end with the version segment /beta or /v1.0, not %q", c.Target, v)
	}
	return nil
}

// checkAbsURL accepts an absolute http or https URL with a host.
func checkAbsURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s %q is not a URL: %v", name, raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q must be an absolute http(s) URL", name, raw)
	}
	return nil
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
	u, err := url.Parse(strings.TrimRight(c.Target, "/"))
	if err != nil {
		return ""
	}
	segs := strings.Split(u.Path, "/")
	return segs[len(segs)-1]
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

// authKind names how the target is authenticated, for the report.
func (c *Config) authKind() string {
	switch {
	case c.Embedded():
		return "embedded"
	case c.TokenSource != nil:
		return "token-source"
	case c.Token != "":
		return "static-token"
	}
	return "client-credentials"
}
