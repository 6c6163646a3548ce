package notify

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy decides whether and when a delivery that was not acknowledged
// is tried again. Graph's own retry behaviour for calling notifications is
// undocumented (graph-calls-facts §8), so the policy is configurable.
type RetryPolicy struct {
	// Attempts is the total number of tries, at least 1.
	Attempts int
	// Backoff is the wait before the second try; it doubles for each
	// further try, up to MaxBackoff.
	Backoff time.Duration
	// MaxBackoff caps every wait, including one asked for by Retry-After.
	MaxBackoff time.Duration
	// Retryable reports whether an attempt that ended with status (0 when
	// there was no response) or err may be retried; nil means
	// DefaultRetryable.
	Retryable func(status int, err error) bool
}

// DefaultRetryPolicy tries three times, 200 ms then 400 ms apart.
var DefaultRetryPolicy = RetryPolicy{Attempts: 3, Backoff: 200 * time.Millisecond, MaxBackoff: 2 * time.Second}

// NoRetry tries once.
var NoRetry = RetryPolicy{Attempts: 1}

// DefaultRetryable retries transport errors (but not a refused redirect or
// a cancelled context) and the statuses that announce a transient failure:
// 408, 429, 500, 502, 503 and 504.
func DefaultRetryable(status int, err error) bool {
	switch {
	case errors.Is(err, ErrRedirect), errors.Is(err, context.Canceled):
		return false
	case status == 0:
		return err != nil
	}
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func (p RetryPolicy) attempts() int { return max(p.Attempts, 1) }

func (p RetryPolicy) retryable(status int, err error) bool {
	if p.Retryable != nil {
		return p.Retryable(status, err)
	}
	return DefaultRetryable(status, err)
}

// delay is the wait after failed attempt n (1-based): Retry-After when the
// response has one, else the exponential backoff, capped by MaxBackoff.
func (p RetryPolicy) delay(n int, retryAfter time.Duration) time.Duration {
	d := retryAfter
	if d <= 0 {
		d = p.Backoff
		for i := 1; i < n && (p.MaxBackoff <= 0 || d < p.MaxBackoff); i++ {
			d *= 2
		}
	}
	if p.MaxBackoff > 0 && d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	return d
}

// ParseRetryAfter reads a Retry-After value (RFC 9110 §10.2.3): delay
// seconds, fractional as Graph sends them ("2.128": graph-calls-facts §4.3),
// or an HTTP date, which clients must honour too
// (https://github.com/microsoft/kiota/issues/1502); false when there is
// none or it is unreadable.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 && !math.IsInf(secs, 0) && secs < 1e6 {
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Sleep waits d, or until ctx is done (then it returns ctx's error).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
