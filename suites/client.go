package suites

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/jsonptr"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
)

// maxResponseBytes bounds how much of a response the suites read.
const maxResponseBytes = 1 << 20

// callsPath is the collection every create goes to (create-call-doc.txt,
// HTTP request: "POST /communications/calls").
const callsPath = "/communications/calls"

// request is one request to the target.
type request struct {
	Method string
	Path   string // below the base URL: "/communications/calls"
	Body   []byte
	// ContentType defaults to application/json when there is a body.
	ContentType string
	// Auth selects the Authorization header: the run's token (default),
	// none, or a given value.
	Auth authMode
	// Authorization is sent as is when Auth is authGiven (never printed).
	Authorization string
	// Tokens, when set, replace the run's token source (apps lacking a role).
	Tokens oauth2.TokenSource
	// outlivesCancel lets an attempt already sent finish when the run is
	// cancelled (bounded by the request timeout still): a create the
	// target may have made must return its id, or the call is neither
	// deleted nor reported undeleted.
	outlivesCancel bool
}

type authMode int

const (
	authToken authMode = iota
	authNone
	authGiven
)

// response is what the target answered.
type response struct {
	Method, URL     string
	Status          int
	Header          http.Header
	Body            []byte
	Truncated       bool
	Duration        time.Duration
	ClientRequestID string // what callcheck sent
}

// RequestID returns the response's request-id header.
func (r *response) RequestID() string { return r.Header.Get("request-id") }

// client sends requests to the target and tracks the calls it creates, so
// that the cleanup deletes them (in reverse order) even when a contract
// fails half-way (csi-test's tracking client).
type client struct {
	base    string
	http    *http.Client
	tokens  oauth2.TokenSource
	timeout time.Duration
	// retryCap bounds a wait before a retry; wait waits (a fake in tests);
	// onRetry is told of every retry (the contract's record).
	retryCap time.Duration
	wait     waitFunc
	onRetry  func(report.Retry)
	// known learns every call the client creates (nil: nobody listens).
	known *arrivals

	mu      sync.Mutex
	created []string
	done    map[string]bool
}

func newClient(env *environment) *client {
	return &client{base: env.baseURL, http: env.httpClient, tokens: env.tokens, timeout: env.timeouts.Request,
		retryCap: env.timeouts.RetryCap, wait: notify.Sleep, known: env.arrivals, done: map[string]bool{}}
}

// do sends r and reads the response, retrying like a Graph client: a
// retryable answer (429, 503; another 5xx to GET or DELETE) is retried
// after its Retry-After, up to maxAttempts in all, with the same
// client-request-id; each retry is reported to onRetry. The last answer is
// returned, so a contract fails on a throttled request only once the
// retries are exhausted.
func (c *client) do(ctx context.Context, r request) (*response, error) {
	crid := graph.NewGUID()
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, r, crid, attempt)
		if err != nil || attempt >= maxAttempts || !retryable(r.Method, resp.Status) {
			return resp, err
		}
		wait := retryDelay(resp.Header, attempt, time.Now(), c.retryCap)
		if c.onRetry != nil {
			c.onRetry(retryRecord(r, resp, attempt, wait))
		}
		if werr := c.wait(ctx, wait); werr != nil {
			return resp, nil
		}
	}
}

// once makes one attempt of r, bounded by the request timeout.
func (c *client) once(ctx context.Context, r request, crid string, attempt int) (*response, error) {
	if r.outlivesCancel {
		if err := ctx.Err(); err != nil {
			return nil, err // not sent: nothing to finish
		}
		ctx = context.WithoutCancel(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, c.base+r.Path, bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}
	if err := c.authorize(req, r); err != nil {
		return nil, err
	}
	if r.Body != nil {
		ct := r.ContentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("client-request-id", crid)
	if attempt > 1 {
		req.Header.Set(headerRetryAttempt, strconv.Itoa(attempt-1))
	}
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.Method, identity.RedactURL(req.URL.String()), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	out := &response{Method: r.Method, URL: req.URL.String(), Status: resp.StatusCode, Header: resp.Header,
		Body: body, Duration: time.Since(start), ClientRequestID: crid}
	if len(body) > maxResponseBytes {
		out.Body, out.Truncated = body[:maxResponseBytes], true
	}
	if err != nil {
		return out, fmt.Errorf("%s %s: reading the response: %w", r.Method, identity.RedactURL(req.URL.String()), err)
	}
	return out, nil
}

func (c *client) authorize(req *http.Request, r request) error {
	switch r.Auth {
	case authNone:
		return nil
	case authGiven:
		req.Header.Set("Authorization", r.Authorization)
		return nil
	}
	ts := c.tokens
	if r.Tokens != nil {
		ts = r.Tokens
	}
	tok, err := ts.Token()
	if err != nil {
		return fmt.Errorf("getting an access token: %w", err)
	}
	tok.SetAuthHeader(req)
	return nil
}

// create POSTs a create-call body and tracks the call if the target made one
// (any 2xx with an id), whatever the contract then thinks of the response.
func (c *client) create(ctx context.Context, body []byte, r request) (*response, error) {
	r.Method, r.Path, r.Body, r.outlivesCancel = http.MethodPost, callsPath, body, true
	resp, err := c.do(ctx, r)
	if resp != nil && resp.Status/100 == 2 {
		if v, derr := decodeJSON(resp.Body); derr == nil {
			if id := jsonptr.String(v, "/id"); id != "" {
				c.track(id)
			}
		}
	}
	return resp, err
}

// track records a call to delete at cleanup.
func (c *client) track(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.created = append(c.created, id)
	if c.known != nil {
		c.known.created(id)
	}
}

// createdIDs returns the calls the client created.
func (c *client) createdIDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.created...)
}

// undeleted returns the ids of the calls created and not deleted (yet).
func (c *client) undeleted() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, id := range c.created {
		if !c.done[id] {
			out = append(out, id)
		}
	}
	return out
}

// forget marks a call deleted by the contract itself.
func (c *client) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done[id] = true
}

// isDone reports whether the call was deleted already.
func (c *client) isDone(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done[id]
}

// callPath is the path of one call.
func callPath(id string) string { return callsPath + "/" + id }

// cleanup deletes the calls still tracked, newest first. A call the target
// no longer knows (404) counts as cleaned up; the others are reported.
func (c *client) cleanup(ctx context.Context) []string {
	c.mu.Lock()
	ids := append([]string(nil), c.created...)
	c.mu.Unlock()
	var problems []string
	for i := len(ids) - 1; i >= 0; i-- {
		id := ids[i]
		if c.isDone(id) || strings.ContainsAny(id, "/?#") {
			continue
		}
		resp, err := c.do(ctx, request{Method: http.MethodDelete, Path: callPath(id)})
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("DELETE call %s: %v", id, err))
		case resp.Status/100 != 2 && resp.Status != http.StatusNotFound:
			problems = append(problems, fmt.Sprintf("DELETE call %s: status %d (request-id %s)", id, resp.Status, resp.RequestID()))
		default:
			c.forget(id)
		}
	}
	return problems
}
