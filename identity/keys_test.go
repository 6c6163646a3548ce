package identity

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"testing"
)

func TestNewKeyIsDeterministic(t *testing.T) {
	k, _, _ := testKeys(t)
	again, err := NewKey(k.private)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID() != k.ID() || again.Thumbprint() != k.Thumbprint() {
		t.Errorf("same key, different ids: kid %s/%s x5t %s/%s", k.ID(), again.ID(), k.Thumbprint(), again.Thumbprint())
	}
	if len(k.ID()) != 43 { // base64url of a SHA-256
		t.Errorf("kid %q is not an RFC 7638 thumbprint", k.ID())
	}
}

func TestKeyPEMRoundTrip(t *testing.T) {
	k, _, _ := testKeys(t)
	data, err := k.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID() != k.ID() {
		t.Errorf("round trip changed kid: %s -> %s", k.ID(), back.ID())
	}
	if strings.Contains(k.String(), "PRIVATE") || !strings.Contains(k.String(), k.ID()) {
		t.Errorf("String() = %q, want the kid and nothing private", k.String())
	}
}

func TestKeyRejectsBadInput(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewKey(small); err == nil || !strings.Contains(err.Error(), "1024 bits") {
		t.Errorf("NewKey(1024-bit) = %v, want an error naming the size", err)
	}
	if _, err := NewKey(nil); err == nil {
		t.Error("NewKey(nil) succeeded")
	}
	for _, tc := range []struct{ name, data, want string }{
		{"not PEM", "hello", "no PEM block"},
		{"certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", `"CERTIFICATE" is not a private key`},
		{"garbage PKCS#1", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", "PKCS#1"},
	} {
		if _, err := ParseKeyPEM([]byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: ParseKeyPEM = %v, want error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestJWKSRoundTrip(t *testing.T) {
	a, b, _ := testKeys(t)
	data, err := json.Marshal(NewJWKS(a, b))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParseJWKS(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := doc.RSAKeys()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []*Key{a, b} {
		if pub := got[k.ID()]; pub == nil || !pub.Equal(k.Public()) {
			t.Errorf("key %s did not round-trip", k.ID())
		}
	}
	if jwk := doc.Keys[0]; jwk.KeyType != "RSA" || jwk.Use != "sig" || jwk.X5T != a.Thumbprint() || len(jwk.X5C) != 1 {
		t.Errorf("JWK = %+v, want kty RSA, use sig, x5t and x5c as Microsoft publishes them", jwk)
	}
}

func TestJWKSKeySelection(t *testing.T) {
	k, _, _ := testKeys(t)
	good := k.JWK()
	certOnly := good
	certOnly.KeyID, certOnly.N, certOnly.E = "cert-only", "", ""
	for _, tc := range []struct {
		name    string
		keys    []JWK
		wantIDs []string
		wantErr string
	}{
		// Keys of Microsoft's shape are used.
		{"rsa signing key", []JWK{good}, []string{good.KeyID}, ""},
		// A key with only x5c is read from its certificate.
		{"x5c only", []JWK{certOnly}, []string{"cert-only"}, ""},
		// Encryption keys and other key types are skipped, not errors.
		{"enc and EC skipped", []JWK{{KeyType: "RSA", Use: "enc", KeyID: "e"}, {KeyType: "EC", KeyID: "ec"}}, nil, ""},
		// A key without a kid cannot be selected by a token.
		{"no kid skipped", []JWK{{KeyType: "RSA", N: good.N, E: good.E}}, nil, ""},
		// A broken modulus names the key at fault.
		{"bad n", []JWK{{KeyType: "RSA", KeyID: "broken", N: "!!", E: "AQAB"}}, nil, `"broken": n`},
		// A missing exponent names the key at fault.
		{"no e", []JWK{{KeyType: "RSA", KeyID: "noe", N: good.N}}, nil, `"noe": e`},
	} {
		got, err := JWKS{Keys: tc.keys}.RSAKeys()
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || len(got) != len(tc.wantIDs) {
			t.Errorf("%s: got %d keys, err %v; want %v", tc.name, len(got), err, tc.wantIDs)
		}
		for _, id := range tc.wantIDs {
			if got[id] == nil {
				t.Errorf("%s: key %q missing", tc.name, id)
			}
		}
	}
}

func TestParseJWKSRejects(t *testing.T) {
	for _, in := range []string{`not json`, `{}`, `[1,2]`} {
		if _, err := ParseJWKS([]byte(in)); err == nil {
			t.Errorf("ParseJWKS(%s) succeeded", in)
		}
	}
}
