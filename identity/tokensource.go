package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// StaticTokenSource returns a source that always yields token as a Bearer
// access token (the --token flag). An empty token is an error.
func StaticTokenSource(token string) (oauth2.TokenSource, error) {
	if token == "" {
		return nil, errors.New("identity: static bearer token is empty")
	}
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"}), nil
}

// ClientCredentials configures the OAuth2 client-credentials grant against
// the identity platform (or the emulated Authority).
type ClientCredentials struct {
	// TokenURL is the token endpoint, e.g. TokenURL(base, tenant).
	TokenURL string
	// ClientID is the application (client) id.
	ClientID string
	// ClientSecret is the client secret; never printed.
	ClientSecret string
	// Scopes default to DefaultGraphScope.
	Scopes []string
	// HTTPClient makes the token requests; default an *http.Client with
	// Timeouts.TokenRequest.
	HTTPClient *http.Client
}

// String describes the configuration without the secret.
func (c ClientCredentials) String() string {
	return fmt.Sprintf("client credentials %s at %s scopes %v secret %s", c.ClientID, c.TokenURL, c.Scopes, Redacted)
}

// LogValue keeps the secret out of slog output.
func (c ClientCredentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Validate reports the first missing or malformed field.
func (c ClientCredentials) Validate() error {
	u, err := url.Parse(c.TokenURL)
	switch {
	case c.TokenURL == "":
		return errors.New("client credentials: token URL is empty")
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("client credentials: token URL %q is not an absolute http(s) URL", c.TokenURL)
	case c.ClientID == "":
		return errors.New("client credentials: client id is empty")
	case c.ClientSecret == "":
		return errors.New("client credentials: client secret is empty")
	}
	return nil
}

// TokenSource returns a source that fetches tokens with the client-credentials
// grant (golang.org/x/oauth2/clientcredentials) and reuses each until it
// nears expiry. ctx bounds the source's lifetime, not one request; each
// request is bounded by the HTTP client's timeout.
func (c ClientCredentials) TokenSource(ctx context.Context) (oauth2.TokenSource, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	client := c.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeouts().TokenRequest}
	}
	scopes := c.Scopes
	if len(scopes) == 0 {
		scopes = []string{DefaultGraphScope}
	}
	cfg := &clientcredentials.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, TokenURL: c.TokenURL, Scopes: scopes}
	return cfg.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, client)), nil
}
