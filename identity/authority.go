package identity

import (
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Constants of Microsoft Graph as a token audience (graph-calls-facts §5).
const (
	// GraphResource is the Graph resource URI, the aud of its access tokens.
	GraphResource = "https://graph.microsoft.com"
	// GraphAppID is Graph's application id, also seen as aud.
	GraphAppID = "00000003-0000-0000-c000-000000000000"
	// DefaultGraphScope is the client-credentials scope for Graph.
	DefaultGraphScope = GraphResource + "/.default"
	// DefaultIssuerTemplate is the iss of Graph app tokens (v1.0 format);
	// "{tenantid}" stands for the tenant.
	DefaultIssuerTemplate = "https://sts.windows.net/{tenantid}/"
	// DefaultAccessTokenLifetime is the validity of minted access tokens
	// (the expires_in of §5.2's example).
	DefaultAccessTokenLifetime = 3599 * time.Second
	// issuedEarly back-dates iat and nbf as the identity platform does, to
	// tolerate clock skew at relying parties.
	issuedEarly = 5 * time.Minute
)

// App is an application registered with the Authority: its credentials,
// tenant, display name and the application permissions (roles) granted to it.
type App struct {
	ClientID     string   `json:"clientId"`
	ClientSecret string   `json:"clientSecret"`
	TenantID     string   `json:"tenantId"`
	DisplayName  string   `json:"displayName,omitempty"`
	Roles        []string `json:"roles,omitempty"`
	// ObjectID is the service principal's object id (oid and sub); derived
	// from the client and tenant ids when empty.
	ObjectID string `json:"objectId,omitempty"`
}

// String describes the app without its secret.
func (a App) String() string {
	return fmt.Sprintf("app %s (%q) tenant %s secret %s roles %v", a.ClientID, a.DisplayName, a.TenantID, Redacted, a.Roles)
}

// Validate reports the first missing field.
func (a App) Validate() error {
	switch {
	case strings.TrimSpace(a.ClientID) == "":
		return errors.New("app: clientId is empty")
	case a.ClientSecret == "":
		return fmt.Errorf("app %s: clientSecret is empty", a.ClientID)
	case strings.TrimSpace(a.TenantID) == "":
		return fmt.Errorf("app %s: tenantId is empty", a.ClientID)
	}
	return nil
}

// Authority emulates the Microsoft identity platform v2.0 for registered
// apps: it serves the client-credentials token endpoint, mints Graph access
// tokens (valid or with a Defect) and verifies them. It is safe for
// concurrent use.
type Authority struct {
	key            *Key
	foreign        *lazyKey
	issuerTemplate string
	audiences      []string
	lifetime       time.Duration
	leeway         time.Duration
	now            func() time.Time
	parser         *jwt.Parser
	cache          verifiedCache[*GraphClaims]

	mu   sync.RWMutex
	apps map[string]App // by lower-cased client id
}

// NewAuthority returns an Authority signing with key, with apps registered.
// Options: WithClock, WithLeeway, WithLifetime, WithIssuerTemplate,
// WithAudiences, WithForeignKey.
func NewAuthority(key *Key, apps []App, opts ...Option) (*Authority, error) {
	if key == nil {
		return nil, errors.New("identity: NewAuthority: nil signing key")
	}
	s := newSettings(opts)
	a := &Authority{
		key: key, foreign: presetKey(s.foreign), now: s.now, leeway: s.leeway,
		issuerTemplate: cmpOr(s.issuerTemplate, DefaultIssuerTemplate),
		audiences:      cmpOrSlice(s.audiences, []string{GraphResource, GraphAppID}),
		lifetime:       cmpOrDuration(s.lifetime, DefaultAccessTokenLifetime),
		apps:           make(map[string]App),
	}
	a.parser = newParser(a.leeway, a.now)
	for _, app := range apps {
		if err := a.Register(app); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Register adds an app; its client id must be new.
func (a *Authority) Register(app App) error {
	if err := app.Validate(); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	if app.ObjectID == "" {
		app.ObjectID = derivedGUID("sp", app.ClientID, app.TenantID)
	}
	app.Roles = slices.Clone(app.Roles)
	a.mu.Lock()
	defer a.mu.Unlock()
	id := strings.ToLower(app.ClientID)
	if _, dup := a.apps[id]; dup {
		return fmt.Errorf("identity: app %s is already registered", app.ClientID)
	}
	a.apps[id] = app
	return nil
}

// App returns the registered app with clientID (case-insensitive).
func (a *Authority) App(clientID string) (App, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	app, ok := a.apps[strings.ToLower(clientID)]
	return app, ok
}

// Apps returns the registered apps sorted by client id.
func (a *Authority) Apps() []App {
	a.mu.RLock()
	out := make([]App, 0, len(a.apps))
	for _, app := range a.apps {
		out = append(out, app)
	}
	a.mu.RUnlock()
	slices.SortFunc(out, func(x, y App) int { return strings.Compare(x.ClientID, y.ClientID) })
	return out
}

// Key returns the signing key.
func (a *Authority) Key() *Key { return a.key }

// Issuer returns the iss of tokens for tenantID.
func (a *Authority) Issuer(tenantID string) string {
	return strings.ReplaceAll(a.issuerTemplate, "{tenantid}", tenantID)
}

// JWKSHandler serves the JWKS of the signing key.
func (a *Authority) JWKSHandler() http.Handler { return JWKSHandler(a.key) }

// Claims returns the claims of a fresh valid token for the app clientID,
// to change and sign with SignClaims.
func (a *Authority) Claims(clientID string) (*GraphClaims, error) {
	app, ok := a.App(clientID)
	if !ok {
		return nil, fmt.Errorf("identity: no app %q is registered", clientID)
	}
	return a.claimsFor(app), nil
}

func (a *Authority) claimsFor(app App) *GraphClaims {
	now := a.now().Truncate(time.Second)
	iss := a.Issuer(app.TenantID)
	return &GraphClaims{
		Audience: a.audiences[0], Issuer: iss, IdentityProvider: iss,
		IssuedAt: numericDate(now.Add(-issuedEarly)), NotBefore: numericDate(now.Add(-issuedEarly)),
		ExpiresAt: numericDate(now.Add(a.lifetime)),
		AppID:     app.ClientID, AppIDACR: "1", AppDisplayName: app.DisplayName, IDType: "app",
		ObjectID: app.ObjectID, Subject: app.ObjectID, TenantID: app.TenantID,
		Roles: slices.Clone(app.Roles), Version: "1.0", TokenID: newTokenID(),
	}
}

// SignClaims signs c with the Authority's key.
func (a *Authority) SignClaims(c *GraphClaims) (string, error) { return a.key.Sign(c) }

// Token mints a valid access token for the app clientID.
func (a *Authority) Token(clientID string) (string, error) {
	return a.DefectiveToken(clientID, DefectNone)
}

// DefectiveToken mints an access token for the app clientID with defect d
// (DefectNone: a valid token).
func (a *Authority) DefectiveToken(clientID string, d Defect) (string, error) {
	c, err := a.Claims(clientID)
	if err != nil {
		return "", err
	}
	applyClaimsDefect(d, c.std(), a.now().Truncate(time.Second))
	switch d {
	case DefectMissingRoles:
		c.Roles = nil
	case DefectDelegated:
		c.Roles, c.Scope, c.IDType = nil, "User.Read Calls.Initiate.All", "user"
		c.UserName = "adele.vance@contoso.example"
		c.ObjectID = derivedGUID("user", c.AppID, c.TenantID)
		c.Subject = c.ObjectID
	}
	return signWithDefect(d, c, a.key, a.foreign)
}

func (c *GraphClaims) std() stdClaims {
	return stdClaims{aud: &c.Audience, iss: &c.Issuer, tid: &c.TenantID, iat: &c.IssuedAt, nbf: &c.NotBefore, exp: &c.ExpiresAt}
}

// VerifyAuthorization verifies the token of an Authorization header value.
func (a *Authority) VerifyAuthorization(authorization string) (*GraphClaims, error) {
	token, err := BearerToken(authorization)
	if err != nil {
		return nil, err
	}
	return a.Verify(token)
}

// Verify checks an access token: RS256 signature by the Authority's key
// (none and HMAC refused), exp/nbf/iat with leeway, an accepted audience,
// tid present and iss the tenant's issuer, and an application token (no
// scp). Failures are *TokenError. Tenant and role checks are the caller's
// (GraphClaims.HasRole). The claims returned are the caller's to keep.
func (a *Authority) Verify(token string) (*GraphClaims, error) {
	now := a.now()
	if c, ok := a.cache.get(token, now, a.leeway); ok {
		return c.clone(), nil
	}
	c := new(GraphClaims)
	if err := parseSigned(a.parser, token, c, a.lookup); err != nil {
		return nil, err
	}
	if err := a.checkClaims(c); err != nil {
		return nil, err
	}
	a.cache.put(token, c, validFrom(c.NotBefore, c.IssuedAt), c.ExpiresAt.Time)
	return c.clone(), nil
}

func (a *Authority) lookup(kid string) (*rsa.PublicKey, error) {
	if kid != a.key.ID() {
		return nil, tokenErr(ErrUnknownKey, "kid %q is not the authority's key", kid)
	}
	return a.key.Public(), nil
}

func (a *Authority) checkClaims(c *GraphClaims) error {
	if err := checkAudience(c.Audience, a.audiences); err != nil {
		return err
	}
	if c.TenantID == "" {
		return tokenErr(ErrMissingTenant, "no tid claim")
	}
	if err := checkIssuer(c.Issuer, []string{a.Issuer(c.TenantID)}); err != nil {
		return err
	}
	if c.IsDelegated() {
		return tokenErr(ErrDelegated, "scp %q: delegated permissions are not supported", c.Scope)
	}
	return nil
}

// validFrom is nbf, else iat, else the zero time.
func validFrom(nbf, iat *jwt.NumericDate) time.Time {
	if nbf != nil {
		return nbf.Time
	}
	return numericTime(iat)
}

// derivedGUID makes a stable GUID-shaped id from parts.
func derivedGUID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return formatGUID(sum[:16])
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func cmpOrDuration(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

func cmpOrSlice(v, def []string) []string {
	if len(v) == 0 {
		return def
	}
	return slices.Clone(v)
}
