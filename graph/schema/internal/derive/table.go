package derive

// This file is the readable part of the derivation: which types are taken (and why), from where, and
// which fixes are applied to Microsoft's published descriptions. The code in the other files only
// carries it out.
//
// Where each type comes from (per version):
//
//	the version's OpenAPI slice (CloudCommunications.{beta,v1.0}.yml)  when the slice has the type;
//	the v1.0 CSDL (v1.0-Prod.csdl)                                      otherwise, for both versions: the
//	    beta CSDL is not in the metadata snapshot (graph-calls-facts.md §0), and the types the slices lack
//	    (commsNotification(s), the mediaConfig and meetingInfo subtypes, mediaInfo, the communications
//	    identities) have no beta-only members the sources name with a type.
//
// The subset is the closure of roots and subtypesOf below over property types and base types.

// root is a type the harness needs, with the reason it needs it.
type root struct {
	name string
	why  string
}

// roots are the types the subset starts from.
var roots = []root{
	{"microsoft.graph.call", "body of POST /communications/calls and of its 201 response; resourceData of call-state notifications (create-call-doc.txt Examples 1-10)"},
	{"microsoft.graph.participant", "resourceData of roster notifications (Examples 5 and 8; graph-calls-facts.md §2)"},
	{"microsoft.graph.ODataErrors.ODataError", "the error body (graph-calls-facts.md §4.1)"},
	{"microsoft.graph.commsNotifications", "the notification batch POSTed to callbackUri (§2); absent from the slices"},
	{"microsoft.graph.commsNotification", "one notification of a batch (§2); absent from the slices"},
	{"microsoft.graph.serviceHostedMediaConfig", "mediaConfig of Examples 1, 3, 5, 7, 8, 9; absent from the slices"},
	{"microsoft.graph.appHostedMediaConfig", "mediaConfig of Examples 2, 4, 6, 10; absent from the slices"},
	{"microsoft.graph.organizerMeetingInfo", "meetingInfo of Examples 5-8; absent from the slices"},
	{"microsoft.graph.joinMeetingIdMeetingInfo", "meeting join by id (§3.4); absent from the slices"},
	{"microsoft.graph.tokenMeetingInfo", "meetingInfo of policy-recording calls (§3.4); absent from the slices"},
	{"microsoft.graph.mediaInfo", "items of serviceHostedMediaConfig.preFetchMedia (Example 8); absent from the slices"},
	{"microsoft.graph.outgoingCallOptions", "the concrete callOptions of a create request (§1.1)"},
	{"microsoft.graph.communicationsIdentitySet", "guest, applicationInstance, phone identities (§1.4; Examples 8-10)"},
}

// subtypesOf names base types whose every subtype (in the slice or the CSDL) joins the subset, with the reason.
var subtypesOf = []root{
	{"microsoft.graph.callOptions", "callOptions is abstract: a body names outgoingCallOptions or incomingCallOptions (§1.4)"},
	{"microsoft.graph.mediaConfig", "mediaConfig is abstract: a body names service- or app-hosted media (§1.4)"},
	{"microsoft.graph.meetingInfo", "meetingInfo is abstract: a body names one of its subtypes (§1.4)"},
	{"microsoft.graph.commsOperation", "resourceData of operation notifications names the concrete operation (§2)"},
}

// identitySubtypes are the identity subtypes of the communications API (§1.4: communicationsUserIdentity adds
// tenantId); the other subtypes of identity in the CSDL (sharePoint, teamwork, provisioning…) are not part of it.
var identitySubtypes = []string{
	"microsoft.graph.communicationsApplicationIdentity",
	"microsoft.graph.communicationsApplicationInstanceIdentity",
	"microsoft.graph.communicationsEncryptedIdentity",
	"microsoft.graph.communicationsGuestIdentity",
	"microsoft.graph.communicationsPhoneIdentity",
	"microsoft.graph.communicationsUserIdentity",
	"microsoft.graph.azureCommunicationServicesUserIdentity",
}

// fix is one correction applied to the upstream descriptions, recorded in the derived documents.
type fix struct {
	ID   string `json:"id"`
	What string `json:"what"`
	Why  string `json:"why"`
}

// The fixes, in the order they are applied. Each cites the quirk it corrects.
var (
	fixOpen = fix{"open-objects",
		"removed additionalProperties: {type: object} from every object schema: unknown properties are allowed and not validated",
		"graph-openapi/README.md: every object schema ends with additionalProperties: {type: object}, which rejects any non-object extra property and, inside allOf, every property of the other branch; Graph types are open (OpenType) and the service sends undeclared members (resourceData, callbackUri on notifications, graph-calls-facts.md §2)"}
	fixFlatten = fix{"flatten-allOf",
		"allOf: [$ref base, {properties}] replaced by one object schema holding the inherited and the own properties; the base is recorded in x-callcheck-baseType and each inherited property in x-callcheck-declaredIn",
		"graph-openapi/README.md: inheritance is expressed only as allOf, with no discriminator and no @odata.type; a validator must know the derivation to check an @odata.type against the property's declared type and validate against the concrete type"}
	fixNullable = fix{"nullable-refs",
		"a property whose type is a complex or enum type is written {nullable: true, allOf: [$ref]} when the CSDL says it is nullable (Nullable absent: OData's default is nullable); a collection's Nullable applies to its items",
		"OpenAPI 3.0 ignores siblings of $ref, so the slices lose the nullability of every complex- or enum-typed property; the 201 responses send \"resultInfo\": null and \"endpointType\": null (create-call-doc.txt Example 1)"}
	fixCSDLTypes = fix{"csdl-types",
		"types the slices lack are converted from the v1.0 CSDL with the slices' conventions (Edm.Int32 → integer/int32 with bounds, Nullable → nullable)",
		"graph-openapi/README.md: commsNotification(s), serviceHostedMediaConfig, appHostedMediaConfig, the meetingInfo subtypes and mediaInfo are absent from both slices (derived types no path references are dropped)"}
	fixCSDLMembers = fix{"csdl-members",
		"members the CSDL declares on a type but the slice omits are added from the CSDL (callOptions.isDeltaRosterEnabled, isInteractiveRosterEnabled)",
		"the slices' callOptions lacks two members of the v1.0 CSDL that graph-calls-facts.md §1.4 lists"}
	fixAbstract = fix{"abstract-open",
		"Abstract and OpenType taken from the CSDL into x-callcheck-abstract and x-callcheck-openType",
		"the slices do not say which types are abstract (mediaConfig, meetingInfo, callOptions, entity): a body must name a concrete subtype in @odata.type"}
	fixCommsIdentity = fix{"communications-identity",
		"the members of communicationsIdentitySet (guest, applicationInstance, phone, encrypted, …) are also declared on identitySet, marked x-callcheck-declaredIn: microsoft.graph.communicationsIdentitySet",
		"graph-calls-facts.md §1.4: the samples and create-call-doc.txt Examples 8-10 put guest, applicationInstance and phone straight into an identitySet typed #microsoft.graph.identitySet; declaring them on identitySet validates them as identity instead of passing them unchecked"}
	fixReadOnly = fix{"read-only",
		"readOnly: true on the read-only properties of call and entity, with x-callcheck-readOnlySource",
		"the slices carry no readOnly and the CSDL has no Core.Computed annotation for call; graph-calls-facts.md §1.2 lists the read-only set (the generated SDK's and the docs')"}
	fixInnerError = fix{"inner-error-members",
		"ODataErrors.InnerError declares request-id, client-request-id, date, code and status as strings",
		"the slices' InnerError declares nothing (\"service-specific\"); real Graph errors carry request-id, client-request-id and date, the throttling example code and status (graph-calls-facts.md §4.1, §4.3)"}
	fixChangeType = fix{"changeType-unknownFutureValue",
		"changeType admits unknownFutureValue",
		"graph-calls-facts.md §1.3 and §9.7: the 2026 commsNotification page adds unknownFutureValue to created, updated, deleted"}
	fixFlags = fix{"flags-enums",
		"an enum marked x-ms-enum-flags isFlags is checked with a pattern admitting a comma-separated combination of its members",
		"OData serializes a flags value as a comma-separated list of members, which enum rejects as soon as two are combined"}
)

// allFixes lists every fix in the order the derived documents record them.
var allFixes = []fix{fixOpen, fixFlatten, fixNullable, fixCSDLTypes, fixCSDLMembers, fixAbstract,
	fixCommsIdentity, fixReadOnly, fixInnerError, fixChangeType, fixFlags}

// readOnlyProps lists the read-only properties per declaring type and where that fact comes from. The
// slices carry no readOnly keyword and the CSDL no Core.Computed/Permissions annotation on these types, so
// graph-calls-facts.md §1.2 is the source. Properties a version lacks are skipped.
var readOnlyProps = map[string]map[string]string{
	"microsoft.graph.entity": {
		"id": "graph-calls-facts.md §1.2: the generated SDK treats id as read-only",
	},
	"microsoft.graph.call": {
		"activeModalities":  sdkReadOnly,
		"answeredBy":        sdkReadOnly,
		"callRoutes":        sdkReadOnly,
		"direction":         sdkReadOnly,
		"incomingContext":   sdkReadOnly,
		"mediaState":        sdkReadOnly,
		"meetingCapability": sdkReadOnly,
		"resultInfo":        sdkReadOnly,
		"state":             sdkReadOnly,
		"tenantId":          sdkReadOnly,
		"transcription":     sdkReadOnly,
		"myParticipantId":   docsReadOnly,
		"toneInfo":          docsReadOnly,
		"terminationReason": docsReadOnly,
		"operations":        docsReadOnly,
		"participants":      docsReadOnly,
	},
}

const (
	sdkReadOnly  = "graph-calls-facts.md §1.2: the generated SDK strips it before sending"
	docsReadOnly = "graph-calls-facts.md §1.2: the docs call it read-only"
)

// innerErrorMembers are the InnerError members of fixInnerError.
var innerErrorMembers = []string{"client-request-id", "code", "date", "request-id", "status"}
