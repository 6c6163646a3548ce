package load

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
)

// exampleFragment marks the example a request came from in its URL's
// fragment: ".../communications/calls#example-3". A fragment is never sent
// to the server (RFC 9110 §4.2.4), but vegeta keeps the target's URL in its
// Result, so each result says which example it was.
const exampleFragment = "#example-"

// ExampleOf returns the example a result's URL names, or 0.
func ExampleOf(url string) int {
	_, frag, ok := strings.Cut(url, exampleFragment)
	if !ok {
		return 0
	}
	digits, _, _ := strings.Cut(frag, "-")
	n, _ := strconv.Atoi(digits)
	return n
}

// createTargets makes the create-call requests of a run.
type createTargets struct {
	mix    Mix
	urls   map[int]string // by example number
	bodies map[int][]byte
	tokens oauth2.TokenSource
	n      atomic.Uint64

	mu  sync.Mutex
	err error // the first token failure, which stops the attack
}

// newCreateTargets prepares the body of every example of mix.
func newCreateTargets(base string, mix Mix, tokens oauth2.TokenSource, v BodyValues) (*createTargets, error) {
	ct := &createTargets{mix: mix, tokens: tokens, urls: map[int]string{}, bodies: map[int][]byte{}}
	for _, e := range mix.Entries() {
		ex, err := fixtures.ByNumber(e.Example)
		if err != nil {
			return nil, err
		}
		body, err := CreateBody(ex, v)
		if err != nil {
			return nil, err
		}
		ct.bodies[e.Example] = body
		ct.urls[e.Example] = strings.TrimRight(base, "/") + "/communications/calls" + exampleFragment + strconv.Itoa(e.Example)
	}
	return ct, nil
}

// targeter returns the vegeta.Targeter: each target is the next example of
// the mix, with a current token and a fresh client-request-id.
func (ct *createTargets) targeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		tok, err := ct.tokens.Token()
		if err != nil {
			return ct.fail(fmt.Errorf("getting a token: %w", err))
		}
		e := ct.mix.Pick(ct.n.Add(1) - 1)
		t.Method, t.URL, t.Body = http.MethodPost, ct.urls[e.Example], ct.bodies[e.Example]
		t.Header = http.Header{
			"Authorization":     {tok.Type() + " " + tok.AccessToken},
			"Content-Type":      {"application/json"},
			"Client-Request-Id": {graph.NewGUID()},
		}
		return nil
	}
}

func (ct *createTargets) fail(err error) error {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if ct.err == nil {
		ct.err = err
	}
	return err
}

// Err returns the failure that stopped the targeter, if any.
func (ct *createTargets) Err() error {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	return ct.err
}

// errNoCallID is a 201 without a call id in Location or the body.
var errNoCallID = errors.New("201 response names no call id (no Location, no id)")
