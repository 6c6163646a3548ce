package identity

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestVerifiedCacheKeysByDigest(t *testing.T) {
	var c verifiedCache[string]
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	token := "eyJhbGciOiJSUzI1NiJ9." + strings.Repeat("p", 900) + ".sig"
	c.put(token, "claims", now.Add(-time.Minute), now.Add(time.Hour))

	if got, ok := c.get(token, now, 0); !ok || got != "claims" {
		t.Fatalf("get(token) = %q, %v; want the claims put", got, ok)
	}
	// One byte changed anywhere (here the signature's last) is another token.
	if _, ok := c.get(token[:len(token)-1]+"h", now, 0); ok {
		t.Error("a token differing in its last byte was found in the cache")
	}
	if _, ok := c.get(token, now.Add(2*time.Hour), 0); ok {
		t.Error("an expired entry was returned")
	}
	// The cache holds digests, not bearer tokens.
	for k := range c.m {
		if strings.Contains(fmt.Sprintf("%s", k[:]), "eyJ") {
			t.Errorf("cache key %x holds the token's bytes", k)
		}
	}
	if want := digestOf(token); c.m[want].claims != "claims" {
		t.Errorf("no entry under the token's SHA-256 %x", want)
	}
}
