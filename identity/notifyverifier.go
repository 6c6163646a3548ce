package identity

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/sync/singleflight"
)

// NotificationVerifier verifies the tokens on notifications posted to a
// bot's callback as the official samples do (§6): RS256 signed by a key of
// the JWKS named by an OpenID configuration (downloaded on first use, cached,
// refreshed every Timeouts.KeyRefresh and, at most every
// Timeouts.KeyRefreshMin, when a token names an unknown kid), an accepted
// issuer, aud = the bot's app id, a tid, and exp/nbf/iat with leeway. It is
// safe for concurrent use.
type NotificationVerifier struct {
	configURL string
	audiences []string
	issuers   []string
	doer      Doer
	timeouts  Timeouts
	leeway    time.Duration
	now       func() time.Time
	parser    *jwt.Parser
	cache     verifiedCache[*NotificationClaims]
	fetches   singleflight.Group

	mu          sync.RWMutex
	keys        map[string]*rsa.PublicKey
	fetchedAt   time.Time // last successful download
	attemptedAt time.Time // last download attempt
	lastErr     error     // of the last attempt
}

// NewNotificationVerifier returns a verifier for the bot with app id appID
// whose notification keys are published through the OpenID configuration
// at openIDConfigURL. It does no I/O: call Refresh to fail fast on a bad URL.
// Options: WithIssuers, WithAudiences, WithLeeway, WithClock, WithDoer,
// WithTimeouts.
func NewNotificationVerifier(openIDConfigURL, appID string, opts ...Option) (*NotificationVerifier, error) {
	u, err := url.Parse(openIDConfigURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("identity: OpenID configuration URL %q is not an absolute http(s) URL", openIDConfigURL)
	}
	if appID == "" {
		return nil, errors.New("identity: NewNotificationVerifier: empty app id (the audience of notification tokens)")
	}
	s := newSettings(opts)
	v := &NotificationVerifier{
		configURL: openIDConfigURL, audiences: append([]string{appID}, s.audiences...),
		issuers: cmpOrSlice(s.issuers, DefaultNotificationIssuers),
		doer:    s.doer, timeouts: s.timeouts, leeway: s.leeway, now: s.now,
	}
	if v.doer == nil {
		v.doer = &http.Client{Timeout: v.timeouts.Discovery}
	}
	v.parser = newParser(v.leeway, v.now)
	return v, nil
}

// ConfigURL returns the OpenID configuration URL.
func (v *NotificationVerifier) ConfigURL() string { return v.configURL }

// Verify verifies the token of an Authorization header value ("Bearer ...").
// Token failures are *TokenError (errors.Is ErrInvalidToken); a failure to
// download the keys when none are cached is a *DiscoveryError.
func (v *NotificationVerifier) Verify(ctx context.Context, authorization string) (*NotificationClaims, error) {
	token, err := BearerToken(authorization)
	if err != nil {
		return nil, err
	}
	return v.VerifyToken(ctx, token)
}

// VerifyToken verifies a bare token, as Verify does.
func (v *NotificationVerifier) VerifyToken(ctx context.Context, token string) (*NotificationClaims, error) {
	if c, ok := v.cache.get(token, v.now(), v.leeway); ok {
		cp := *c
		return &cp, nil
	}
	if err := v.ensureKeys(ctx); err != nil {
		return nil, err
	}
	c := new(NotificationClaims)
	if err := parseSigned(v.parser, token, c, func(kid string) (*rsa.PublicKey, error) { return v.lookup(ctx, kid) }); err != nil {
		return nil, err
	}
	if err := v.checkClaims(c); err != nil {
		return nil, err
	}
	v.cache.put(token, c, validFrom(c.NotBefore, c.IssuedAt), c.ExpiresAt.Time)
	cp := *c
	return &cp, nil
}

func (v *NotificationVerifier) checkClaims(c *NotificationClaims) error {
	if err := checkIssuer(c.Issuer, v.issuers); err != nil {
		return err
	}
	if err := checkAudience(c.Audience, v.audiences); err != nil {
		return err
	}
	if c.TenantID == "" {
		return tokenErr(ErrMissingTenant, "no tid claim")
	}
	return nil
}

// ensureKeys downloads the keys when there are none or they are older than
// Timeouts.KeyRefresh. A failed periodic refresh keeps the old keys.
func (v *NotificationVerifier) ensureKeys(ctx context.Context) error {
	v.mu.RLock()
	have, age := v.keys != nil, v.now().Sub(v.fetchedAt)
	v.mu.RUnlock()
	if have && age < v.timeouts.KeyRefresh {
		return nil
	}
	err := v.Refresh(ctx)
	if have {
		return nil // stale keys beat none; LastRefresh reports the error
	}
	return err
}

// lookup returns the key kid names, downloading the keys again (rate
// limited) when it is unknown.
func (v *NotificationVerifier) lookup(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	if k := v.key(kid); k != nil {
		return k, nil
	}
	v.mu.RLock()
	mayRefresh := v.now().Sub(v.attemptedAt) >= v.timeouts.KeyRefreshMin
	v.mu.RUnlock()
	if mayRefresh {
		_ = v.Refresh(ctx)
		if k := v.key(kid); k != nil {
			return k, nil
		}
	}
	return nil, tokenErr(ErrUnknownKey, "kid %q is not among the keys published through %s", kid, v.configURL)
}

func (v *NotificationVerifier) key(kid string) *rsa.PublicKey {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.keys[kid]
}

// Refresh downloads the OpenID configuration and keys now. Concurrent calls
// share one download, bounded by Timeouts.Discovery; each caller waits at
// most until its ctx is done.
func (v *NotificationVerifier) Refresh(ctx context.Context) error {
	ch := v.fetches.DoChan("discover", func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), v.timeouts.Discovery)
		defer cancel()
		d, err := discover(fctx, v.doer, v.configURL)
		v.record(d, err)
		return nil, err
	})
	select {
	case r := <-ch:
		return r.Err
	case <-ctx.Done():
		return &DiscoveryError{URL: v.configURL, Reason: "gave up waiting", Err: ctx.Err()}
	}
}

func (v *NotificationVerifier) record(d *discovered, err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	v.attemptedAt, v.lastErr = now, err
	if err != nil {
		return
	}
	if !sameKeys(v.keys, d.keys) {
		v.cache.clear()
	}
	v.keys, v.fetchedAt = d.keys, now
}

// LastRefresh returns when the keys were last downloaded successfully (zero
// if never) and the error of the last attempt (nil if it succeeded).
func (v *NotificationVerifier) LastRefresh() (time.Time, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.fetchedAt, v.lastErr
}

// KeyIDs returns the kids of the keys currently cached.
func (v *NotificationVerifier) KeyIDs() []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	ids := make([]string, 0, len(v.keys))
	for id := range v.keys {
		ids = append(ids, id)
	}
	return ids
}

func sameKeys(a, b map[string]*rsa.PublicKey) bool {
	if len(a) != len(b) {
		return false
	}
	for kid, k := range a {
		if o, ok := b[kid]; !ok || !o.Equal(k) {
			return false
		}
	}
	return true
}
