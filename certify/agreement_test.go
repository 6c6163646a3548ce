package certify

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
	"github.com/callcheck/callcheck/identity"
)

// agreementCallback is https on loopback: every policy accepts it, and the
// emulator never posts to it (its notifications are dropped).
const agreementCallback = "https://127.0.0.1:9/callback"

// variant is one request of the agreement table: a documented example's
// request, filled and changed, sent by an app holding every calling
// permission but lacking.
type variant struct {
	name        string
	example     int
	change      func(body map[string]any)
	lacking     string // the permission the sending app lacks ("" for none)
	contentType string // "" for application/json
	// contentEncoding is the Content-Encoding header sent ("" for none;
	// the body is sent as it is).
	contentEncoding string
	raw             string // a body sent as is instead of the example's
	want            rules.ID
}

func del(p string) func(map[string]any) {
	return func(b map[string]any) { pointerDo(b, p, nil, true) }
}

func set(p string, v any) func(map[string]any) {
	return func(b map[string]any) { pointerDo(b, p, v, false) }
}

func both(fs ...func(map[string]any)) func(map[string]any) {
	return func(b map[string]any) {
		for _, f := range fs {
			f(b)
		}
	}
}

// pointerDo sets or deletes the member at an RFC 6901 pointer of objects
// and arrays (no escapes: the table's pointers need none).
func pointerDo(doc map[string]any, p string, v any, remove bool) {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	var cur any = doc
	for i, part := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if remove {
					delete(c, part)
				} else {
					c[part] = v
				}
				return
			}
			cur = c[part]
		case []any:
			n := 0
			for _, r := range part {
				n = n*10 + int(r-'0')
			}
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		}
	}
}

func userTarget(id string) map[string]any {
	return map[string]any{"@odata.type": graph.TypeInvitationParticipantInfo, "identity": map[string]any{
		"@odata.type": graph.TypeIdentitySet, "user": map[string]any{"@odata.type": graph.TypeIdentity, "id": id}}}
}

func sixUsers() []any {
	var out []any
	for _, id := range []string{"8e8a4b9c-0000-4000-8000-000000000001", "8e8a4b9c-0000-4000-8000-000000000002", "8e8a4b9c-0000-4000-8000-000000000003",
		"8e8a4b9c-0000-4000-8000-000000000004", "8e8a4b9c-0000-4000-8000-000000000005", "8e8a4b9c-0000-4000-8000-000000000006"} {
		out = append(out, userTarget(id))
	}
	return out
}

// agreementTable: at least one variant per rule the emulator answers, and
// every documented example unchanged (which both accept).
func agreementTable() []variant {
	vs := []variant{
		// Each documented request, filled: no error on either side.
		{name: "example 1 as documented", example: 1}, {name: "example 2 as documented", example: 2},
		{name: "example 3 as documented", example: 3}, {name: "example 4 as documented", example: 4},
		{name: "example 5 as documented", example: 5}, {name: "example 6 as documented", example: 6},
		{name: "example 7 as documented", example: 7}, {name: "example 8 as documented", example: 8},
		{name: "example 9 as documented", example: 9}, {name: "example 10 as documented", example: 10},

		// Headers and strict JSON.
		{name: "text/plain", example: 1, contentType: "text/plain", want: rules.ContentType},
		{name: "a brotli content coding", example: 1, contentEncoding: "br", want: rules.ContentEncoding},
		{name: "not JSON", raw: `{"callbackUri":`, want: rules.JSON},
		{name: "a JSON array", raw: `[]`, want: rules.Schema},
		{name: "a member named twice", raw: `{"callbackUri":"https://bot.contoso.com/callback","callbackUri":"https://bot.contoso.com/other"}`, want: rules.DuplicateMember},

		// Each required member missing.
		{name: "no callbackUri", example: 1, change: del("/callbackUri"), want: rules.CallbackRequired},
		{name: "no mediaConfig", example: 1, change: del("/mediaConfig"), want: rules.MediaRequired},
		{name: "no targets", example: 1, change: del("/targets"), want: rules.TargetsRequired},
		{name: "meeting without meetingInfo", example: 5, change: del("/meetingInfo"), want: rules.MeetingInfo},
		{name: "meeting without chatInfo", example: 5, change: del("/chatInfo"), want: rules.ChatInfo},
		{name: "meeting without threadId", example: 5, change: del("/chatInfo/threadId"), want: rules.ChatInfo},
		{name: "organizer without identity", example: 5, change: set("/meetingInfo/organizer", map[string]any{"@odata.type": graph.TypeIdentitySet}), want: rules.MeetingInfo},
		{name: "join by meeting id without id", example: 5, change: both(del("/chatInfo"),
			set("/meetingInfo", map[string]any{"@odata.type": graph.TypeJoinMeetingIDMeetingInfo})), want: rules.MeetingInfo},
		{name: "pstn without applicationInstance", example: 9, change: set("/source/identity", map[string]any{"@odata.type": graph.TypeIdentitySet,
			"application": map[string]any{"@odata.type": graph.TypeIdentity, "id": emulator.DefaultClientID}}), want: rules.PSTNSource},
		{name: "target without identity", example: 1, change: set("/targets/0", map[string]any{"@odata.type": graph.TypeInvitationParticipantInfo}), want: rules.TargetIdentity},

		// Each wrong type or enum.
		{name: "callbackUri a number", example: 1, change: set("/callbackUri", 42), want: rules.Schema},
		{name: "requestedModalities a string", example: 1, change: set("/requestedModalities", "audio"), want: rules.Schema},
		{name: "requestedModalities unknown", example: 1, change: set("/requestedModalities", []any{"smell"}), want: rules.Schema},
		{name: "targets an object", example: 1, change: set("/targets", map[string]any{}), want: rules.Schema},
		{name: "mediaConfig a string", example: 1, change: set("/mediaConfig", "service"), want: rules.Schema},
		{name: "mediaConfig of an unknown type", example: 1, change: set("/mediaConfig/@odata.type", "#microsoft.graph.cloudMediaConfig"), want: rules.Schema},
		{name: "tenantId a number", example: 3, change: set("/tenantId", 7), want: rules.Schema},
		// v1.0 declares no ringingTimeoutInSeconds (a beta property), so the
		// open call type lets the schema pass it; the body still is no call.
		{name: "ringingTimeoutInSeconds a string", example: 1, change: set("/ringingTimeoutInSeconds", "ten"), want: rules.JSON},
		{name: "subject an object", example: 1, change: set("/subject", map[string]any{}), want: rules.Schema},
		{name: "source an array", example: 1, change: set("/source", []any{}), want: rules.Schema},
		{name: "target typed participantInfo", example: 1, change: set("/targets/0/@odata.type", graph.TypeParticipantInfo), want: rules.Schema},

		// Values out of range.
		{name: "callbackUri relative", example: 1, change: set("/callbackUri", "/callback"), want: rules.CallbackURL},
		{name: "http callback", example: 1, change: set("/callbackUri", "http://127.0.0.1:9/callback"), want: rules.CallbackHTTPS},
		{name: "ftp callback", example: 1, change: set("/callbackUri", "ftp://127.0.0.1/callback"), want: rules.CallbackHTTPS},
		{name: "six targets", example: 3, change: set("/targets", sixUsers()), want: rules.TargetsMax},
		{name: "the same user twice", example: 3, change: func(b map[string]any) { ts := b["targets"].([]any); ts[1] = ts[0] },
			want: rules.TargetDuplicate},
		{name: "mediaConfig without @odata.type", example: 1, change: set("/mediaConfig", map[string]any{}), want: rules.Schema},
		{name: "phone not E.164", example: 9, change: set("/targets/0/identity/phone/id", "12345"), want: rules.PSTNTarget},
		{name: "ringing 116 seconds", example: 1, change: set("/ringingTimeoutInSeconds", 116), want: rules.RingingTimeout},
		{name: "ringing -1 seconds", example: 1, change: set("/ringingTimeoutInSeconds", -1), want: rules.RingingTimeout},

		// Enum values in another case: Graph matches them whatever their
		// case (rules.SrcEnumCase), so both accept.
		{name: "requestedModalities in PascalCase", example: 1, change: set("/requestedModalities", []any{"Audio"})},
		{name: "enums in PascalCase, app-hosted media", example: 2, change: both(set("/requestedModalities", []any{"Audio", "Video"}),
			set("/direction", "Outgoing"))},
		{name: "a PascalCase enum still unknown", example: 1, change: set("/requestedModalities", []any{"Smell"}), want: rules.Schema},
		// Unknown properties and instance annotations are kept, not refused
		// (rules.SrcOpenType), as SDKs send them.
		{name: "an unknown property and annotations", example: 1, change: both(set("/vendorExtension", "x"),
			set("/@odata.context", "https://graph.microsoft.com/v1.0/$metadata#communications/calls/$entity"),
			set("/callbackUri@odata.type", "#String"))},
		{name: "$-prefixed members", example: 3, change: both(set("/$type", "call"), set("/targets/0/$id", "1"),
			set("/@microsoft.graph.tips", "x"))},

		// Warnings only: both accept.
		{name: "app-hosted media without blob", example: 2, change: del("/mediaConfig/blob")},
		{name: "no requestedModalities", example: 1, change: del("/requestedModalities")},
		{name: "routingPolicies on a group call", example: 3, change: set("/routingPolicies", []any{"noMissedCall"})},

		// The caller: tenant and permissions.
		{name: "tenant mismatch", example: 1, change: set("/tenantId", identity.ForeignTenantID), want: rules.Tenant},
		{name: "group call with a foreign tenant", example: 3, change: set("/tenantId", identity.ForeignTenantID), want: rules.Tenant},
		{name: "scheduled meeting join without tenantId", example: 5, change: del("/tenantId"), want: rules.MeetingTenant},
		{name: "app-hosted scheduled meeting join without tenantId", example: 6, change: del("/tenantId"), want: rules.MeetingTenant},
		// No report shows a channel meeting's join refused for it: the page's own sends none.
		{name: "channel meeting join without tenantId", example: 7, change: del("/tenantId")},
	}
	// Each scenario without its permission, and app-hosted media without
	// Calls.AccessMedia.All.
	for _, r := range []struct {
		example int
		role    string
	}{
		{1, graph.RoleInitiate}, {3, graph.RoleInitiateGroupCall}, {5, graph.RoleJoinGroupCall}, {7, graph.RoleJoinGroupCall},
		{8, graph.RoleJoinGroupCallAsGuest}, {9, graph.RoleInitiate}, {2, graph.RoleAccessMedia}, {4, graph.RoleAccessMedia},
		{6, graph.RoleAccessMedia}, {10, graph.RoleAccessMedia}, {2, graph.RoleInitiate}, {10, graph.RoleInitiate},
	} {
		vs = append(vs, variant{name: "example " + itoa(r.example) + " without " + r.role, example: r.example, lacking: r.role, want: rules.Roles})
	}
	return vs
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// agreementRig is an emulator with an app holding every calling permission
// and one app lacking each.
type agreementRig struct {
	srv    *emulator.Server
	tokens map[string]string // by the permission lacking ("" for none)
}

func newAgreementRig(t *testing.T) *agreementRig {
	t.Helper()
	cfg := emulator.NewConfig()
	cfg.Faults.Drop = 1 // no notification is posted
	cfg.Limits.RecordBodyBytes = int(cfg.Limits.MaxBodyBytes)
	apps := map[string]emulator.App{"": emulator.DefaultApp("agreement-secret")}
	for i, role := range graph.CallingRoles() {
		apps[role] = emulator.App{ClientID: "a9f0e1d2-0000-4000-8000-00000000000" + itoa(i+1), ClientSecret: "agreement-secret",
			TenantID: emulator.DefaultTenantID, DisplayName: "lacks " + role,
			Roles: slices.DeleteFunc(graph.CallingRoles(), func(r string) bool { return r == role })}
	}
	for _, a := range apps {
		cfg.Apps = append(cfg.Apps, a)
	}
	srv, err := emulator.Start(context.Background(), cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	rig := &agreementRig{srv: srv, tokens: map[string]string{}}
	for lacking, a := range apps {
		cc := clientcredentials.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, TokenURL: srv.TokenURL(a.TenantID),
			Scopes: []string{identity.DefaultGraphScope}}
		tok, err := cc.Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rig.tokens[lacking] = tok.AccessToken
	}
	return rig
}

// body is example n's documented request with the run's callback and
// tenant, and its type errata repaired (Examples 3, 4 type their targets
// participantInfo; the property is Collection(invitationParticipantInfo)).
func documentedRequest(t *testing.T, n int) map[string]any {
	t.Helper()
	ex, err := fixtures.ByNumber(n)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(ex.Request().Canonical(), &body); err != nil {
		t.Fatal(err)
	}
	body["callbackUri"] = agreementCallback
	if _, ok := body["tenantId"]; ok {
		body["tenantId"] = emulator.DefaultTenantID
	}
	targets, _ := body["targets"].([]any)
	for _, tg := range targets {
		tg.(map[string]any)["@odata.type"] = graph.TypeInvitationParticipantInfo
	}
	return body
}

// send posts v to the emulator and returns its record.
func (rig *agreementRig) send(t *testing.T, v variant) (emulator.RequestRecord, int, string) {
	t.Helper()
	raw := []byte(v.raw)
	if v.raw == "" {
		body := documentedRequest(t, v.example)
		if v.change != nil {
			v.change(body)
		}
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(http.MethodPost, rig.srv.GraphBaseURL("v1.0")+"/communications/calls", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	ct := v.contentType
	if ct == "" {
		ct = "application/json"
	}
	req.Header.Set("Content-Type", ct)
	if v.contentEncoding != "" {
		req.Header.Set("Content-Encoding", v.contentEncoding)
	}
	req.Header.Set("Authorization", "Bearer "+rig.tokens[v.lacking])
	seq := rig.srv.Stats().LastRequest
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	code := ""
	if e, err := graph.ParseError(got); err == nil {
		code = e.Error.Code
	}
	recs := rig.srv.RequestsSince(seq, 0)
	if len(recs) != 1 {
		t.Fatalf("%d records of the request, want 1", len(recs))
	}
	return recs[0], resp.StatusCode, code
}

// certifyFirstError is what certify-bot's contract finds first of the
// rules the service applies: the Content-Type (the headers check), then the
// body and its caller as judged for the scenario the body describes.
func certifyFirstError(rec emulator.RequestRecord) (rules.Finding, bool) {
	if f, bad := rules.CheckContentType(rec.Headers.Get("Content-Type")); bad {
		return f, true
	}
	if _, f, bad := rules.CheckContentEncoding(rec.Headers.Values("Content-Encoding")); bad {
		return f, true
	}
	call := decodeCall(rec.Body)
	key := keyUnknown
	if call != nil {
		if k, ok := KeyFor(graph.InferScenario(call)); ok {
			key = k
		}
	}
	for _, f := range Judge(key, rec.Version, []byte(rec.Body), rec.Token) {
		if r, _ := rules.Lookup(f.Rule); f.Severity == rules.Error && r.Scope == rules.ScopeService {
			return f, true
		}
	}
	return rules.Finding{}, false
}

// TestEmulatorAndCertifyAgree sends every variant to an emulator on a real
// socket and judges the request it recorded with certify-bot's contract:
// the emulator refuses with the rule certify-bot finds first, with that
// rule's status and code, and accepts what certify-bot finds no error in.
func TestEmulatorAndCertifyAgree(t *testing.T) {
	rig := newAgreementRig(t)
	table := agreementTable()
	if len(table) < 40 {
		t.Fatalf("%d variants, want at least 40", len(table))
	}
	covered := map[rules.ID]bool{}
	for _, v := range table {
		t.Run(v.name, func(t *testing.T) {
			rec, status, code := rig.send(t, v)
			emuRule := ""
			for _, vd := range rec.Verdicts {
				if vd.Severity == emulator.SeverityError {
					emuRule = vd.Rule
					break
				}
			}
			f, bad := certifyFirstError(rec)
			switch {
			case v.want == "":
				if status != http.StatusCreated || bad {
					t.Fatalf("emulator %d %s (%s), certify-bot %v %s; want both to accept", status, code, emuRule, bad, f.Message)
				}
			case string(f.Rule) != emuRule || f.Rule != v.want:
				t.Fatalf("emulator refused by %q, certify-bot found %q, want %q: %s", emuRule, f.Rule, v.want, f.Message)
			case f.Status != status || f.Code != code:
				t.Fatalf("rule %s: emulator answered %d %s, certify-bot maps it to %d %s", f.Rule, status, code, f.Status, f.Code)
			case f.Rule != rules.ContentType && f.Rule != rules.ContentEncoding && len(CheckOf(f)) == 0:
				t.Fatalf("rule %s maps to no certify-bot check", f.Rule)
			}
			covered[v.want] = true
		})
	}
	// Every rule the service applies that a body can break is exercised
	// (body-size, body-read, json-nesting and content-encoding are
	// transport rules, judged before a body is decoded; the
	// callback host is the emulator's safety policy, which certify-bot,
	// posting only to hosts it allows, does not judge; every mediaConfig
	// mediaConfig-type would refuse is refused by the schema first).
	for _, r := range rules.All() {
		skip := []rules.ID{rules.BodySize, rules.BodyRead, rules.JSONNesting, rules.ContentEncoding, rules.CallbackHost, rules.MediaType}
		if r.Scope == rules.ScopeService && r.Severity == rules.Error && !slices.Contains(skip, r.ID) && !covered[r.ID] {
			t.Errorf("no variant breaks rule %s", r.ID)
		}
	}
}
