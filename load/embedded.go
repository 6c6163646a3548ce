package load

import (
	"context"
	"fmt"
	"time"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/identity"
)

// DefaultAutoAdmit is how soon the embedded emulator admits a guest from the
// lobby by itself: Example 8's bot waits there "until it's admitted", and a
// load run has nobody to admit it.
const DefaultAutoAdmit = 5 * time.Millisecond

// Embedded is the embedded emulator, started as the default target of a
// load run: a real server on loopback, its default app's credentials
// obtained through the real client-credentials flow, and its notification
// keys for the receiver.
type Embedded struct {
	Server   *emulator.Server
	Target   Target
	Receiver ReceiverConfig
}

// EmbeddedConfig returns the emulator configuration a load run starts:
// NewConfig, with plain-http loopback callbacks allowed (the receiver is
// callcheck's own, on loopback) and guests admitted by themselves.
func EmbeddedConfig() emulator.Config {
	cfg := emulator.NewConfig()
	cfg.Safety.AllowHTTPLoopback = true
	cfg.Behaviour.AutoAdmitAfter = DefaultAutoAdmit
	return cfg
}

// StartEmbedded starts the emulator with cfg on a free loopback port. ctx
// bounds the life of the token source; Close stops the server.
func StartEmbedded(ctx context.Context, cfg emulator.Config) (*Embedded, error) {
	srv, err := emulator.Start(ctx, cfg, "")
	if err != nil {
		return nil, fmt.Errorf("starting the embedded emulator: %w", err)
	}
	app := srv.DefaultApp()
	cc := identity.ClientCredentials{TokenURL: srv.TokenURL(app.TenantID), ClientID: app.ClientID, ClientSecret: app.ClientSecret}
	tokens, err := cc.TokenSource(ctx)
	if err != nil {
		_ = srv.Close()
		return nil, err
	}
	return &Embedded{
		Server:   srv,
		Target:   Target{BaseURL: srv.GraphBaseURL("beta"), Tokens: tokens, TenantID: app.TenantID, AppID: app.ClientID, Embedded: true},
		Receiver: ReceiverConfig{OpenIDConfigURL: srv.OpenIDConfigURL(), AppID: app.ClientID},
	}, nil
}

// Close stops the emulator, draining its deliveries until ctx ends.
func (e *Embedded) Close(ctx context.Context) error { return e.Server.Shutdown(ctx) }
