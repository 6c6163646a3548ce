package suites

import "github.com/callcheck/callcheck/fixtures"

// Example04 is the contract of create-call-doc.txt Example 4, "Create a
// group call with application hosted media": Example 3 with an
// appHostedMediaConfig.
var Example04 = exampleContract(4, []Feature{FeatureGroupCall, FeatureAppHostedMedia},
	readTargetType, readReadOnly, readPermissionNames, readAuthorization,
	Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumSubjectMismatch}, Block: fixtures.BlockRequest,
		Text: "The documented subject says service hosted media though the media is app-hosted; the contract sends it verbatim and expects it echoed."})

func init() { register(Example04) }
