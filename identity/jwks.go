package identity

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
)

// JWK is one RSA public key of a JWKS document (RFC 7517), in the shape
// Microsoft publishes its signing keys: kty, use, kid, x5t, n, e, x5c.
type JWK struct {
	KeyType string   `json:"kty"`
	Use     string   `json:"use,omitempty"`
	KeyID   string   `json:"kid"`
	X5T     string   `json:"x5t,omitempty"`
	N       string   `json:"n,omitempty"`
	E       string   `json:"e,omitempty"`
	X5C     []string `json:"x5c,omitempty"`
	Alg     string   `json:"alg,omitempty"`
}

// JWKS is a JSON Web Key Set document.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// JWK returns the public half of the key as a JWK.
func (k *Key) JWK() JWK {
	pub := k.Public()
	return JWK{
		KeyType: "RSA", Use: "sig", KeyID: k.id, X5T: k.x5t, Alg: "RS256",
		N: b64BigInt(pub.N), E: b64BigInt(big.NewInt(int64(pub.E))),
		X5C: []string{base64.StdEncoding.EncodeToString(k.certDER)},
	}
}

// NewJWKS returns the JWKS document publishing the public halves of keys.
func NewJWKS(keys ...*Key) JWKS {
	doc := JWKS{Keys: make([]JWK, 0, len(keys))}
	for _, k := range keys {
		doc.Keys = append(doc.Keys, k.JWK())
	}
	return doc
}

// ParseJWKS decodes a JWKS document.
func ParseJWKS(data []byte) (JWKS, error) {
	var doc JWKS
	if err := json.Unmarshal(data, &doc); err != nil {
		return JWKS{}, fmt.Errorf("JWKS is not JSON: %w", err)
	}
	if doc.Keys == nil {
		return JWKS{}, errors.New(`JWKS has no "keys" array`)
	}
	return doc, nil
}

// RSAKeys returns the document's RSA signing keys by kid. Keys of other
// types, keys for encryption, and keys without a kid are skipped; a
// malformed RSA key is an error naming its kid.
func (s JWKS) RSAKeys() (map[string]*rsa.PublicKey, error) {
	out := make(map[string]*rsa.PublicKey, len(s.Keys))
	for _, k := range s.Keys {
		if k.KeyType != "RSA" || k.KeyID == "" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		pub, err := k.rsaPublic()
		if err != nil {
			return nil, fmt.Errorf("JWKS key %q: %w", k.KeyID, err)
		}
		out[k.KeyID] = pub
	}
	return out, nil
}

// rsaPublic reads n and e, or else the first x5c certificate.
func (k JWK) rsaPublic() (*rsa.PublicKey, error) {
	if k.N == "" && len(k.X5C) > 0 {
		return certPublic(k.X5C[0])
	}
	n, err := decodeB64Int(k.N)
	if err != nil {
		return nil, fmt.Errorf("n: %w", err)
	}
	e, err := decodeB64Int(k.E)
	if err != nil {
		return nil, fmt.Errorf("e: %w", err)
	}
	if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 {
		return nil, errors.New("e: exponent out of range")
	}
	return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
}

func decodeB64Int(s string) (*big.Int, error) {
	if s == "" {
		return nil, errors.New("missing")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, fmt.Errorf("not base64url: %w", err)
	}
	return new(big.Int).SetBytes(b), nil
}

func certPublic(b64 string) (*rsa.PublicKey, error) {
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("x5c: not base64: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("x5c: %w", err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("x5c: certificate key is %T, want RSA", cert.PublicKey)
	}
	return pub, nil
}

// JWKSHandler serves the JWKS document of keys (GET or HEAD) as
// application/json.
func JWKSHandler(keys ...*Key) http.Handler {
	return jsonDocHandler(NewJWKS(keys...))
}

// jsonDocHandler serves a fixed JSON document, encoded once.
func jsonDocHandler(doc any) http.Handler {
	body, err := json.Marshal(doc)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err != nil {
			http.Error(w, "encode document: "+err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSONDoc(w, r, body)
	})
}

func writeJSONDoc(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
}
