package suites

// Example09 is the contract of create-call-doc.txt Example 9, "Create
// peer-to-peer PSTN call with service hosted media": the bot's application
// instance calls the phone number of the values (Calls.Initiate.All; "This
// call requires an application instance with a PSTN number assigned");
// state notifications only.
var Example09 = exampleContract(9, []Feature{FeaturePSTN, FeatureServiceHostedMedia},
	readPSTNProse, readUnsentPrefetch, readInvalidJSON, readODataContext, readAuthorization)

func init() { register(Example09) }
