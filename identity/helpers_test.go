package identity

import (
	"sync"
	"testing"
	"time"
)

// RSA key generation is slow; the tests share three keys.
var (
	keysOnce sync.Once
	keys     [3]*Key
	keysErr  error
)

// testKeys returns the shared keys: the signer's, another trusted one and a
// foreign one.
func testKeys(t testing.TB) (signing, other, foreign *Key) {
	t.Helper()
	keysOnce.Do(func() {
		for i := range keys {
			if keys[i], keysErr = GenerateKey(); keysErr != nil {
				return
			}
		}
	})
	if keysErr != nil {
		t.Fatalf("GenerateKey: %v", keysErr)
	}
	return keys[0], keys[1], keys[2]
}

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
