package main

import (
	"flag"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/target"
)

// appFlags are the flags of the app registration a bot authenticates as in
// the emulated Graph, which emulate and certify-bot share: --tenant-id,
// --client-id, --client-secret (or env CALLCHECK_CLIENT_SECRET), --app-name
// and --roles.
type appFlags struct {
	tenantID, clientID, clientSecret, appName, roles string
}

// register adds the flags; whose names the app in their help ("the default
// app's"), rolesHelp says what --roles grants.
func (a *appFlags) register(fs *flag.FlagSet, whose, rolesHelp string) {
	fs.StringVar(&a.tenantID, "tenant-id", "", whose+" tenant id (default "+target.DefaultTenantID+")")
	fs.StringVar(&a.clientID, "client-id", "", whose+" client id (default "+target.DefaultClientID+")")
	fs.StringVar(&a.clientSecret, "client-secret", "", whose+" client secret (or env "+secretEnv+"; default: random, printed)")
	fs.StringVar(&a.appName, "app-name", "", whose+" display name (default "+strconv.Quote(target.DefaultAppName)+")")
	fs.StringVar(&a.roles, "roles", "", rolesHelp+" (default: every calling permission)")
}

// apply sets the fields of app whose flags were set; the secret comes from
// --client-secret, else CALLCHECK_CLIENT_SECRET, else app keeps its own.
func (a *appFlags) apply(app *target.App, set map[string]bool, getenv func(string) string) {
	ifSet(set, "tenant-id", func() { app.TenantID = a.tenantID })
	ifSet(set, "client-id", func() { app.ClientID = a.clientID })
	ifSet(set, "app-name", func() { app.DisplayName = a.appName })
	if set["roles"] {
		app.Roles = nil
		for _, r := range strings.Split(a.roles, ",") {
			if r = strings.TrimSpace(r); r != "" {
				app.Roles = append(app.Roles, r)
			}
		}
	}
	switch {
	case set["client-secret"]:
		app.ClientSecret = a.clientSecret
	case getenv(secretEnv) != "":
		app.ClientSecret = getenv(secretEnv)
	}
}
