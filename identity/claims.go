package identity

import (
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// GraphClaims are the claims of an application access token for Microsoft
// Graph as graph-calls-facts §5.2 shows them (a v1.0-format token even from
// the v2.0 endpoint). aud is a single string, as Microsoft issues it; a
// token whose aud is an array is refused as malformed.
type GraphClaims struct {
	Audience         string           `json:"aud"`
	Issuer           string           `json:"iss"`
	IssuedAt         *jwt.NumericDate `json:"iat,omitempty"`
	NotBefore        *jwt.NumericDate `json:"nbf,omitempty"`
	ExpiresAt        *jwt.NumericDate `json:"exp,omitempty"`
	IdentityProvider string           `json:"idp,omitempty"`
	AppID            string           `json:"appid,omitempty"`
	AppIDACR         string           `json:"appidacr,omitempty"`
	AppDisplayName   string           `json:"app_displayname,omitempty"`
	IDType           string           `json:"idtyp,omitempty"`
	ObjectID         string           `json:"oid,omitempty"`
	Subject          string           `json:"sub,omitempty"`
	TenantID         string           `json:"tid,omitempty"`
	Roles            []string         `json:"roles,omitempty"`
	// Scope (scp) is present on delegated (user) tokens only.
	Scope    string `json:"scp,omitempty"`
	UserName string `json:"upn,omitempty"`
	Version  string `json:"ver,omitempty"`
	TokenID  string `json:"uti,omitempty"`
}

// HasRole reports whether the roles claim holds role exactly (role values are
// case-sensitive: graph-calls-facts §9.1 lists look-alike names that are not
// permissions).
func (c *GraphClaims) HasRole(role string) bool { return slices.Contains(c.Roles, role) }

// HasAnyRole reports whether the roles claim holds at least one of roles.
func (c *GraphClaims) HasAnyRole(roles ...string) bool {
	return slices.ContainsFunc(roles, c.HasRole)
}

// MissingRoles returns those of roles the token does not hold, in order.
func (c *GraphClaims) MissingRoles(roles ...string) []string {
	var missing []string
	for _, r := range roles {
		if !c.HasRole(r) {
			missing = append(missing, r)
		}
	}
	return missing
}

// IsDelegated reports whether this is a user (delegated) token: it has scp.
func (c *GraphClaims) IsDelegated() bool { return c.Scope != "" }

// Expiry returns exp, or the zero time when there is none.
func (c *GraphClaims) Expiry() time.Time { return numericTime(c.ExpiresAt) }

func (c *GraphClaims) clone() *GraphClaims {
	cp := *c
	cp.Roles = slices.Clone(c.Roles)
	return &cp
}

// GetExpirationTime implements jwt.Claims.
func (c *GraphClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }

// GetIssuedAt implements jwt.Claims.
func (c *GraphClaims) GetIssuedAt() (*jwt.NumericDate, error) { return c.IssuedAt, nil }

// GetNotBefore implements jwt.Claims.
func (c *GraphClaims) GetNotBefore() (*jwt.NumericDate, error) { return c.NotBefore, nil }

// GetIssuer implements jwt.Claims.
func (c *GraphClaims) GetIssuer() (string, error) { return c.Issuer, nil }

// GetSubject implements jwt.Claims.
func (c *GraphClaims) GetSubject() (string, error) { return c.Subject, nil }

// GetAudience implements jwt.Claims.
func (c *GraphClaims) GetAudience() (jwt.ClaimStrings, error) { return audience(c.Audience), nil }

// NotificationClaims are the claims of the token Graph puts on every
// notification it posts to a bot's callback (graph-calls-facts §6):
// aud = the bot's app id, iss, tid, iat, nbf, exp.
type NotificationClaims struct {
	Audience  string           `json:"aud"`
	Issuer    string           `json:"iss"`
	TenantID  string           `json:"tid,omitempty"`
	IssuedAt  *jwt.NumericDate `json:"iat,omitempty"`
	NotBefore *jwt.NumericDate `json:"nbf,omitempty"`
	ExpiresAt *jwt.NumericDate `json:"exp,omitempty"`
}

// Expiry returns exp, or the zero time when there is none.
func (c *NotificationClaims) Expiry() time.Time { return numericTime(c.ExpiresAt) }

// GetExpirationTime implements jwt.Claims.
func (c *NotificationClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }

// GetIssuedAt implements jwt.Claims.
func (c *NotificationClaims) GetIssuedAt() (*jwt.NumericDate, error) { return c.IssuedAt, nil }

// GetNotBefore implements jwt.Claims.
func (c *NotificationClaims) GetNotBefore() (*jwt.NumericDate, error) { return c.NotBefore, nil }

// GetIssuer implements jwt.Claims.
func (c *NotificationClaims) GetIssuer() (string, error) { return c.Issuer, nil }

// GetSubject implements jwt.Claims.
func (c *NotificationClaims) GetSubject() (string, error) { return "", nil }

// GetAudience implements jwt.Claims.
func (c *NotificationClaims) GetAudience() (jwt.ClaimStrings, error) {
	return audience(c.Audience), nil
}

func audience(aud string) jwt.ClaimStrings {
	if aud == "" {
		return nil
	}
	return jwt.ClaimStrings{aud}
}

func numericTime(d *jwt.NumericDate) time.Time {
	if d == nil {
		return time.Time{}
	}
	return d.Time
}

func numericDate(t time.Time) *jwt.NumericDate { return jwt.NewNumericDate(t) }
