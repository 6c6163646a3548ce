package suites

import (
	"context"
	"math"
	"net/http"
	"time"

	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
)

// maxAttempts bounds the attempts of one request: the first and three
// retries, the default of Microsoft's Graph SDK retry handler
// (msgraph-sdk-design RetryHandler.md: "MaxRetries" 3).
const maxAttempts = 4

// headerRetryAttempt numbers a retry, as the Graph SDKs' retry handler does.
const headerRetryAttempt = "Retry-Attempt"

// retryable reports whether a response is retried like a Graph client
// retries it: 429 and 503 whatever the method (graph-calls-facts.md §4.3:
// 429 with Retry-After; §4.1: 503 "may carry Retry-After"; Microsoft's Java
// core library: "Our handler only retries on transient HTTP errors (429,
// 504, 503)", https://github.com/microsoftgraph/msgraph-sdk-java-core/issues/97),
// and any other 5xx only for the idempotent GET and DELETE, where a second
// attempt cannot create a second call.
func retryable(method string, status int) bool {
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		return true
	case status >= 500 && status <= 599:
		return method == http.MethodGet || method == http.MethodDelete
	}
	return false
}

// retryDelay is how long to wait before attempt+1: the Retry-After the
// target sent (delay-seconds, fractional as Graph's throttling page shows
// "2.128", or an HTTP date, which clients must honour too:
// https://github.com/microsoft/kiota/issues/1502), else an exponential
// back-off from one second; either capped at limit.
func retryDelay(h http.Header, attempt int, now time.Time, limit time.Duration) time.Duration {
	d, ok := notify.ParseRetryAfter(h.Get("Retry-After"), now)
	if !ok {
		d = time.Duration(math.Pow(2, float64(attempt-1))) * time.Second
	}
	return min(max(d, 0), limit)
}

// waitFunc waits d unless ctx ends first (then it returns ctx's error).
type waitFunc func(ctx context.Context, d time.Duration) error

// retryRecord describes a retry for the report.
func retryRecord(r request, resp *response, attempt int, wait time.Duration) report.Retry {
	return report.Retry{Method: r.Method, Path: r.Path, Attempt: attempt, Status: resp.Status,
		RetryAfter: resp.Header.Get("Retry-After"), Wait: report.Duration(wait)}
}
