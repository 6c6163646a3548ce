package target

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/identity"
)

// Target is a target open for a run: the embedded emulator started, or a
// remote target whose first token was fetched. Make it with Open; Close it.
type Target struct {
	spec   Spec
	emu    *Emulator
	app    App // the embedded emulator's app the tokens are for
	tokens oauth2.TokenSource
}

// Option changes what Open does.
type Option func(*options)

type options struct {
	apps []App
}

// WithApps registers apps in the embedded emulator, before those of its
// configuration: the first is the app Tokens authenticates as (without
// it, the emulator's default app).
func WithApps(apps ...App) Option {
	return func(o *options) { o.apps = append(o.apps, apps...) }
}

// Open starts the embedded emulator or connects to the remote target spec
// describes. For the embedded emulator it registers the apps of WithApps,
// allows plain-http callbacks on loopback hosts (callcheck's receiver is
// one), listens on a free loopback port, and gets the first app's tokens
// through the real client-credentials flow; for a remote target it gets
// the token source spec names, fetching a first token now. ctx bounds the
// setup, not the target's life: Close ends that.
func Open(ctx context.Context, spec Spec, opts ...Option) (*Target, error) {
	if !spec.ok {
		return nil, errors.New("target: Open needs a Spec made by Config.Resolve")
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if spec.Embedded() {
		return openEmbedded(ctx, spec, o)
	}
	t := &Target{spec: spec}
	var err error
	switch c := spec.c; {
	case c.TokenSource != nil:
		t.tokens = c.TokenSource
	case c.Token != "":
		t.tokens, err = identity.StaticTokenSource(c.Token)
	default:
		t.tokens, err = FetchingSource(ctx, spec.ClientCredentials())
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

func openEmbedded(ctx context.Context, spec Spec, o options) (*Target, error) {
	cfg := NewEmulatorConfig()
	if spec.c.Emulator != nil {
		cfg = cloneEmulatorConfig(*spec.c.Emulator)
	}
	cfg.Apps = append(slices.Clone(o.apps), cfg.Apps...)
	cfg.Safety.AllowHTTPLoopback = true
	emu, err := StartEmulator(ctx, cfg, "", nil)
	if err != nil {
		return nil, fmt.Errorf("starting the embedded emulator: %w", err)
	}
	t := &Target{spec: spec, emu: emu, app: emu.DefaultApp()}
	if t.tokens, err = t.ClientCredentials(ctx, t.app.ClientID, t.app.ClientSecret); err != nil {
		_ = emu.Close()
		return nil, err
	}
	return t, nil
}

// Spec returns the resolved configuration the target was opened with.
func (t *Target) Spec() Spec { return t.spec }

// Kind is KindEmbedded or KindRemote.
func (t *Target) Kind() string { return t.spec.Kind() }

// BaseURL is the Graph base URL requests go to, version segment included.
func (t *Target) BaseURL() string {
	if t.emu != nil {
		return t.emu.GraphBaseURL(t.spec.APIVersion())
	}
	return t.spec.URL()
}

// Tokens is the source of the target's bearer tokens.
func (t *Target) Tokens() oauth2.TokenSource { return t.tokens }

// Emulator is the embedded emulator (nil for a remote target).
func (t *Target) Emulator() *Emulator { return t.emu }

// App is the embedded emulator's app the tokens are for, its secret
// included (the zero App for a remote target).
func (t *Target) App() App { return t.app }

// ClientCredentials returns the token source of another app of the target,
// fetching a first token now: at the embedded emulator's token endpoint for
// its app's tenant, or at the remote target's token URL with its scopes.
func (t *Target) ClientCredentials(ctx context.Context, clientID, secret string) (oauth2.TokenSource, error) {
	cc := t.spec.ClientCredentials()
	if t.emu != nil {
		cc = identity.ClientCredentials{TokenURL: t.emu.TokenURL(t.app.TenantID)}
	}
	cc.ClientID, cc.ClientSecret = clientID, secret
	return FetchingSource(ctx, cc)
}

// Receiver returns the receiver's configuration: the Spec's, with the
// embedded emulator's OpenID configuration and app where the Spec names
// none.
func (t *Target) Receiver() ReceiverConfig {
	rc := ReceiverConfig{Listen: t.spec.Listen(), CallbackURL: t.spec.CallbackURL(),
		OpenIDConfigURL: t.spec.NotificationOpenID(), AppID: t.spec.AppID()}
	if t.emu != nil {
		if rc.OpenIDConfigURL == "" {
			rc.OpenIDConfigURL = t.emu.OpenIDConfigURL()
		}
		if rc.AppID == "" {
			rc.AppID = t.app.ClientID
		}
	}
	return rc
}

// Close stops the embedded emulator, draining its deliveries until ctx
// ends; a remote target has nothing to close.
func (t *Target) Close(ctx context.Context) error {
	if t.emu == nil {
		return nil
	}
	return t.emu.Shutdown(ctx)
}
