package main

import (
	"context"
	"flag"
	"net"
	"net/url"
	"strings"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load"
	"github.com/callcheck/callcheck/target"
)

// targetFlags are the target, auth and notification flags that conform and
// load share (DESIGN.md, "The CLI contract"). With no --target the embedded
// emulator is the target and none of the others are needed.
type targetFlags struct {
	target             string // --target: base URL including the version segment
	token              string // --token: a static bearer token
	tenantID           string // --tenant-id
	clientID           string // --client-id
	clientSecret       string // --client-secret, or env CALLCHECK_CLIENT_SECRET
	tokenURL           string // --token-url
	scope              string // --scope
	listen             string // --listen: address of callcheck's notification receiver
	callbackURL        string // --callback-url: public URL that reaches the receiver
	notificationOpenID string // --notification-openid: OpenID configuration of the notification signing keys
	appID              string // --app-id: audience of notification tokens
}

// secretEnv is the environment variable that may hold the client secret, so it
// stays out of process listings and shell history.
const secretEnv = "CALLCHECK_CLIENT_SECRET"

// defaultScope is the client-credentials scope for Microsoft Graph.
const defaultScope = "https://graph.microsoft.com/.default"

func (t *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.target, "target", "", "base URL of the target, including the version segment (e.g. https://graph.microsoft.com/beta); default: the embedded emulator")
	fs.StringVar(&t.token, "token", "", "static bearer token for the target (instead of client credentials)")
	fs.StringVar(&t.tenantID, "tenant-id", "", "tenant id for client credentials")
	fs.StringVar(&t.clientID, "client-id", "", "application (client) id for client credentials")
	fs.StringVar(&t.clientSecret, "client-secret", "", "client secret (prefer env "+secretEnv+")")
	fs.StringVar(&t.tokenURL, "token-url", "", "OAuth2 token endpoint (default https://login.microsoftonline.com/{tenant-id}/oauth2/v2.0/token)")
	fs.StringVar(&t.scope, "scope", defaultScope, "OAuth2 scope requested with client credentials")
	fs.StringVar(&t.listen, "listen", "", "address of callcheck's notification receiver (default 127.0.0.1:0)")
	fs.StringVar(&t.callbackURL, "callback-url", "", "public URL that reaches the receiver, sent as callbackUri (default: the receiver's own URL)")
	fs.StringVar(&t.notificationOpenID, "notification-openid", "", "OpenID configuration URL whose keys sign notification tokens (default for a remote target: https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration)")
	fs.StringVar(&t.appID, "app-id", "", "app id that notification tokens must carry as audience (default: --client-id)")
}

// embedded reports whether the embedded emulator is the target.
func (t *targetFlags) embedded() bool { return t.target == "" }

// resolve fills defaults from the environment and checks the combination,
// returning a usageError that names the flag at fault.
func (t *targetFlags) resolve(getenv func(string) string) error {
	if t.clientSecret == "" && getenv != nil {
		t.clientSecret = getenv(secretEnv)
	}
	if t.embedded() {
		return t.checkEmbedded()
	}
	if err := checkURL("--target", t.target); err != nil {
		return err
	}
	if err := t.checkAuth(); err != nil {
		return err
	}
	if t.appID == "" {
		t.appID = t.clientID
	}
	if t.notificationOpenID == "" {
		t.notificationOpenID = target.DefaultNotificationOpenID
	}
	return t.checkNotifications()
}

func (t *targetFlags) checkEmbedded() error {
	for name, v := range map[string]string{"--token": t.token, "--tenant-id": t.tenantID, "--client-id": t.clientID,
		"--token-url": t.tokenURL, "--notification-openid": t.notificationOpenID} {
		if v != "" {
			return usagef("%s needs --target: the embedded emulator issues its own credentials and keys", name)
		}
	}
	return t.checkNotifications()
}

func (t *targetFlags) checkAuth() error {
	cc := t.tenantID != "" || t.clientID != "" || t.clientSecret != "" || t.tokenURL != ""
	switch {
	case t.token != "" && cc:
		return usagef("--token and client credentials (--tenant-id/--client-id/--client-secret/--token-url) are exclusive; give one")
	case t.token != "":
		return nil
	case !cc:
		return usagef("--target %s needs credentials: --token, or --client-id with --client-secret (or %s) and --tenant-id or --token-url", t.target, secretEnv)
	case t.clientID == "":
		return usagef("client credentials need --client-id")
	case t.clientSecret == "":
		return usagef("client credentials need --client-secret or env %s", secretEnv)
	case t.tokenURL == "" && t.tenantID == "":
		return usagef("client credentials need --tenant-id or --token-url")
	}
	if t.tokenURL == "" {
		t.tokenURL = identity.TokenURL("https://login.microsoftonline.com", t.tenantID)
	}
	return checkURL("--token-url", t.tokenURL)
}

func (t *targetFlags) checkNotifications() error {
	if t.listen != "" {
		if _, _, err := net.SplitHostPort(t.listen); err != nil {
			return usagef("--listen %q is not host:port: %v", t.listen, err)
		}
	}
	if t.callbackURL != "" {
		if err := checkURL("--callback-url", t.callbackURL); err != nil {
			return err
		}
	}
	if t.notificationOpenID != "" {
		return checkURL("--notification-openid", t.notificationOpenID)
	}
	return nil
}

// checkURL accepts an absolute http or https URL with a host.
func checkURL(flagName, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return usagef("%s %q is not a URL: %v", flagName, raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("%s %q must be an absolute http(s) URL", flagName, raw)
	}
	return nil
}

// config maps the flags, once resolve has checked them, onto the one
// target configuration conform and load open (target.Config): the embedded
// emulator or --target with its static token or client credentials, and
// the receiver's settings.
func (t *targetFlags) config() target.Config {
	c := target.Config{URL: t.target, Listen: t.listen, CallbackURL: t.callbackURL,
		NotificationOpenID: t.notificationOpenID, AppID: t.appID}
	switch {
	case t.embedded():
	case t.token != "":
		c.Token = t.token
	default:
		c.ClientCredentials = identity.ClientCredentials{TokenURL: t.tokenURL, ClientID: t.clientID, ClientSecret: t.clientSecret, Scopes: []string{t.scope}}
	}
	return c
}

// probeTarget checks that a remote --target answers HTTP before anything
// else is contacted (the token endpoint, Microsoft's OpenID configuration):
// a closed port is reported as what it is, naming --target, and no
// third-party endpoint learns of a run that cannot happen.
func (t *targetFlags) probeTarget(ctx context.Context, insecure bool) error {
	if t.embedded() {
		return nil
	}
	if err := load.Probe(ctx, t.target, load.DefaultProbeTimeout, insecure); err != nil {
		return usagef("--target: %v", err)
	}
	return nil
}

// apiVersion returns the version segment of --target ("beta", "v1.0"), or "beta" for the embedded emulator.
func (t *targetFlags) apiVersion() string {
	if t.embedded() {
		return "beta"
	}
	u, err := url.Parse(t.target)
	if err != nil {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	return segs[len(segs)-1]
}
