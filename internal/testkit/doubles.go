package testkit

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/identity"
)

// keyPool holds the keys Key hands out: RSA key generation is the slowest
// part of many tests (most of all under the race detector), so a test binary
// generates each key once.
var keyPool struct {
	mu   sync.Mutex
	keys []*identity.Key
}

// Key returns the i-th shared signing key of the test binary (a token
// signer's, a notification signer's, a foreign one…), generating it on
// first use. Tests that need different keys ask for different i.
func Key(t testing.TB, i int) *identity.Key {
	t.Helper()
	keyPool.mu.Lock()
	defer keyPool.mu.Unlock()
	for len(keyPool.keys) <= i {
		k, err := identity.GenerateKey()
		if err != nil {
			t.Fatalf("GenerateKey: %v", err)
		}
		keyPool.keys = append(keyPool.keys, k)
	}
	return keyPool.keys[i]
}

// ClockStart is where a Clock starts: a fixed instant, so that times in
// golden files and messages do not move.
var ClockStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Clock is a settable clock for tests, safe for concurrent use. Its zero
// value reads ClockStart.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock at ClockStart.
func NewClock() *Clock { return &Clock{t: ClockStart} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		c.t = ClockStart
	}
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.Now()
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// FreeAddr returns a loopback address ("127.0.0.1:port") whose port was
// free a moment ago, for a server a test starts by address.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// FreePort is FreeAddr's port alone.
func FreePort(t testing.TB) string {
	t.Helper()
	_, port, _ := net.SplitHostPort(FreeAddr(t))
	return port
}

// Context returns a context cancelled after d, or once the test and its
// cleanups are done (so cleanups may still use it).
func Context(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
