package suites

import "github.com/callcheck/callcheck/fixtures"

// Example05 is the contract of create-call-doc.txt Example 5, "Join
// scheduled meeting with service hosted media": the bot joins the meeting
// the values name (thread, message, organizer), Calls.JoinGroupCall.All;
// state notifications and a roster in which the bot's participant id is
// the call's myParticipantId.
var Example05 = exampleContract(5, []Feature{FeatureMeetingJoin, FeatureServiceHostedMedia},
	Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumDuplicateKey, fixtures.ErratumMalformedID, fixtures.ErratumContradictsRequest},
		Text: "The documented request gives the organizer two tenantIds, the last one not a GUID, and a malformed call tenantId that the response and notifications contradict; the contract sends the run's tenant in both places and the organizer's tenant from the values, and expects them echoed."},
	readInvalidJSON, readODataContext, readReadOnly, readPermissionNames, readAuthorization)

func init() { register(Example05) }
