package identity

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	testTenant = "1fdd12d0-4620-44ed-baec-459b611f84b2"
	testClient = "0efc74f7-41c3-47a4-8775-7259bfef4241"
	testSecret = "s3cr3t-value~with.specials&=+"
)

func testApp() App {
	return App{ClientID: testClient, ClientSecret: testSecret, TenantID: testTenant,
		DisplayName: "Contoso Calling Bot", Roles: []string{"Calls.Initiate.All", "Calls.AccessMedia.All"}}
}

func newTestAuthority(t testing.TB, opts ...Option) *Authority {
	t.Helper()
	key, _, foreign := testKeys(t)
	a, err := NewAuthority(key, []App{testApp()}, append([]Option{WithForeignKey(foreign)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAuthorityTokenClaims(t *testing.T) {
	clock := newFakeClock()
	a := newTestAuthority(t, WithClock(clock.Now))
	token, err := a.Token(testClient)
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Verify(token)
	if err != nil {
		t.Fatalf("Verify(valid token) = %v", err)
	}
	now := clock.Now()
	for _, tc := range []struct{ name, got, want string }{
		{"aud", c.Audience, GraphResource},
		{"iss", c.Issuer, "https://sts.windows.net/" + testTenant + "/"},
		{"tid", c.TenantID, testTenant},
		{"appid", c.AppID, testClient},
		{"idtyp", c.IDType, "app"},
		{"ver", c.Version, "1.0"},
		{"sub", c.Subject, c.ObjectID},
		{"app_displayname", c.AppDisplayName, "Contoso Calling Bot"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	if c.ObjectID == "" || c.Scope != "" {
		t.Errorf("oid %q scp %q: want an object id and no scp", c.ObjectID, c.Scope)
	}
	if !c.HasRole("Calls.Initiate.All") || c.HasRole("calls.initiate.all") || !c.HasAnyRole("x", "Calls.AccessMedia.All") {
		t.Errorf("roles %v: role checks are wrong", c.Roles)
	}
	if m := c.MissingRoles("Calls.Initiate.All", "Calls.JoinGroupCall.All"); len(m) != 1 || m[0] != "Calls.JoinGroupCall.All" {
		t.Errorf("MissingRoles = %v", m)
	}
	if !c.Expiry().Equal(now.Add(DefaultAccessTokenLifetime)) || !c.NotBefore.Time.Before(now) {
		t.Errorf("exp %v nbf %v, want exp now+%v and nbf back-dated", c.Expiry(), c.NotBefore.Time, DefaultAccessTokenLifetime)
	}
}

func TestAuthorityDefects(t *testing.T) {
	a := newTestAuthority(t)
	for _, d := range Defects() {
		token, err := a.DefectiveToken(testClient, d)
		if err != nil {
			t.Fatalf("%s: mint: %v", d, err)
		}
		c, err := a.Verify(token)
		want := d.Reason()
		if d == DefectMissingTenant {
			want = ErrMissingTenant
		}
		switch {
		case want == nil && err != nil:
			t.Errorf("%s: Verify = %v, want success (the relying party checks this)", d, err)
		case want != nil && (!errors.Is(err, want) || !errors.Is(err, ErrInvalidToken)):
			t.Errorf("%s: Verify = %v, want %v", d, err, want)
		case want != nil && c != nil:
			t.Errorf("%s: Verify returned claims with an error", d)
		}
		if d == DefectWrongTenant && c != nil && c.TenantID != ForeignTenantID {
			t.Errorf("wrong-tenant token has tid %q", c.TenantID)
		}
		if d == DefectMissingRoles && c != nil && len(c.Roles) != 0 {
			t.Errorf("missing-roles token has roles %v", c.Roles)
		}
	}
}

func TestAuthorityVerifyRejects(t *testing.T) {
	a := newTestAuthority(t)
	other := newTestAuthority(t, WithIssuerTemplate("https://login.callcheck.test/{tenantid}/"))
	foreignIssuer, err := other.Token(testClient)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := a.Claims(testClient)
	if err != nil {
		t.Fatal(err)
	}
	claims.ExpiresAt = nil
	noExp, err := a.SignClaims(claims)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token string
		want        error
	}{
		{"empty", "", ErrMissingToken},
		{"not a JWT", "hello", ErrMalformed},
		{"two segments", "a.b", ErrMalformed},
		{"issuer of another authority", foreignIssuer, ErrWrongIssuer},
		{"no exp", noExp, ErrExpired},
	} {
		if _, err := a.Verify(tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: Verify = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestAuthorityLeewayAndCache(t *testing.T) {
	clock := newFakeClock()
	a := newTestAuthority(t, WithClock(clock.Now), WithLifetime(10*time.Minute), WithLeeway(30*time.Second))
	token, err := a.Token(testClient)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Verify(token); err != nil { // now cached
		t.Fatal(err)
	}
	clock.Advance(10*time.Minute + 20*time.Second) // past exp, within leeway
	if _, err := a.Verify(token); err != nil {
		t.Errorf("within leeway: %v", err)
	}
	clock.Advance(20 * time.Second) // past exp + leeway: the cache must not hide it
	if _, err := a.Verify(token); !errors.Is(err, ErrExpired) {
		t.Errorf("past leeway: Verify = %v, want ErrExpired", err)
	}
}

func TestAuthorityClaimsAreCopies(t *testing.T) {
	a := newTestAuthority(t)
	token, _ := a.Token(testClient)
	c1, err := a.Verify(token)
	if err != nil {
		t.Fatal(err)
	}
	c1.Roles[0], c1.TenantID = "Tampered", "x"
	c2, _ := a.Verify(token)
	if c2.Roles[0] == "Tampered" || c2.TenantID == "x" {
		t.Error("changing returned claims changed the cached ones")
	}
}

func TestAuthorityRegister(t *testing.T) {
	a := newTestAuthority(t)
	for _, tc := range []struct {
		name string
		app  App
		want string
	}{
		{"duplicate (case-insensitive)", App{ClientID: strings.ToUpper(testClient), ClientSecret: "x", TenantID: "t"}, "already registered"},
		{"no client id", App{ClientSecret: "x", TenantID: "t"}, "clientId is empty"},
		{"no secret", App{ClientID: "c", TenantID: "t"}, "clientSecret is empty"},
		{"no tenant", App{ClientID: "c", ClientSecret: "x"}, "tenantId is empty"},
	} {
		if err := a.Register(tc.app); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Register = %v, want %q", tc.name, err, tc.want)
		}
	}
	if err := a.Register(App{ClientID: "c2", ClientSecret: "x", TenantID: "t2"}); err != nil {
		t.Fatal(err)
	}
	if apps := a.Apps(); len(apps) != 2 || apps[0].ObjectID == "" {
		t.Errorf("Apps() = %v", apps)
	}
	if _, err := a.Token("nobody"); err == nil {
		t.Error("Token for an unregistered app succeeded")
	}
	if s := testApp().String(); strings.Contains(s, testSecret) {
		t.Errorf("App.String() prints the secret: %s", s)
	}
}

func TestParseDefect(t *testing.T) {
	for _, d := range append(Defects(), DefectNone) {
		got, err := ParseDefect(d.String())
		if err != nil || got != d {
			t.Errorf("ParseDefect(%q) = %v, %v", d.String(), got, err)
		}
	}
	if _, err := ParseDefect("sloppy"); err == nil || !strings.Contains(err.Error(), "bad-signature") {
		t.Errorf("ParseDefect(unknown) = %v, want an error listing the names", err)
	}
}

func TestBearerToken(t *testing.T) {
	for _, tc := range []struct {
		in, token string
		want      error
	}{
		{"Bearer abc", "abc", nil},
		{"bearer  abc ", "abc", nil}, // scheme is case-insensitive
		{"", "", ErrMissingToken},
		{"Bearer ", "", ErrMalformed}, // trimmed to "Bearer": no token part
		{"Basic abc", "", ErrMalformed},
		{"abc", "", ErrMalformed},
	} {
		got, err := BearerToken(tc.in)
		if got != tc.token || !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.token, tc.want)
		}
	}
}
