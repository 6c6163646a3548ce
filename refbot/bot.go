package refbot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/identity"
)

// GraphScope is the client-credentials scope for Microsoft Graph: all the
// application permissions granted to the app (graph-calls-facts.md §5.2).
const GraphScope = "https://graph.microsoft.com/.default"

// DefaultMaxBodyBytes bounds a notification POST body: a large meeting's
// roster is tens of KiB, so 4 MiB leaves room without letting a peer exhaust
// memory.
const DefaultMaxBodyBytes = 4 << 20

// DefaultHTTPTimeout bounds each request the bot makes to Graph or to the
// token endpoint.
const DefaultHTTPTimeout = 10 * time.Second

// Config configures a Bot. Every field without a default is required.
type Config struct {
	// GraphURL is the Graph base URL including the version segment, e.g.
	// https://graph.microsoft.com/v1.0 (or the URL callcheck prints).
	GraphURL string
	// TokenURL is the OAuth2 token endpoint, e.g.
	// https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token.
	TokenURL string
	// TenantID, ClientID and ClientSecret are the app registration's.
	TenantID, ClientID, ClientSecret string
	// OpenIDConfigURL publishes the keys that sign notification tokens
	// (graph-calls-facts.md §6:
	// https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration).
	OpenIDConfigURL string
	// CallbackURL is the public https URL of the bot's notification
	// endpoint (ServeHTTP), sent as callbackUri.
	CallbackURL string
	// Values say whom the bot calls, which meeting it joins, its guest
	// identity, application instance and phone number, and its media-session
	// blob, by the roles of the documented values (fixtures.RunValues: the
	// users called by position, Users[i] for the documented example's
	// /targets/i). The zero value means fixtures.DocumentedValues, the
	// page's own ids. The bot's CallbackURL, TenantID and ClientID always
	// replace CallbackURI, TenantID and Application.ID.
	Values fixtures.RunValues
	// HTTPClient talks to Graph and the token endpoint; nil means a client
	// with DefaultHTTPTimeout.
	HTTPClient *http.Client
	// MaxBodyBytes bounds a notification body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives what the bot does; nil discards it.
	Logger *slog.Logger
	// Flaws break the bot on purpose, to prove that certification catches
	// each defect. Never set them in a real deployment.
	Flaws []Flaw
	// SlowAck is how long FlawSlowAck holds each acknowledgement; 0 means 6 s
	// (above the ~5 s a bot has, graph-calls-facts.md §8).
	SlowAck time.Duration
}

// validate reports the first missing or malformed field.
func (c *Config) validate() error {
	for _, f := range []struct{ name, value string }{
		{"GraphURL", c.GraphURL}, {"TokenURL", c.TokenURL}, {"TenantID", c.TenantID}, {"ClientID", c.ClientID},
		{"ClientSecret", c.ClientSecret}, {"OpenIDConfigURL", c.OpenIDConfigURL}, {"CallbackURL", c.CallbackURL},
	} {
		if f.value == "" {
			return fmt.Errorf("refbot: Config.%s is required", f.name)
		}
	}
	u, err := url.Parse(c.CallbackURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("refbot: Config.CallbackURL %q is not an absolute URL", c.CallbackURL)
	}
	// The callbackUri "Must be an HTTPS URL" (graph-calls-facts.md §1.1).
	if u.Scheme != "https" && !c.has(FlawHTTPCallback) {
		return fmt.Errorf("refbot: Config.CallbackURL %q must be an https URL (graph-calls-facts.md §1.1)", c.CallbackURL)
	}
	return nil
}

func (c *Config) has(f Flaw) bool { return slices.Contains(c.Flaws, f) }

// Bot is the reference calling bot. Serve it (it is the http.Handler of the
// notification callback) at Config.CallbackURL, and ControlHandler on a
// private address. It is safe for concurrent use.
type Bot struct {
	cfg      Config
	graph    *http.Client // adds a fresh app token to every request
	verifier tokenVerifier
	calls    *calls
	log      *slog.Logger
	handler  http.Handler // the callback endpoint, with the flaws' wrappers
}

// tokenVerifier verifies a notification's Authorization header;
// *identity.NotificationVerifier is the real one.
type tokenVerifier interface {
	Verify(ctx context.Context, authorization string) (*identity.NotificationClaims, error)
}

// New returns a bot configured by cfg. ctx bounds the bot's token source:
// cancel it when the bot stops.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	// Graph tokens: the client-credentials grant, cached and renewed by the
	// token source (graph-calls-facts.md §5.2).
	cc := clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.TokenURL, Scopes: []string{GraphScope}}
	tokens := cc.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, cfg.HTTPClient))
	graph := &http.Client{Timeout: cfg.HTTPClient.Timeout, Transport: &oauth2.Transport{Source: tokens, Base: cfg.HTTPClient.Transport}}
	// Notification tokens: RS256 by a key of the OpenID configuration's
	// JWKS, audience the bot's app id (graph-calls-facts.md §6).
	v, err := identity.NewNotificationVerifier(cfg.OpenIDConfigURL, cfg.ClientID, identity.WithDoer(cfg.HTTPClient))
	if err != nil {
		return nil, fmt.Errorf("refbot: %w", err)
	}
	b := &Bot{cfg: cfg, graph: graph, verifier: v, calls: newCalls(cfg.has(FlawRegressState)), log: cfg.Logger}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	b.applyFlaws()
	return b, nil
}

// ServeHTTP is the notification callback (Config.CallbackURL).
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.handler.ServeHTTP(w, r) }

// ErrCallEnded is returned by Hangup for a call that has already ended.
var ErrCallEnded = errors.New("refbot: the call has already ended")

// ErrUnknownCall is returned for a call id the bot did not create.
var ErrUnknownCall = errors.New("refbot: no such call")
