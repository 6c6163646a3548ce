package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
)

// Keys are generated once: RSA generation is slow and every test needs two.
var (
	testKey, testNotifKey *identity.Key
	keysOnce              sync.Once
)

func keys(t testing.TB) (*identity.Key, *identity.Key) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if testKey, err = identity.GenerateKey(); err != nil {
			panic(err)
		}
		if testNotifKey, err = identity.GenerateKey(); err != nil {
			panic(err)
		}
	})
	return testKey, testNotifKey
}

// testConfig is NewConfig with the test keys, a fixed secret and loopback
// http callbacks allowed (the test receiver is plain http on loopback).
func testConfig(t testing.TB) Config {
	cfg := NewConfig()
	cfg.Key, cfg.NotificationKey = keys(t)
	cfg.Apps = []App{DefaultApp("test-secret")}
	cfg.Safety.AllowHTTPLoopback = true
	return cfg
}

// harness is a started emulator, a verifying notification receiver on
// loopback, and an OAuth2 client-credentials client for the default app.
type harness struct {
	t        testing.TB
	srv      *Server
	receiver *notify.Receiver
	recvSrv  *httptest.Server
	client   *http.Client
	callback string
}

func newHarness(t testing.TB, mutate func(*Config)) *harness {
	t.Helper()
	cfg := testConfig(t)
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := Start(context.Background(), cfg, "")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	h := &harness{t: t, srv: srv}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	h.startReceiver(srv.DefaultApp().ClientID)
	h.client = h.clientFor(srv.DefaultApp())
	return h
}

func (h *harness) startReceiver(appID string) {
	v, err := identity.NewNotificationVerifier(h.srv.OpenIDConfigURL(), appID)
	if err != nil {
		h.t.Fatalf("NewNotificationVerifier: %v", err)
	}
	h.receiver, err = notify.NewReceiver(v)
	if err != nil {
		h.t.Fatalf("NewReceiver: %v", err)
	}
	h.recvSrv = httptest.NewServer(h.receiver)
	h.t.Cleanup(h.recvSrv.Close)
	h.callback = h.recvSrv.URL + "/callback"
}

// clientFor returns an HTTP client holding app's tokens, obtained through
// the real OAuth2 client-credentials flow at the emulator's token endpoint.
func (h *harness) clientFor(app App) *http.Client {
	cc := clientcredentials.Config{ClientID: app.ClientID, ClientSecret: app.ClientSecret,
		TokenURL: h.srv.TokenURL(app.TenantID), Scopes: []string{identity.DefaultGraphScope}}
	return cc.Client(context.Background())
}

// response is a decoded Graph response.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// errorCode returns the Graph error code of the body ("" if none).
func (r response) errorCode() string {
	e, err := graph.ParseError(r.body)
	if err != nil {
		return ""
	}
	return e.Error.Code
}

func (h *harness) do(client *http.Client, method, path string, body []byte, header http.Header) response {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL()+path, rd)
	if err != nil {
		h.t.Fatalf("request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("read response: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// create posts a create body to /{version}/communications/calls.
func (h *harness) create(version string, body []byte) response {
	h.t.Helper()
	return h.do(h.client, http.MethodPost, "/"+version+"/communications/calls", body, nil)
}

// createOK creates a call and returns its id, failing unless 201.
func (h *harness) createOK(body []byte) string {
	h.t.Helper()
	r := h.create("beta", body)
	if r.status != http.StatusCreated {
		h.t.Fatalf("create: status %d, want 201: %s", r.status, r.body)
	}
	id, _ := r.json(h.t)["id"].(string)
	if id == "" {
		h.t.Fatalf("create: no id in %s", r.body)
	}
	return id
}

// Bodies of the documented scenarios (create-call-doc.txt), with the
// harness's callback and the default tenant.
func p2pBody(callback string) []byte {
	return []byte(fmt.Sprintf(`{"@odata.type":"#microsoft.graph.call","callbackUri":%q,
 "targets":[{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet",
  "user":{"@odata.type":"#microsoft.graph.identity","displayName":"John","id":"112f7296-5fa4-42ca-bae8-6a692b15d4b8"}}}],
 "requestedModalities":["audio"],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}`, callback))
}

func groupBody(callback string, n int, media string) []byte {
	var targets []string
	for i := 0; i < n; i++ {
		targets = append(targets, fmt.Sprintf(`{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","user":{"@odata.type":"#microsoft.graph.identity","displayName":"user%d","id":"98da8a1a-1b87-452c-a713-65d3f10b%04d"}}}`, i, i))
	}
	return []byte(fmt.Sprintf(`{"@odata.type":"#microsoft.graph.call","direction":"outgoing","subject":"Group call","callbackUri":%q,
 "targets":[%s],"requestedModalities":["audio"],"mediaConfig":%s,"tenantId":%q}`, callback, strings.Join(targets, ","), media, DefaultTenantID))
}

const serviceMedia = `{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}`
const appMedia = `{"@odata.type":"#microsoft.graph.appHostedMediaConfig","blob":"<Media Session Configuration>"}`

const meetingParts = `"chatInfo":{"@odata.type":"#microsoft.graph.chatInfo","threadId":"19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2","messageId":"0"},
 "meetingInfo":{"@odata.type":"#microsoft.graph.organizerMeetingInfo","organizer":{"@odata.type":"#microsoft.graph.identitySet",
  "user":{"@odata.type":"#microsoft.graph.identity","id":"5810cede-f3cc-42eb-b2c1-e9bd5d53ec96","tenantId":"aa67bd4c-8475-432d-bd41-39f255720e0a","displayName":"Bob"}},
  "allowConversationWithoutHost":true}`

// meetingBody is a scheduled meeting's join, with the tenantId the page's
// Example 5 sends (without it: 403 7505, the meeting-tenant rule).
func meetingBody(callback, media string) []byte {
	return []byte(fmt.Sprintf(`{"@odata.type":"#microsoft.graph.call","callbackUri":%q,"requestedModalities":["audio"],"mediaConfig":%s,%s,"tenantId":%q}`,
		callback, media, meetingParts, DefaultTenantID))
}

func guestBody(callback string) []byte {
	return []byte(fmt.Sprintf(`{"@odata.type":"#microsoft.graph.call","callbackUri":%q,
 "source":{"@odata.type":"#microsoft.graph.participantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet",
  "guest":{"@odata.type":"#microsoft.graph.identity","displayName":"Guest User","id":"d7a3b999-17ac-4bca-9e77-e6a730d2ec2e"}}},
 "requestedModalities":["audio"],"mediaConfig":%s,%s}`, callback, serviceMedia, meetingParts))
}

func pstnBody(callback, media string) []byte {
	return []byte(fmt.Sprintf(`{"@odata.type":"#microsoft.graph.call","callbackUri":%q,
 "source":{"@odata.type":"#microsoft.graph.participantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet",
  "applicationInstance":{"@odata.type":"#microsoft.graph.identity","displayName":"Calling Bot","id":"3d913abb-aec0-4964-8fa6-3c6850c4f278"}}},
 "targets":[{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet",
  "phone":{"@odata.type":"#microsoft.graph.identity","id":"+12345678901"}}}],
 "requestedModalities":["audio"],"mediaConfig":%s}`, callback, media))
}

// watch opens a watch on a call's notifications, closed at cleanup.
func (h *harness) watch(id string) *notify.CallWatch {
	w := h.receiver.Watch(id)
	h.t.Cleanup(w.Close)
	return w
}

// waitIdle waits until the emulator has no notification pending.
func (h *harness) waitIdle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.srv.WaitIdle(ctx); err != nil {
		h.t.Fatal(err)
	}
}

// kinds summarises a watch's events: state for call notifications,
// "roster" (or "lobby-roster" when the bot is in the lobby) for rosters.
func kinds(t testing.TB, evs []notify.Event) []string {
	t.Helper()
	var out []string
	for _, ev := range evs {
		if ev.IsRoster() {
			ps, err := ev.Notification.Participants()
			if err != nil {
				t.Fatalf("roster: %v", err)
			}
			if len(ps) > 0 && ps[0].InLobby() {
				out = append(out, "lobby-roster")
			} else {
				out = append(out, "roster")
			}
			continue
		}
		out = append(out, string(ev.State()))
	}
	return out
}

func ctxTimeout(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}
