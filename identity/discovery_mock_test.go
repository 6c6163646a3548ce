package identity_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/mock"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/identity/mocks"
)

const configURL = "https://keys.callcheck.test/v1/.well-known/OpenIdConfiguration"

func response(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body)), Header: http.Header{}}
}

// TestDiscoveryRequestsWithMockedDoer checks what discovery sends and how it
// reads answers, without a network.
func TestDiscoveryRequestsWithMockedDoer(t *testing.T) {
	doer := mocks.NewDoer(t)
	isGET := func(u string) any {
		return mock.MatchedBy(func(r *http.Request) bool {
			return r.Method == http.MethodGet && r.URL.String() == u && r.Header.Get("Accept") == "application/json"
		})
	}
	doer.EXPECT().Do(isGET(configURL)).Return(response(200, `{"issuer":"https://api.botframework.com","jwks_uri":"https://keys.callcheck.test/v1/keys"}`), nil).Once()
	doer.EXPECT().Do(isGET("https://keys.callcheck.test/v1/keys")).Return(response(503, "busy"), nil).Once()

	v, err := identity.NewNotificationVerifier(configURL, "app", identity.WithDoer(doer))
	if err != nil {
		t.Fatal(err)
	}
	err = v.Refresh(context.Background())
	var de *identity.DiscoveryError
	if !errors.As(err, &de) || de.URL != "https://keys.callcheck.test/v1/keys" || !strings.Contains(err.Error(), "status 503") {
		t.Errorf("Refresh = %v, want a DiscoveryError for the keys URL with status 503", err)
	}
}

func TestDiscoveryTransportErrorWithMockedDoer(t *testing.T) {
	doer := mocks.NewDoer(t)
	refused := errors.New("connection refused")
	doer.EXPECT().Do(mock.Anything).Return(nil, refused).Once()
	v, _ := identity.NewNotificationVerifier(configURL, "app", identity.WithDoer(doer))
	_, err := v.Verify(context.Background(), "Bearer a.b.c")
	if !errors.Is(err, refused) || !errors.Is(err, identity.ErrDiscovery) || !strings.Contains(err.Error(), configURL) {
		t.Errorf("Verify = %v, want the transport error, wrapped, naming %s", err, configURL)
	}
}
