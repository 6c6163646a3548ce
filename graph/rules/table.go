// Package rules is the rulebook of the Create call request
// (POST /communications/calls): what makes a request valid, which Graph
// status and error code a violation gets, and where each rule comes from.
//
// It is pure: a decoded request in, findings out. The emulator answers
// with it, certify-bot judges a bot's requests with it, and the negative
// contracts of the suites are generated from its table, so a rule written
// here gets its emulator answer, its certify check and its negative
// contract together.
package rules

import (
	"strconv"

	"github.com/callcheck/callcheck/graph"
)

// ID is a rule's stable name, as findings, the emulator's verdict records
// and the agreement test carry it.
type ID string

// The rules of the request line, headers and body as a whole.
const (
	ContentType ID = "content-type"
	// ContentEncoding: the body's Content-Encoding is one the service decodes.
	ContentEncoding ID = "content-encoding"
	BodySize        ID = "body-size"
	BodyRead        ID = "body-read"
	JSONNesting     ID = "json-nesting"
	JSON            ID = "json"
	// DuplicateMember: no object of the body names a member twice.
	DuplicateMember ID = "json-duplicate-member"
	Schema          ID = "schema"
	ReadOnly        ID = "read-only"
)

// The rules of the call's members.
const (
	CallbackRequired  ID = "callbackUri-required"
	CallbackURL       ID = "callbackUri-url"
	CallbackHTTPS     ID = "callbackUri-https"
	CallbackHost      ID = "callbackUri-host"
	MediaRequired     ID = "mediaConfig-required"
	MediaType         ID = "mediaConfig-type"
	MediaBlob         ID = "mediaConfig-blob"
	TargetsRequired   ID = "targets-required"
	TargetsMax        ID = "targets-max"
	TargetIdentity    ID = "targets-identity"
	TargetDuplicate   ID = "targets-duplicate"
	TargetsPeerToPeer ID = "targets-peer-to-peer"
	TargetsGroup      ID = "targets-group"
	PSTNSource        ID = "pstn-source"
	PSTNTarget        ID = "pstn-target"
	GuestSource       ID = "guest-source"
	MeetingInfo       ID = "meeting-info"
	ChatInfo          ID = "chat-info"
	// MeetingTenant: a scheduled meeting's join names the tenant (403 7505
	// in the field when it does not).
	MeetingTenant   ID = "meeting-tenant"
	RingingTimeout  ID = "ringingTimeoutInSeconds"
	RoutingPolicies ID = "routingPolicies"
	Modalities      ID = "requestedModalities"
	IdentityID      ID = "identity-id"
	IdentityGUID    ID = "identity-guid"
	IdentityPhone   ID = "identity-phone"
	IdentityTenant  ID = "identity-tenant"
)

// The rules of the caller: the token's app, tenant and roles.
const (
	SourceApplication ID = "source-application"
	Tenant            ID = "tenant"
	Roles             ID = "roles"
)

// Severity is how bad a finding is: an error refuses the request, a
// warning is advice.
type Severity string

// The severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Scope says who applies a rule.
type Scope string

// The scopes.
const (
	// ScopeService: Graph refuses the request; the emulator answers with the
	// rule and certify-bot judges by it.
	ScopeService Scope = "service"
	// ScopeBot: certify-bot judges a bot's requests by the rule, but the
	// service's answer is not documented, so the emulator does not refuse
	// (it would refuse requests the page's own examples make, or need the
	// scenario the bot was asked for, which a service cannot know).
	ScopeBot Scope = "bot"
)

// The HTTP statuses the rules refuse with (the rulebook speaks no HTTP; these
// are the numbers of RFC 9110).
const (
	StatusBadRequest            = 400
	StatusForbidden             = 403
	StatusRequestEntityTooLarge = 413
	StatusUnsupportedMediaType  = 415
	StatusInternalServerError   = 500
)

// Graph error codes the rules map onto (graph-calls-facts.md §4.1, §4.2).
const (
	CodeBadRequest       = "BadRequest"
	CodeUnsupportedMedia = "UnsupportedMediaType"
	CodeTooLarge         = "RequestEntityTooLarge"
	CodeMissingRole      = "7504"
	CodeTenantMismatch   = "7505"
	CodeSourceInvalid    = "7507"
	// CodeUnknownInternal is the code of the service's 500 "Unkown internal
	// Server Error." (sic; fixtures/field sdk-java-373-9999).
	CodeUnknownInternal = "9999"
)

// Sources the rules cite: the page's lines (create-call-doc.txt),
// Microsoft's metadata (graph/schema) and the fact sheet's sections and
// lines (graph-calls-facts.md).
const (
	SrcContentType = "create-call-doc.txt line 35 (Content-type: \"application/json. Required.\")"
	// SrcContentEncoding: Graph decodes compressed request bodies and the
	// Graph SDKs compress by default, falling back to an uncompressed body
	// on 415 (field: microsoftgraph/msgraph-sdk-design PR #71,
	// https://github.com/microsoftgraph/msgraph-sdk-design/pull/71; kiota PR
	// #1132 puts the handler in msgraph-sdk-go's default middleware).
	SrcContentEncoding = "msgraph-sdk-design PR #71 (CompressionHandler: Graph decodes gzip request bodies; 415 makes the SDK resend uncompressed); RFC 9110 §8.4, §15.5.16"
	SrcStrictJSON      = "RFC 8259 (a body is one JSON value); create-call-doc.txt line 35 (application/json); graph-calls-facts.md §4.1 (line 378: 400, 413 in the status code table)"
	// SrcDuplicateMember: RFC 8259 §4 leaves duplicate names' meaning to
	// each implementation; Graph refused a body with duplicate keys
	// (https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/28: "Property
	// with the same name already exists on object"), and answers what its
	// OData reader cannot read with 400 (code RequestBodyRead,
	// https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/450). That the
	// answer today is 400 BadRequest is inferred from those two reports.
	SrcDuplicateMember = "RFC 8259 §4 (\"names within an object SHOULD be unique\"); Graph refused duplicate keys: github.com/microsoftgraph/msgraph-sdk-dotnet/issues/28; unreadable bodies get 400: github.com/microsoftgraph/msgraph-sdk-dotnet/issues/450 (status inferred)"
	SrcSchema          = "graph/schema (Microsoft's metadata)"
	// SrcEnumCase: Graph matches enum values whatever their case and
	// answers in the metadata's spelling. A Graph SDK maintainer: "Since it
	// looks like Graph is case-insensitive for enums, we can use this
	// change" (the Android SDK sending upper-case enum names "over the
	// wire", microsoftgraph/msgraph-sdk-android PR #68, 2017, and the
	// generator change it led to, MSGraph-SDK-Code-Generator PR #106);
	// Graph answers the lower-camel member ("default", msgraph-sdk-android
	// issue #82); PascalCase in the calling samples' traffic,
	// graph-calls-facts.md §2 lines 199-200.
	SrcEnumCase = "microsoftgraph/msgraph-sdk-android PR #68 (\"Graph is case-insensitive for enums\"), MSGraph-SDK-Code-Generator PR #106, msgraph-sdk-android #82 (Graph answers the member's own spelling); graph-calls-facts.md §2 (lines 199-200)"
	// SrcOpenType: unknown properties are kept, not refused: the call is an
	// open type (graph-calls-facts.md §1.1 line 41, OpenType="true" in the
	// CSDL), and instance annotations ("@odata.*", "@microsoft.graph.*")
	// are OData's, not properties (OData JSON Format v4.01 §4.5, §20).
	SrcOpenType     = "graph-calls-facts.md §1.1 (line 41: call is OpenType=\"true\"); OData JSON Format v4.01 §4.5, §20 (instance annotations)"
	SrcReadOnly     = "graph-calls-facts.md §1.2 (read-only properties)"
	SrcCallback     = "graph-calls-facts.md §1.1 (callbackUri: \"Must be an HTTPS URL.\")"
	SrcCallbackHost = "callcheck safety policy (loopback callbacks only unless allowed; not a Graph rule)"
	SrcMedia        = "graph-calls-facts.md §1.1 (mediaConfig: \"Required.\")"
	SrcMediaBlob    = "create-call-doc.txt Example 2"
	SrcTargets      = "graph-calls-facts.md §1.2 (targets: required for P2P and group calls)"
	SrcMaxTargets   = "create-call-doc.txt Example 3 (\"This supports up to 5 VoIP users.\")"
	SrcDuplicate    = "graph-calls-facts.md §4.4 (\"The same identity can't be invited twice.\")"
	SrcPSTN         = "create-call-doc.txt Examples 9, 10; graph-calls-facts.md §3.6"
	SrcPSTNSource   = "create-call-doc.txt Examples 9, 10; graph-calls-facts.md §3.6, §4.2 (line 389: 7507 \"Call source identity invalid.\")"
	SrcGuest        = "graph-calls-facts.md §1.2 (line 112: source \"required in practice for guest join\"); create-call-doc.txt Example 8"
	SrcMeeting      = "create-call-doc.txt Example 5; graph-calls-facts.md §3.4"
	SrcRinging      = "graph-calls-facts.md §1.2 (ringingTimeoutInSeconds: max 115)"
	SrcRouting      = "graph-calls-facts.md §1.2 (\"applicable for peer to peer calls only\")"
	SrcModalities   = "create-call-doc.txt (every example sends [\"audio\"])"
	SrcIdentity     = "graph-calls-facts.md §1.2 (line 108: a target names whom to call); Microsoft's metadata (directory object ids are GUIDs)"
	SrcSourceApp    = "graph-calls-facts.md §1.2 (source is filled from the token)"
	SrcTenant       = "graph-calls-facts.md §4.2 (7505 tenant mismatch)"
	SrcRoles        = "graph-calls-facts.md §5.1 (scenario → permission); create-call-doc.txt line 22 (Calls.AccessMedia.All in addition)"
	// SrcMeetingTenant: two field reports show a scheduled meeting's join
	// (chatInfo and organizerMeetingInfo, no tenantId at the call's top
	// level) refused with 7505 "Request authorization tenant mismatch.":
	// microsoft-graph-docs #9481 (2020-08-12: "I'm putting the chatInfo and
	// meetingInfo as the docs says but the service response" 7505; "There is
	// no actual docs that indicate where the tenantId has to be set"; the
	// page's Example 5 gained its top-level tenantId the next day, PR 9496)
	// and Microsoft-Teams-Samples #1785 (2025-09-30: the tenantId inside
	// meetingInfo, a 19:meeting_…@thread.v2 thread, v1.0, answered 7505).
	// Neither thread shows the HTTP status: 403 is the status 7505 was seen
	// with elsewhere (comms-samples #144, "Error 403 … (7505)"; fact sheet
	// §4.2 line 385). No report shows a channel meeting's join (the page's
	// Examples 7 and 8 send no tenantId and are documented to succeed), a
	// guest join or another meetingInfo type, so the rule covers none.
	SrcMeetingTenant = "field: https://github.com/microsoftgraph/microsoft-graph-docs/issues/9481 (fixtures/field docs-9481-7505); https://github.com/OfficeDev/Microsoft-Teams-Samples/issues/1785 (fixtures/field teams-samples-1785-join); status 403: https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/144, graph-calls-facts.md §4.2 (line 385)"
	// SrcFieldUntypedMedia: a create through the Java SDK 1.7.1 answered
	// 500/9999, and the same SDK did not type mediaConfig, "which results in
	// error response"; that the missing type caused the 9999 is an INFERENCE.
	SrcFieldUntypedMedia = "fixtures/field sdk-java-373-9999 (https://github.com/microsoftgraph/msgraph-sdk-java/issues/373, 2020-05-26: 500, code 9999 on POST /communications/calls); https://github.com/microsoftgraph/microsoft-graph-docs/issues/7077 (2020-02-13: that SDK left mediaConfig's @odata.type unset, \"which results in error response\"); the link between them is INFERENCE"
)

// Rule is one entry of the rulebook's table.
type Rule struct {
	// ID is the rule's stable name.
	ID ID
	// Severity is the severity of the rule's findings.
	Severity Severity
	// Scope says who applies the rule.
	Scope Scope
	// Status is the HTTP status Graph refuses a request with (0 for a
	// warning).
	Status int
	// Code is the Graph error code of the refusal ("" for a warning).
	Code string
	// CodeDocumented is true when Code is the one the fact sheet shows the
	// service answering (the calling service's numeric codes, §4.2); a
	// generic BadRequest is only what the emulator answers.
	CodeDocumented bool
	// Source cites where the rule comes from.
	Source string
	// Description says what the rule demands, in one line.
	Description string
	// Negatives are the negative contracts the rule gives: a documented
	// request changed so that it breaks the rule.
	Negatives []Negative
	// Field is how the service was seen answering a breach of the rule in
	// the field, where that differs from Status and Code (nil: as they
	// say). The emulator's field profile answers with it.
	Field *FieldAnswer
	// Basis is the kind of evidence the rule rests on, where the rulebook
	// records it: BasisField for a rule known only from public field
	// reports ("" : the documents Source cites).
	Basis Basis
	// URLs are the public field reports a BasisField rule rests on.
	URLs []string
}

// Basis is the kind of evidence a rule rests on (the suites' evidence
// levels: documented, schema, field, inferred).
type Basis string

// The bases the rulebook records.
const (
	// BasisField: public reports of the service's behaviour, not the page
	// or the metadata.
	BasisField Basis = "field"
)

// FieldAnswer is a refusal as field reports show the service giving it.
type FieldAnswer struct {
	// Status and Code are the HTTP status and Graph error code seen.
	Status int
	Code   string
	// Message is the error message seen, as the service wrote it.
	Message string
	// Pointer, when set, limits the alternative to findings at that JSON
	// pointer (a schema finding about one member).
	Pointer string
	// Source cites the field report (a fixtures/field entry and its URL) and
	// says what is inferred.
	Source string
}

// Mutation is how a negative contract changes the documented request.
type Mutation string

// The mutations.
const (
	// MutateDelete removes the member at Pointer.
	MutateDelete Mutation = "delete"
	// MutateHTTPCallback makes callbackUri a plain-http URL.
	MutateHTTPCallback Mutation = "http-callback"
	// MutateSixTargets sets six user targets, one more than a group call supports.
	MutateSixTargets Mutation = "six-targets"
	// MutateForeignTenant sets tenantId to a tenant other than the token's.
	MutateForeignTenant Mutation = "foreign-tenant"
	// MutateWithoutRole sends the request with the token of an app holding
	// every calling permission but Role.
	MutateWithoutRole Mutation = "without-role"
)

// Negative is a negative contract a rule gives: example Example's request
// with Mutation applied, which the target must refuse with the rule's
// status (and code, when documented).
type Negative struct {
	// Name is the contract's id without its "negative_" prefix.
	Name string
	// Title is the contract's title.
	Title string
	// Example is the number of the documented example to mutate.
	Example int
	// Scenario is the example's scenario.
	Scenario graph.Scenario
	// Mutation is how the request is changed.
	Mutation Mutation
	// Pointer is the member MutateDelete removes.
	Pointer string
	// Role is the permission MutateWithoutRole leaves out.
	Role string
}

var (
	p2p   = graph.Scenario{Kind: graph.KindPeerToPeer, Media: graph.MediaServiceHosted}
	group = graph.Scenario{Kind: graph.KindGroupCall, Media: graph.MediaServiceHosted}
)

func bad(id ID, scope Scope, src, desc string, negs ...Negative) Rule {
	return Rule{ID: id, Severity: Error, Scope: scope, Status: StatusBadRequest, Code: CodeBadRequest, Source: src, Description: desc, Negatives: negs}
}

func withField(r Rule, a FieldAnswer) Rule {
	r.Field = &a
	return r
}

func advice(id ID, scope Scope, src, desc string) Rule {
	return Rule{ID: id, Severity: Warning, Scope: scope, Source: src, Description: desc}
}

// roleNegatives are one negative per scenario: its documented example sent
// by an app lacking the permission the scenario needs.
func roleNegatives() []Negative {
	one := func(name, what string, example int, s graph.Scenario, role string) Negative {
		return Negative{Name: name, Title: "Example " + strconv.Itoa(example) + " (" + what + ") without " + role,
			Example: example, Scenario: s, Mutation: MutateWithoutRole, Role: role}
	}
	return []Negative{
		one("role_missing_peer_to_peer", "peer-to-peer", 1, p2p, graph.RoleInitiate),
		one("role_missing_app_hosted_media", "app-hosted media", 2, graph.Scenario{Kind: graph.KindPeerToPeer, Media: graph.MediaAppHosted}, graph.RoleAccessMedia),
		one("role_missing_group_call", "group call", 3, group, graph.RoleInitiateGroupCall),
		one("role_missing_meeting_join", "meeting join", 5, graph.Scenario{Kind: graph.KindMeetingJoin, Media: graph.MediaServiceHosted}, graph.RoleJoinGroupCall),
		one("role_missing_guest_join", "guest join", 8, graph.Scenario{Kind: graph.KindGuestJoin, Media: graph.MediaServiceHosted}, graph.RoleJoinGroupCallAsGuest),
		one("role_missing_pstn", "PSTN call", 9, graph.Scenario{Kind: graph.KindPSTN, Media: graph.MediaServiceHosted}, graph.RoleInitiate),
	}
}

// table is the rulebook, in the order a request is judged.
var table = []Rule{
	{ID: ContentType, Severity: Error, Scope: ScopeService, Status: StatusUnsupportedMediaType, Code: CodeUnsupportedMedia,
		Source: SrcContentType, Description: "Content-Type is application/json (any parameters)."},
	{ID: ContentEncoding, Severity: Error, Scope: ScopeService, Status: StatusUnsupportedMediaType, Code: CodeUnsupportedMedia,
		Source: SrcContentEncoding, Description: "The body is identity-, gzip- or deflate-encoded (Content-Encoding); the size limit holds once decoded."},
	{ID: BodySize, Severity: Error, Scope: ScopeService, Status: StatusRequestEntityTooLarge, Code: CodeTooLarge,
		Source: SrcStrictJSON, Description: "The body is within the service's size limit."},
	bad(BodyRead, ScopeService, SrcStrictJSON, "The body can be read to its end."),
	bad(JSONNesting, ScopeService, SrcStrictJSON, "The body's JSON nests no deeper than the service's limit."),
	bad(JSON, ScopeService, SrcStrictJSON, "The body is one strict JSON call object."),
	bad(DuplicateMember, ScopeService, SrcDuplicateMember, "No object in the body names a member twice (names compared case-insensitively)."),
	withField(bad(Schema, ScopeService, SrcSchema, "The body is valid against Microsoft's metadata of the version called."),
		FieldAnswer{Status: StatusInternalServerError, Code: CodeUnknownInternal, Message: "Unkown internal Server Error.", Pointer: "/mediaConfig", Source: SrcFieldUntypedMedia}),
	advice(ReadOnly, ScopeService, SrcReadOnly, "No read-only property is sent (the service ignores it)."),
	bad(CallbackRequired, ScopeService, SrcCallback, "callbackUri is present.",
		Negative{Name: "missing_callbackUri", Title: "Example 1 without callbackUri", Example: 1, Scenario: p2p, Mutation: MutateDelete, Pointer: "/callbackUri"}),
	bad(CallbackURL, ScopeService, SrcCallback, "callbackUri is an absolute URL."),
	bad(CallbackHTTPS, ScopeService, SrcCallback, "callbackUri is an https URL (http on loopback only where the policy allows it).",
		Negative{Name: "non_https_callback", Title: "Example 1 with a plain-http callbackUri", Example: 1, Scenario: p2p, Mutation: MutateHTTPCallback}),
	bad(CallbackHost, ScopeService, SrcCallbackHost, "callbackUri's host is one the policy allows posting to."),
	bad(MediaRequired, ScopeService, SrcMedia, "mediaConfig is present.",
		Negative{Name: "missing_mediaConfig", Title: "Example 1 without mediaConfig", Example: 1, Scenario: p2p, Mutation: MutateDelete, Pointer: "/mediaConfig"}),
	withField(bad(MediaType, ScopeService, SrcMedia, "mediaConfig's @odata.type is serviceHostedMediaConfig or appHostedMediaConfig."),
		FieldAnswer{Status: StatusInternalServerError, Code: CodeUnknownInternal, Message: "Unkown internal Server Error.", Source: SrcFieldUntypedMedia}),
	advice(MediaBlob, ScopeService, SrcMediaBlob, "appHostedMediaConfig carries a blob (the media session configuration)."),
	bad(TargetsRequired, ScopeService, SrcTargets, "A call that joins no meeting has at least one target."),
	bad(TargetsMax, ScopeService, SrcMaxTargets, "At most 5 targets.",
		Negative{Name: "too_many_targets", Title: "Example 3 with six targets (a group call supports up to 5)", Example: 3, Scenario: group, Mutation: MutateSixTargets}),
	bad(TargetIdentity, ScopeService, SrcTargets, "Every target names an identity."),
	bad(TargetDuplicate, ScopeService, SrcDuplicate, "No identity is invited twice."),
	bad(TargetsPeerToPeer, ScopeBot, SrcTargets, "A peer-to-peer call asked for has exactly one target."),
	bad(TargetsGroup, ScopeBot, SrcMaxTargets, "A group call asked for has at least two targets."),
	{ID: PSTNSource, Severity: Error, Scope: ScopeService, Status: StatusBadRequest, Code: CodeSourceInvalid, CodeDocumented: true,
		Source: SrcPSTNSource, Description: "A PSTN call comes from source.identity.applicationInstance."},
	bad(PSTNTarget, ScopeService, SrcPSTN, "A PSTN call has a phone target, and a phone target's id is E.164."),
	bad(GuestSource, ScopeBot, SrcGuest, "A guest join asked for names the guest in source.identity.guest."),
	bad(MeetingInfo, ScopeService, SrcMeeting, "A meeting join has a known meetingInfo with what its type needs."),
	bad(ChatInfo, ScopeService, SrcMeeting, "A meeting join by organizer has chatInfo with a threadId."),
	bad(RingingTimeout, ScopeService, SrcRinging, "ringingTimeoutInSeconds is between 0 and 115."),
	advice(RoutingPolicies, ScopeService, SrcRouting, "routingPolicies is sent on peer-to-peer calls only."),
	advice(Modalities, ScopeService, SrcModalities, "requestedModalities is present and not empty."),
	bad(IdentityID, ScopeBot, SrcIdentity, "Every identity of a target, the source or the organizer has an id."),
	bad(IdentityGUID, ScopeBot, SrcIdentity, "User, application, application-instance and guest ids are GUIDs."),
	bad(IdentityPhone, ScopeBot, SrcPSTN, "A phone identity outside the targets has an E.164 id."),
	bad(IdentityTenant, ScopeBot, SrcIdentity, "An identity's tenantId is a GUID."),
	advice(SourceApplication, ScopeService, SrcSourceApp, "source.identity.application.id is the token's app."),
	{ID: Tenant, Severity: Error, Scope: ScopeService, Status: StatusForbidden, Code: CodeTenantMismatch, CodeDocumented: true,
		Source: SrcTenant, Description: "A tenantId sent is the token's tenant.",
		Negatives: []Negative{{Name: "tenant_mismatch", Title: "Example 1 for another tenant than the token's", Example: 1, Scenario: p2p, Mutation: MutateForeignTenant}}},
	{ID: MeetingTenant, Severity: Error, Scope: ScopeService, Status: StatusForbidden, Code: CodeTenantMismatch, CodeDocumented: true,
		Source: SrcMeetingTenant, Basis: BasisField,
		URLs:        []string{"https://github.com/microsoftgraph/microsoft-graph-docs/issues/9481", "https://github.com/OfficeDev/Microsoft-Teams-Samples/issues/1785"},
		Description: "A scheduled meeting's join (organizerMeetingInfo, chatInfo.threadId 19:meeting_…@thread.v2) sends the tenantId at the call's top level.",
		Negatives: []Negative{{Name: "meeting_join_without_tenantId", Title: "Example 5 (scheduled meeting join) without tenantId", Example: 5,
			Scenario: graph.Scenario{Kind: graph.KindMeetingJoin, Media: graph.MediaServiceHosted}, Mutation: MutateDelete, Pointer: "/tenantId"}}},
	{ID: Roles, Severity: Error, Scope: ScopeService, Status: StatusForbidden, Code: CodeMissingRole, CodeDocumented: true,
		Source: SrcRoles, Description: "The token holds every permission the scenario and its media need.", Negatives: roleNegatives()},
}

// All returns the rulebook's table, one entry per rule, in the order a
// request is judged.
func All() []Rule {
	out := make([]Rule, len(table))
	copy(out, table)
	return out
}

// Lookup returns the rule called id.
func Lookup(id ID) (Rule, bool) {
	for _, r := range table {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// StatusOf returns the HTTP status and Graph code a finding of rule id
// refuses a request with; an unknown id answers 400 BadRequest.
func StatusOf(id ID) (int, string) {
	if r, ok := Lookup(id); ok && r.Status != 0 {
		return r.Status, r.Code
	}
	return StatusBadRequest, CodeBadRequest
}

// FieldStatusOf is StatusOf as the field saw the service answer a finding
// of rule id at pointer: the rule's Field alternative where it has one for
// that pointer (with the message seen), else the rule's status and code
// (and message "").
func FieldStatusOf(id ID, pointer string) (status int, code, message string) {
	if r, ok := Lookup(id); ok && r.Field != nil && (r.Field.Pointer == "" || r.Field.Pointer == pointer) {
		return r.Field.Status, r.Field.Code, r.Field.Message
	}
	status, code = StatusOf(id)
	return status, code, ""
}
