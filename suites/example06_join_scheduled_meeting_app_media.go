package suites

import "github.com/callcheck/callcheck/fixtures"

// Example06 is the contract of create-call-doc.txt Example 6, "Join
// scheduled meeting with app hosted media": Example 5's meeting with an
// appHostedMediaConfig ("update the media config with the
// AppHostedMediaConfig ... in the sample provided above").
var Example06 = exampleContract(6, []Feature{FeatureMeetingJoin, FeatureAppHostedMedia},
	Reading{Kinds: []fixtures.ErratumKind{fixtures.ErratumInconsistentWithBase},
		Text: "The documented request changes more than Example 5's media config (direction, tenants); the contract sends it as printed, with the run's ids."},
	readInvalidJSON, readReadOnly, readPermissionNames, readAuthorization)

func init() { register(Example06) }
