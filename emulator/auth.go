package emulator

import (
	"errors"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/callcheck/callcheck/identity"
)

// authenticate verifies the request's access token (signature, expiry, audience; no or bad token → 401; a
// delegated token → refused as unsupported, facts §4.2 7500) and records
// what it said. False when it already answered.
func (e *Emulator) authenticate(rc *reqCtx) (*identity.GraphClaims, bool) {
	header := rc.r.Header.Get("Authorization")
	claims, err := e.authority.VerifyAuthorization(header)
	if err == nil {
		rc.rec.Token = tokenInfo(claims, nil)
		return claims, true
	}
	if claims, ok := e.tolerated(header, err); ok {
		rc.rec.Token = tokenInfo(claims, err)
		return claims, true
	}
	if header != "" {
		rc.rec.Token = tokenInfo(unverifiedClaims(header), err)
	}
	if errors.Is(err, identity.ErrDelegated) {
		e.fail(rc, http.StatusForbidden, CodeUnknownError, msgDelegated)
		return nil, false
	}
	rc.w.Header().Set("WWW-Authenticate", `Bearer realm="", error="invalid_token"`)
	e.fail(rc, http.StatusUnauthorized, CodeInvalidToken, tokenMessage(err))
	return nil, false
}

// tolerated accepts a refused token when a violation says so.
func (e *Emulator) tolerated(header string, err error) (*identity.GraphClaims, bool) {
	switch {
	case errors.Is(err, identity.ErrMissingToken) && e.vio.on(VMissingTokenAccepted):
		c, cerr := e.authority.Claims(e.DefaultApp().ClientID)
		return c, cerr == nil
	case errors.Is(err, identity.ErrExpired) && e.vio.on(VExpiredTokenAccepted),
		errors.Is(err, identity.ErrWrongAudience) && e.vio.on(VWrongAudienceAccepted),
		errors.Is(err, identity.ErrDelegated) && e.vio.on(VDelegatedTokenAccepted):
		c := unverifiedClaims(header)
		if c != nil && c.IsDelegated() && len(c.Roles) == 0 {
			c.Roles = strings.Fields(c.Scope) // the violation takes delegated scopes for roles
		}
		return c, c != nil
	}
	return nil, false
}

// tokenMessage words a verification failure like Graph's 401 messages.
func tokenMessage(err error) string {
	switch {
	case errors.Is(err, identity.ErrMissingToken):
		return "Access token is empty."
	case errors.Is(err, identity.ErrExpired):
		return "Lifetime validation failed, the token is expired."
	case errors.Is(err, identity.ErrNotYetValid):
		return "Lifetime validation failed, the token is not yet valid."
	case errors.Is(err, identity.ErrWrongAudience):
		return "Invalid audience."
	case errors.Is(err, identity.ErrWrongIssuer):
		return "Invalid issuer."
	}
	return "Access token validation failure. Invalid audience, issuer, signature or format: " + err.Error()
}

// unverifiedClaims reads a token's claims without checking anything, for
// the record (and for violations that accept bad tokens); nil if unreadable.
func unverifiedClaims(header string) *identity.GraphClaims {
	token, err := identity.BearerToken(header)
	if err != nil {
		return nil
	}
	c := new(identity.GraphClaims)
	if _, _, err := jwt.NewParser().ParseUnverified(token, c); err != nil {
		return nil
	}
	return c
}

func tokenInfo(c *identity.GraphClaims, err error) *TokenInfo {
	t := &TokenInfo{Valid: err == nil}
	if err != nil {
		t.Error = err.Error()
	}
	if c != nil {
		t.AppID, t.TenantID, t.Roles, t.Delegated = c.AppID, c.TenantID, c.Roles, c.IsDelegated() // c is this request's copy
	}
	return t
}
