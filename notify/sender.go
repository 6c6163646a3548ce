package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// Headers Graph sends with every notification (graph-calls-facts §2).
const (
	HeaderChainID   = "X-Microsoft-Skype-Chain-ID"
	HeaderMessageID = "X-Microsoft-Skype-Message-ID"
)

// The same headers' keys in an http.Header (canonical form): looking a key
// up or setting it in that form spares net/http a new string per call.
var (
	chainIDKey   = http.CanonicalHeaderKey(HeaderChainID)
	messageIDKey = http.CanonicalHeaderKey(HeaderMessageID)
)

// Errors of a Sender.
var (
	// ErrNotAcknowledged: the last attempt got a non-2xx status.
	ErrNotAcknowledged = errors.New("notify: notification not acknowledged")
	// ErrRedirect: the callback answered with a redirect, which is refused.
	ErrRedirect = errors.New("notify: callback redirected; redirects are not followed")
	// ErrClosed: the Sender or Receiver is closed.
	ErrClosed = errors.New("notify: closed")
	// ErrOverloaded: SendAsync found MaxPending deliveries unfinished.
	ErrOverloaded = errors.New("notify: too many deliveries pending")
)

// TokenSigner mints the bearer tokens of notifications;
// *identity.NotificationSigner is one.
type TokenSigner interface {
	Token(audience, tenant string) (string, error)
	DefectiveToken(audience, tenant string, d identity.Defect) (string, error)
}

// Delivery is one commsNotifications batch for one callback.
type Delivery struct {
	// URL is the callback URL (the call's callbackUri).
	URL string
	// AppID is the bot's app id: the audience of the token.
	AppID string
	// TenantID is the tid of the token.
	TenantID string
	// CallID names the call in the record; empty means the call of the
	// batch's first notification.
	CallID string
	// ChainID is sent as X-Microsoft-Skype-Chain-ID (the call's
	// callChainId); empty means a new GUID.
	ChainID string
	// Batch is the notifications, encoded once for all attempts.
	Batch graph.CommsNotifications
	// Override makes the delivery deliberately defective; nil for none.
	Override *Override
}

// Override makes one delivery deliberately defective (bot certification).
type Override struct {
	// Defect mints the token with this defect.
	Defect identity.Defect
	// NoToken sends no Authorization header.
	NoToken bool
	// Authorization, when set, is sent as the Authorization header as is.
	Authorization string
	// Header entries replace the default headers; an entry with no values
	// removes the header.
	Header http.Header
	// Body, when set, is sent instead of the encoded batch.
	Body []byte
	// NoRetry makes the delivery a single attempt.
	NoRetry bool
}

// Sender delivers notification batches to callbacks as Graph does. It is
// safe for concurrent use; Close drains it.
type Sender struct {
	signer    TokenSigner
	doer      identity.Doer
	transport *http.Transport // nil when the Doer is the caller's
	retry     RetryPolicy
	recorder  Recorder
	timeouts  Timeouts
	userAgent string
	now       func() time.Time
	slots     chan struct{} // POSTs in flight
	pending   chan struct{} // SendAsync deliveries unfinished

	base   context.Context // cancelled when Close gives up waiting
	cancel context.CancelFunc

	mu       sync.Mutex
	closed   bool
	inflight sync.WaitGroup
}

// NewSender returns a Sender signing with signer. Options: WithDoer,
// WithRetryPolicy, WithRecorder, WithTimeouts, WithConcurrency,
// WithMaxPending, WithUserAgent, WithClock.
func NewSender(signer TokenSigner, opts ...Option) (*Sender, error) {
	if signer == nil {
		return nil, errors.New("notify: NewSender: nil token signer")
	}
	s := newSettings(opts)
	if s.concurrent < 1 || s.maxPending < 1 {
		return nil, fmt.Errorf("notify: NewSender: concurrency %d and max pending %d must be at least 1", s.concurrent, s.maxPending)
	}
	snd := &Sender{
		signer: signer, doer: s.doer, retry: s.retry, recorder: s.recorder, timeouts: s.timeouts,
		userAgent: s.userAgent, now: s.now,
		slots: make(chan struct{}, s.concurrent), pending: make(chan struct{}, s.maxPending),
	}
	if snd.recorder == nil {
		snd.recorder = NewRingRecorder(DefaultRecordHistory)
	}
	if snd.doer == nil {
		snd.transport = newTransport(s.concurrent, s.timeouts, s.dialGuard, s.resolver)
		snd.doer = &http.Client{Transport: snd.transport, CheckRedirect: refuseRedirect}
	}
	snd.base, snd.cancel = context.WithCancel(context.Background())
	return snd, nil
}

// newTransport pools keep-alive connections: up to one idle connection per
// concurrent POST to the same callback host. With a guard, every address
// dialled is checked (net.Dialer.Control runs after resolution, before
// connecting) and no proxy is used.
func newTransport(concurrency int, t Timeouts, guard DialGuard, resolver *net.Resolver) *http.Transport {
	d := &net.Dialer{Timeout: t.Post, KeepAlive: t.IdleConn, Resolver: resolver}
	proxy, dial := http.ProxyFromEnvironment, d.DialContext
	if guard != nil {
		proxy, dial = nil, guardedDial(d, guard)
	}
	return &http.Transport{
		Proxy:                 proxy,
		DialContext:           dial,
		MaxIdleConns:          2 * concurrency,
		MaxIdleConnsPerHost:   concurrency,
		IdleConnTimeout:       t.IdleConn,
		TLSHandshakeTimeout:   t.Post,
		ResponseHeaderTimeout: t.Post,
		ForceAttemptHTTP2:     true,
	}
}

// guardedDial dials as d does, refusing every resolved address guard
// refuses for the host being dialled.
func guardedDial(d *net.Dialer, guard DialGuard) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		dd := *d
		dd.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("dialling %s: %w", address, err)
			}
			return guard(host, ap.Addr().Unmap())
		}
		return dd.DialContext(ctx, network, addr)
	}
}

func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Recorder returns where attempts are recorded (a RingRecorder unless
// WithRecorder said otherwise).
func (s *Sender) Recorder() Recorder { return s.recorder }

// Send delivers d, retrying as the policy says, and returns the record of
// the last attempt. The error is nil exactly when a 2xx acknowledged it;
// otherwise it matches ErrNotAcknowledged, ErrRedirect, ErrClosed, a
// transport error or ctx's error.
func (s *Sender) Send(ctx context.Context, d Delivery) (Record, error) {
	if !s.enter() {
		return Record{}, ErrClosed
	}
	defer s.inflight.Done()
	return s.send(ctx, d)
}

// SendAsync delivers d in the background and calls done (if not nil) with
// the outcome. It refuses with ErrOverloaded when MaxPending deliveries are
// unfinished, and with ErrClosed after Close.
func (s *Sender) SendAsync(d Delivery, done func(Record, error)) error {
	select {
	case s.pending <- struct{}{}:
	default:
		return ErrOverloaded
	}
	if !s.enter() {
		<-s.pending
		return ErrClosed
	}
	go func() {
		defer func() { <-s.pending; s.inflight.Done() }()
		rec, err := s.send(s.base, d)
		if done != nil {
			done(rec, err)
		}
	}()
	return nil
}

func (s *Sender) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.inflight.Add(1)
	return true
}

// Close stops accepting deliveries and waits for those in flight (their
// retries included) until ctx is done; then it cancels them and returns
// ctx's error.
func (s *Sender) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	drained := make(chan struct{})
	go func() { s.inflight.Wait(); close(drained) }()
	var err error
	select {
	case <-drained:
	case <-ctx.Done():
		err = fmt.Errorf("notify: sender drain: %w", ctx.Err())
		s.cancel()
		<-drained
	}
	s.cancel()
	if s.transport != nil {
		s.transport.CloseIdleConnections()
	}
	return err
}
