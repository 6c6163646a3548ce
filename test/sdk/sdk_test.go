// Package sdk_test proves that Microsoft's own Graph SDK for Go works
// against the emulator unchanged: msgraph-sdk-go with its default middleware
// (gzip request bodies included), tokens from azidentity's
// ClientSecretCredential, over https trusted through SSL_CERT_FILE.
//
// It is a module of its own so that the SDK, which is large, never enters
// callcheck's build. Run it with scripts/sdk-test.sh.
package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/communications"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
)

// srv is the emulator every test talks to, started once by TestMain: the
// CA it generates must be trusted (SSL_CERT_FILE) before the process makes
// its first TLS connection, when Go reads the system roots.
var srv *emulator.Server

func TestMain(m *testing.M) {
	cfg := emulator.NewConfig()
	cfg.Apps = []emulator.App{emulator.DefaultApp("sdk-test-secret")}
	cfg.Safety.AllowHTTPLoopback = true // the notification receiver below is plain http on loopback
	s, err := emulator.Start(context.Background(), cfg, "127.0.0.1:0", emulator.WithTLS(emulator.TLS{}))
	if err != nil {
		fmt.Fprintln(os.Stderr, "start the emulator:", err)
		os.Exit(1)
	}
	srv = s
	os.Setenv("SSL_CERT_FILE", srv.CAFile()) // how a user trusts the emulator's CA: no client code changes
	code := m.Run()
	_ = srv.Close()
	os.Exit(code)
}

// newClient builds the SDK's client as its README does, with the emulator
// as authority host and as Graph base URL: the only two settings a bot
// changes to talk to the emulator instead of Microsoft.
func newClient(t *testing.T) *msgraphsdk.GraphServiceClient {
	t.Helper()
	app := srv.DefaultApp()
	cred, err := azidentity.NewClientSecretCredential(app.TenantID, app.ClientID, app.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions: azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: srv.URL() + "/"}},
			// Instance discovery asks login.microsoftonline.com whether the
			// authority is known; the emulator's is not.
			DisableInstanceDiscovery: true,
		})
	if err != nil {
		t.Fatal(err)
	}
	base, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	// The hosts the SDK attaches tokens for (default: Microsoft's Graph hosts).
	client, err := msgraphsdk.NewGraphServiceClientWithCredentialsAndHosts(cred, []string{identity.DefaultGraphScope}, []string{base.Hostname()})
	if err != nil {
		t.Fatal(err)
	}
	client.GetAdapter().SetBaseUrl(srv.GraphBaseURL("v1.0"))
	return client
}

// receiver is a verifying notification receiver (the bot's callback).
func receiver(t *testing.T) (*notify.Receiver, string) {
	t.Helper()
	v, err := identity.NewNotificationVerifier(srv.OpenIDConfigURL(), srv.DefaultApp().ClientID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := notify.NewReceiver(v)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(r)
	t.Cleanup(hs.Close)
	return r, hs.URL + "/callback"
}

// TestDocumentedExamples: for every documented example the SDK creates the
// call (its gzip body decoded by the emulator), reads it back, keeps it
// alive by the action's plain and qualified names, and deletes it; the
// bot's callback sees it terminate.
func TestDocumentedExamples(t *testing.T) {
	client := newClient(t)
	rcv, callback := receiver(t)
	for _, ex := range fixtures.All() {
		t.Run(ex.Name(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			body := documentedCall(t, ex, callback)
			created, err := client.Communications().Calls().Post(ctx, body, nil)
			if err != nil {
				t.Fatalf("create: %s", describe(err))
			}
			id := deref(created.GetId())
			if id == "" || created.GetState() == nil || *created.GetState() != models.ESTABLISHING_CALLSTATE {
				t.Fatalf("created call: id %q, state %v", id, created.GetState())
			}
			expectGzipped(t, id)
			w := rcv.Watch(id)
			defer w.Close()
			readBack(ctx, t, client, id, created)
			keepAlive(ctx, t, client, id)
			if err := client.Communications().Calls().ByCallId(id).Delete(ctx, nil); err != nil {
				t.Fatalf("delete: %s", describe(err))
			}
			if _, err := w.WaitFor(ctx, notify.StateIs(graph.CallStateTerminated)); err != nil {
				t.Errorf("no terminated notification after delete: %v", err)
			}
		})
	}
}

// readBack GETs the call and compares it with what the create returned.
func readBack(ctx context.Context, t *testing.T, client *msgraphsdk.GraphServiceClient, id string, created models.Callable) {
	t.Helper()
	got, err := client.Communications().Calls().ByCallId(id).Get(ctx, nil)
	if err != nil {
		t.Fatalf("get: %s", describe(err))
	}
	if deref(got.GetId()) != id || deref(got.GetCallbackUri()) != deref(created.GetCallbackUri()) || got.GetState() == nil {
		t.Errorf("read back: id %q, callbackUri %q, state %v", deref(got.GetId()), deref(got.GetCallbackUri()), got.GetState())
	}
}

// keepAlive calls the keepAlive action as the SDK names it, and by the
// namespace-qualified name Microsoft's OpenAPI gives it.
func keepAlive(ctx context.Context, t *testing.T, client *msgraphsdk.GraphServiceClient, id string) {
	t.Helper()
	item := client.Communications().Calls().ByCallId(id)
	if err := item.KeepAlive().Post(ctx, nil); err != nil {
		t.Fatalf("keepAlive: %s", describe(err))
	}
	qualified := srv.GraphBaseURL("v1.0") + "/communications/calls/" + id + "/microsoft.graph.keepAlive"
	if err := communications.NewCallsItemKeepAliveRequestBuilder(qualified, client.GetAdapter()).Post(ctx, nil); err != nil {
		t.Fatalf("microsoft.graph.keepAlive: %s", describe(err))
	}
}

// expectGzipped checks in the emulator's records that the create of id came
// gzip-compressed, as the SDK's default CompressionHandler sends it.
func expectGzipped(t *testing.T, id string) {
	t.Helper()
	for _, rec := range srv.Requests() {
		if rec.Method == http.MethodPost && rec.CallID == id {
			if enc := rec.Headers.Get("Content-Encoding"); enc != "gzip" {
				t.Errorf("the create came with Content-Encoding %q, want gzip (the SDK's default)", enc)
			}
			return
		}
	}
	t.Errorf("no record of the create of %s", id)
}

// TestGraphError: a Graph error parses into the SDK's ODataError with the
// emulator's status, code, message and request id.
func TestGraphError(t *testing.T) {
	client := newClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := client.Communications().Calls().ByCallId("00000000-0000-0000-0000-000000000000").Get(ctx, nil)
	var oerr *odataerrors.ODataError
	if !errors.As(err, &oerr) {
		t.Fatalf("GET of an unknown call: %v (%T), want an *odataerrors.ODataError", err, err)
	}
	main := oerr.GetErrorEscaped()
	if oerr.ResponseStatusCode != http.StatusNotFound || main == nil || deref(main.GetCode()) != emulator.CodeCallNotFound ||
		deref(main.GetMessage()) != "Call not found." {
		t.Fatalf("ODataError: status %d, %s", oerr.ResponseStatusCode, describe(err))
	}
	if inner := main.GetInnerError(); inner == nil || deref(inner.GetRequestId()) == "" {
		t.Errorf("ODataError without innerError.request-id: %s", describe(err))
	}
}

// documentedCall is example ex's documented request as the SDK's model,
// parsed by the SDK's own JSON parser from the fixture's canonical JSON
// with the callback URL, the tenant and the media-session blob filled in
// (the fixture is never edited).
func documentedCall(t *testing.T, ex fixtures.Example, callback string) models.Callable {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(ex.Request().Canonical(), &body); err != nil {
		t.Fatalf("example %d: the documented request is not JSON: %v", ex.Number, err)
	}
	for _, v := range ex.Values() {
		value := fillValue(v, callback)
		if v.Block != fixtures.BlockRequest || v.Pointer == "" || value == "" {
			continue
		}
		if !setPointer(body, v.Pointer, value) {
			t.Fatalf("example %d: cannot set the %s at %s", ex.Number, v.Role, v.Pointer)
		}
	}
	if m, ok := body["mediaConfig"].(map[string]any); ok && m["blob"] != nil {
		m["blob"] = mediaSessionBlob(t)
	}
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	node, err := jsonserialization.NewJsonParseNode(data)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := node.GetObjectValue(models.CreateCallFromDiscriminatorValue)
	if err != nil {
		t.Fatalf("example %d: the SDK cannot parse the documented request: %v", ex.Number, err)
	}
	call := parsed.(models.Callable)
	retypeTargets(call)
	return call
}

// fillValue is what replaces a documented value, as callcheck's suites fill
// them against the emulator: the callback URL, and the run's tenant for
// tenantId members other than the meeting organizer's (the page's own
// tenant ids differ from example to example, and Example 5's is no GUID).
// "" keeps the documented value.
func fillValue(v fixtures.Value, callback string) string {
	switch {
	case v.Role == fixtures.RoleCallbackURI:
		return callback
	case v.Role == fixtures.RoleTenantID && !strings.HasPrefix(v.Pointer, "/meetingInfo/organizer/"):
		return srv.DefaultApp().TenantID
	}
	return ""
}

// retypeTargets types every target invitationParticipantInfo, the declared
// type of call.targets. Example 4 types its second one participantInfo (a
// doc erratum, "type-mismatch" in callcheck fixtures errata); an SDK user
// builds targets with models.NewInvitationParticipantInfo, which types them
// so.
func retypeTargets(call models.Callable) {
	for _, target := range call.GetTargets() {
		odataType := "#microsoft.graph.invitationParticipantInfo"
		target.SetOdataType(&odataType)
	}
}

// mediaSessionBlob is Example 2's sample media-session configuration, which
// the app-hosted examples stand for with a placeholder.
func mediaSessionBlob(t *testing.T) string {
	t.Helper()
	ex, err := fixtures.ByNumber(2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ex.Block(fixtures.BlockMediaSessionBlob)
	if err != nil {
		t.Fatal(err)
	}
	return string(b.Canonical())
}

// setPointer sets the string at an RFC 6901 pointer of a decoded JSON value.
func setPointer(doc any, pointer, value string) bool {
	toks := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i, tok := range toks {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		last := i == len(toks)-1
		switch node := doc.(type) {
		case map[string]any:
			if last {
				node[tok] = value
				return true
			}
			doc = node[tok]
		case []any:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(node) {
				return false
			}
			if last {
				node[n] = value
				return true
			}
			doc = node[n]
		default:
			return false
		}
	}
	return false
}

// describe renders an SDK error with its Graph code and message.
func describe(err error) string {
	var oerr *odataerrors.ODataError
	if errors.As(err, &oerr) && oerr.GetErrorEscaped() != nil {
		e := oerr.GetErrorEscaped()
		return fmt.Sprintf("HTTP %d %s: %s", oerr.ResponseStatusCode, deref(e.GetCode()), deref(e.GetMessage()))
	}
	return fmt.Sprint(err)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
