package suites

// Example02 is the contract of create-call-doc.txt Example 2, "Create
// peer-to-peer VoIP call with application hosted media": as Example 1 with
// an appHostedMediaConfig whose blob is the sample media-session
// configuration the example prints (Calls.AccessMedia.All in addition).
// "For peer-to-peer calls, the expected notifications are for call state
// changes only."
var Example02 = exampleContract(2, []Feature{FeaturePeerToPeer, FeatureAppHostedMedia},
	readInvalidJSON, readODataContext, readAuthorization)

func init() { register(Example02) }
