package target

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/identity"
)

// FetchingSource returns a reusing client-credentials token source after
// getting a first token with it, so that bad credentials or an unreachable
// token endpoint fail now, with a message naming the endpoint and the
// client (never the secret), instead of on the first request. ctx bounds
// the wait for the first token, not the source's life.
func FetchingSource(ctx context.Context, cc identity.ClientCredentials) (oauth2.TokenSource, error) {
	ts, err := cc.TokenSource(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { _, err := ts.Token(); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			return nil, fmt.Errorf("getting a token from %s for client %s: %w", cc.TokenURL, cc.ClientID, err)
		}
		return ts, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("getting a token from %s: %w", cc.TokenURL, ctx.Err())
	}
}
