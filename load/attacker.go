package load

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Defaults of AttackOptions.
const (
	// DefaultWorkers is vegeta's initial worker count; more are started
	// whenever every worker is busy (the open model).
	DefaultWorkers = vegeta.DefaultWorkers
	// DefaultConnections is vegeta's idle connections kept per host.
	DefaultConnections = vegeta.DefaultConnections
	// DefaultTimeout bounds one request, from sending to the end of the body.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxBody caps what is read of a response body (a create
	// response is a few KiB); the rest is discarded unread.
	DefaultMaxBody = 64 << 10
	// DefaultStopGrace is how long requests in flight may finish after an
	// interrupt before they are cancelled.
	DefaultStopGrace = 2 * time.Second
)

// AttackOptions tune vegeta's attacker.
type AttackOptions struct {
	// Workers is the initial number of workers; MaxWorkers caps them (0:
	// no cap, the open model; a cap makes the attack closed once every
	// worker waits, but latencies still count from the schedule, so the
	// queueing shows).
	Workers, MaxWorkers uint64
	// Connections is the idle keep-alive connections kept per host.
	Connections int
	// Timeout bounds one request.
	Timeout time.Duration
	// MaxBody caps what is read of a response body.
	MaxBody int64
	// Insecure skips TLS certificate verification (a test target).
	Insecure bool
}

// DefaultAttackOptions returns the defaults.
func DefaultAttackOptions() AttackOptions {
	return AttackOptions{Workers: DefaultWorkers, Connections: DefaultConnections, Timeout: DefaultTimeout, MaxBody: DefaultMaxBody}
}

// newAttacker returns vegeta's attacker with an HTTP client whose requests
// run under a child of ctx bounded by the timeout: cancelling ctx cancels
// the requests in flight (vegeta itself cannot), and the timeout costs one
// context per request, as http.Client.Timeout would. closeIdle closes the
// client's idle connections: a run calls it when its attack is over, so
// that the keep-alive connections of a burst (each with its buffers and
// goroutines, on both ends when the target is embedded) do not outlive it.
func newAttacker(ctx context.Context, o AttackOptions) (atk *vegeta.Attacker, closeIdle func()) {
	dialer := &net.Dialer{KeepAlive: 30 * time.Second, Timeout: o.Timeout}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSClientConfig:     &tls.Config{InsecureSkipVerify: o.Insecure}, //nolint:gosec // opt-in for test targets
		MaxIdleConnsPerHost: o.Connections,
		ForceAttemptHTTP2:   true,
	}
	client := &http.Client{
		Transport:     ctxTransport{ctx: ctx, timeout: o.Timeout, rt: tr},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	opts := []func(*vegeta.Attacker){vegeta.Client(client), vegeta.MaxBody(o.MaxBody), vegeta.Workers(max(o.Workers, 1))}
	if o.MaxWorkers > 0 {
		opts = append(opts, vegeta.MaxWorkers(o.MaxWorkers))
	}
	return vegeta.NewAttacker(opts...), tr.CloseIdleConnections
}

// ctxTransport sends each request under a context derived from ctx with
// the timeout, released when the response body is closed (the timeout
// covers reading the body, as http.Client.Timeout does).
type ctxTransport struct {
	ctx     context.Context
	timeout time.Duration
	rt      http.RoundTripper
}

func (t ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.timeout)
	resp, err := t.rt.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, done: cancel}
	return resp, nil
}

// cancelBody releases a request's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	done context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.done()
	return err
}
