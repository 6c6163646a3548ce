package load

import (
	"context"
	"crypto/tls"
	"fmt"
	"github.com/callcheck/callcheck/identity"
	"io"
	"net/http"
	"time"
)

// DefaultProbeTimeout bounds the checks made before an attack: the target's
// reachability, the first token, the notification keys.
const DefaultProbeTimeout = 5 * time.Second

// ProbeError is a target that could not be reached before the attack.
type ProbeError struct {
	URL string // redacted
	Err error
}

// Error names the URL and the cause.
func (e *ProbeError) Error() string {
	return fmt.Sprintf("target %s is unreachable: %v", e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *ProbeError) Unwrap() error { return e.Err }

// Probe checks that url answers HTTP at all (any status will do: the probe
// carries no token), so an attack on a wrong address fails at once, with
// a clear message, instead of after a whole run of errors. insecure skips
// TLS certificate verification, as the attack itself does with
// AttackOptions.Insecure.
func Probe(ctx context.Context, url string, timeout time.Duration, insecure bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return &ProbeError{URL: identity.RedactURL(url), Err: err}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if insecure {
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // --insecure: test targets only
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return &ProbeError{URL: identity.RedactURL(url), Err: err}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return nil
}
