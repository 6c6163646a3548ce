package suites

// Example03 is the contract of create-call-doc.txt Example 3, "Create a
// group call with service hosted media": the bot calls two users
// (Calls.InitiateGroupCall.All; "This supports up to 5 VoIP users"). The
// page documents neither response nor notifications; the contract expects
// a full call ("All the properties will be returned from an actual call",
// Example 2), state notifications and a roster (graph-calls-facts.md §3.3).
var Example03 = exampleContract(3, []Feature{FeatureGroupCall, FeatureServiceHostedMedia},
	readTargetType, readReadOnly, readPermissionNames, readAuthorization)

func init() { register(Example03) }
