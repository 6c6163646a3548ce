package suites

// Example10 is the contract of create-call-doc.txt Example 10, "Create
// peer-to-peer PSTN call with application hosted media": Example 9 with an
// appHostedMediaConfig (Calls.Initiate.All and Calls.AccessMedia.All).
var Example10 = exampleContract(10, []Feature{FeaturePSTN, FeatureAppHostedMedia},
	readPSTNProse, readInvalidJSON, readODataContext, readAuthorization)

func init() { register(Example10) }
