package identity

import (
	"context"
	"testing"
)

// BenchmarkAuthorityMint: one uncached Graph access token (RS256 sign).
func BenchmarkAuthorityMint(b *testing.B) {
	a := newTestAuthority(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Token(testClient); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthorityVerifyUncached: full verification (RSA, claims) of an
// access token.
func BenchmarkAuthorityVerifyUncached(b *testing.B) {
	a := newTestAuthority(b)
	token, _ := a.Token(testClient)
	b.ReportAllocs()
	for b.Loop() {
		a.cache.clear()
		if _, err := a.Verify(token); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthorityVerifyCached: verification of a token seen before.
func BenchmarkAuthorityVerifyCached(b *testing.B) {
	a := newTestAuthority(b)
	token, _ := a.Token(testClient)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Verify(token); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNotificationSignUncached: minting a notification token.
func BenchmarkNotificationSignUncached(b *testing.B) {
	s := newTestSigner(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.DefectiveToken(botAppID, testTenant, DefectNone); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNotificationSignCached: the signer's per-(audience, tenant) cache.
func BenchmarkNotificationSignCached(b *testing.B) {
	s := newTestSigner(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Token(botAppID, testTenant); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func benchVerifier(b *testing.B) (*NotificationVerifier, string) {
	s := newTestSigner(b)
	ks := newKeyServer(b, s)
	v := newTestVerifier(b, ks.configURL())
	token, _ := s.Token(botAppID, testTenant)
	if _, err := v.VerifyToken(context.Background(), token); err != nil {
		b.Fatal(err)
	}
	return v, "Bearer " + token
}

// BenchmarkNotificationVerifyUncached: full verification with cached keys.
func BenchmarkNotificationVerifyUncached(b *testing.B) {
	v, header := benchVerifier(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		v.cache.clear()
		if _, err := v.Verify(ctx, header); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNotificationVerifyCached: a token seen before (the signer reuses
// tokens, so this is the common case under load).
func BenchmarkNotificationVerifyCached(b *testing.B) {
	v, header := benchVerifier(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, header); err != nil {
			b.Fatal(err)
		}
	}
}
