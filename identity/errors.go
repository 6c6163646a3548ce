package identity

import (
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// ErrInvalidToken is matched (errors.Is) by every token verification failure,
// whatever its reason.
var ErrInvalidToken = errors.New("invalid token")

// Reasons a token is refused. Each *TokenError matches exactly one of them.
var (
	// ErrMissingToken: no token, or an empty Authorization header.
	ErrMissingToken = errors.New("token missing")
	// ErrMalformed: not a compact JWS, bad base64 or JSON, or an
	// Authorization header whose scheme is not Bearer.
	ErrMalformed = errors.New("token malformed")
	// ErrAlgorithm: the alg header is not RS256 (none and HMAC are refused).
	ErrAlgorithm = errors.New("token signing algorithm not accepted")
	// ErrUnknownKey: the kid header is missing or names no published key.
	ErrUnknownKey = errors.New("token signed by an unknown key")
	// ErrBadSignature: the signature does not verify with the named key.
	ErrBadSignature = errors.New("token signature invalid")
	// ErrExpired: exp is in the past (beyond the leeway), or missing.
	ErrExpired = errors.New("token expired")
	// ErrNotYetValid: nbf or iat is in the future (beyond the leeway).
	ErrNotYetValid = errors.New("token not yet valid")
	// ErrWrongAudience: aud is not an accepted audience.
	ErrWrongAudience = errors.New("token audience not accepted")
	// ErrWrongIssuer: iss is not an accepted issuer.
	ErrWrongIssuer = errors.New("token issuer not accepted")
	// ErrMissingTenant: the tid claim is missing or empty.
	ErrMissingTenant = errors.New("token has no tenant (tid)")
	// ErrDelegated: a user (delegated) token, recognised by its scp claim;
	// the calling API accepts application tokens only (graph-calls-facts §4.2,
	// 7500 "Unsupported AAD Identity").
	ErrDelegated = errors.New("delegated (user) token where an application token is required")
)

// TokenError is a token verification failure: Reason is one of the reason
// sentinels above, Detail says what exactly was wrong (never the token or a
// secret).
type TokenError struct {
	Reason error
	Detail string
	cause  error
}

// Error returns the reason and the detail.
func (e *TokenError) Error() string {
	if e.Detail == "" {
		return e.Reason.Error()
	}
	return e.Reason.Error() + ": " + e.Detail
}

// Unwrap lets errors.Is match ErrInvalidToken, the Reason and the cause.
func (e *TokenError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.Reason, ErrInvalidToken}
	}
	return []error{e.Reason, ErrInvalidToken, e.cause}
}

func tokenErr(reason error, format string, args ...any) *TokenError {
	return &TokenError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// classifyParseError maps an error of jwt.Parser onto a *TokenError. Errors
// returned by our key functions already carry their reason.
func classifyParseError(err error) error {
	var te *TokenError
	if errors.As(err, &te) {
		return te
	}
	reason := ErrMalformed
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		reason = ErrMalformed
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		reason = ErrAlgorithm // alg missing or not a known algorithm
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		reason = ErrBadSignature
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		reason = ErrExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		reason = ErrNotYetValid
	case errors.Is(err, jwt.ErrInvalidType):
		reason = ErrMalformed
	}
	return &TokenError{Reason: reason, Detail: err.Error(), cause: err}
}
