package identity

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Defaults of notification signing (graph-calls-facts §6).
const (
	// DefaultNotificationIssuer is the iss Graph puts on notification tokens.
	DefaultNotificationIssuer = "https://api.botframework.com"
	// GraphNotificationIssuer is the other issuer the official samples accept.
	GraphNotificationIssuer = "https://graph.microsoft.com"
	// DefaultNotificationTokenLifetime is exp - iat of minted notification
	// tokens (the documented example's is 65 minutes).
	DefaultNotificationTokenLifetime = time.Hour
	// maxReuseMargin: a cached token is reused while it has at least this long
	// (or half its lifetime, if less) to live.
	maxReuseMargin = 5 * time.Minute
	// maxCachedTokens bounds the signer's cache of (audience, tenant) tokens.
	maxCachedTokens = 4096
)

// DefaultNotificationIssuers are the issuers a NotificationVerifier accepts
// by default, as the official samples do (§6, §9.10).
var DefaultNotificationIssuers = []string{DefaultNotificationIssuer, GraphNotificationIssuer}

// OpenIDConfiguration is the subset of an OpenID Provider configuration
// document that notification verification uses.
type OpenIDConfiguration struct {
	Issuer                           string   `json:"issuer"`
	JWKSURI                          string   `json:"jwks_uri"`
	IDTokenSigningAlgValuesSupported []string `json:"id_token_signing_alg_values_supported"`
}

// NotificationSigner mints the RS256 tokens Graph puts on the notifications
// it posts to a bot (§6: aud = the bot's app id, iss, tid, iat, nbf, exp; kid
// in the header), caching one token per (audience, tenant) while it is fresh,
// and serves the OpenID configuration and JWKS a bot verifies them with. It
// is safe for concurrent use.
type NotificationSigner struct {
	key      *Key
	foreign  *lazyKey
	issuer   string
	lifetime time.Duration
	margin   time.Duration
	now      func() time.Time

	mu    sync.RWMutex
	cache map[signerCacheKey]cachedToken
}

type signerCacheKey struct{ audience, tenant string }

type cachedToken struct {
	token   string
	renewAt time.Time
}

// NewNotificationSigner returns a signer using key. Options: WithIssuer,
// WithLifetime, WithClock, WithForeignKey.
func NewNotificationSigner(key *Key, opts ...Option) (*NotificationSigner, error) {
	if key == nil {
		return nil, errors.New("identity: NewNotificationSigner: nil signing key")
	}
	s := newSettings(opts)
	lifetime := cmpOrDuration(s.lifetime, DefaultNotificationTokenLifetime)
	return &NotificationSigner{
		key: key, foreign: presetKey(s.foreign), now: s.now,
		issuer: cmpOr(s.issuer, DefaultNotificationIssuer), lifetime: lifetime,
		margin: min(maxReuseMargin, lifetime/2),
		cache:  make(map[signerCacheKey]cachedToken),
	}, nil
}

// Issuer returns the iss of the tokens.
func (s *NotificationSigner) Issuer() string { return s.issuer }

// Key returns the signing key.
func (s *NotificationSigner) Key() *Key { return s.key }

// Token returns a valid token for a notification to the bot with app id
// audience in tenant, reusing a cached one while it is fresh.
func (s *NotificationSigner) Token(audience, tenant string) (string, error) {
	k := signerCacheKey{audience, tenant}
	now := s.now()
	s.mu.RLock()
	c, ok := s.cache[k]
	s.mu.RUnlock()
	if ok && now.Before(c.renewAt) {
		return c.token, nil
	}
	token, err := s.mint(audience, tenant, DefectNone, now)
	if err != nil {
		return "", err
	}
	s.store(k, cachedToken{token: token, renewAt: now.Add(s.lifetime - s.margin)})
	return token, nil
}

func (s *NotificationSigner) store(k signerCacheKey, c cachedToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cache) >= maxCachedTokens {
		clear(s.cache)
	}
	s.cache[k] = c
}

// DefectiveToken mints an uncached token with defect d (DefectNone: a fresh
// valid token). DefectMissingRoles and DefectDelegated do not apply to
// notification tokens and are an error.
func (s *NotificationSigner) DefectiveToken(audience, tenant string, d Defect) (string, error) {
	if d == DefectMissingRoles || d == DefectDelegated {
		return "", fmt.Errorf("identity: defect %s does not apply to notification tokens", d)
	}
	return s.mint(audience, tenant, d, s.now())
}

// Claims returns the claims of a fresh valid token, to change and sign with
// SignClaims.
func (s *NotificationSigner) Claims(audience, tenant string) *NotificationClaims {
	now := s.now().Truncate(time.Second)
	return &NotificationClaims{
		Audience: audience, Issuer: s.issuer, TenantID: tenant,
		IssuedAt: numericDate(now), NotBefore: numericDate(now), ExpiresAt: numericDate(now.Add(s.lifetime)),
	}
}

// SignClaims signs c with the signer's key.
func (s *NotificationSigner) SignClaims(c *NotificationClaims) (string, error) { return s.key.Sign(c) }

func (s *NotificationSigner) mint(audience, tenant string, d Defect, now time.Time) (string, error) {
	c := s.Claims(audience, tenant)
	applyClaimsDefect(d, c.std(), now.Truncate(time.Second))
	return signWithDefect(d, c, s.key, s.foreign)
}

func (c *NotificationClaims) std() stdClaims {
	return stdClaims{aud: &c.Audience, iss: &c.Issuer, tid: &c.TenantID, iat: &c.IssuedAt, nbf: &c.NotBefore, exp: &c.ExpiresAt}
}

// OpenIDConfiguration returns the configuration document naming jwksURI.
func (s *NotificationSigner) OpenIDConfiguration(jwksURI string) OpenIDConfiguration {
	return OpenIDConfiguration{Issuer: s.issuer, JWKSURI: jwksURI, IDTokenSigningAlgValuesSupported: []string{"RS256"}}
}

// OpenIDHandler serves the OpenID configuration document (the real one is at
// https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration, §6). A
// jwksURI that is a path ("/keys") is made absolute with the request's
// scheme and host, for servers whose address is known only once listening.
func (s *NotificationSigner) OpenIDHandler(jwksURI string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := json.Marshal(s.OpenIDConfiguration(absoluteURL(r, jwksURI)))
		if err != nil {
			http.Error(w, "encode OpenID configuration: "+err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSONDoc(w, r, body)
	})
}

// JWKSHandler serves the JWKS of the signing key.
func (s *NotificationSigner) JWKSHandler() http.Handler { return JWKSHandler(s.key) }

// Handler serves the OpenID configuration at /.well-known/OpenIdConfiguration
// (and /.well-known/openid-configuration) and the JWKS at /keys, relative to
// where it is mounted (mount it with http.StripPrefix and pass the prefix).
func (s *NotificationSigner) Handler(prefix string) http.Handler {
	prefix = strings.TrimRight(prefix, "/")
	mux := http.NewServeMux()
	oidc := s.OpenIDHandler(prefix + "/keys")
	mux.Handle("/.well-known/OpenIdConfiguration", oidc)
	mux.Handle("/.well-known/openid-configuration", oidc)
	mux.Handle("/keys", s.JWKSHandler())
	return mux
}

func absoluteURL(r *http.Request, ref string) string {
	if !strings.HasPrefix(ref, "/") {
		return ref
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + ref
}
