package load

import (
	"context"
	"time"

	"github.com/callcheck/callcheck/target"
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
	Server   *target.Emulator
	Target   Target
	Receiver ReceiverConfig
	target   *target.Target
}

// EmbeddedConfig returns the emulator configuration a load run starts:
// the emulator's defaults, with guests admitted by themselves. (Plain-http
// loopback callbacks are allowed too: callcheck's receiver is one.)
func EmbeddedConfig() target.EmulatorConfig {
	cfg := target.NewEmulatorConfig()
	cfg.Safety.AllowHTTPLoopback = true
	cfg.Behaviour.AutoAdmitAfter = DefaultAutoAdmit
	return cfg
}

// StartEmbedded starts the emulator with cfg on a free loopback port,
// through target.Open. ctx bounds the setup; Close stops the server.
func StartEmbedded(ctx context.Context, cfg target.EmulatorConfig) (*Embedded, error) {
	spec, err := target.Config{Emulator: &cfg}.Resolve()
	if err != nil {
		return nil, err
	}
	t, err := target.Open(ctx, spec)
	if err != nil {
		return nil, err
	}
	app, rc := t.App(), t.Receiver()
	return &Embedded{
		Server:   t.Emulator(),
		Target:   Target{BaseURL: t.BaseURL(), Tokens: t.Tokens(), TenantID: app.TenantID, AppID: app.ClientID, Embedded: true},
		Receiver: ReceiverConfig{OpenIDConfigURL: rc.OpenIDConfigURL, AppID: rc.AppID},
		target:   t,
	}, nil
}

// Close stops the emulator, draining its deliveries until ctx ends.
func (e *Embedded) Close(ctx context.Context) error { return e.target.Close(ctx) }
