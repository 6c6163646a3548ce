package suites

import "github.com/callcheck/callcheck/fixtures"

// Readings shared by several examples' contracts.
var (
	// readAuthorization: the requests print no Authorization header.
	readAuthorization = Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumMissingHeader}, Block: fixtures.BlockRequest,
		Text: "The documented request shows no Authorization header; the contract sends the bearer token the page calls Required."}
	// readInvalidJSON: trailing commas and the like.
	readInvalidJSON = Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumInvalidJSON},
		Text: "The documented JSON is not valid (RFC 8259); the contract uses the tolerant parser's canonical reading of it and sends valid JSON."}
	// readODataContext: responses name app/calls.
	readODataContext = Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumODataContext}, Block: fixtures.BlockResponse,
		Text: "The documented @odata.context names the deprecated app/calls entity set; the contract requires the property, not its entity set."}
	// readPermissionNames: plural permission names that do not exist.
	readPermissionNames = Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumUnknownPermission, fixtures.ErratumMissingPermission},
		Text: "The page names permissions that do not exist or omits Calls.AccessMedia.All; the role-missing contracts use the real permissions (graph-calls-facts.md §5.1)."}
	// readUnsentPrefetch: responses show preFetchMedia the request did not send.
	readUnsentPrefetch = Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumContradictsRequest}, Block: fixtures.BlockResponse, Pointer: "/mediaConfig",
		Text: "The documented response shows preFetchMedia the request never sent; the contract asks the call to echo what was sent and allows additions."}
	// readReadOnly: group and meeting requests send read-only members.
	readReadOnly = Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumReadOnly},
		Text: "The documented request sends read-only members (direction, tenantId); the contract sends them as documented, tenantId being the run's tenant, and expects the call to agree with them."}
	// readTargetType: a group-call target typed participantInfo.
	readTargetType = Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumTypeMismatch}, Block: fixtures.BlockRequest, Pointer: "/targets",
		Text:  "The documented request types its second target #microsoft.graph.participantInfo, which is not an invitationParticipantInfo (the declared type of targets); the contract sends every target as #microsoft.graph.invitationParticipantInfo.",
		apply: fixtures.RetypeTargets}
	// readPSTNProse: "only VoIP calls are supported".
	readPSTNProse = Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumProseContradiction},
		Text: "The page says only VoIP calls are supported, yet documents this PSTN call; the contract follows the example (a target that does not do PSTN does not claim the pstn feature)."}
)
