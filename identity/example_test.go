package identity_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/callcheck/callcheck/identity"
)

// An emulated identity platform on loopback, and a client getting a Graph
// token from it with the OAuth2 client-credentials grant, exactly as it
// would from login.microsoftonline.com.
func ExampleAuthority() {
	key, err := identity.GenerateKey()
	if err != nil {
		panic(err)
	}
	app := identity.App{ClientID: "0efc74f7-41c3-47a4-8775-7259bfef4241", ClientSecret: "secret",
		TenantID: "1fdd12d0-4620-44ed-baec-459b611f84b2", Roles: []string{"Calls.Initiate.All"}}
	authority, err := identity.NewAuthority(key, []identity.App{app})
	if err != nil {
		panic(err)
	}
	login := httptest.NewServer(authority.TokenHandler())
	defer login.Close()

	creds := identity.ClientCredentials{
		TokenURL: identity.TokenURL(login.URL, app.TenantID), ClientID: app.ClientID, ClientSecret: app.ClientSecret,
	}
	source, err := creds.TokenSource(context.Background())
	if err != nil {
		panic(err)
	}
	token, err := source.Token()
	if err != nil {
		panic(err)
	}

	// The emulator's side: verify the token and check the role a scenario needs.
	claims, err := authority.VerifyAuthorization("Bearer " + token.AccessToken)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.Audience, claims.IDType, claims.HasRole("Calls.Initiate.All"), claims.HasRole("Calls.JoinGroupCall.All"))
	// Output: https://graph.microsoft.com app true false
}

// A bot verifying notification tokens the way the official samples do:
// keys through OpenID discovery, either issuer, its app id as audience.
func ExampleNotificationVerifier() {
	key, err := identity.GenerateKey()
	if err != nil {
		panic(err)
	}
	signer, err := identity.NewNotificationSigner(key)
	if err != nil {
		panic(err)
	}
	graphKeys := httptest.NewServer(signer.Handler(""))
	defer graphKeys.Close()

	verifier, err := identity.NewNotificationVerifier(graphKeys.URL+"/.well-known/OpenIdConfiguration", "0efc74f7-41c3-47a4-8775-7259bfef4241")
	if err != nil {
		panic(err)
	}
	good, _ := signer.Token("0efc74f7-41c3-47a4-8775-7259bfef4241", "1fdd12d0-4620-44ed-baec-459b611f84b2")
	expired, _ := signer.DefectiveToken("0efc74f7-41c3-47a4-8775-7259bfef4241", "1fdd12d0-4620-44ed-baec-459b611f84b2", identity.DefectExpired)

	claims, err := verifier.Verify(context.Background(), "Bearer "+good)
	fmt.Println(claims.TenantID, err)
	_, err = verifier.Verify(context.Background(), "Bearer "+expired)
	fmt.Println(err != nil, identity.DefectExpired.Reason() == identity.ErrExpired)
	// Output:
	// 1fdd12d0-4620-44ed-baec-459b611f84b2 <nil>
	// true true
}
