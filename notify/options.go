package notify

import (
	"net"
	"net/netip"
	"time"

	"github.com/callcheck/callcheck/identity"
)

// Option configures a Sender or a Receiver. Each option says which it
// applies to; the other ignores it.
type Option func(*settings)

type settings struct {
	now        func() time.Time
	timeouts   Timeouts
	doer       identity.Doer
	retry      RetryPolicy
	recorder   Recorder
	userAgent  string
	concurrent int
	maxPending int
	dialGuard  DialGuard
	resolver   *net.Resolver

	onEvent      func(Event)
	onRejection  func(Rejection)
	maxBody      int64
	pending      PendingLimits
	watchLimit   int
	rejectionLog int
}

// Defaults of the options.
const (
	// DefaultConcurrency bounds a Sender's POSTs in flight.
	DefaultConcurrency = 64
	// DefaultMaxPending bounds a Sender's deliveries accepted by SendAsync
	// and not yet finished.
	DefaultMaxPending = 4096
	// DefaultUserAgent is Graph's (graph-calls-facts §2).
	DefaultUserAgent = "Microsoft-Skype/3.0,(Calling/1.0)"
	// DefaultMaxBodyBytes bounds a POST body at a Receiver (a large roster
	// is tens of KiB).
	DefaultMaxBodyBytes = 4 << 20
	// DefaultWatchLimit bounds the events a CallWatch keeps.
	DefaultWatchLimit = 1024
	// DefaultRejectionHistory is how many rejected POSTs a Receiver keeps.
	DefaultRejectionHistory = 1024
)

// DefaultPendingLimits keep the notifications of up to 1024 unwatched calls,
// 64 each, for a minute: long enough for a client to read a create
// response and Watch the new call's id.
var DefaultPendingLimits = PendingLimits{Calls: 1024, EventsPerCall: 64, TTL: time.Minute}

// PendingLimits bound what a Receiver keeps for calls nobody watches yet.
// The zero value keeps nothing.
type PendingLimits struct {
	// Calls is how many unwatched calls are kept; the oldest is dropped.
	Calls int
	// EventsPerCall is how many events (and rejections) one call keeps.
	EventsPerCall int
	// TTL is how long an unwatched call is kept after its first event.
	TTL time.Duration
}

func newSettings(opts []Option) settings {
	s := settings{
		now: time.Now, timeouts: DefaultTimeouts(), retry: DefaultRetryPolicy,
		userAgent: DefaultUserAgent, concurrent: DefaultConcurrency, maxPending: DefaultMaxPending,
		maxBody: DefaultMaxBodyBytes, pending: DefaultPendingLimits, watchLimit: DefaultWatchLimit,
		rejectionLog: DefaultRejectionHistory,
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// DialGuard decides, at dial time, whether a callback URL's host may be
// reached at the address it resolved to; an error refuses the connection
// before it is made. host is the URL's host as written (a name or an IP
// literal).
type DialGuard func(host string, addr netip.Addr) error

// WithDialGuard checks every address a Sender dials against guard (a
// name's resolved address, each one tried), so that a callback host name
// allowed by policy cannot lead to an address the policy refuses (DNS
// rebinding, a name answering 169.254.169.254). A Sender with a guard
// ignores proxy environment variables: a proxy would dial instead of it.
// It applies only to the Sender's own transport (not WithDoer's).
func WithDialGuard(guard DialGuard) Option { return func(s *settings) { s.dialGuard = guard } }

// WithResolver sets the resolver of callback host names (default: the
// system's); tests answer with addresses of their choosing.
func WithResolver(r *net.Resolver) Option { return func(s *settings) { s.resolver = r } }

// WithClock sets the clock of records and arrival times (both; default
// time.Now).
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// WithTimeouts sets the timeouts (both; default DefaultTimeouts()).
func WithTimeouts(t Timeouts) Option { return func(s *settings) { s.timeouts = t } }

// WithDoer sets the HTTP client of a Sender, an identity.Doer (default: an *http.Client over a
// pooled keep-alive transport that refuses redirects). A Doer that follows
// redirects hides them from the records.
func WithDoer(d identity.Doer) Option { return func(s *settings) { s.doer = d } }

// WithRetryPolicy sets a Sender's retry policy (default DefaultRetryPolicy).
func WithRetryPolicy(p RetryPolicy) Option { return func(s *settings) { s.retry = p } }

// WithRecorder sets where a Sender records attempts (default a RingRecorder
// of DefaultRecordHistory).
func WithRecorder(r Recorder) Option { return func(s *settings) { s.recorder = r } }

// WithUserAgent sets a Sender's User-Agent (default DefaultUserAgent).
func WithUserAgent(ua string) Option { return func(s *settings) { s.userAgent = ua } }

// WithConcurrency bounds a Sender's POSTs in flight (default
// DefaultConcurrency).
func WithConcurrency(n int) Option { return func(s *settings) { s.concurrent = n } }

// WithMaxPending bounds a Sender's unfinished SendAsync deliveries (default
// DefaultMaxPending).
func WithMaxPending(n int) Option { return func(s *settings) { s.maxPending = n } }

// WithEventHook sets a function a Receiver calls with every accepted
// notification, synchronously, before answering the POST. It must be fast
// and safe for concurrent use (the load module's path).
func WithEventHook(f func(Event)) Option { return func(s *settings) { s.onEvent = f } }

// WithRejectionHook sets a function a Receiver calls with every rejected
// POST, synchronously.
func WithRejectionHook(f func(Rejection)) Option { return func(s *settings) { s.onRejection = f } }

// WithMaxBodyBytes bounds a POST body at a Receiver (default
// DefaultMaxBodyBytes); larger bodies get 413.
func WithMaxBodyBytes(n int64) Option { return func(s *settings) { s.maxBody = n } }

// WithPendingLimits bounds what a Receiver keeps for calls nobody watches
// yet (default DefaultPendingLimits; PendingLimits{} keeps nothing, for load
// runs that only use the event hook).
func WithPendingLimits(l PendingLimits) Option { return func(s *settings) { s.pending = l } }

// WithWatchLimit bounds the events one CallWatch keeps (default
// DefaultWatchLimit); more are counted as dropped, never silently lost.
func WithWatchLimit(n int) Option { return func(s *settings) { s.watchLimit = n } }

// WithRejectionHistory sets how many rejected POSTs a Receiver keeps
// (default DefaultRejectionHistory).
func WithRejectionHistory(n int) Option { return func(s *settings) { s.rejectionLog = n } }

// Timeouts bounds every wait of this package.
type Timeouts struct {
	// Post bounds one POST attempt, from dialling to the response headers
	// (a bot must answer within about 5 s: graph-calls-facts §8).
	Post time.Duration
	// IdleConn is how long a Sender keeps an idle keep-alive connection.
	IdleConn time.Duration
}

// DefaultTimeouts returns the default Timeouts.
func DefaultTimeouts() Timeouts {
	return Timeouts{Post: 5 * time.Second, IdleConn: 90 * time.Second}
}
