package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/callcheck/callcheck/internal/serve"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load"
)

const callbacksExamples = `  # flood a bot's callback with every documented notification, 100/s for 30s, signed with
  # the same key 'callcheck emulate --notification-key key.pem' signs with
  callcheck load callbacks --url https://bot.example.com/callback --app-id "$BOT_APP_ID" \
      --notification-key key.pem --rate 100/s --duration 30s --threshold 'p99<500ms,success>=99.9%'
  # with a fresh key: point the bot at the printed OpenID configuration URL first
  callcheck load callbacks --url http://127.0.0.1:9000/callback --app-id "$BOT_APP_ID" --listen 127.0.0.1:9100`

// runLoadCallbacks is `callcheck load callbacks`: a bot's callback endpoint
// flooded with signed documented notifications.
func runLoadCallbacks(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "load callbacks", "load callbacks --url URL --app-id ID [flags]", callbacksExamples)
	var rf runFlags
	var url, appID, tenantID, keyFile, listen, issuer string
	rf.register(fs, true, "callbacks-results")
	fs.StringVar(&url, "url", "", "the bot's callback endpoint (required)")
	fs.StringVar(&appID, "app-id", "", "the bot's app id: the audience of the notification tokens (required)")
	fs.StringVar(&tenantID, "tenant-id", "", "tid of the tokens and tenantId of the notifications (default: the documented tenant)")
	fs.StringVar(&keyFile, "notification-key", "", "PEM file of the RSA key that signs the notifications (default: a new key, published at --listen)")
	fs.StringVar(&listen, "listen", "127.0.0.1:0", "where the signing key's OpenID configuration and JWKS are served")
	fs.StringVar(&issuer, "notification-issuer", identity.DefaultNotificationIssuer, "iss of the notification tokens")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if err := checkURL("--url", url); err != nil {
		return err
	}
	if appID == "" {
		return usagef("--app-id is required: the bot verifies that notification tokens carry its app id")
	}
	cfg, ts, err := rf.newConfig(e)
	if err != nil {
		return err
	}
	notes, err := load.Notifications(cfg.Mix, url, tenantID)
	if err != nil {
		return usagef("--example: %v", err)
	}
	if rf.dryRun {
		rf.plan(e.stdout, &cfg, url)
		return nil
	}
	signer, stop, err := notificationSigner(e, keyFile, listen, issuer)
	if err != nil {
		return err
	}
	defer stop()
	run, err := load.Callbacks(ctx, load.CallbacksConfig{Run: cfg, URL: url, Notifications: notes, Signer: signer, AppID: appID, TenantID: tenantID})
	return finishRun(e.stdout, run, ts, "--url", err)
}

// notificationSigner loads (or makes) the signing key and publishes its
// OpenID configuration and JWKS on listen, printing where.
func notificationSigner(e *env, keyFile, listen, issuer string) (*identity.NotificationSigner, func(), error) {
	key, err := signingKey(keyFile)
	if err != nil {
		return nil, nil, err
	}
	signer, err := identity.NewNotificationSigner(key, identity.WithIssuer(issuer))
	if err != nil {
		return nil, nil, usagef("--notification-issuer: %v", err)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, nil, usagef("--listen %s: %v", listen, err)
	}
	srv := serve.New(http.StripPrefix("/v1", signer.Handler("/v1")))
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(e.stderr, "notification keys: http://%s/v1/.well-known/OpenIdConfiguration (key %s)\n", ln.Addr(), key.ID())
	return signer, func() { _ = srv.Close() }, nil
}

func signingKey(file string) (*identity.Key, error) {
	if file == "" {
		return identity.GenerateKey()
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, usagef("--notification-key: %v", err)
	}
	key, err := identity.ParseKeyPEM(data)
	if err != nil {
		return nil, usagef("--notification-key %s: %v", file, err)
	}
	return key, nil
}
