package identity

import (
	"crypto/sha256"
	"sync"
	"time"
	"unsafe"
)

// verifiedCacheSize bounds how many verified tokens a verifier remembers.
// Clients reuse one token for many requests (the signer caches notification
// tokens; oauth2 token sources reuse access tokens), so a small cache saves
// most RSA verifications under load.
const verifiedCacheSize = 512

// verifiedCache remembers tokens that passed every check, with the validity
// window to re-check on a hit: everything else a verifier checks depends only
// on the token bytes and on the keys, and the cache is cleared when the keys
// change. When full it is emptied, so memory stays bounded. It is keyed by
// the SHA-256 of the token, never the token: it holds no bearer credential,
// 32 bytes an entry whatever the token's length, and a token is admitted from
// it only when its digest equals one a verified token had (a collision of
// SHA-256, not of a map's hash).
type verifiedCache[T any] struct {
	mu sync.RWMutex
	m  map[tokenDigest]verifiedEntry[T]
}

// tokenDigest is the SHA-256 of a token's compact serialization.
type tokenDigest [sha256.Size]byte

// digestOf hashes the token's bytes in place: sha256.Sum256 only reads its
// argument, so the string's bytes are lent to it rather than copied (a
// token is a kilobyte or more, and this runs on every request).
func digestOf(token string) tokenDigest {
	return sha256.Sum256(unsafe.Slice(unsafe.StringData(token), len(token)))
}

type verifiedEntry[T any] struct {
	claims    T
	notBefore time.Time
	expires   time.Time
}

func (c *verifiedCache[T]) get(token string, now time.Time, leeway time.Duration) (T, bool) {
	k := digestOf(token)
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires.Add(leeway)) || now.Add(leeway).Before(e.notBefore) {
		var zero T
		return zero, false
	}
	return e.claims, true
}

func (c *verifiedCache[T]) put(token string, claims T, notBefore, expires time.Time) {
	k := digestOf(token)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= verifiedCacheSize {
		c.m = make(map[tokenDigest]verifiedEntry[T])
	}
	c.m[k] = verifiedEntry[T]{claims: claims, notBefore: notBefore, expires: expires}
}

func (c *verifiedCache[T]) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
