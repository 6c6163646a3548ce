package identity

import (
	"crypto/rsa"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultLeeway is the clock skew tolerated on exp, nbf and iat.
const DefaultLeeway = time.Minute

// BearerToken returns the token of an Authorization header value
// ("Bearer <token>", scheme case-insensitive). An empty value is
// ErrMissingToken; another scheme or an empty token is ErrMalformed.
func BearerToken(authorization string) (string, error) {
	authorization = strings.TrimSpace(authorization)
	if authorization == "" {
		return "", tokenErr(ErrMissingToken, "no Authorization header")
	}
	scheme, token, ok := strings.Cut(authorization, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", tokenErr(ErrMalformed, "Authorization scheme is not Bearer")
	}
	if token = strings.TrimSpace(token); token == "" {
		return "", tokenErr(ErrMissingToken, "Authorization header has an empty Bearer token")
	}
	return token, nil
}

// keyLookup returns the public key for a kid, or a *TokenError.
type keyLookup func(kid string) (*rsa.PublicKey, error)

// newParser returns a parser that checks the signature (through the key
// function) and exp (required), nbf and iat with leeway; audience, issuer and
// the rest are checked by the callers, for clearer errors.
func newParser(leeway time.Duration, now func() time.Time) *jwt.Parser {
	return jwt.NewParser(jwt.WithLeeway(leeway), jwt.WithTimeFunc(now),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt())
}

// parseSigned parses and verifies token into claims with the RS256 key that
// lookup returns for its kid.
func parseSigned(p *jwt.Parser, token string, claims jwt.Claims, lookup keyLookup) error {
	if token == "" {
		return tokenErr(ErrMissingToken, "empty token")
	}
	_, err := p.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		if alg, _ := t.Header["alg"].(string); alg != jwt.SigningMethodRS256.Alg() {
			return nil, tokenErr(ErrAlgorithm, "alg %q, want RS256", alg)
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, tokenErr(ErrUnknownKey, "no kid in the token header")
		}
		return lookup(kid)
	})
	if err != nil {
		return classifyParseError(err)
	}
	return nil
}

// checkAudience accepts aud when it equals one of accepted, ignoring case
// (app ids are GUIDs, resource URIs are case-insensitive).
func checkAudience(aud string, accepted []string) error {
	for _, a := range accepted {
		if strings.EqualFold(aud, a) {
			return nil
		}
	}
	return tokenErr(ErrWrongAudience, "aud %q is not %s", aud, quoteList(accepted))
}

// checkIssuer accepts iss when it equals one of accepted exactly.
func checkIssuer(iss string, accepted []string) error {
	for _, a := range accepted {
		if iss == a {
			return nil
		}
	}
	return tokenErr(ErrWrongIssuer, "iss %q is not %s", iss, quoteList(accepted))
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = `"` + s + `"`
	}
	if len(q) == 1 {
		return q[0]
	}
	return "one of " + strings.Join(q, ", ")
}
