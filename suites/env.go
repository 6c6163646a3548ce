package suites

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/target"
)

// environment is what a run sets up once for all contracts: the target
// (the embedded emulator, or a remote base URL and credentials), callcheck's
// notification receiver on a real socket, the validators and the clients.
type environment struct {
	timeouts Timeouts
	values   Values
	claims   []Feature
	strict   bool // inferred checks fail (else they warn)
	// strictFlag: --strict was given; duplicated notifications fail.
	strictFlag bool

	baseURL  string // the target's base URL, version segment included
	target   *target.Target
	tokens   oauth2.TokenSource
	defects  defectMinter
	lacking  map[string]oauth2.TokenSource // role -> token source of an app lacking it
	admitter admitter

	callbackURL string
	receiver    *target.Receiver
	arrivals    *arrivals // the calls created and the notifications accepted

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

// setUp builds the environment from the run's resolved configuration r
// (client is Config.HTTPClient); on error it has released what it started.
func setUp(ctx context.Context, r *resolved, client *http.Client) (env *environment, err error) {
	env = &environment{timeouts: r.timeouts, values: r.values, claims: r.claims, strict: r.strict, strictFlag: r.strictFlag, lacking: map[string]oauth2.TokenSource{}}
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
	env.httpClient = client
	if env.httpClient == nil {
		env.httpClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	sctx, cancel := context.WithTimeout(ctx, env.timeouts.Setup)
	defer cancel()
	if err = env.openTarget(sctx, r.target); err != nil {
		return env, err
	}
	return env, env.startReceiver(sctx)
}

// openTarget opens the target: the embedded emulator with the apps of
// embeddedApps, or the remote target with its credentials.
func (env *environment) openTarget(ctx context.Context, spec target.Spec) error {
	var opts []target.Option
	if spec.Embedded() {
		opts = append(opts, target.WithApps(env.embeddedApps()...))
	}
	t, err := target.Open(ctx, spec, opts...)
	if err != nil {
		return err
	}
	env.target, env.baseURL, env.tokens = t, t.BaseURL(), t.Tokens()
	if spec.Embedded() {
		return env.useEmulator(ctx)
	}
	return env.useRemote(ctx)
}

// useEmulator takes the embedded emulator's Authority as the minter of
// defective tokens and its admission as the admitter, and gets the tokens
// of the apps lacking a permission (registered by embeddedApps, in
// lackingRoles order after the bot) through client credentials.
func (env *environment) useEmulator(ctx context.Context) error {
	emu := env.target.Emulator()
	env.defects, env.admitter = emu.Authority(), func(_ context.Context, id string) error { return emu.Admit(id) }
	if env.values.Answer == AnswerNone {
		if err := leaveUnanswered(emu); err != nil {
			return err
		}
	}
	apps := emu.Apps()
	for i, role := range lackingRoles {
		var err error
		if env.lacking[role], err = env.target.ClientCredentials(ctx, apps[i+1].ClientID, apps[i+1].ClientSecret); err != nil {
			return err
		}
	}
	return nil
}

// answerModes is the embedded emulator's switch of how callees answer (its
// Ringing configuration, changed at run time): "never" leaves peer-to-peer
// and PSTN calls ringing until its no-answer timeout ends them.
type answerModes interface {
	SetAnswerMode(mode string) error
}

// leaveUnanswered sets the embedded emulator's callees never to answer, or
// says that this emulator cannot.
func leaveUnanswered(emu any) error {
	sw, ok := emu.(answerModes)
	if !ok {
		return errors.New("values: answer: none needs an emulator whose callees can be left unanswered (its ringing configuration); this build's cannot")
	}
	if err := sw.SetAnswerMode("never"); err != nil {
		return fmt.Errorf("values: answer: none: %w", err)
	}
	return nil
}

// embeddedApps are the bot (the values' application in the values' tenant,
// with every calling permission) and, in lackingRoles order, one app
// lacking each permission.
func (env *environment) embeddedApps() []target.App {
	bot := target.DefaultApp(target.NewSecret())
	bot.ClientID, bot.TenantID = env.values.Application.ID, env.values.TenantID
	if env.values.Application.DisplayName != "" {
		bot.DisplayName = env.values.Application.DisplayName
	}
	apps := []target.App{bot}
	for _, role := range lackingRoles {
		app := bot
		app.ClientID, app.ClientSecret, app.DisplayName = identity.NewGUID(), target.NewSecret(), "callcheck without "+role
		app.Roles = withoutRole(graph.CallingRoles(), role)
		apps = append(apps, app)
	}
	return apps
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

// useRemote gets the sources of apps lacking a role that the values name,
// a local minter of defective tokens and the lobby admitter the values
// describe (the target's own token source was fetched by Open, so a wrong
// secret fails before any contract).
func (env *environment) useRemote(ctx context.Context) error {
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
		ts, err := env.target.ClientCredentials(ctx, app.ClientID, secret)
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
		req.Header.Set("Content-Type", "application/json") // the emulator's admin API takes JSON requests only
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

// startReceiver starts callcheck's callback endpoint: a notify.Receiver
// verifying tokens against the OpenID configuration's keys with the bot's
// app id as audience, on a real listener.
func (env *environment) startReceiver(ctx context.Context) error {
	env.arrivals = newArrivals()
	recv, err := target.StartReceiver(ctx, env.target.Receiver(), notify.WithEventHook(env.arrivals.saw))
	var le *target.ListenError
	if errors.As(err, &le) {
		return fmt.Errorf("notification receiver (--listen %s): %w", le.Addr, le.Err)
	}
	if err != nil {
		return err
	}
	env.receiver, env.callbackURL = recv, recv.CallbackURL()
	return nil
}

// tearDown stops what setUp started, waiting at most a few seconds.
func (env *environment) tearDown(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	if env.receiver != nil {
		wg.Go(func() { _ = env.receiver.Close(ctx) })
	}
	if env.target != nil {
		wg.Go(func() { _ = env.target.Close(ctx) })
	}
	wg.Wait()
}

// claimed reports whether the target claims every feature of fs, and the
// ones it does not.
func (env *environment) claimed(fs []Feature) (bool, []Feature) {
	missing := missingFeatures(fs, env.claims)
	return len(missing) == 0, missing
}
