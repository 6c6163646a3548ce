package identity

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxDiscoveryBytes bounds an OpenID configuration or JWKS document.
const maxDiscoveryBytes = 1 << 20

// ErrDiscovery is matched (errors.Is) by every *DiscoveryError.
var ErrDiscovery = errors.New("openid discovery failed")

// DiscoveryError is a failure to fetch or read the OpenID configuration or
// the JWKS it names; URL is the document that failed.
type DiscoveryError struct {
	URL    string
	Reason string
	Err    error
}

// Error names the URL and what went wrong.
func (e *DiscoveryError) Error() string {
	msg := fmt.Sprintf("openid discovery: %s: %s", e.URL, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap lets errors.Is match ErrDiscovery and the cause.
func (e *DiscoveryError) Unwrap() []error { return []error{ErrDiscovery, e.Err} }

// discovered is the result of one discovery: the issuer the configuration
// declares, the JWKS URL, and the RSA keys by kid.
type discovered struct {
	issuer  string
	jwksURI string
	keys    map[string]*rsa.PublicKey
}

// discover fetches the OpenID configuration at configURL, then its jwks_uri.
func discover(ctx context.Context, doer Doer, configURL string) (*discovered, error) {
	var cfg OpenIDConfiguration
	if err := fetchJSON(ctx, doer, configURL, &cfg); err != nil {
		return nil, err
	}
	if cfg.JWKSURI == "" {
		return nil, &DiscoveryError{URL: configURL, Reason: "configuration has no jwks_uri"}
	}
	jwksURL, err := resolveRef(configURL, cfg.JWKSURI)
	if err != nil {
		return nil, &DiscoveryError{URL: configURL, Reason: "jwks_uri is not a URL", Err: err}
	}
	var doc JWKS
	if err := fetchJSON(ctx, doer, jwksURL, &doc); err != nil {
		return nil, err
	}
	keys, err := doc.RSAKeys()
	if err != nil {
		return nil, &DiscoveryError{URL: jwksURL, Reason: "bad key", Err: err}
	}
	if len(keys) == 0 {
		return nil, &DiscoveryError{URL: jwksURL, Reason: "JWKS has no RSA signing keys"}
	}
	return &discovered{issuer: cfg.Issuer, jwksURI: jwksURL, keys: keys}, nil
}

func resolveRef(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	return b.ResolveReference(r).String(), nil
}

// fetchJSON GETs u and decodes its JSON body into v.
func fetchJSON(ctx context.Context, doer Doer, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return &DiscoveryError{URL: u, Reason: "bad URL", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := doer.Do(req)
	if err != nil {
		return &DiscoveryError{URL: u, Reason: "unreachable", Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDiscoveryBytes+1))
	if err != nil {
		return &DiscoveryError{URL: u, Reason: "reading the body", Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return &DiscoveryError{URL: u, Reason: fmt.Sprintf("status %d, want 200", resp.StatusCode)}
	}
	if len(body) > maxDiscoveryBytes {
		return &DiscoveryError{URL: u, Reason: fmt.Sprintf("document larger than %d bytes", maxDiscoveryBytes)}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &DiscoveryError{URL: u, Reason: "not the expected JSON document", Err: err}
	}
	return nil
}
