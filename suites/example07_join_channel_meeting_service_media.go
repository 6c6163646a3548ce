package suites

// Example07 is the contract of create-call-doc.txt Example 7, "Join channel
// meeting with service hosted media": the bot joins the channel meeting the
// values name (a 19:…@thread.skype thread and the channel message),
// Calls.JoinGroupCall.All; state notifications and a roster.
var Example07 = exampleContract(7, []Feature{FeatureMeetingJoin, FeatureChannelMeeting, FeatureServiceHostedMedia},
	readInvalidJSON, readPermissionNames, readAuthorization)

func init() { register(Example07) }
