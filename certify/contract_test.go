package certify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

// rawCreate is a trigger that plays a bot sending body (with {cb} replaced
// by callback) as it is, with a token from the client-credentials grant.
func rawCreate(body, contentType, callback string) Trigger {
	return TriggerFunc(func(ctx context.Context, env TriggerEnv) ([]byte, error) {
		ts, err := identity.ClientCredentials{TokenURL: env.TokenURL, ClientID: env.ClientID, ClientSecret: env.ClientSecret}.TokenSource(ctx)
		if err != nil {
			return nil, err
		}
		tok, err := ts.Token()
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, env.GraphURL+"/communications/calls", strings.NewReader(strings.ReplaceAll(body, "{cb}", callback)))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return out, nil
	})
}

// Bodies of the table below.
const (
	user1   = `{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","user":{"@odata.type":"#microsoft.graph.identity","displayName":"John","id":"112f7296-5fa4-42ca-bae8-6a692b15d4b8"}}}`
	user2   = `{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","user":{"@odata.type":"#microsoft.graph.identity","displayName":"Ann","id":"98da8a1a-1b87-452c-a713-65d3f10b5555"}}}`
	service = `"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}`
	meeting = `"meetingInfo":{"@odata.type":"#microsoft.graph.organizerMeetingInfo","organizer":{"@odata.type":"#microsoft.graph.identitySet","user":{"@odata.type":"#microsoft.graph.identity","id":"5810cede-f3cc-42eb-b2c1-e9bd5d53ec96","displayName":"Bob"}}}`
	chat    = `"chatInfo":{"@odata.type":"#microsoft.graph.chatInfo","threadId":"19:meeting_x@thread.v2","messageId":"0"}`
	guestID = `"source":{"@odata.type":"#microsoft.graph.participantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","guest":{"@odata.type":"#microsoft.graph.identity","displayName":"Guest","id":"d7a3b999-17ac-4bca-9e77-e6a730d2ec2e"}}}`
	appInst = `"source":{"@odata.type":"#microsoft.graph.participantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","applicationInstance":{"@odata.type":"#microsoft.graph.identity","displayName":"Bot","id":"3d913abb-aec0-4964-8fa6-3c6850c4f278"}}}`
	tenant  = "aa67bd4c-8475-432d-bd41-39f255720e0a" // the default app's
)

func call(members ...string) string {
	return `{"@odata.type":"#microsoft.graph.call","callbackUri":"{cb}","requestedModalities":["audio"],` + strings.Join(members, ",") + `}`
}

func targets(ts ...string) string { return `"targets":[` + strings.Join(ts, ",") + `]` }

func phone(n string) string {
	return `{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","phone":{"@odata.type":"#microsoft.graph.identity","id":"` + n + `"}}}`
}

// want is a verdict a check must have and, unless it passed, the pointer
// its first finding names.
type want struct {
	verdict report.Verdict
	pointer string
}

// TestContractFindings sends crafted create requests and checks the
// verdict of each outbound check concerned, the field it names and that it
// cites the documentation.
func TestContractFindings(t *testing.T) {
	for _, tc := range []struct {
		name        string
		key         Key
		body        string
		contentType string   // default application/json
		roles       []string // default every calling permission
		want        map[string]want
	}{
		// The doc's own group-call example sends direction and tenantId: warnings only (Example 3).
		{"group as documented", KeyGroup, call(targets(user1, user2), service, `"direction":"outgoing"`, `"tenantId":"`+tenant+`"`), "", nil,
			map[string]want{"read-only": {report.Warning, "/direction"}, "identities": {report.Passed, ""}, "scenario": {report.Passed, ""}}},
		{"p2p sending direction", KeyP2P, call(targets(user1), service, `"direction":"outgoing"`), "", nil,
			map[string]want{"read-only": {report.Failed, "/direction"}}},
		{"http callback", KeyP2P, strings.Replace(call(targets(user1), service), "{cb}", "http://127.0.0.1:9/cb", 1), "", nil,
			map[string]want{"callback": {report.Failed, "/callbackUri"}, "accepted": {report.Passed, ""}}},
		{"no mediaConfig", KeyP2P, call(targets(user1)), "", nil,
			map[string]want{"required": {report.Failed, "/mediaConfig"}, "accepted": {report.Passed, ""}}},
		{"app-hosted without blob", KeyP2PApp, call(targets(user1), `"mediaConfig":{"@odata.type":"#microsoft.graph.appHostedMediaConfig"}`), "", nil,
			map[string]want{"required": {report.Warning, "/mediaConfig/blob"}, "scenario": {report.Passed, ""}}},
		{"user id not a GUID", KeyP2P, call(strings.Replace(targets(user1), "112f7296-5fa4-42ca-bae8-6a692b15d4b8", "john", 1), service), "", nil,
			map[string]want{"identities": {report.Failed, "/targets/0/identity/user/id"}}},
		{"phone not E.164", KeyPSTN, call(appInst, targets(phone("12345")), service), "", nil,
			map[string]want{"identities": {report.Failed, "/targets/0/identity/phone/id"}}},
		{"six targets", KeyGroup, call(targets(user1, user2, phone("+12345678901"), phone("+12345678902"), phone("+12345678903"), phone("+12345678904")), service), "", nil,
			map[string]want{"identities": {report.Failed, "/targets"}, "scenario": {report.Failed, ""}}},
		{"the same user twice", KeyGroup, call(targets(user1, user1), service), "", nil,
			map[string]want{"identities": {report.Failed, "/targets/1/identity"}, "accepted": {report.Failed, ""}}},
		{"another tenant", KeyP2P, call(targets(user1), service, `"tenantId":"ffffffff-0000-4000-8000-00000000f0e1"`), "", nil,
			map[string]want{"identities": {report.Failed, "/tenantId"}, "read-only": {report.Failed, "/tenantId"}}},
		{"text/plain", KeyP2P, call(targets(user1), service), "text/plain", nil,
			map[string]want{"headers": {report.Failed, ""}, "accepted": {report.Failed, ""}}},
		{"not JSON", KeyP2P, `{"callbackUri":`, "", nil,
			map[string]want{"schema": {report.Failed, ""}, "scenario": {report.Failed, ""}, "required": {report.Skipped, ""}}},
		{"guest without meetingInfo", KeyGuest, call(guestID, chat, service), "", nil,
			map[string]want{"required": {report.Failed, "/meetingInfo"}}},
		{"join by meeting id, no chatInfo", KeyMeeting, call(`"meetingInfo":{"@odata.type":"#microsoft.graph.joinMeetingIdMeetingInfo","joinMeetingId":"123456789"}`, service), "", nil,
			map[string]want{"required": {report.Passed, ""}}},
		{"target typed participantInfo", KeyP2P, call(targets(strings.Replace(user1, "invitationParticipantInfo", "participantInfo", 1)), service), "", nil,
			map[string]want{"schema": {report.Failed, "/targets/0/@odata.type"}}},
		{"meeting without chatInfo", KeyMeeting, call(meeting, service), "", nil,
			map[string]want{"required": {report.Failed, "/chatInfo"}}},
		// A group call with only the peer-to-peer permission (the page prints the permission's plural, §9.1).
		{"group with p2p permission", KeyGroup, call(targets(user1, user2), service), "", []string{"Calls.Initiate.All"},
			map[string]want{"permissions": {report.Failed, ""}, "accepted": {report.Passed, ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cert := certifyRig(t, []Key{tc.key}, nil, func(c *Config, b *refbot.Config) {
				ct := tc.contentType
				if ct == "" {
					ct = "application/json"
				}
				c.Triggers[tc.key] = rawCreate(tc.body, ct, b.CallbackURL)
				c.App.Roles = tc.roles
				if c.App.Roles == nil {
					c.App.Roles = []string{"Calls.Initiate.All", "Calls.InitiateGroupCall.All", "Calls.JoinGroupCall.All", "Calls.JoinGroupCallAsGuest.All", "Calls.AccessMedia.All"}
				}
			})
			for name, w := range tc.want {
				ch := find(t, cert, fmt.Sprintf("outbound.%s.%s", tc.key, name))
				if ch.Verdict != w.verdict {
					t.Errorf("%s is %s, want %s:\n%s", ch.ID, ch.Verdict, w.verdict, report.EvidenceText(ch.Evidence))
					continue
				}
				if w.verdict == report.Passed || w.verdict == report.Skipped {
					continue
				}
				ev := ch.Evidence[0]
				if ev.Pointer != w.pointer || ev.Source == "" || ev.RequestID == "" {
					t.Errorf("%s: evidence %+v, want pointer %q, a source and a request-id", ch.ID, ev, w.pointer)
				}
			}
		})
	}
}

// TestPermissionsQuoteThePage: the missing permission is quoted as the page
// prints it, with the real name.
func TestPermissionsQuoteThePage(t *testing.T) {
	cert := certifyRig(t, []Key{KeyGroup}, nil, func(c *Config, _ *refbot.Config) { c.App.Roles = []string{"Calls.Initiate.All"} })
	ch := find(t, cert, "outbound.group.permissions")
	if ch.Verdict != report.Failed {
		t.Fatalf("%s %s", ch.ID, ch.Verdict)
	}
	ev := ch.Evidence[0]
	if !strings.Contains(ev.DocQuote, "Calls.InitiateGroupCalls.All") || !strings.Contains(ev.Source, "the real permission is Calls.InitiateGroupCall.All") ||
		!strings.Contains(ev.Message, "lacks Calls.InitiateGroupCall.All") {
		t.Errorf("evidence %+v", ev)
	}
}
