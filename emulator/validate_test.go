package emulator

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"

	"github.com/callcheck/callcheck/graph/rules"
)

// TestCreateValidation: each bad request gets its status, a Graph error
// body with request-id, and a verdict naming the field (validation).
func TestCreateValidation(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Limits.MaxBodyBytes = 16 << 10 })
	cb := h.callback
	p2p := string(p2pBody(cb))
	tests := []struct {
		name        string
		body        string
		contentType string
		status      int
		code        string
		rule        rules.ID
		pointer     string
	}{
		// Not JSON at all.
		{"garbage", "\x00\xffnot json", "", 400, CodeBadRequest, rules.JSON, ""},
		// Trailing comma, as the documentation's own examples have (strict service).
		{"trailing comma", strings.Replace(p2p, `"audio"]`, `"audio"],`, 1)[:len(p2p)-1] + ",}", "", 400, CodeBadRequest, rules.JSON, ""},
		// Truncated body.
		{"truncated", p2p[:len(p2p)/2], "", 400, CodeBadRequest, rules.JSON, ""},
		// A JSON array, not a call object.
		{"array", "[]", "", 400, CodeBadRequest, rules.Schema, ""},
		// Wrong Content-Type.
		{"text/plain", p2p, "text/plain", 415, CodeUnsupportedMedia, rules.ContentType, ""},
		// Over the body limit.
		{"too large", `{"subject":"` + strings.Repeat("x", 20<<10) + `"}`, "", 413, CodeTooLarge, rules.BodySize, ""},
		// Nested deeper than the limit.
		{"deep nesting", strings.Repeat("[", 100) + strings.Repeat("]", 100), "", 400, CodeBadRequest, rules.JSONNesting, ""},
		// A property of the wrong type (schema).
		{"targets not an array", strings.Replace(p2p, `"targets":[`, `"targets":{"x":[`, 1), "", 400, CodeBadRequest, "", ""},
		// callbackUri missing.
		{"no callbackUri", strings.Replace(p2p, `"callbackUri":"`+cb+`",`, "", 1), "", 400, CodeBadRequest, rules.CallbackRequired, "/callbackUri"},
		// A non-https callback on a host that is not loopback.
		{"http callback", strings.Replace(p2p, cb, "http://bot.contoso.com/callback", 1), "", 400, CodeBadRequest, rules.CallbackHTTPS, "/callbackUri"},
		// An https callback on a host that is not allowed.
		{"callback host not allowed", strings.Replace(p2p, cb, "https://bot.contoso.com/callback", 1), "", 400, CodeBadRequest, rules.CallbackHost, "/callbackUri"},
		// mediaConfig missing.
		{"no mediaConfig", strings.Replace(p2p, `,"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}`, "", 1), "", 400, CodeBadRequest, rules.MediaRequired, "/mediaConfig"},
		// mediaConfig of no known type.
		{"mediaConfig type", strings.Replace(p2p, "serviceHostedMediaConfig", "mediaConfig", 1), "", 400, CodeBadRequest, "", ""},
		// No targets and no meeting.
		{"no targets", strings.Replace(p2p, p2p[strings.Index(p2p, `"targets"`):strings.Index(p2p, `"requestedModalities"`)], "", 1), "", 400, CodeBadRequest, rules.TargetsRequired, "/targets"},
		// Six targets in a group call.
		{"six targets", string(groupBody(cb, 6, serviceMedia)), "", 400, CodeBadRequest, rules.TargetsMax, "/targets"},
		// The same user invited twice.
		{"duplicate target", strings.Replace(string(groupBody(cb, 2, serviceMedia)), "10b0001", "10b0000", 1), "", 400, CodeBadRequest, rules.TargetDuplicate, "/targets/1/identity"},
		// A phone target without an applicationInstance source.
		{"pstn without source", strings.Replace(string(pstnBody(cb, serviceMedia)), `"applicationInstance"`, `"application"`, 1), "", 400, CodeSourceInvalid, rules.PSTNSource, "/source/identity/applicationInstance"},
		// A meeting join without chatInfo.
		{"meeting without chatInfo", strings.Replace(string(meetingBody(cb, serviceMedia)), `"chatInfo":{"@odata.type":"#microsoft.graph.chatInfo","threadId":"19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2","messageId":"0"},`, "", 1), "", 400, CodeBadRequest, rules.ChatInfo, "/chatInfo"},
		// ringingTimeoutInSeconds over 115.
		{"ringing timeout", strings.Replace(p2p, `"requestedModalities"`, `"ringingTimeoutInSeconds":116,"requestedModalities"`, 1), "", 400, CodeBadRequest, rules.RingingTimeout, "/ringingTimeoutInSeconds"},
		// The body's tenant is not the token's.
		{"tenant mismatch", strings.Replace(string(groupBody(cb, 2, serviceMedia)), DefaultTenantID, "86dc81db-c112-4228-9222-63f3e5aa1edb", 1), "", 403, CodeTenantMismatch, rules.Tenant, "/tenantId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := http.Header{}
			if tt.contentType != "" {
				hdr.Set("Content-Type", tt.contentType)
			}
			seq := h.srv.Stats().LastRequest
			r := h.do(h.client, http.MethodPost, "/v1.0/communications/calls", []byte(tt.body), hdr)
			if r.status != tt.status || r.errorCode() != tt.code {
				t.Fatalf("got %d %q, want %d %q: %s", r.status, r.errorCode(), tt.status, tt.code, r.body)
			}
			e, _ := graph.ParseError(r.body)
			if e.Error.InnerError == nil || e.Error.InnerError.RequestID != r.header.Get("request-id") {
				t.Errorf("error body's innerError.request-id does not match the header: %s", r.body)
			}
			recs := h.srv.RequestsSince(seq, 0)
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1", len(recs))
			}
			if tt.rule != "" && !slices.ContainsFunc(recs[0].Verdicts, func(v Verdict) bool {
				return v.Rule == string(tt.rule) && v.Pointer == tt.pointer && v.Severity == SeverityError
			}) {
				t.Errorf("no error verdict %s at %q among %+v", tt.rule, tt.pointer, recs[0].Verdicts)
			}
		})
	}
	if n := len(h.srv.Calls()); n != 0 {
		t.Errorf("refused creates left %d calls", n)
	}
}

// TestReadOnlyWarnings: read-only properties the documentation itself sends
// (direction, tenantId in Examples 3–6) are accepted with warnings.
func TestReadOnlyWarnings(t *testing.T) {
	h := newHarness(t, nil)
	h.createOK(groupBody(h.callback, 2, serviceMedia))
	recs := h.srv.Requests()
	var got []string
	for _, v := range recs[len(recs)-1].Verdicts {
		if v.Severity == SeverityWarning {
			got = append(got, v.Rule+" "+v.Pointer)
		}
	}
	if !slices.Contains(got, string(rules.ReadOnly)+" /direction") {
		t.Errorf("warnings %v, want read-only /direction", got)
	}
}

// TestAuthentication: the Graph endpoints verify the token (identity and
// permissions).
func TestAuthentication(t *testing.T) {
	h := newHarness(t, nil)
	app := h.srv.DefaultApp().ClientID
	tests := []struct {
		name   string
		defect identity.Defect
		header string // used when set instead of a minted token
		status int
		code   string
	}{
		{"no token", 0, "-", 401, CodeInvalidToken},                    // no Authorization header
		{"not bearer", 0, "Basic dXNlcjpwYXNz", 401, CodeInvalidToken}, // another scheme
		{"garbage", 0, "Bearer not.a.jwt", 401, CodeInvalidToken},      // not a JWS
		{"expired", identity.DefectExpired, "", 401, CodeInvalidToken}, // exp in the past
		{"wrong audience", identity.DefectWrongAudience, "", 401, CodeInvalidToken},
		{"foreign key", identity.DefectUnknownKey, "", 401, CodeInvalidToken},
		{"bad signature", identity.DefectBadSignature, "", 401, CodeInvalidToken},
		{"alg none", identity.DefectAlgNone, "", 401, CodeInvalidToken},
		{"delegated", identity.DefectDelegated, "", 403, CodeUnknownError}, // 7500 Unsupported AAD Identity
		{"no roles", identity.DefectMissingRoles, "", 403, CodeMissingRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth := tt.header
			if auth == "" {
				tok, err := h.srv.Authority().DefectiveToken(app, tt.defect)
				if err != nil {
					t.Fatal(err)
				}
				auth = "Bearer " + tok
			}
			hdr := http.Header{"Content-Type": {"application/json"}}
			if auth != "-" {
				hdr.Set("Authorization", auth)
			}
			r := h.do(http.DefaultClient, http.MethodPost, "/beta/communications/calls", p2pBody(h.callback), hdr)
			if r.status != tt.status || r.errorCode() != tt.code {
				t.Fatalf("got %d %q, want %d %q: %s", r.status, r.errorCode(), tt.status, tt.code, r.body)
			}
			if tt.code == CodeUnknownError && !strings.Contains(string(r.body), "7500") {
				t.Errorf("delegated refusal does not carry 7500: %s", r.body)
			}
		})
	}
}

// TestRoleMatrix: each scenario needs its role (and app-hosted media
// Calls.AccessMedia.All too); an app holding every other role gets 403 7504.
func TestRoleMatrix(t *testing.T) {
	var apps []App
	for i, role := range graph.CallingRoles() {
		roles := slices.DeleteFunc(graph.CallingRoles(), func(r string) bool { return r == role })
		apps = append(apps, App{ClientID: fmt.Sprintf("0000000%d-0000-4000-8000-000000000000", i), ClientSecret: "s",
			TenantID: DefaultTenantID, DisplayName: "without " + role, Roles: roles})
	}
	h := newHarness(t, func(c *Config) { c.Apps = append(c.Apps, apps...) })
	bodies := map[string][]byte{
		"p2p": p2pBody(h.callback), "group": groupBody(h.callback, 3, serviceMedia), "meeting": meetingBody(h.callback, serviceMedia),
		"guest": guestBody(h.callback), "pstn": pstnBody(h.callback, serviceMedia), "app-media": meetingBody(h.callback, appMedia),
	}
	need := map[string][]string{"p2p": {graph.RoleInitiate}, "group": {graph.RoleInitiateGroupCall}, "meeting": {graph.RoleJoinGroupCall},
		"guest": {graph.RoleJoinGroupCallAsGuest}, "pstn": {graph.RoleInitiate}, "app-media": {graph.RoleJoinGroupCall, graph.RoleAccessMedia}}
	for _, app := range apps {
		client := h.clientFor(app)
		for name, body := range bodies {
			missing := slices.ContainsFunc(need[name], func(r string) bool { return !slices.Contains(app.Roles, r) })
			t.Run(app.DisplayName+"/"+name, func(t *testing.T) {
				r := h.do(client, http.MethodPost, "/beta/communications/calls", body, nil)
				switch {
				case missing && (r.status != 403 || r.errorCode() != CodeMissingRole):
					t.Errorf("got %d %q, want 403 7504: %s", r.status, r.errorCode(), r.body)
				case !missing && r.status != 201:
					t.Errorf("got %d, want 201: %s", r.status, r.body)
				}
			})
		}
	}
}

// TestRoutes: unknown paths and methods get Graph-style 404/405 bodies; the
// deprecated /beta/app/calls works and says so; v1.0 has no /app.
func TestRoutes(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/beta/communication/calls", 404, CodeItemNotFound},    // misspelt segment
		{"GET", "/v2.0/communications/calls", 404, CodeItemNotFound},   // unknown version
		{"GET", "/beta/communications/calls", 405, CodeNotAllowed},     // collection: POST only
		{"PATCH", "/beta/communications/calls/x", 405, CodeNotAllowed}, // call: GET, DELETE
		{"GET", "/beta/communications/calls/x/nope", 404, CodeItemNotFound},
		{"GET", "/beta/communications/calls/unknown", 404, CodeCallNotFound},
		{"POST", "/beta/communications/calls/unknown/keepAlive", 404, CodeCallNotFound},
		{"GET", "/beta/communications/calls/unknown/participants", 404, CodeCallNotFound},
		{"DELETE", "/beta/communications/calls/unknown", 404, CodeCallNotFound},
		{"POST", "/v1.0/app/calls", 404, CodeItemNotFound}, // v1.0 has no app singleton
	}
	for _, tt := range tests {
		r := h.do(h.client, tt.method, tt.path, nil, nil)
		if r.status != tt.status || r.errorCode() != tt.code {
			t.Errorf("%s %s: got %d %q, want %d %q: %s", tt.method, tt.path, r.status, r.errorCode(), tt.status, tt.code, r.body)
		}
		if r.header.Get("request-id") == "" {
			t.Errorf("%s %s: no request-id", tt.method, tt.path)
		}
	}
	r := h.do(h.client, "POST", "/beta/app/calls", p2pBody(h.callback), nil)
	if r.status != 201 || r.header.Get("Deprecation") == "" || !strings.Contains(r.header.Get("Location"), "/beta/communications/calls/") {
		t.Errorf("POST /beta/app/calls: %d %v", r.status, r.header)
	}
	if r := h.do(h.client, "POST", "/v1.0/communications/calls", p2pBody(h.callback), nil); r.status != 201 || bytes.Contains(r.body, []byte(`"routingPolicies"`)) {
		t.Errorf("v1.0 create: %d; a v1.0 call shows no beta-only properties: %s", r.status, r.body)
	}
}

func TestSafetyAllowsHost(t *testing.T) {
	s := Safety{AllowedCallbackHosts: []string{"bot.contoso.com", "*.example.net"}}
	for _, tc := range []struct {
		host string
		want bool
	}{
		{"127.0.0.1", true},         // loopback is always allowed
		{"::1", true},               // IPv6 loopback
		{"LOCALHOST", true},         // any casing
		{"bot.contoso.com", true},   // an exact name
		{"a.b.example.net", true},   // a wildcard pattern
		{"example.net", false},      // a pattern needs a subdomain
		{"evil-contoso.com", false}, // not listed
		{"10.0.0.1", false},         // private but not loopback
	} {
		if got := s.AllowsHost(tc.host); got != tc.want {
			t.Errorf("AllowsHost(%q) = %v, want %v", tc.host, got, tc.want)
		}
	}
	if !(Safety{AllowAnyCallbackHost: true}).AllowsHost("10.0.0.1") {
		t.Error("AllowAnyCallbackHost does not allow every host")
	}
}
