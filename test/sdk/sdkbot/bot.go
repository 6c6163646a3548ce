// Package sdkbot is a small calling bot written as a vendor would write it
// on Microsoft's Graph SDK for Go and a standard JWT library, with nothing of
// callcheck's: msgraph-sdk-go (default middleware, gzip request bodies
// included) and azidentity create and hang up its calls;
// github.com/golang-jwt/jwt/v5 verifies each notification's token against
// the keys of the published OpenID configuration.
//
// It verifies what the page requires and nothing more (graph-calls-facts.md
// §6 line 488: "Validate the token, ensure it has not expired, check whether
// it has been signed by the published OpenID configuration. You must also
// check whether aud matches your App ID."): signature, issuer, audience,
// expiry and not-before. It does not require a tid claim, which only the
// official samples do: certify-bot reports that as a recommendation, not a
// failure.
//
// It exists to be certified by certify-bot (bot_test.go); it is not part of
// callcheck.
package sdkbot

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/golang-jwt/jwt/v5"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/communications"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// Config is what the bot is configured with: the values certify-bot prints
// (or a real tenant's), and its own callback.
type Config struct {
	// AuthorityHost is the identity platform's root (login.microsoftonline.com
	// for Microsoft's); GraphURL the Graph base URL with its version.
	AuthorityHost, GraphURL string
	// OpenIDConfigURL publishes the keys that sign notifications.
	OpenIDConfigURL string
	// TenantID, ClientID and ClientSecret are the app registration's.
	TenantID, ClientID, ClientSecret string
	// CallbackURL is where the bot's notifications go (its callbackUri).
	CallbackURL string
	// Users are whom it calls: the first alone, all of them as a group.
	Users []User
}

// User is someone the bot calls.
type User struct{ ID, DisplayName string }

// Bot is the running bot: its Graph client, its token verifier and what it
// knows of its calls. It serves its callback (POST) and a status endpoint
// (GET /status/{id}) as one http.Handler.
type Bot struct {
	cfg    Config
	client *msgraphsdk.GraphServiceClient
	keys   *keySet

	mu    sync.Mutex
	calls map[string]string // call id → state, as the notifications told it
}

// New builds the bot's Graph client as msgraph-sdk-go's README does, and
// fetches the notification keys.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	cred, err := azidentity.NewClientSecretCredential(cfg.TenantID, cfg.ClientID, cfg.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: cfg.AuthorityHost}},
			DisableInstanceDiscovery: true, // the authority is not one of Microsoft's
		})
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(cfg.GraphURL)
	if err != nil {
		return nil, fmt.Errorf("sdkbot: GraphURL: %w", err)
	}
	client, err := msgraphsdk.NewGraphServiceClientWithCredentialsAndHosts(cred,
		[]string{"https://graph.microsoft.com/.default"}, []string{base.Hostname()})
	if err != nil {
		return nil, err
	}
	client.GetAdapter().SetBaseUrl(cfg.GraphURL)
	keys := &keySet{openID: cfg.OpenIDConfigURL, client: &http.Client{Timeout: 10 * time.Second}}
	if err := keys.refresh(ctx); err != nil {
		return nil, err
	}
	return &Bot{cfg: cfg, client: client, keys: keys, calls: map[string]string{}}, nil
}

// Call creates a call of scenario ("p2p": the first user; "group": all of
// them) with service-hosted media, and returns its id.
func (b *Bot) Call(ctx context.Context, scenario string) (string, error) {
	users := b.cfg.Users
	switch {
	case scenario == "p2p" && len(users) > 0:
		users = users[:1]
	case scenario == "group" && len(users) > 1:
	default:
		return "", fmt.Errorf("sdkbot: cannot make a %q call with %d users", scenario, len(users))
	}
	call := models.NewCall()
	call.SetCallbackUri(&b.cfg.CallbackURL)
	var targets []models.InvitationParticipantInfoable
	for _, u := range users {
		id := models.NewIdentity()
		id.SetId(&u.ID)
		id.SetDisplayName(&u.DisplayName)
		set := models.NewIdentitySet()
		set.SetUser(id)
		target := models.NewInvitationParticipantInfo()
		target.SetIdentity(set)
		targets = append(targets, target)
	}
	call.SetTargets(targets)
	call.SetRequestedModalities([]models.Modality{models.AUDIO_MODALITY})
	call.SetMediaConfig(models.NewServiceHostedMediaConfig())
	created, err := b.client.Communications().Calls().Post(ctx, call, nil)
	if err != nil {
		return "", fmt.Errorf("sdkbot: create a %s call: %w", scenario, err)
	}
	id := ""
	if created.GetId() != nil {
		id = *created.GetId()
	}
	b.mu.Lock()
	b.calls[id] = "establishing"
	b.mu.Unlock()
	return id, nil
}

// Hangup ends a call (DELETE /communications/calls/{id}).
func (b *Bot) Hangup(ctx context.Context, id string) error {
	return b.client.Communications().Calls().ByCallId(id).Delete(ctx, nil)
}

// maxBody bounds a notification body (a large meeting's roster is tens of KiB).
const maxBody = 4 << 20

// ServeHTTP serves the callback (POST, any path) and the status endpoint
// (GET /status/{id}).
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/status/"); ok && r.Method == http.MethodGet {
		b.status(w, id)
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if err := b.keys.verify(r.Context(), r.Header.Get("Authorization"), b.cfg.ClientID); err != nil {
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	var batch struct {
		Value []notification `json:"value"`
	}
	if err := json.Unmarshal(body, &batch); err != nil {
		http.Error(w, "not a notification batch", http.StatusBadRequest)
		return
	}
	for _, n := range batch.Value {
		if id, ok := incomingCall(n); ok {
			go b.answer(id) // acknowledged at once, answered after (as the samples do)
			continue
		}
		b.apply(n)
	}
	w.WriteHeader(http.StatusAccepted)
}

// answerTimeout bounds the answer of an incoming call (Graph gives a bot
// 15 s).
const answerTimeout = 10 * time.Second

// answer answers an incoming call with service-hosted media, its
// notifications to come to the bot's callback.
func (b *Bot) answer(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), answerTimeout)
	defer cancel()
	body := communications.NewCallsItemAnswerPostRequestBody()
	body.SetCallbackUri(&b.cfg.CallbackURL)
	body.SetMediaConfig(models.NewServiceHostedMediaConfig())
	body.SetAcceptedModalities([]models.Modality{models.AUDIO_MODALITY})
	if err := b.client.Communications().Calls().ByCallId(id).Answer().Post(ctx, body, nil); err != nil {
		return // Graph ends a call the bot does not answer
	}
	b.mu.Lock()
	b.calls[id] = "establishing"
	b.mu.Unlock()
}

// incomingCall returns the id of the call a "created" notification offers
// the bot (state incoming).
func incomingCall(n notification) (string, bool) {
	if !strings.EqualFold(n.ChangeType, "created") {
		return "", false
	}
	var data struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if json.Unmarshal(n.ResourceData, &data) != nil || !strings.EqualFold(data.State, "incoming") || data.ID == "" {
		return "", false
	}
	return data.ID, true
}

// notification is what the bot reads of one notification: enum values are
// read whatever their case, as Graph's own SDKs do.
type notification struct {
	ChangeType   string          `json:"changeType"`
	ResourceURL  string          `json:"resourceUrl"`
	Resource     string          `json:"resource"`
	ResourceData json.RawMessage `json:"resourceData"`
}

// rank orders the states of a call: a state never goes back (notifications
// may arrive out of order).
var rank = map[string]int{"incoming": 1, "establishing": 1, "established": 2, "terminating": 3, "terminated": 4}

// apply updates the call the notification is about, if the bot made it.
func (b *Bot) apply(n notification) {
	res := n.ResourceURL
	if res == "" {
		res = n.Resource
	}
	parts := strings.Split(strings.Trim(res, "/"), "/")
	if len(parts) != 3 || !strings.EqualFold(parts[1], "calls") {
		return // participants, or something the bot does not track
	}
	var data struct {
		State string `json:"state"`
	}
	_ = json.Unmarshal(n.ResourceData, &data)
	state := strings.ToLower(data.State)
	if strings.EqualFold(n.ChangeType, "deleted") {
		state = "terminated"
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	cur, known := b.calls[parts[2]]
	if known && rank[state] > rank[cur] {
		b.calls[parts[2]] = state
	}
}

func (b *Bot) status(w http.ResponseWriter, id string) {
	b.mu.Lock()
	state, ok := b.calls[id]
	b.mu.Unlock()
	if !ok {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"state": state})
}

// keySet is the notification keys of the OpenID configuration, fetched at
// start and again (at most once a minute) when a token names a key it does
// not hold.
type keySet struct {
	openID string
	client *http.Client

	mu      sync.Mutex
	issuer  string
	keys    map[string]*rsa.PublicKey
	fetched time.Time
}

// verify checks a bearer token as the page requires: signed (RS256) by a
// published key, from the configuration's issuer, for audience, not expired
// and already valid.
func (k *keySet) verify(ctx context.Context, authorization, audience string) error {
	raw, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok || raw == "" {
		return errors.New("no bearer token")
	}
	k.mu.Lock()
	issuer := k.issuer
	k.mu.Unlock()
	_, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return k.key(ctx, kid)
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(issuer), jwt.WithAudience(audience), jwt.WithExpirationRequired())
	return err
}

// key returns the published key kid, fetching the keys again once when it
// is unknown.
func (k *keySet) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	k.mu.Lock()
	key, ok := k.keys[kid]
	stale := time.Since(k.fetched) > time.Minute
	k.mu.Unlock()
	if ok {
		return key, nil
	}
	if stale {
		if err := k.refresh(ctx); err != nil {
			return nil, err
		}
		k.mu.Lock()
		key, ok = k.keys[kid]
		k.mu.Unlock()
		if ok {
			return key, nil
		}
	}
	return nil, fmt.Errorf("no published key %q", kid)
}

// refresh fetches the OpenID configuration and its keys.
func (k *keySet) refresh(ctx context.Context) error {
	var conf struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := k.get(ctx, k.openID, &conf); err != nil {
		return err
	}
	var jwks struct {
		Keys []struct {
			Kty, Kid, N, E string
		} `json:"keys"`
	}
	if err := k.get(ctx, conf.JWKSURI, &jwks); err != nil {
		return err
	}
	keys := map[string]*rsa.PublicKey{}
	for _, j := range jwks.Keys {
		if j.Kty != "RSA" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(j.N)
		e, errE := base64.RawURLEncoding.DecodeString(j.E)
		if errN != nil || errE != nil {
			continue
		}
		keys[j.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	k.mu.Lock()
	k.issuer, k.keys, k.fetched = conf.Issuer, keys, time.Now()
	k.mu.Unlock()
	return nil
}

func (k *keySet) get(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}
