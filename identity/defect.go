package identity

import (
	"crypto/x509"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Defect is a deliberate flaw in a minted token, for tests, negative
// conformance contracts and bot certification (no token; bad
// signature; a key id not in the published keys; wrong audience; wrong
// issuer; expired and not-yet-valid tokens).
type Defect int

// The defects. Reason tells what a verifier reports for each.
const (
	// DefectNone mints a valid token.
	DefectNone Defect = iota
	// DefectMalformed: three segments, but the payload is not base64url JSON.
	DefectMalformed
	// DefectAlgNone: alg "none" with an empty signature.
	DefectAlgNone
	// DefectAlgHS256: HMAC-SHA256 keyed with the public key's DER bytes (the
	// classic algorithm-confusion attack).
	DefectAlgHS256
	// DefectBadSignature: the published kid, signed by another key.
	DefectBadSignature
	// DefectUnknownKey: signed by a foreign key, with that key's own kid.
	DefectUnknownKey
	// DefectExpired: exp an hour in the past.
	DefectExpired
	// DefectNotYetValid: nbf and iat an hour in the future.
	DefectNotYetValid
	// DefectWrongAudience: aud is ForeignAudience.
	DefectWrongAudience
	// DefectWrongIssuer: iss is ForeignIssuer.
	DefectWrongIssuer
	// DefectWrongTenant: tid (and a tenant-specific issuer) is ForeignTenantID.
	// The token verifies; tenant matching is the relying party's check.
	DefectWrongTenant
	// DefectMissingTenant: no tid claim.
	DefectMissingTenant
	// DefectMissingRoles: a Graph token without a roles claim; it verifies,
	// role checks are the emulator's (403 7504).
	DefectMissingRoles
	// DefectDelegated: a Graph user token (scp, upn, idtyp "user", no roles).
	DefectDelegated
	defectCount
)

// Values a defective token carries instead of the right ones.
const (
	ForeignAudience = "api://callcheck-foreign-audience"
	ForeignIssuer   = "https://issuer.callcheck.invalid/"
	ForeignTenantID = "ffffffff-0000-4000-8000-00000000f0e1"
)

var defectNames = [...]string{
	"none", "malformed", "alg-none", "alg-hs256", "bad-signature", "unknown-key",
	"expired", "not-yet-valid", "wrong-audience", "wrong-issuer", "wrong-tenant",
	"missing-tenant", "missing-roles", "delegated",
}

// String returns the defect's stable name, e.g. "bad-signature".
func (d Defect) String() string {
	if d < 0 || d >= defectCount {
		return fmt.Sprintf("Defect(%d)", int(d))
	}
	return defectNames[d]
}

// ParseDefect returns the defect named name (as String gives it).
func ParseDefect(name string) (Defect, error) {
	for i, n := range defectNames {
		if strings.EqualFold(n, name) {
			return Defect(i), nil
		}
	}
	return 0, fmt.Errorf("identity: unknown token defect %q (known: %s)", name, strings.Join(defectNames[:], ", "))
}

// Defects returns every defect except DefectNone, in order.
func Defects() []Defect {
	out := make([]Defect, 0, defectCount-1)
	for d := DefectMalformed; d < defectCount; d++ {
		out = append(out, d)
	}
	return out
}

// Reason returns the sentinel a verifier reports for a token with this
// defect, or nil when such a token verifies (DefectNone, DefectWrongTenant,
// DefectMissingRoles: those are the relying party's checks). For
// notification tokens DefectMissingTenant is ErrMissingTenant; the Authority
// does not require tid.
func (d Defect) Reason() error {
	switch d {
	case DefectMalformed:
		return ErrMalformed
	case DefectAlgNone, DefectAlgHS256:
		return ErrAlgorithm
	case DefectBadSignature:
		return ErrBadSignature
	case DefectUnknownKey:
		return ErrUnknownKey
	case DefectExpired:
		return ErrExpired
	case DefectNotYetValid:
		return ErrNotYetValid
	case DefectWrongAudience:
		return ErrWrongAudience
	case DefectWrongIssuer:
		return ErrWrongIssuer
	case DefectMissingTenant:
		return ErrMissingTenant
	case DefectDelegated:
		return ErrDelegated
	}
	return nil
}

// stdClaims points at the claims every token type shares, so one function
// can apply a defect to either.
type stdClaims struct {
	aud, iss, tid *string
	iat, nbf, exp **jwt.NumericDate
}

// applyClaimsDefect changes the shared claims for d; defects of the
// signature or of Graph-only claims leave them alone.
func applyClaimsDefect(d Defect, c stdClaims, now time.Time) {
	switch d {
	case DefectExpired:
		*c.iat, *c.nbf, *c.exp = numericDate(now.Add(-2*time.Hour)), numericDate(now.Add(-2*time.Hour)), numericDate(now.Add(-time.Hour))
	case DefectNotYetValid:
		*c.iat, *c.nbf, *c.exp = numericDate(now.Add(time.Hour)), numericDate(now.Add(time.Hour)), numericDate(now.Add(2*time.Hour))
	case DefectWrongAudience:
		*c.aud = ForeignAudience
	case DefectWrongIssuer:
		*c.iss = ForeignIssuer
	case DefectWrongTenant:
		if *c.tid != "" { // a tenant-specific issuer names the tenant too
			*c.iss = strings.Replace(*c.iss, *c.tid, ForeignTenantID, 1)
		}
		*c.tid = ForeignTenantID
	case DefectMissingTenant:
		*c.tid = ""
	}
}

// signWithDefect signs claims with key, or breaks the signature as d asks,
// using foreign for the defects that need another key.
func signWithDefect(d Defect, claims jwt.Claims, key *Key, foreign *lazyKey) (string, error) {
	switch d {
	case DefectBadSignature, DefectUnknownKey:
		other, err := foreign.get()
		if err != nil {
			return "", err
		}
		if d == DefectUnknownKey {
			return other.Sign(claims)
		}
		return other.signAs(claims, key.ID())
	case DefectAlgNone:
		return signUnusual(jwt.SigningMethodNone, claims, key, jwt.UnsafeAllowNoneSignatureType)
	case DefectAlgHS256:
		der, err := x509.MarshalPKIXPublicKey(key.Public())
		if err != nil {
			return "", fmt.Errorf("identity: public key DER: %w", err)
		}
		return signUnusual(jwt.SigningMethodHS256, claims, key, der)
	case DefectMalformed:
		s, err := key.Sign(claims)
		if err != nil {
			return "", err
		}
		parts := strings.SplitN(s, ".", 3)
		return parts[0] + ".bm90LWpzb24!." + parts[2], nil
	}
	return key.Sign(claims)
}

func signUnusual(m jwt.SigningMethod, claims jwt.Claims, key *Key, secret any) (string, error) {
	t := jwt.NewWithClaims(m, claims)
	t.Header["kid"] = key.ID()
	s, err := t.SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("identity: sign %s token: %w", m.Alg(), err)
	}
	return s, nil
}

// lazyKey is a key generated on first use (the foreign key of defects: RSA
// generation is slow and most runs never need it), or given up front.
type lazyKey struct {
	once sync.Once
	key  *Key
	err  error
}

func (l *lazyKey) get() (*Key, error) {
	l.once.Do(func() {
		if l.key == nil {
			l.key, l.err = GenerateKey()
		}
	})
	return l.key, l.err
}

func presetKey(k *Key) *lazyKey { return &lazyKey{key: k} }
