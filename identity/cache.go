package identity

import (
	"sync"
	"time"
)

// verifiedCacheSize bounds how many verified tokens a verifier remembers.
// Clients reuse one token for many requests (the signer caches notification
// tokens; oauth2 token sources reuse access tokens), so a small cache saves
// most RSA verifications under load.
const verifiedCacheSize = 512

// verifiedCache remembers tokens that passed every check, with the validity
// window to re-check on a hit: everything else a verifier checks depends only
// on the token bytes and on the keys, and the cache is cleared when the keys
// change. When full it is emptied, so memory stays bounded.
type verifiedCache[T any] struct {
	mu sync.RWMutex
	m  map[string]verifiedEntry[T]
}

type verifiedEntry[T any] struct {
	claims    T
	notBefore time.Time
	expires   time.Time
}

func (c *verifiedCache[T]) get(token string, now time.Time, leeway time.Duration) (T, bool) {
	c.mu.RLock()
	e, ok := c.m[token]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires.Add(leeway)) || now.Add(leeway).Before(e.notBefore) {
		var zero T
		return zero, false
	}
	return e.claims, true
}

func (c *verifiedCache[T]) put(token string, claims T, notBefore, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= verifiedCacheSize {
		c.m = make(map[string]verifiedEntry[T])
	}
	c.m[token] = verifiedEntry[T]{claims: claims, notBefore: notBefore, expires: expires}
}

func (c *verifiedCache[T]) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
