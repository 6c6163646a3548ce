package certify

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/report"
	tgt "github.com/callcheck/callcheck/target"
)

// DefaultListen is where the emulated Graph listens by default: the address
// `callcheck emulate` uses, so a bot configured for development against the
// emulator needs no change to be certified.
const DefaultListen = "127.0.0.1:8080"

// Timeouts bound every wait of a certification: nothing waits longer.
type Timeouts struct {
	// Ack is how long the bot has to answer a notification: "Respond to the
	// notification HTTP request within ~5 s" (graph-calls-facts.md §8).
	Ack time.Duration
	// Trigger bounds one trigger command (a create or a hang-up); it is
	// killed, with its children, when it takes longer.
	Trigger time.Duration
	// Request is how long certify-bot waits, after a trigger has finished,
	// for the create (or DELETE) request it asked for to arrive.
	Request time.Duration
	// Status bounds one GET of the bot's status endpoint.
	Status time.Duration
	// Answer is how long the bot has to answer (or reject) an incoming
	// call: "The current timeout value is 15 seconds for regular
	// scenarios" (graph-calls-facts.md §3.7).
	Answer time.Duration
}

// DefaultTimeouts returns the default Timeouts.
func DefaultTimeouts() Timeouts {
	return Timeouts{Ack: 5 * time.Second, Trigger: 30 * time.Second, Request: 10 * time.Second, Status: 2 * time.Second, Answer: 15 * time.Second}
}

func (t Timeouts) validate() error {
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"Ack", t.Ack}, {"Trigger", t.Trigger}, {"Request", t.Request}, {"Status", t.Status}, {"Answer", t.Answer}} {
		if f.d <= 0 {
			return fmt.Errorf("Timeouts.%s must be positive, got %v", f.name, f.d)
		}
	}
	return nil
}

// Config configures a certification. Build it with NewConfig and set the
// bot's name and version and how it is made to create calls: Triggers, or
// Wait for a bot that creates calls on its own.
type Config struct {
	// Bot names the bot certified, as its vendor gives it (both required).
	Bot report.Bot
	// Started, when set, is called by Run with the session once it started
	// (before any check), so that a caller can ask it what is in flight
	// (Session.InFlight) when it must stop before the session ends.
	Started func(*Session)
	// Seed makes the run reproducible: it decides every choice certify-bot
	// makes (the order of forged notifications, rosters, which call the
	// robustness checks use) and seeds the emulator.
	Seed int64
	// Listen is the address of the emulated Graph (NewConfig: DefaultListen;
	// empty: a free loopback port).
	Listen string
	// App is the app registration the bot authenticates as: client id,
	// secret, tenant and the permissions (roles) granted. Mirror the bot's
	// real registration, and grant only what it needs.
	App tgt.App
	// SecretSupplied is set when the user supplied App's client secret
	// (a flag, the environment): it is then never printed.
	SecretSupplied bool
	// Triggers make the bot create a call of a scenario, one per key; they
	// run one at a time, in Keys order.
	Triggers map[Key]Trigger
	// Wait, when set instead of Triggers, is how long certify-bot waits for
	// the bot to create calls on its own; Calls, when positive, ends the
	// wait as soon as that many create requests arrived.
	Wait  time.Duration
	Calls int
	// Hangup, when set, makes the bot hang up a call (TriggerEnv.CallID);
	// certify-bot then expects its DELETE. Without it, certify-bot ends each
	// call from the far side.
	Hangup Trigger
	// BotCallback, when set, is where notifications are posted instead of
	// the callbackUri of the bot's create requests (a bot behind a tunnel).
	BotCallback string
	// IncomingCallback, when set, is the bot's incoming-call webhook (the
	// samples' POST api/calling): certify-bot makes someone call the bot
	// and checks that it answers (or rejects) the call in time
	// (Timeouts.Answer).
	IncomingCallback string
	// BotStatus, when set, is the bot's status endpoint: a URL with "{id}"
	// that answers GET with {"state": "..."} for the call, 404 when the bot
	// does not know it. It is how certify-bot observes the bot's view of a
	// call (docs/certify-bot.md).
	BotStatus string
	// AllowedCallbackHosts are hosts certify-bot may post notifications to
	// besides loopback ones: exact names or "*.example.com" patterns. The
	// host of BotCallback is allowed too.
	AllowedCallbackHosts []string
	// BotRootCAs are the certificate authorities trusted for the bot's https
	// callback and status endpoint; nil means the system's.
	BotRootCAs *x509.CertPool
	// Timeouts bound every wait.
	Timeouts Timeouts
	// Reproduce is the command line that reproduces the run, secrets
	// removed; it is recorded in the certificate.
	Reproduce string
	// Progress receives one line per check as it completes; nil discards.
	Progress io.Writer
	// TLS, when set, makes the emulated Graph serve https (a generated CA,
	// in Endpoints().CAFile, unless TLS names a pair): for bots whose SDK
	// sends tokens only over https (azidentity's authority must be https).
	TLS *tgt.EmulatorTLS
	// Emulator is the base configuration of the emulated Graph; Start
	// overrides what certification needs (docs/certify-bot.md).
	Emulator tgt.EmulatorConfig
	// Now is the clock of the certificate; nil means time.Now.
	Now func() time.Time
}

// NewConfig returns the defaults: the emulator's default app (a secret is
// generated), DefaultListen, DefaultTimeouts.
func NewConfig() Config {
	return Config{
		Listen:   DefaultListen,
		App:      tgt.DefaultApp(tgt.NewSecret()),
		Triggers: map[Key]Trigger{},
		Timeouts: DefaultTimeouts(),
		Emulator: tgt.NewEmulatorConfig(),
	}
}

// Validate reports the first invalid setting, naming it.
func (c *Config) Validate() error {
	checks := []func() error{c.validateBot, c.validateApp, c.validateMode, c.validateURLs, c.Timeouts.validate}
	for _, check := range checks {
		if err := check(); err != nil {
			return fmt.Errorf("certify: %w", err)
		}
	}
	return nil
}

func (c *Config) validateBot() error {
	if strings.TrimSpace(c.Bot.Name) == "" || strings.TrimSpace(c.Bot.Version) == "" {
		return errors.New("Bot.Name and Bot.Version are required: the certificate names the bot as its vendor gives it")
	}
	return nil
}

func (c *Config) validateApp() error {
	if c.App.ClientID == "" || c.App.ClientSecret == "" || c.App.TenantID == "" {
		return errors.New("App needs a client id, a client secret and a tenant id")
	}
	if err := ValidateRoles(c.App.Roles); err != nil {
		return fmt.Errorf("App.Roles: %w", err)
	}
	return nil
}

// ValidateRoles reports the first role that is not a calling permission,
// naming the real one when it is a look-alike (the page's plural
// spellings, graph-calls-facts.md §9.1).
func ValidateRoles(roles []string) error {
	real := fixtures.RealPermissions()
	for _, r := range roles {
		if slices.Contains(real, r) {
			continue
		}
		hint := ""
		if n := fixtures.NormalizePermission(r); n != "" {
			hint = fmt.Sprintf(" (the real permission is %s: graph-calls-facts.md §9.1)", n)
		}
		return fmt.Errorf("%q is not a calling permission%s; the real ones are %s", r, hint, strings.Join(real, ", "))
	}
	return nil
}

func (c *Config) validateMode() error {
	for k, t := range c.Triggers {
		if _, err := ParseKey(string(k)); err != nil {
			return fmt.Errorf("Triggers: %w", err)
		}
		if t == nil {
			return fmt.Errorf("Triggers[%s] is nil", k)
		}
	}
	switch {
	case c.Wait < 0 || c.Calls < 0:
		return fmt.Errorf("Wait (%v) and Calls (%d) must not be negative", c.Wait, c.Calls)
	case len(c.Triggers) > 0 && c.Wait > 0:
		return errors.New("Triggers and Wait exclude each other: either certify-bot triggers each call, or it waits for the bot's own")
	case len(c.Triggers) == 0 && c.Wait == 0:
		return errors.New("nothing makes the bot create a call: set Triggers (--trigger KEY=CMD) or Wait (--wait DURATION)")
	}
	return nil
}

func (c *Config) validateURLs() error {
	if c.BotCallback != "" {
		if err := absoluteURL("BotCallback", c.BotCallback); err != nil {
			return err
		}
	}
	if c.IncomingCallback != "" {
		if err := absoluteURL("IncomingCallback", c.IncomingCallback); err != nil {
			return err
		}
	}
	if c.BotStatus != "" {
		if err := absoluteURL("BotStatus", c.BotStatus); err != nil {
			return err
		}
		if !strings.Contains(c.BotStatus, "{id}") {
			return fmt.Errorf("BotStatus %q must contain {id}, where the call id goes", c.BotStatus)
		}
	}
	return nil
}

func absoluteURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("%s %q is not an absolute http(s) URL", name, raw)
	}
	return nil
}
