package identity

import (
	"net/http"
	"time"
)

// Option configures an Authority, a NotificationSigner or a
// NotificationVerifier. Each option says which of them it applies to; the
// others ignore it.
type Option func(*settings)

type settings struct {
	now            func() time.Time
	leeway         time.Duration
	lifetime       time.Duration
	issuer         string
	issuers        []string
	audiences      []string
	foreign        *Key
	doer           Doer
	timeouts       Timeouts
	issuerTemplate string
}

func newSettings(opts []Option) settings {
	s := settings{now: time.Now, leeway: DefaultLeeway, timeouts: DefaultTimeouts()}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// WithClock sets the clock (all three; default time.Now).
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// WithLeeway sets the clock skew tolerated on exp, nbf and iat (Authority,
// NotificationVerifier; default DefaultLeeway).
func WithLeeway(d time.Duration) Option { return func(s *settings) { s.leeway = d } }

// WithLifetime sets how long minted tokens are valid (Authority: default
// DefaultAccessTokenLifetime; NotificationSigner: default
// DefaultNotificationTokenLifetime).
func WithLifetime(d time.Duration) Option { return func(s *settings) { s.lifetime = d } }

// WithIssuer sets the iss of notification tokens (NotificationSigner; default
// DefaultNotificationIssuer).
func WithIssuer(iss string) Option { return func(s *settings) { s.issuer = iss } }

// WithIssuerTemplate sets the iss of access tokens; "{tenantid}" is replaced
// by the app's tenant (Authority; default DefaultIssuerTemplate).
func WithIssuerTemplate(t string) Option { return func(s *settings) { s.issuerTemplate = t } }

// WithIssuers sets the accepted issuers (NotificationVerifier; default
// DefaultNotificationIssuers).
func WithIssuers(iss ...string) Option { return func(s *settings) { s.issuers = iss } }

// WithAudiences sets the accepted audiences; the first is the one minted
// (Authority; default GraphResource and GraphAppID). The NotificationVerifier
// takes its audience, the bot's app id, as an argument; WithAudiences adds
// more accepted values.
func WithAudiences(aud ...string) Option { return func(s *settings) { s.audiences = aud } }

// WithForeignKey sets the key that signs DefectBadSignature and
// DefectUnknownKey tokens (Authority, NotificationSigner; default a key
// generated on first use).
func WithForeignKey(k *Key) Option { return func(s *settings) { s.foreign = k } }

// WithDoer sets the HTTP client of discovery (NotificationVerifier; default
// an *http.Client with Timeouts.Discovery).
func WithDoer(d Doer) Option { return func(s *settings) { s.doer = d } }

// WithTimeouts sets the timeouts and refresh periods (NotificationVerifier;
// default DefaultTimeouts()).
func WithTimeouts(t Timeouts) Option { return func(s *settings) { s.timeouts = t } }

// Doer sends an HTTP request; *http.Client is one.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Timeouts bounds every wait of this package and sets its refresh periods.
type Timeouts struct {
	// Discovery bounds one fetch of the OpenID configuration or of the JWKS.
	Discovery time.Duration
	// KeyRefresh is how often a NotificationVerifier re-downloads the OpenID
	// configuration and keys (the official samples: every 2 h, §6).
	KeyRefresh time.Duration
	// KeyRefreshMin is the least time between two downloads triggered by a
	// token whose kid is unknown, so such tokens cannot flood the key server.
	KeyRefreshMin time.Duration
	// TokenRequest bounds one client-credentials token request.
	TokenRequest time.Duration
}

// DefaultTimeouts returns the default Timeouts.
func DefaultTimeouts() Timeouts {
	return Timeouts{
		Discovery:     10 * time.Second,
		KeyRefresh:    2 * time.Hour,
		KeyRefreshMin: time.Minute,
		TokenRequest:  30 * time.Second,
	}
}
