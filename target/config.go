package target

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/identity"
)

// DefaultNotificationOpenID is the OpenID configuration whose keys sign the
// notifications Microsoft Graph posts (graph-calls-facts.md §6), the default
// for a remote target.
const DefaultNotificationOpenID = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration"

// DefaultAPIVersion is the version segment of the embedded emulator's base
// URL when the Config names none.
const DefaultAPIVersion = "beta"

// DefaultListen is where the receiver listens when told nothing: loopback,
// a free port.
const DefaultListen = "127.0.0.1:0"

// Kinds of target, as reports name them.
const (
	KindEmbedded = "embedded-emulator"
	KindRemote   = "remote"
)

// Config says what the target is and how to reach it. Build it with
// NewConfig and set what the user gave; Resolve validates it.
type Config struct {
	// URL is the base URL of the API under test, including the version
	// segment ("https://graph.microsoft.com/beta") (--target). Empty: the
	// embedded emulator, started on loopback for the run.
	URL string
	// APIVersion is the version segment of the embedded emulator's base URL
	// (empty: DefaultAPIVersion); a URL carries its own.
	APIVersion string
	// Token is a static bearer token for the target (--token).
	Token string
	// ClientCredentials get tokens for the target with the OAuth2
	// client-credentials grant (--client-id, --client-secret, --token-url).
	// The secret is never printed nor written to a report.
	ClientCredentials identity.ClientCredentials
	// TokenSource, when set, supplies the target's tokens instead of Token or
	// ClientCredentials (for library users with their own credentials).
	TokenSource oauth2.TokenSource

	// Listen is the address of callcheck's notification receiver (--listen;
	// empty: DefaultListen).
	Listen string
	// CallbackURL is the public URL that reaches the receiver (--callback-url);
	// empty: the receiver's own URL (fine for targets on this machine).
	CallbackURL string
	// NotificationOpenID is the OpenID configuration URL whose keys sign the
	// target's notification tokens (--notification-openid). Empty: the
	// embedded emulator's, or DefaultNotificationOpenID for a remote target.
	NotificationOpenID string
	// AppID is the audience notification tokens must carry, the bot's app id
	// (--app-id). Empty: the client id of ClientCredentials, or the embedded
	// emulator's app.
	AppID string

	// Emulator configures the embedded emulator; nil: NewEmulatorConfig().
	// Open registers the caller's apps in it and allows plain-http loopback
	// callbacks, since the receiver is a loopback server of this process.
	Emulator *EmulatorConfig
}

// NewConfig returns the defaults: the embedded emulator, its own
// credentials and keys, a receiver on a free loopback port.
func NewConfig() Config { return Config{} }

// Embedded reports whether the embedded emulator is the target.
func (c *Config) Embedded() bool { return c.URL == "" }

// Validate reports the first invalid setting in one line, naming the field
// and the flag that sets it.
func (c *Config) Validate() error {
	if err := c.validateTarget(); err != nil {
		return err
	}
	for _, f := range []struct{ name, raw string }{{"CallbackURL (--callback-url)", c.CallbackURL},
		{"NotificationOpenID (--notification-openid)", c.NotificationOpenID}} {
		if f.raw != "" {
			if err := CheckURL(f.name, f.raw); err != nil {
				return err
			}
		}
	}
	if c.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Listen); err != nil {
			return fmt.Errorf("Listen (--listen) %q is not host:port: %v", c.Listen, err)
		}
	}
	return nil
}

func (c *Config) validateTarget() error {
	if c.Embedded() {
		if c.Token != "" || c.ClientCredentials.ClientID != "" || c.TokenSource != nil {
			return errors.New("credentials (--token, --client-id) need a Target (--target): the embedded emulator issues its own")
		}
		return nil
	}
	if err := CheckURL("Target (--target)", c.URL); err != nil {
		return err
	}
	if c.Emulator != nil {
		return errors.New("Emulator (--emulator-config, --violate) configures the embedded emulator only, not a Target (--target)")
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
		return fmt.Errorf("Target %s needs credentials: Token (--token) or ClientCredentials (--client-id, --client-secret, --token-url)", c.URL)
	}
	return nil
}

// CheckURL accepts an absolute http or https URL with a host; the error
// names the setting (name).
func CheckURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s %q is not a URL: %v", name, raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q must be an absolute http(s) URL", name, raw)
	}
	return nil
}

// Resolve validates c once and returns it as a Spec, which no one can
// change afterwards.
func (c Config) Resolve() (Spec, error) {
	if err := c.Validate(); err != nil {
		return Spec{}, err
	}
	c.ClientCredentials.Scopes = slices.Clone(c.ClientCredentials.Scopes)
	if c.Emulator != nil {
		e := cloneEmulatorConfig(*c.Emulator)
		c.Emulator = &e
	}
	return Spec{c: c, ok: true}, nil
}

// Spec is a validated Config: an immutable value, made by Resolve. Its
// accessors apply the defaults that need no started target.
type Spec struct {
	c  Config
	ok bool
}

// Embedded reports whether the embedded emulator is the target.
func (s Spec) Embedded() bool { return s.c.Embedded() }

// Kind is KindEmbedded or KindRemote.
func (s Spec) Kind() string { return s.c.Kind() }

// Kind is KindEmbedded or KindRemote.
func (c *Config) Kind() string {
	if c.Embedded() {
		return KindEmbedded
	}
	return KindRemote
}

// URL is the remote target's base URL without a trailing slash ("" for the
// embedded emulator).
func (s Spec) URL() string { return strings.TrimRight(s.c.URL, "/") }

// APIVersion is the version segment of the target's base URL: the last
// path segment of URL, or the embedded emulator's (DefaultAPIVersion
// unless the Config names one).
func (s Spec) APIVersion() string {
	if s.Embedded() {
		if s.c.APIVersion == "" {
			return DefaultAPIVersion
		}
		return s.c.APIVersion
	}
	return VersionOf(s.c.URL)
}

// VersionOf returns the last path segment of a base URL ("beta" of
// https://graph.microsoft.com/beta/), "" when it is not a URL.
func VersionOf(baseURL string) string {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return ""
	}
	segs := strings.Split(u.Path, "/")
	return segs[len(segs)-1]
}

// Auth names how the target is authenticated, for reports: "embedded",
// "token-source", "static-token" or "client-credentials".
func (s Spec) Auth() string { return s.c.Auth() }

// Auth names how the target is authenticated, for reports: "embedded",
// "token-source", "static-token" or "client-credentials".
func (c *Config) Auth() string {
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

// ClientCredentials returns the remote target's client credentials (zero
// when it is authenticated otherwise).
func (s Spec) ClientCredentials() identity.ClientCredentials {
	cc := s.c.ClientCredentials
	cc.Scopes = slices.Clone(cc.Scopes)
	return cc
}

// Listen is the receiver's address (DefaultListen when not given).
func (s Spec) Listen() string {
	if s.c.Listen == "" {
		return DefaultListen
	}
	return s.c.Listen
}

// CallbackURL is the public URL of the receiver as given ("" when the
// receiver's own URL is to be used).
func (s Spec) CallbackURL() string { return s.c.CallbackURL }

// NotificationOpenID is the OpenID configuration URL of the notification
// keys: as given, else DefaultNotificationOpenID for a remote target, else
// "" (the embedded emulator's, known once it started: Target.Receiver).
func (s Spec) NotificationOpenID() string {
	if s.c.NotificationOpenID == "" && !s.Embedded() {
		return DefaultNotificationOpenID
	}
	return s.c.NotificationOpenID
}

// AppID is the audience of notification tokens: as given, else the client
// id of the client credentials ("" when neither says; for the embedded
// emulator, Target.Receiver then names its app).
func (s Spec) AppID() string {
	if s.c.AppID != "" {
		return s.c.AppID
	}
	return s.c.ClientCredentials.ClientID
}
