package identity_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/identity"
)

const sampleJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"

func TestRedact(t *testing.T) {
	cases := []struct {
		name, in string
		secrets  []string
		want     string
	}{
		{"plain text stays", "the call was created", nil, "the call was created"},
		{"a JWT anywhere", "token " + sampleJWT + " expired", nil, "token *** expired"},
		{"a bearer value", `{"h":"Bearer abc.def"}`, nil, `{"h":"Bearer ***"}`},
		{"bearer in any case", "bearer xyz", nil, "bearer ***"},
		{"an Authorization header of another scheme", "Authorization: Basic dXNlcjpwYXNz", nil, "Authorization: Basic ***"},
		{"an Authorization member", `{"authorization":"Digest abc"}`, nil, `{"authorization":"Digest ***"}`},
		{"a form client secret", "grant_type=client_credentials&client_secret=s3cr3t&scope=x", nil, "grant_type=client_credentials&client_secret=***&scope=x"},
		{"a JSON client secret", `{"clientSecret": "s3cr3t"}`, nil, `{"clientSecret": "***"}`},
		{"a known secret anywhere", "bot said: hunter2 is my password", []string{"hunter2"}, "bot said: *** is my password"},
		{"an empty secret removes nothing", "abc", []string{""}, "abc"},
		{"prose naming a bearer token is kept", "send a bearer token, then a Bearer tokens; a bearer token", nil, "send a bearer token, then a Bearer tokens; a bearer token"},
		{"prose about bearers is kept", "the Authorization header is not a Bearer token.", nil, "the Authorization header is not a Bearer token."},
	}
	for _, c := range cases {
		if got := identity.Redact(c.in, c.secrets...); got != c.want {
			t.Errorf("%s: Redact(%q) = %q; want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestRedactAuthorization(t *testing.T) {
	cases := map[string]string{
		"":                     "",
		"Bearer " + sampleJWT:  "Bearer ***",
		"  Basic dXNlcjpwYXNz": "Basic ***",
		"Bearer":               "Bearer ***", // a scheme alone
		sampleJWT:              "***",        // a bare token is not a scheme
		"opaque-token-123":     "***",
		"s3cr3t!# more":        "***", // not a scheme name
	}
	for in, want := range cases {
		if got := identity.RedactAuthorization(in); got != want {
			t.Errorf("RedactAuthorization(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestRedactHeaders(t *testing.T) {
	h := http.Header{"Authorization": {"Bearer " + sampleJWT}, "Client-Request-Id": {"abc"}}
	got := identity.RedactHeaders(h)
	if got.Get("Authorization") != "Bearer ***" || got.Get("Client-Request-Id") != "abc" {
		t.Errorf("RedactHeaders = %v", got)
	}
	got["Client-Request-Id"][0] = "changed"
	if h.Get("Client-Request-Id") != "abc" || !strings.Contains(h.Get("Authorization"), sampleJWT) {
		t.Error("RedactHeaders changed its argument")
	}
	// Every value kept, and each key's values independent of the others'.
	h = http.Header{"Accept": {"a", "b"}, "Authorization": {"Bearer x", "Basic y"}, "X-One": {"1"}}
	got = identity.RedactHeaders(h)
	if !reflect.DeepEqual(got["Accept"], []string{"a", "b"}) || !reflect.DeepEqual(got["X-One"], []string{"1"}) || len(got["Authorization"]) != 1 {
		t.Fatalf("RedactHeaders = %v", got)
	}
	got.Add("Accept", "c")
	if !reflect.DeepEqual(got["X-One"], []string{"1"}) || !reflect.DeepEqual(got["Authorization"], identity.RedactHeaders(h)["Authorization"]) {
		t.Errorf("adding a value to one key changed another: %v", got)
	}
}

func TestRedactURL(t *testing.T) {
	cases := map[string]string{
		"https://user:pw@graph.example/v1.0/communications?code=x": "https://graph.example/v1.0/communications",
		"http://127.0.0.1:8080/beta":                               "http://127.0.0.1:8080/beta",
		"http://h/x?":                                              "http://h/x",
		"://bad":                                                   "(unparsable URL)",
	}
	for in, want := range cases {
		if got := identity.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q; want %q", in, got, want)
		}
	}
}
