package suites

import "github.com/callcheck/callcheck/fixtures"

// Example01 is the contract of create-call-doc.txt Example 1, "Create
// peer-to-peer VoIP call with service hosted media": the bot calls one user
// (Calls.Initiate.All); establishing and established notifications follow,
// in either order, and no roster.
var Example01 = exampleContract(1, []Feature{FeaturePeerToPeer, FeatureServiceHostedMedia},
	Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumIDMismatch}, Block: fixtures.BlockEstablished,
		Text: "The documented established notification names call 2e1a0b00-b3c5-…, not the call the response created (2e1a0b00-2db4-…); the contract expects every notification to name the created call, in resourceUrl and resourceData.id."},
	readUnsentPrefetch, readInvalidJSON, readODataContext, readAuthorization)

func init() { register(Example01) }
