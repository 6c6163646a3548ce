package graph

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("left side is not JSON: %v\n%s", err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("right side is not JSON: %v\n%s", err, b)
	}
	return reflect.DeepEqual(va, vb)
}

// Bodies shaped like the documentation's (create-call-doc.txt), made valid
// JSON, plus undeclared members at every level to prove they round-trip.
const meetingJoinRequest = `{
  "@odata.type": "#microsoft.graph.call",
  "callbackUri": "https://bot.contoso.com/callback",
  "requestedModalities": ["audio"],
  "mediaConfig": {
    "@odata.type": "#microsoft.graph.serviceHostedMediaConfig",
    "preFetchMedia": [{"uri": "https://cdn.contoso.com/beep.wav", "resourceId": "f8971b04-b53e-418c-9222-c82ce681a582", "x-extra": 1}],
    "liveCaptionOptions": {"streamUrl": "https://example.test"}
  },
  "chatInfo": {"@odata.type": "#microsoft.graph.chatInfo", "threadId": "19:meeting_x@thread.v2", "messageId": "0"},
  "meetingInfo": {
    "@odata.type": "#microsoft.graph.organizerMeetingInfo",
    "organizer": {"@odata.type": "#microsoft.graph.identitySet",
      "user": {"@odata.type": "#microsoft.graph.identity", "id": "5810cede-f3cc-42eb-b2c1-e9bd5d53ec96", "tenantId": "aa67bd4c-8475-432d-bd41-39f255720e0a", "displayName": "Bob", "vendorProp": [true, null]}},
    "allowConversationWithoutHost": true
  },
  "tenantId": "aa67bd4c-8475-432d-bd41-39f255720e0a",
  "callOptions": {"@odata.type": "#microsoft.graph.outgoingCallOptions", "isContentSharingNotificationEnabled": true},
  "someFutureProperty": {"nested": ["a", 1, {"b": null}]}
}`

const rosterNotification = `{
  "@odata.type": "#microsoft.graph.commsNotifications",
  "value": [{
    "@odata.type": "#microsoft.graph.commsNotification",
    "changeType": "Updated",
    "resourceUrl": "/communications/calls/2f1a1100-b174-40a0-aba7-0b405e01ed92/participants",
    "callbackUri": "https://bot.contoso.com/callback",
    "sequence": 7,
    "resourceData": [{
      "@odata.type": "#microsoft.graph.participant",
      "info": {"@odata.type": "#microsoft.graph.participantInfo",
        "identity": {"@odata.type": "#microsoft.graph.identitySet", "guest": {"@odata.type": "#microsoft.graph.identity", "displayName": "Guest User", "id": "d7a3b999-17ac-4bca-9e77-e6a730d2ec2e"}}},
      "mediaStreams": [{"@odata.type": "#microsoft.graph.mediaStream", "mediaType": "Audio", "sourceId": "10", "direction": "sendReceive", "serverMuted": false}],
      "isMuted": false,
      "isInLobby": true,
      "id": "05491616-385f-44a8-9974-18cc5f9933c1"
    }]
  }]
}`

func TestRoundTripKeepsUndeclaredProperties(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		into any
		norm *strings.Replacer // enum members normalised on decode
	}{
		{"meeting join request with vendor and future members", meetingJoinRequest, &Call{}, strings.NewReplacer()},
		// resourceData is kept verbatim, so only the envelope's changeType is normalised.
		{"guest roster notification with an undeclared sequence member", rosterNotification, &CommsNotifications{}, strings.NewReplacer(`"Updated"`, `"updated"`)},
		{"error body with extra innerError members", `{"error":{"code":"TooManyRequests","message":"Please retry again later.","innerError":{"code":"429","date":"2020-08-18T12:51:51","message":"Please retry after","request-id":"94fb3b52","status":"429"}}}`, &ErrorResponse{}, strings.NewReplacer()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := json.Unmarshal([]byte(tc.body), tc.into); err != nil {
				t.Fatalf("decode: %v", err)
			}
			out, err := json.Marshal(tc.into)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			want := tc.norm.Replace(tc.body)
			if !jsonEqual(t, out, []byte(want)) {
				t.Errorf("round trip changed the body\n got: %s\nwant: %s", out, want)
			}
		})
	}
}

func TestDecodedFields(t *testing.T) {
	var c Call
	if err := json.Unmarshal([]byte(meetingJoinRequest), &c); err != nil {
		t.Fatal(err)
	}
	if got := c.MediaConfig.Kind(); got != MediaServiceHosted {
		t.Errorf("media kind = %q, want service-hosted", got)
	}
	if got := c.MeetingInfo.Kind(); got != MeetingOrganizer {
		t.Errorf("meeting kind = %q, want organizer", got)
	}
	if u := c.MeetingInfo.Organizer.User; u == nil || u.TenantID != "aa67bd4c-8475-432d-bd41-39f255720e0a" {
		t.Errorf("organizer user = %+v", u)
	}
	if _, ok := c.Extra["someFutureProperty"]; !ok {
		t.Errorf("someFutureProperty not kept in Extra: %v", c.Extra)
	}
	if _, ok := c.Extra["callOptions"]; ok {
		t.Errorf("declared callOptions leaked into Extra")
	}
	if len(c.RequestedModalities) != 1 || c.RequestedModalities[0] != ModalityAudio {
		t.Errorf("requestedModalities = %v", c.RequestedModalities)
	}
}

func TestEnumsDecodeInAnyCasing(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want CallState
	}{
		{`"establishing"`, CallStateEstablishing}, // documented spelling
		{`"Establishing"`, CallStateEstablishing}, // PascalCase seen in field traffic (facts §2)
		{`"TRANSFERACCEPTED"`, CallStateTransferAccepted},
		{`"someNewState"`, CallState("someNewState")}, // unknown members are kept as sent
	} {
		var s CallState
		if err := json.Unmarshal([]byte(tc.in), &s); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if s != tc.want {
			t.Errorf("%s decoded as %q, want %q", tc.in, s, tc.want)
		}
	}
	var ct ChangeType
	if err := json.Unmarshal([]byte(`"Created"`), &ct); err != nil || ct != ChangeCreated {
		t.Errorf("changeType Created = %q, %v", ct, err)
	}
	if err := json.Unmarshal([]byte(`5`), &ct); err == nil {
		t.Errorf("a number decoded as a changeType")
	}
}

func TestNotificationAccessors(t *testing.T) {
	var batch CommsNotifications
	if err := json.Unmarshal([]byte(rosterNotification), &batch); err != nil {
		t.Fatal(err)
	}
	n := batch.Value[0]
	if n.CallID() != "2f1a1100-b174-40a0-aba7-0b405e01ed92" || !n.IsRoster() || !n.ResourceDataIsArray() {
		t.Fatalf("callID=%q roster=%v array=%v", n.CallID(), n.IsRoster(), n.ResourceDataIsArray())
	}
	ps, err := n.Participants()
	if err != nil || len(ps) != 1 {
		t.Fatalf("participants: %v, %v", ps, err)
	}
	if !ps[0].InLobby() || ps[0].Info.Identity.Guest.DisplayName != "Guest User" {
		t.Errorf("participant = %+v", ps[0])
	}
	if _, err := n.Call(); err == nil {
		t.Errorf("a roster decoded as one call")
	}
	var empty CommsNotification
	if _, err := empty.Call(); err != ErrNoResourceData {
		t.Errorf("Call() on no resourceData = %v", err)
	}

	state := CommsNotification{ResourceURL: "/communications/calls/abc", ResourceData: json.RawMessage(`{"@odata.type":"#microsoft.graph.call","state":"Established","id":"abc"}`)}
	c, err := state.Call()
	if err != nil || c.State != CallStateEstablished || c.ID != "abc" {
		t.Errorf("call = %+v, %v", c, err)
	}
}

func TestParseResourceURL(t *testing.T) {
	for _, tc := range []struct {
		in       string
		id, sub  string
		ok       bool
		wantPref string
	}{
		{"/communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab", "2e1a0b00-2db4-4022-9570-243709c565ab", "", true, "/communications/calls"}, // call state (Example 1)
		{"/communications/calls/2f1a/participants", "2f1a", "participants", true, "/communications/calls"},                                        // roster (Example 5)
		{"/app/calls/0b00/operations/x", "0b00", "operations/x", true, "/app/calls"},                                                              // legacy resource (facts §2)
		{"https://graph.microsoft.com/beta/communications/calls/id1", "id1", "", true, "/communications/calls"},                                   // a Location header
		{"/communications/calls/", "", "", false, ""},                                                                                             // no id
		{"/users/abc", "", "", false, ""},   // not a call
		{"https://host", "", "", false, ""}, // host only
	} {
		r, ok := ParseResourceURL(tc.in)
		if ok != tc.ok || r.CallID != tc.id || r.Sub != tc.sub || r.Prefix != tc.wantPref {
			t.Errorf("ParseResourceURL(%q) = %+v, %v", tc.in, r, ok)
		}
	}
}

func TestFlexInt(t *testing.T) {
	var r ResultInfo
	// The documentation sends codes as strings (facts §9.4), the service as numbers.
	if err := json.Unmarshal([]byte(`{"code":"200","subcode":5001,"message":"The conversation has ended."}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.Code.Value != 200 || !r.Code.WasString || r.Subcode.Value != 5001 || r.Subcode.WasString {
		t.Errorf("resultInfo = %+v subcode %+v", r, r.Subcode)
	}
	out, _ := json.Marshal(r)
	if !jsonEqual(t, out, []byte(`{"code":200,"subcode":5001,"message":"The conversation has ended."}`)) {
		t.Errorf("encoded %s", out)
	}
	if err := json.Unmarshal([]byte(`{"code":"2x"}`), &r); err == nil {
		t.Errorf("a non-numeric code decoded")
	}
}

func TestMarshalFull(t *testing.T) {
	c := &Call{ODataType: TypeCall, ID: "id1", State: CallStateEstablishing, Direction: DirectionOutgoing,
		CallbackURI: "https://bot/cb", Extra: Extra{"zeta": json.RawMessage(`1`)}}
	beta, err := MarshalFull(c, true)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(beta, &m); err != nil {
		t.Fatal(err)
	}
	for _, p := range CallProperties(true) {
		if _, ok := m[p]; !ok {
			t.Errorf("beta full call lacks %q", p)
		}
	}
	if string(m["targets"]) != "[]" || string(m["subject"]) != "null" || string(m["zeta"]) != "1" {
		t.Errorf("targets=%s subject=%s zeta=%s", m["targets"], m["subject"], m["zeta"])
	}
	if !strings.HasPrefix(string(beta), `{"@odata.type":"#microsoft.graph.call","state":"establishing","direction":"outgoing"`) {
		t.Errorf("not in documented order: %.80s", beta)
	}
	v1, _ := MarshalFull(c, false)
	if strings.Contains(string(v1), "routingPolicies") || strings.Contains(string(v1), "activeModalities") {
		t.Errorf("v1.0 full call shows beta-only properties: %s", v1)
	}
}

func TestErrors(t *testing.T) {
	e := NewError("8522", "Call not found.", "req-1", "client-1", time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)))
	b, _ := json.Marshal(e)
	if !jsonEqual(t, b, []byte(`{"error":{"code":"8522","message":"Call not found.","innerError":{"date":"2026-01-02T02:04:05","request-id":"req-1","client-request-id":"client-1"}}}`)) {
		t.Errorf("error body = %s", b)
	}
	if _, err := ParseError(b); err != nil {
		t.Errorf("ParseError(own body) = %v", err)
	}
	for _, bad := range []string{`not json`, `{}`, `{"error":{"message":"x"}}`, `[]`} {
		if _, err := ParseError([]byte(bad)); err == nil {
			t.Errorf("ParseError(%s) accepted", bad)
		}
	}
}

func TestGUIDs(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		g := NewGUID()
		if !IsGUID(g) || seen[g] || g[14] != '4' {
			t.Fatalf("NewGUID() = %q", g)
		}
		seen[g] = true
	}
	for n := 1; n <= 4; n++ {
		ids := make([]string, n)
		NewGUIDs(ids)
		for _, g := range ids {
			if !IsGUID(g) || seen[g] || g[14] != '4' || !strings.ContainsAny(g[19:20], "89ab") {
				t.Fatalf("NewGUIDs(%d) = %q", n, ids)
			}
			seen[g] = true
		}
	}
	for _, bad := range []string{"86dc81db-c112-4228-9222-63f3esaa1edb", "", "2e1a0b00", "{2e1a0b00-2db4-4022-9570-243709c565ab}"} {
		if IsGUID(bad) {
			t.Errorf("IsGUID(%q) = true", bad)
		}
	}
}

func TestExtraMustBeJSON(t *testing.T) {
	_, err := json.Marshal(Identity{ID: "x", Extra: Extra{"bad": json.RawMessage(`{`)}})
	if err == nil {
		t.Fatal("invalid extra JSON encoded without error")
	}
}

// All yields exactly Members, in member-name order.
func TestIdentitySetAllIsMembersInOrder(t *testing.T) {
	s := &IdentitySet{User: &Identity{ID: "u"}, Application: &Identity{ID: "a"}, Phone: &Identity{ID: "p"},
		ApplicationInstance: &Identity{ID: "ai"}, Guest: &Identity{ID: "g"}, AzureCommunicationServicesUser: &Identity{ID: "acs"},
		AssertedIdentity: &Identity{ID: "as"}, Device: &Identity{ID: "d"}, Encrypted: &Identity{ID: "e"}, OnPremises: &Identity{ID: "o"}}
	members := s.Members()
	var names []string
	for name, id := range s.All() {
		if members[name] != id {
			t.Errorf("All yields %s=%v, Members holds %v", name, id, members[name])
		}
		names = append(names, name)
	}
	if len(names) != len(members) || len(members) != 10 || !sort.StringsAreSorted(names) {
		t.Errorf("All yields %v; Members holds %d", names, len(members))
	}
	for range (*IdentitySet)(nil).All() {
		t.Errorf("a nil set yields members")
	}
}
