package identity

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func itoa(n int) string { return strconv.Itoa(n) }

func TestStaticTokenSource(t *testing.T) {
	ts, err := StaticTokenSource("abc")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ts.Token()
	if err != nil || tok.AccessToken != "abc" || tok.Type() != "Bearer" {
		t.Errorf("Token() = %+v, %v", tok, err)
	}
	if _, err := StaticTokenSource(""); err == nil {
		t.Error("StaticTokenSource(\"\") succeeded")
	}
}

func TestClientCredentialsValidate(t *testing.T) {
	good := ClientCredentials{TokenURL: "https://login.microsoftonline.com/t/oauth2/v2.0/token", ClientID: "c", ClientSecret: "s"}
	for _, tc := range []struct {
		name string
		edit func(*ClientCredentials)
		want string
	}{
		{"no url", func(c *ClientCredentials) { c.TokenURL = "" }, "token URL is empty"},
		{"relative url", func(c *ClientCredentials) { c.TokenURL = "/token" }, "not an absolute"},
		{"ftp url", func(c *ClientCredentials) { c.TokenURL = "ftp://x/token" }, "not an absolute"},
		{"no client", func(c *ClientCredentials) { c.ClientID = "" }, "client id is empty"},
		{"no secret", func(c *ClientCredentials) { c.ClientSecret = "" }, "client secret is empty"},
	} {
		c := good
		tc.edit(&c)
		_, err := c.TokenSource(context.Background())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if err := good.Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
}
