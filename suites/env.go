package suites

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
)

// environment is what a run sets up once for all contracts: the target
// (the embedded emulator, or a remote base URL and credentials), callcheck's
// notification receiver on a real socket, the validators and the clients.
type environment struct {
	cfg      *Config
	timeouts Timeouts
	values   Values
	claims   []Feature

	baseURL  string // the target's base URL, version segment included
	kind     string // "embedded-emulator" or "remote"
	emu      *emulator.Server
	stopEmu  context.CancelFunc
	tokens   oauth2.TokenSource
	defects  defectMinter
	lacking  map[string]oauth2.TokenSource // role -> token source of an app lacking it
	admitter admitter

	callbackURL string
	receiver    *notify.Receiver
	recvServer  *http.Server
	recvErr     chan error

	schema       *schema.Validator // strict: responses and error bodies
	notifySchema *schema.Validator // case-insensitive enums: notifications (graph-calls-facts.md §2)
	httpClient   *http.Client
}

// defectMinter mints access tokens with a deliberate defect for the negative
// contracts: the emulator's own Authority, or for a remote target a local
// Authority whose key the target does not know (its tokens fail for two
// reasons; the report says so).
type defectMinter interface {
	DefectiveToken(clientID string, d identity.Defect) (string, error)
}

// admitter admits a call from the lobby (lobby-admission-control).
type admitter func(ctx context.Context, callID string) error

// lackingRoles are the permissions the "role missing" contracts withhold.
var lackingRoles = []string{
	graph.RoleInitiate, graph.RoleInitiateGroupCall, graph.RoleJoinGroupCall,
	graph.RoleJoinGroupCallAsGuest, graph.RoleAccessMedia,
}

// setUp builds the environment; on error it has released what it started.
func setUp(ctx context.Context, cfg *Config) (env *environment, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	env = &environment{cfg: cfg, timeouts: cfg.timeouts(), values: cfg.resolvedValues(), lacking: map[string]oauth2.TokenSource{}}
	env.claims, _ = cfg.claims()
	defer func() {
		if err != nil {
			env.tearDown(context.Background())
			env = nil
		}
	}()
	if env.schema, err = schema.Load(schema.Version(env.values.APIVersion)); err != nil {
		return env, err
	}
	env.notifySchema = env.schema.With(schema.CaseInsensitiveEnums())
	env.httpClient = cfg.HTTPClient
	if env.httpClient == nil {
		env.httpClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	sctx, cancel := context.WithTimeout(ctx, env.timeouts.Setup)
	defer cancel()
	if cfg.Embedded() {
		err = env.startEmulator(sctx)
	} else {
		err = env.connectRemote(sctx)
	}
	if err != nil {
		return env, err
	}
	return env, env.startReceiver(sctx)
}

// startEmulator starts the embedded emulator on loopback with the bot (its
// default app) and one app lacking each calling permission, all with
// secrets made here, so tokens come through real client credentials.
func (env *environment) startEmulator(ctx context.Context) error {
	ecfg := emulator.NewConfig()
	if env.cfg.Emulator != nil {
		ecfg = *env.cfg.Emulator
	}
	apps := env.embeddedApps()
	ecfg.Apps = append(apps, ecfg.Apps...)
	ecfg.Safety.AllowHTTPLoopback = true
	ectx, stop := context.WithCancel(context.Background())
	srv, err := emulator.Start(ectx, ecfg, emulator.DefaultAddr)
	if err != nil {
		stop()
		return fmt.Errorf("starting the embedded emulator: %w", err)
	}
	env.emu, env.stopEmu, env.kind = srv, stop, "embedded-emulator"
	env.baseURL = srv.GraphBaseURL(env.values.APIVersion)
	env.defects, env.admitter = srv.Authority(), func(_ context.Context, id string) error { return srv.Admit(id) }
	if env.cfg.NotificationOpenID == "" {
		env.cfg.NotificationOpenID = srv.OpenIDConfigURL()
	}
	return env.embeddedTokens(ctx, srv.TokenURL(apps[0].TenantID), apps)
}

// embeddedApps are the bot (the values' application in the values' tenant,
// with every calling permission) and, in lackingRoles order, one app
// lacking each permission.
func (env *environment) embeddedApps() []emulator.App {
	bot := emulator.DefaultApp(emulator.NewSecret())
	bot.ClientID, bot.TenantID = env.values.Application.ID, env.values.TenantID
	if env.values.Application.DisplayName != "" {
		bot.DisplayName = env.values.Application.DisplayName
	}
	apps := []emulator.App{bot}
	for _, role := range lackingRoles {
		app := bot
		app.ClientID, app.ClientSecret, app.DisplayName = identity.NewGUID(), emulator.NewSecret(), "callcheck without "+role
		app.Roles = withoutRole(graph.CallingRoles(), role)
		apps = append(apps, app)
	}
	return apps
}

// embeddedTokens gets the token sources of the apps from the emulator's
// token endpoint.
func (env *environment) embeddedTokens(ctx context.Context, tokenURL string, apps []emulator.App) error {
	var err error
	cc := func(a emulator.App) identity.ClientCredentials {
		return identity.ClientCredentials{TokenURL: tokenURL, ClientID: a.ClientID, ClientSecret: a.ClientSecret}
	}
	if env.tokens, err = fetchingSource(ctx, cc(apps[0])); err != nil {
		return err
	}
	for i, role := range lackingRoles {
		if env.lacking[role], err = fetchingSource(ctx, cc(apps[i+1])); err != nil {
			return err
		}
	}
	return nil
}

func withoutRole(roles []string, drop string) []string {
	var out []string
	for _, r := range roles {
		if r != drop {
			out = append(out, r)
		}
	}
	return out
}

// connectRemote gets the remote target's token source (fetching a first
// token now, so a wrong secret fails before any contract), the sources of
// apps lacking a role that the values name, a local minter of defective
// tokens and the lobby admitter the values describe.
func (env *environment) connectRemote(ctx context.Context) error {
	cfg := env.cfg
	env.kind, env.baseURL = "remote", strings.TrimRight(cfg.Target, "/")
	var err error
	switch {
	case cfg.TokenSource != nil:
		env.tokens = cfg.TokenSource
	case cfg.Token != "":
		env.tokens, err = identity.StaticTokenSource(cfg.Token)
	default:
		env.tokens, err = fetchingSource(ctx, cfg.ClientCredentials)
	}
	if err != nil {
		return err
	}
	if cfg.NotificationOpenID == "" {
		cfg.NotificationOpenID = DefaultNotificationOpenID
	}
	if err := env.remoteLackingApps(ctx); err != nil {
		return err
	}
	env.admitter = urlAdmitter(env.values.Lobby, env.httpClient)
	if ok, _ := env.claimed([]Feature{FeatureLobbyAdmission}); ok && env.admitter == nil {
		return fmt.Errorf("the target claims %s, but the values give no lobby.admitURL to admit with", FeatureLobbyAdmission)
	}
	return env.localMinter()
}

// remoteLackingApps gets tokens for the apps the values say lack a role.
func (env *environment) remoteLackingApps(ctx context.Context) error {
	for role, app := range env.values.AppsLackingRole {
		secret := os.Getenv(app.ClientSecretEnv)
		if secret == "" {
			return fmt.Errorf("values: appsLackingRole[%s]: environment variable %q (clientSecretEnv) is empty", role, app.ClientSecretEnv)
		}
		cc := env.cfg.ClientCredentials
		cc.ClientID, cc.ClientSecret = app.ClientID, secret
		ts, err := fetchingSource(ctx, cc)
		if err != nil {
			return fmt.Errorf("values: appsLackingRole[%s]: %w", role, err)
		}
		env.lacking[role] = ts
	}
	return nil
}

// localMinter makes an Authority with a fresh key that mints the defective
// tokens sent to a remote target.
func (env *environment) localMinter() error {
	key, err := identity.GenerateKey()
	if err != nil {
		return err
	}
	app := identity.App{ClientID: env.values.Application.ID, ClientSecret: "unused", TenantID: env.values.TenantID,
		Roles: graph.CallingRoles()}
	a, err := identity.NewAuthority(key, []identity.App{app})
	env.defects = a
	return err
}

// urlAdmitter admits by POSTing to the values' admit URL, or is nil.
func urlAdmitter(l Lobby, client *http.Client) admitter {
	if l.AdmitURL == "" {
		return nil
	}
	return func(ctx context.Context, callID string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.ReplaceAll(l.AdmitURL, "{id}", callID), nil)
		if err != nil {
			return err
		}
		if l.AdmitTokenEnv != "" {
			req.Header.Set("Authorization", "Bearer "+os.Getenv(l.AdmitTokenEnv))
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("admit: POST %s answered %s", req.URL.Redacted(), resp.Status)
		}
		return nil
	}
}

// fetchingSource returns a reusing client-credentials source after getting
// a first token, so bad credentials fail the setup with a clear message.
func fetchingSource(ctx context.Context, cc identity.ClientCredentials) (oauth2.TokenSource, error) {
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

// startReceiver starts callcheck's callback endpoint: a notify.Receiver
// verifying tokens against the OpenID configuration's keys with the bot's
// app id as audience, on a real listener.
func (env *environment) startReceiver(ctx context.Context) error {
	appID := env.cfg.AppID
	if appID == "" {
		appID = env.values.Application.ID
	}
	verifier, err := identity.NewNotificationVerifier(env.cfg.NotificationOpenID, appID)
	if err != nil {
		return err
	}
	if err := verifier.Refresh(ctx); err != nil {
		return fmt.Errorf("notification keys (--notification-openid %s): %w", env.cfg.NotificationOpenID, err)
	}
	if env.receiver, err = notify.NewReceiver(verifier); err != nil {
		return err
	}
	addr := env.cfg.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("notification receiver (--listen %s): %w", addr, err)
	}
	env.recvServer = &http.Server{Handler: env.receiver, ReadHeaderTimeout: 10 * time.Second}
	env.recvErr = make(chan error, 1)
	go func() { env.recvErr <- env.recvServer.Serve(ln) }()
	env.callbackURL = env.cfg.CallbackURL
	if env.callbackURL == "" {
		env.callbackURL = "http://" + ln.Addr().String() + "/callback"
	}
	return nil
}

// tearDown stops what setUp started, waiting at most a few seconds.
func (env *environment) tearDown(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	if env.recvServer != nil {
		wg.Add(1)
		go func() { defer wg.Done(); _ = env.recvServer.Shutdown(ctx) }()
	}
	if env.emu != nil {
		wg.Add(1)
		go func() { defer wg.Done(); _ = env.emu.Shutdown(ctx); env.stopEmu() }()
	}
	wg.Wait()
	if env.receiver != nil {
		env.receiver.Close()
	}
}

// claimed reports whether the target claims every feature of fs, and the
// ones it does not.
func (env *environment) claimed(fs []Feature) (bool, []Feature) {
	missing := missingFeatures(fs, env.claims)
	return len(missing) == 0, missing
}
