package identity

import (
	"context"
	"errors"
	"testing"
)

// FuzzVerify: any string given as a token is refused with a *TokenError,
// never a panic, by both verifiers.
func FuzzVerify(f *testing.F) {
	a := newTestAuthority(f)
	good, _ := a.Token(testClient)
	for _, seed := range []string{"", "a.b.c", good, good[:len(good)/2], "eyJhbGciOiJub25lIn0.e30.", "..", "Bearer x"} {
		f.Add(seed)
	}
	s := newTestSigner(f)
	v := newTestVerifier(f, newKeyServer(f, s).configURL())
	f.Fuzz(func(t *testing.T, token string) {
		if token == good {
			return
		}
		var te *TokenError
		if _, err := a.Verify(token); !errors.As(err, &te) || !errors.Is(err, ErrInvalidToken) {
			t.Errorf("Authority.Verify(%q) = %v, want a *TokenError", token, err)
		}
		if _, err := v.VerifyToken(context.Background(), token); !errors.As(err, &te) {
			t.Errorf("NotificationVerifier.VerifyToken(%q) = %v, want a *TokenError", token, err)
		}
	})
}

// FuzzParseJWKS: any document is parsed or refused, never a panic.
func FuzzParseJWKS(f *testing.F) {
	k, _, _ := testKeys(f)
	f.Add(`{"keys":[{"kty":"RSA","kid":"a","n":"` + k.JWK().N + `","e":"AQAB"}]}`)
	f.Add(`{"keys":[{"kty":"RSA","kid":"a","x5c":["AAAA"]}]}`)
	f.Add(`{"keys":[{"kty":"RSA","kid":"a","n":"AQ","e":"AAAAAAAAAAAAAAAAAAAAAAAA"}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		s, err := ParseJWKS([]byte(doc))
		if err == nil {
			_, _ = s.RSAKeys()
		}
	})
}
