package schema_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph/schema"
)

// Bodies shaped like the documentation's (create-call-doc.txt), valid as the schema says.
const (
	// createP2P is Example 1's request.
	createP2P = `{"@odata.type":"#microsoft.graph.call","callbackUri":"https://bot.contoso.com/callback",
		"targets":[{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet",
		"user":{"@odata.type":"#microsoft.graph.identity","displayName":"John","id":"112f7296-5fa4-42ca-bae8-6a692b15d4b8"}}}],
		"requestedModalities":["audio"],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}`
	// establishing is Example 1's first notification.
	establishing = `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification",
		"changeType":"updated","resourceUrl":"/communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab","callbackUri":"https://bot.contoso.com/callback",
		"resourceData":{"@odata.type":"#microsoft.graph.call","state":"establishing","id":"2e1a0b00-2db4-4022-9570-243709c565ab"}}]}`
	// lobbyRoster is Example 8's roster notification: resourceData is an array of participants.
	lobbyRoster = `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification",
		"changeType":"updated","resourceUrl":"/communications/calls/2f1a1100-726f-4705-a071-30fb8f6b568f/participants",
		"resourceData":[{"@odata.type":"#microsoft.graph.participant","info":{"@odata.type":"#microsoft.graph.participantInfo",
		"identity":{"@odata.type":"#microsoft.graph.identitySet","guest":{"@odata.type":"#microsoft.graph.identity","displayName":"Guest User","id":"d7a3b999-17ac-4bca-9e77-e6a730d2ec2e"}}},
		"mediaStreams":[{"@odata.type":"#microsoft.graph.mediaStream","mediaType":"audio","sourceId":"10","direction":"sendReceive","serverMuted":false}],
		"isMuted":false,"isInLobby":true,"id":"05491616-385f-44a8-9974-18cc5f9933c1"}]}]}`
	// tenantMismatch is a real 403 body (graph-calls-facts.md §4.2).
	tenantMismatch = `{"error":{"code":"7505","message":"Request authorization tenant mismatch.","innerError":{"request-id":"2fb8ba4c-e3b9-4a3a-8e3b-2d3c0d3f1e3a","date":"2020-02-13T17:30:24"}}}`
)

// row is one validation case: a body validated as typeName, and the violations expected, as pointer, kind
// and a fragment of the message.
type row struct {
	name     string
	version  schema.Version
	typeName string
	body     string
	request  bool // ValidateRequest instead of Validate
	opts     []schema.Option
	want     []want
}

type want struct {
	pointer string
	kind    schema.ViolationKind
	message string
}

func TestValidate(t *testing.T) {
	rows := []row{
		// Conforming bodies.
		{name: "Example 1 request", typeName: schema.TypeCall, body: createP2P},
		{name: "Example 1 establishing notification", typeName: schema.TypeCommsNotifications, body: establishing},
		{name: "Example 8 lobby roster", typeName: schema.TypeCommsNotifications, body: lobbyRoster},
		{name: "field error body", typeName: schema.TypeODataError, body: tenantMismatch},
		// 201 responses send null for unset complex and enum properties (nullable-refs fix).
		{name: "nulls in a 201", typeName: schema.TypeCall, body: `{"state":"establishing","resultInfo":null,"chatInfo":null,"meetingInfo":null,
			"source":{"identity":{"application":{"id":"a"}},"endpointType":null,"countryCode":null},"callRoutes":[],"subject":null}`},
		// Join by meeting id, passcode null (graph-calls-facts.md §3.4).
		{name: "joinMeetingIdMeetingInfo", typeName: schema.TypeCall, body: `{"callbackUri":"https://b/c","mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"},
			"meetingInfo":{"@odata.type":"#microsoft.graph.joinMeetingIdMeetingInfo","joinMeetingId":"1234567","passcode":null}}`},
		// PSTN identities inside an identitySet (communications-identity fix; Examples 9, 10).
		{name: "applicationInstance and phone", typeName: schema.TypeCall, body: `{"source":{"identity":{"applicationInstance":{"id":"3d91","displayName":"Bot"}}},
			"targets":[{"identity":{"phone":{"id":"+12345678901"}}}]}`},
		// Open types: unknown members and annotations anywhere, of any JSON type.
		{name: "unknown members and annotations", typeName: schema.TypeCall, body: `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#app/calls/$entity",
			"@odata.etag":"W/\"1\"","x":5,"callbackUri@odata.type":"#String","chatInfo":{"extra":[1,2],"threadId":"19:x"},"targets":[{"identity":{"user":{"id":"u","tenantId":"t"}},"region":null}]}`},
		// A flags enum admits a combination of members (flags-enums fix).
		{name: "flags enum combination", typeName: schema.TypeParticipant, body: `{"restrictedExperience":{"videoDisabled":"watermarkProtection,unknownFutureValue"}}`},
		// callOptions gains isDeltaRosterEnabled from the CSDL (csdl-members fix).
		{name: "outgoingCallOptions", typeName: schema.TypeCall, body: `{"callOptions":{"@odata.type":"#microsoft.graph.outgoingCallOptions","isDeltaRosterEnabled":true}}`},
		// Field traffic's casing passes when the Validator ignores case (graph-calls-facts.md §2).
		{name: "PascalCase with CaseInsensitiveEnums", typeName: schema.TypeCommsNotification, opts: []schema.Option{schema.CaseInsensitiveEnums()},
			body: `{"changeType":"Updated","resourceUrl":"/communications/calls/x","resourceData":{"@odata.type":"#microsoft.graph.call","state":"Establishing"}}`},
		// ringing is a beta callState.
		{name: "ringing in beta", typeName: schema.TypeCall, body: `{"state":"ringing"}`},

		// invalid-json.
		{name: "trailing comma", typeName: schema.TypeCall, body: "{\n\"subject\": \"x\",\n}",
			want: []want{{"", schema.KindInvalidJSON, "line 3, column 1"}}},
		{name: "two values", typeName: schema.TypeCall, body: `{} {}`, want: []want{{"", schema.KindInvalidJSON, "data after the JSON value"}}},
		{name: "empty body", typeName: schema.TypeCall, body: ``, want: []want{{"", schema.KindInvalidJSON, "ends before"}}},
		{name: "truncated body", typeName: schema.TypeCall, body: `{"subject":`, want: []want{{"", schema.KindInvalidJSON, "ends before"}}},

		// The type asked for, and the body's shape.
		{name: "unknown type name", typeName: "microsoft.graph.nope", body: `{}`, want: []want{{"", schema.KindUnknownType, `"microsoft.graph.nope"`}}},
		{name: "enum type name", typeName: "microsoft.graph.callState", body: `{}`, want: []want{{"", schema.KindUnknownType, "no structured type"}}},
		{name: "body is an array", typeName: schema.TypeCall, body: `[]`, want: []want{{"", schema.KindSchema, "must be a JSON object"}}},
		{name: "top-level @odata.type of another type", typeName: schema.TypeCall, body: establishing,
			want: []want{{"/@odata.type", schema.KindTypeMismatch, "does not derive from microsoft.graph.call"}}},

		// Primitive values.
		{name: "callbackUri a number", typeName: schema.TypeCall, body: `{"callbackUri":42}`,
			want: []want{{"/callbackUri", schema.KindSchema, `"callbackUri" of microsoft.graph.call must be string, got number 42`}}},
		{name: "callbackUri null (Nullable=false)", typeName: schema.TypeCall, body: `{"callbackUri":null}`,
			want: []want{{"/callbackUri", schema.KindSchema, "must be string, got null"}}},
		// Doc notifications send resultInfo codes as strings (graph-calls-facts.md §9.4).
		{name: "resultInfo code a string", typeName: schema.TypeCommsNotifications,
			body: `{"value":[{"changeType":"deleted","resourceUrl":"/communications/calls/1","resourceData":{"@odata.type":"#microsoft.graph.call","state":"terminated","resultInfo":{"@odata.type":"#microsoft.graph.resultInfo","code":"200","subcode":5001}}}]}`,
			want: []want{{"/value/0/resourceData/resultInfo/code", schema.KindSchema, `must be integer (int32), got string "200"`}}},
		{name: "int32 out of range", typeName: schema.TypeCall, body: `{"resultInfo":{"code":3000000000,"subcode":0}}`,
			want: []want{{"/resultInfo/code", schema.KindSchema, "number 3000000000"}}},
		{name: "integer with a fraction", typeName: schema.TypeCall, body: `{"ringingTimeoutInSeconds":1.5}`,
			want: []want{{"/ringingTimeoutInSeconds", schema.KindSchema, "must be integer (int32) or null"}}},

		// Enums.
		{name: "modality not a member", typeName: schema.TypeCall, body: `{"requestedModalities":["audio","smell"]}`,
			want: []want{{"/requestedModalities/1", schema.KindSchema, `member of microsoft.graph.modality [unknown, audio, video`}}},
		{name: "PascalCase state, strict", typeName: schema.TypeCall, body: `{"state":"Establishing"}`,
			want: []want{{"/state", schema.KindSchema, `matches the microsoft.graph.callState member "establishing" only when case is ignored`}}},
		// The CSDL spells operationStatus in PascalCase; the doc's notification says "completed" (§9.18).
		{name: "operation status lowercase", typeName: schema.TypeCommsNotification,
			body: `{"changeType":"deleted","resourceUrl":"/communications/calls/1/operations/2","resourceData":{"@odata.type":"#microsoft.graph.inviteParticipantsOperation","status":"completed"}}`,
			want: []want{{"/resourceData/status", schema.KindSchema, `member "Completed" only when case is ignored`}}},
		{name: "ringing in v1.0", version: schema.V1, typeName: schema.TypeCall, body: `{"state":"ringing"}`,
			want: []want{{"/state", schema.KindSchema, "member of microsoft.graph.callState"}}},
		{name: "flags enum bad member", typeName: schema.TypeParticipant, body: `{"restrictedExperience":{"videoDisabled":"watermarkProtection,nope"}}`,
			want: []want{{"/restrictedExperience/videoDisabled", schema.KindSchema, "comma-separated combination"}}},

		// Structured values, validated as the concrete type @odata.type names.
		{name: "chatInfo a string", typeName: schema.TypeCall, body: `{"chatInfo":"19:x"}`,
			want: []want{{"/chatInfo", schema.KindSchema, "must be object microsoft.graph.chatInfo or null"}}},
		{name: "targets not an array", typeName: schema.TypeCall, body: `{"targets":{}}`,
			want: []want{{"/targets", schema.KindSchema, "must be array of object microsoft.graph.invitationParticipantInfo"}}},
		{name: "target not an object", typeName: schema.TypeCall, body: `{"targets":[{},7]}`,
			want: []want{{"/targets/1", schema.KindSchema, `"targets/1" of microsoft.graph.call must be object microsoft.graph.invitationParticipantInfo or null, got number 7`}}},
		// preFetchMedia exists only on serviceHostedMediaConfig: reached through the concrete type.
		{name: "mediaInfo uri null", typeName: schema.TypeCall, body: `{"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig","preFetchMedia":[{"uri":"https://a/b.wav"},{"uri":null}]}}`,
			want: []want{{"/mediaConfig/preFetchMedia/1/uri", schema.KindSchema, `"uri" of microsoft.graph.mediaInfo must be string, got null`}}},
		{name: "organizer a string", typeName: schema.TypeCall, body: `{"meetingInfo":{"@odata.type":"#microsoft.graph.organizerMeetingInfo","organizer":"Bob"}}`,
			want: []want{{"/meetingInfo/organizer", schema.KindSchema, "must be object microsoft.graph.identitySet"}}},
		{name: "guest identity malformed", typeName: schema.TypeCall, body: `{"source":{"identity":{"guest":{"id":7}}}}`,
			want: []want{{"/source/identity/guest/id", schema.KindSchema, `"id" of microsoft.graph.identity must be string or null`}}},
		{name: "abstract mediaConfig without @odata.type", typeName: schema.TypeCall, body: `{"mediaConfig":{}}`,
			want: []want{{"/mediaConfig", schema.KindSchema, "microsoft.graph.mediaConfig is abstract: the object needs an @odata.type naming one of microsoft.graph.appHostedMediaConfig, microsoft.graph.serviceHostedMediaConfig"}}},
		{name: "@odata.type names the abstract type", typeName: schema.TypeCall, body: `{"mediaConfig":{"@odata.type":"#microsoft.graph.mediaConfig"}}`,
			want: []want{{"/mediaConfig/@odata.type", schema.KindSchema, "names an abstract type"}}},

		// unknown-type and type-mismatch.
		{name: "unknown @odata.type", typeName: schema.TypeCall, body: `{"mediaConfig":{"@odata.type":"#microsoft.graph.cloudHostedMediaConfig"}}`,
			want: []want{{"/mediaConfig/@odata.type", schema.KindUnknownType, "validated as the declared microsoft.graph.mediaConfig"}}},
		// Examples 3 and 4: a target typed participantInfo (§9.18).
		{name: "target typed participantInfo", typeName: schema.TypeCall, body: `{"targets":[{"identity":{}},{"@odata.type":"#microsoft.graph.participantInfo","identity":{}}]}`,
			want: []want{{"/targets/1/@odata.type", schema.KindTypeMismatch, "microsoft.graph.participantInfo does not derive from microsoft.graph.invitationParticipantInfo"}}},
		{name: "media config in meetingInfo", typeName: schema.TypeCall, body: `{"meetingInfo":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}`,
			want: []want{{"/meetingInfo/@odata.type", schema.KindTypeMismatch, "expected one of microsoft.graph.joinMeetingIdMeetingInfo, microsoft.graph.organizerMeetingInfo, microsoft.graph.tokenMeetingInfo"}}},
		// A mismatched object is still validated, as its declared type.
		{name: "mismatch still validated", typeName: schema.TypeCall, body: `{"chatInfo":{"@odata.type":"#microsoft.graph.identity","threadId":5}}`,
			want: []want{{"/chatInfo/@odata.type", schema.KindTypeMismatch, "declared as microsoft.graph.chatInfo"}, {"/chatInfo/threadId", schema.KindSchema, "must be string or null"}}},
		{name: "@odata.type not a string", typeName: schema.TypeCall, body: `{"chatInfo":{"@odata.type":5}}`,
			want: []want{{"/chatInfo/@odata.type", schema.KindSchema, "must be a string"}}},
		{name: "@odata.type without #", typeName: schema.TypeCall, body: `{"chatInfo":{"@odata.type":"microsoft.graph.chatInfo"}}`,
			want: []want{{"/chatInfo/@odata.type", schema.KindSchema, "must start with '#'"}}},

		// Undeclared members: typed objects inside are validated as their named type.
		{name: "roster participant malformed", typeName: schema.TypeCommsNotifications,
			body: strings.Replace(lobbyRoster, `"isMuted":false`, `"isMuted":"no"`, 1),
			want: []want{{"/value/0/resourceData/0/isMuted", schema.KindSchema, `"isMuted" of microsoft.graph.participant must be boolean, got string "no"`}}},
		{name: "resourceData of an unknown type", typeName: schema.TypeCommsNotification,
			body: `{"changeType":"updated","resourceUrl":"/x","resourceData":{"@odata.type":"#microsoft.graph.callRecord"}}`,
			want: []want{{"/resourceData/@odata.type", schema.KindUnknownType, `"#microsoft.graph.callRecord" names no structured type`}}},
		// RFC 6901 escaping of '/' and '~' in member names.
		{name: "pointer escaping", typeName: schema.TypeCall, body: `{"a/b~c":{"@odata.type":"#microsoft.graph.chatInfo","threadId":5}}`,
			want: []want{{"/a~1b~0c/threadId", schema.KindSchema, "threadId"}}},
		{name: "changeType missing is fine, wrong is not", typeName: schema.TypeCommsNotification, body: `{"changeType":"moved"}`,
			want: []want{{"/changeType", schema.KindSchema, "[created, updated, deleted, unknownFutureValue]"}}},
		{name: "error body without message", typeName: schema.TypeODataError, body: `{"error":{"code":"7505","innerError":{"request-id":5}}}`,
			want: []want{{"/error/innerError/request-id", schema.KindSchema, "must be string"}, {"/error/message", schema.KindSchema, "is required"}}},
		{name: "several violations, sorted", typeName: schema.TypeCall, body: `{"subject":1,"callbackUri":2}`,
			want: []want{{"/callbackUri", schema.KindSchema, "callbackUri"}, {"/subject", schema.KindSchema, "subject"}}},

		// ValidateRequest: read-only properties a request sets (graph-calls-facts.md §1.2, §9.3).
		{name: "request with tenantId and direction", typeName: schema.TypeCall, request: true, body: `{"tenantId":"t","direction":"outgoing","subject":null,"state":null}`,
			want: []want{{"/direction", schema.KindReadOnly, "graph-calls-facts.md §1.2"}, {"/tenantId", schema.KindReadOnly, `"tenantId" of microsoft.graph.call is read-only`}}},
		{name: "request conforming", typeName: schema.TypeCall, request: true, body: createP2P},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) { r.check(t) })
	}
}

func (r row) check(t *testing.T) {
	version := r.version
	if version == "" {
		version = schema.Beta
	}
	v := mustLoad(t, version).With(r.opts...)
	var got []schema.Violation
	if r.request {
		got = v.ValidateRequest(r.typeName, []byte(r.body))
	} else {
		got = v.Validate(r.typeName, []byte(r.body))
	}
	if len(got) != len(r.want) {
		t.Fatalf("got %d violations, want %d:\n%s", len(got), len(r.want), lines(got))
	}
	for i, w := range r.want {
		g := got[i]
		if g.Pointer != w.pointer || g.Kind != w.kind || !strings.Contains(g.Message, w.message) {
			t.Errorf("violation %d = %v, want pointer %q, kind %s, message containing %q", i, g, w.pointer, w.kind, w.message)
		}
	}
}

func lines(vs []schema.Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("  " + v.String() + "\n")
	}
	return b.String()
}

// TestValidateValue checks that decoded values validate as their bodies do, with and without UseNumber.
func TestValidateValue(t *testing.T) {
	v := mustLoad(t, schema.Beta)
	body := []byte(`{"resultInfo":{"code":200,"subcode":"5001"},"requestedModalities":["audio"]}`)
	want := v.Validate(schema.TypeCall, body)
	if len(want) != 1 || want[0].Pointer != "/resultInfo/subcode" {
		t.Fatalf("Validate = %v, want one violation at /resultInfo/subcode", want)
	}
	for _, useNumber := range []bool{false, true} {
		dec := json.NewDecoder(bytes.NewReader(body))
		if useNumber {
			dec.UseNumber()
		}
		var value any
		if err := dec.Decode(&value); err != nil {
			t.Fatal(err)
		}
		got := v.ValidateValue(schema.TypeCall, value)
		if len(got) != 1 || got[0] != want[0] {
			t.Errorf("UseNumber=%v: ValidateValue = %v, want %v", useNumber, got, want)
		}
	}
}

// TestValidateValueGoTypes checks that values encoding/json never produces are reported, not panicked on.
func TestValidateValueGoTypes(t *testing.T) {
	v := mustLoad(t, schema.Beta)
	for _, tc := range []struct {
		name  string
		value any
	}{
		{"nil", nil}, // no body
		{"map of strings", map[string]string{"subject": "x"}},         // not map[string]any
		{"channel member", map[string]any{"subject": make(chan int)}}, // not a JSON value
	} {
		got := v.ValidateValue(schema.TypeCall, tc.value)
		if len(got) != 1 || got[0].Kind != schema.KindSchema {
			t.Errorf("%s: got %v, want one schema violation", tc.name, got)
		}
	}
}
