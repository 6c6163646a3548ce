package suites

// Example08 is the contract of create-call-doc.txt Example 8, "Join channel
// meeting as a guest with service hosted media": the bot joins as the guest
// identity of the values (Calls.JoinGroupCallAsGuest.All). "The application
// might be put in lobby": the first roster lists the bot alone with
// isInLobby true, and no roster of the meeting comes "until its admitted
// from lobby". With lobby-admission-control claimed, callcheck admits it
// and then expects established and a roster with the bot admitted.
var Example08 = exampleContract(8, []Feature{FeatureGuestJoin, FeatureChannelMeeting, FeatureServiceHostedMedia},
	readInvalidJSON, readPermissionNames, readAuthorization)

func init() { register(Example08) }
