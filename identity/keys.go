package identity

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as a SHA-1 thumbprint (RFC 7517 §4.8).
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultKeyBits is the size of keys made by GenerateKey.
const DefaultKeyBits = 2048

// MinKeyBits is the smallest RSA key NewKey accepts.
const MinKeyBits = 2048

// Key is an RSA signing key with its key id (kid: the RFC 7638 thumbprint of
// the public key, so the same key always has the same id) and a self-signed
// certificate whose SHA-1 thumbprint is the x5t, as Microsoft's published keys
// carry both (graph-calls-facts §6). A Key never prints its private part.
type Key struct {
	id      string
	x5t     string
	certDER []byte
	private *rsa.PrivateKey
}

// GenerateKey makes a new DefaultKeyBits RSA key.
func GenerateKey() (*Key, error) {
	priv, err := rsa.GenerateKey(rand.Reader, DefaultKeyBits)
	if err != nil {
		return nil, fmt.Errorf("identity: generate RSA key: %w", err)
	}
	return NewKey(priv)
}

// NewKey wraps an RSA private key of at least MinKeyBits bits.
func NewKey(priv *rsa.PrivateKey) (*Key, error) {
	if priv == nil {
		return nil, errors.New("identity: nil RSA key")
	}
	if bits := priv.N.BitLen(); bits < MinKeyBits {
		return nil, fmt.Errorf("identity: RSA key has %d bits, at least %d are required", bits, MinKeyBits)
	}
	k := &Key{private: priv, id: thumbprint(&priv.PublicKey)}
	der, err := selfSignedCert(priv, k.id)
	if err != nil {
		return nil, err
	}
	sum := sha1.Sum(der) //nolint:gosec // see import
	k.certDER, k.x5t = der, base64.RawURLEncoding.EncodeToString(sum[:])
	return k, nil
}

// ParseKeyPEM reads an RSA private key from PEM ("RSA PRIVATE KEY", PKCS#1,
// or "PRIVATE KEY", PKCS#8).
func ParseKeyPEM(data []byte) (*Key, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("identity: no PEM block in key data")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("identity: PKCS#1 key: %w", err)
		}
		return NewKey(priv)
	case "PRIVATE KEY":
		anyKey, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("identity: PKCS#8 key: %w", err)
		}
		priv, ok := anyKey.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("identity: PKCS#8 key is %T, want an RSA key", anyKey)
		}
		return NewKey(priv)
	}
	return nil, fmt.Errorf("identity: PEM block %q is not a private key (want \"RSA PRIVATE KEY\" or \"PRIVATE KEY\")", block.Type)
}

// MarshalPEM returns the private key as PKCS#8 PEM, for writing to a file
// the user owns; never print it.
func (k *Key) MarshalPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.private)
	if err != nil {
		return nil, fmt.Errorf("identity: marshal RSA key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ID returns the key id (kid).
func (k *Key) ID() string { return k.id }

// Thumbprint returns the x5t: the base64url SHA-1 of the key's certificate.
func (k *Key) Thumbprint() string { return k.x5t }

// Public returns the public key.
func (k *Key) Public() *rsa.PublicKey { return &k.private.PublicKey }

// String describes the key without its private part.
func (k *Key) String() string {
	return fmt.Sprintf("RSA-%d kid=%s", k.private.N.BitLen(), k.id)
}

// Sign returns claims as a compact RS256 JWS with this key's kid and x5t in
// the header.
func (k *Key) Sign(claims jwt.Claims) (string, error) {
	return k.signAs(claims, k.id)
}

// signAs signs with this key but names kid in the header (an impostor when
// kid is another key's id).
func (k *Key) signAs(claims jwt.Claims, kid string) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = kid
	t.Header["x5t"] = k.x5t
	s, err := t.SignedString(k.private)
	if err != nil {
		return "", fmt.Errorf("identity: sign token: %w", err)
	}
	return s, nil
}

// thumbprint is the RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA
// public key.
func thumbprint(pub *rsa.PublicKey) string {
	canonical := `{"e":"` + b64BigInt(big.NewInt(int64(pub.E))) + `","kty":"RSA","n":"` + b64BigInt(pub.N) + `"}`
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func b64BigInt(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.Bytes()) }

// selfSignedCert makes a deterministic certificate (fixed validity, serial
// from the kid; PKCS#1 v1.5 signatures are deterministic) so a key always has
// the same x5t.
func selfSignedCert(priv *rsa.PrivateKey, kid string) ([]byte, error) {
	sum := sha256.Sum256([]byte(kid))
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(sum[:16]),
		Subject:      pkix.Name{CommonName: "callcheck signing key " + kid},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, crypto.Signer(priv))
	if err != nil {
		return nil, fmt.Errorf("identity: self-signed certificate: %w", err)
	}
	return der, nil
}
