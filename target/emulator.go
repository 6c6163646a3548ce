package target

import (
	"context"
	"net"
	"net/http"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/identity"
)

// The emulator's types that callers name, re-exported so that only this
// package (and cmd/callcheck) imports the emulator.
type (
	// Emulator is the emulator serving on a real socket (emulator.Server).
	Emulator = emulator.Server
	// EmulatorConfig configures the emulator (emulator.Config).
	EmulatorConfig = emulator.Config
	// App is an app registration of the emulator: client id, secret,
	// tenant and roles (emulator.App).
	App = emulator.App
	// RequestRecord is one Graph request the emulator received, with what
	// it made of it (emulator.RequestRecord).
	RequestRecord = emulator.RequestRecord
	// TokenInfo is what a recorded request's access token said
	// (emulator.TokenInfo).
	TokenInfo = emulator.TokenInfo
	// Violation is a deliberate contract violation the emulator can make
	// (emulator.Violation).
	Violation = emulator.Violation
)

// The deliberate violations that make the emulator accept a create request
// the service refuses (docs/emulator.md has them all): certify-bot judges
// such requests itself and still wants a call to notify about.
const (
	VMissingFieldsAccepted  = emulator.VMissingFieldsAccepted
	VHTTPCallbackAccepted   = emulator.VHTTPCallbackAccepted
	VTooManyTargetsAccepted = emulator.VTooManyTargetsAccepted
	VMissingRoleAccepted    = emulator.VMissingRoleAccepted
	VTenantMismatchAccepted = emulator.VTenantMismatchAccepted
)

// Defaults of the emulator's app and listener.
const (
	// DefaultTenantID is the emulator's default tenant, the doc's (Example 1).
	DefaultTenantID = emulator.DefaultTenantID
	// DefaultClientID is the emulator's default app, the doc's "Calling Bot".
	DefaultClientID = emulator.DefaultClientID
	// DefaultAppName is the display name of the emulator's default app.
	DefaultAppName = emulator.DefaultAppName
	// DefaultEmulatorAddr is where the emulator listens when given no
	// address: loopback, a free port.
	DefaultEmulatorAddr = emulator.DefaultAddr
	// OpenIDConfigPath is the path of the emulator's OpenID configuration,
	// whose keys sign its notification tokens.
	OpenIDConfigPath = emulator.OpenIDConfigPath
)

// NewEmulatorConfig returns the emulator's defaults (emulator.NewConfig).
func NewEmulatorConfig() EmulatorConfig { return emulator.NewConfig() }

// DefaultApp returns the emulator's default app with secret as its client
// secret: the doc's bot in the doc's tenant, holding every calling role.
func DefaultApp(secret string) App { return emulator.DefaultApp(secret) }

// NewSecret returns a random client secret.
func NewSecret() string { return emulator.NewSecret() }

// ParseViolations reads a comma-separated list of violation names.
func ParseViolations(list string) ([]Violation, error) { return emulator.ParseViolations(list) }

// AllowsCallbackHost reports whether notifications may be posted to host
// under the emulator's callback host policy: loopback hosts, and the hosts
// allowed (exact names or "*.example.com" patterns).
func AllowsCallbackHost(host string, allowed []string) bool {
	return emulator.Safety{AllowedCallbackHosts: allowed}.AllowsHost(host)
}

// StartEmulator builds an emulator from cfg and serves it on addr (""
// is DefaultEmulatorAddr) until Shutdown or Close; its life is not bound
// to ctx, whose values only it keeps. onRequest, when not nil, is called
// after each request the emulator has answered and recorded. An invalid
// cfg is the emulator's error; an address that cannot be listened on is a
// *ListenError.
func StartEmulator(ctx context.Context, cfg EmulatorConfig, addr string, onRequest func()) (*Emulator, error) {
	return StartEmulatorTLS(ctx, cfg, addr, onRequest, nil)
}

// IncomingCall describes a call injected as if someone called the bot
// (emulator.IncomingCall).
type IncomingCall = emulator.IncomingCall

// EmulatorTLS is how the emulator serves https (emulator.TLS): a generated
// CA and leaf certificate, or the user's own pair.
type EmulatorTLS = emulator.TLS

// StartEmulatorTLS is StartEmulator serving https with t (nil: plain http).
func StartEmulatorTLS(ctx context.Context, cfg EmulatorConfig, addr string, onRequest func(), t *EmulatorTLS) (*Emulator, error) {
	if addr == "" {
		addr = DefaultEmulatorAddr
	}
	e, err := emulator.New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_ = e.Close(context.Background())
		return nil, &ListenError{Addr: addr, Err: err}
	}
	var opts []emulator.StartOption
	if t != nil {
		opts = append(opts, emulator.WithTLS(*t))
	}
	if onRequest != nil {
		opts = append(opts, emulator.WithMiddleware(func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(w, r)
				onRequest()
			})
		}))
	}
	s, err := emulator.Serve(context.WithoutCancel(ctx), e, ln, opts...)
	if err != nil {
		_ = e.Close(context.Background())
		return nil, err
	}
	return s, nil
}

func cloneEmulatorConfig(c EmulatorConfig) EmulatorConfig { return c.Clone() }

// Endpoints are what a client of an emulator (a bot) is configured with.
type Endpoints struct {
	// URL is the emulator's root, scheme://host:port.
	URL string
	// GraphURLs are the Graph base URLs by version ("v1.0", "beta").
	GraphURLs map[string]string
	// TokenURL is the client-credentials token endpoint of App's tenant;
	// Scope the scope to ask for.
	TokenURL, Scope string
	// OpenIDConfigURL publishes the keys that sign notifications; Issuer
	// is their iss.
	OpenIDConfigURL, Issuer string
	// App is the emulator's default app, the registration the client
	// authenticates as (with its secret: never log it).
	App App
	// CAFile is the CA certificate (PEM) a client trusts to talk to an
	// emulator serving https with a generated certificate; "" otherwise.
	CAFile string
}

// EndpointsOf returns the endpoints of emu for its default app.
func EndpointsOf(emu *Emulator) Endpoints {
	app := emu.DefaultApp()
	return Endpoints{
		URL:             emu.URL(),
		GraphURLs:       map[string]string{"v1.0": emu.GraphBaseURL("v1.0"), "beta": emu.GraphBaseURL("beta")},
		TokenURL:        emu.TokenURL(app.TenantID),
		Scope:           identity.DefaultGraphScope,
		OpenIDConfigURL: emu.OpenIDConfigURL(),
		Issuer:          emu.NotificationSigner().Issuer(),
		App:             app,
		CAFile:          emu.CAFile(),
	}
}
