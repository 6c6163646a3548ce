package graph

import "slices"

// Features returns every feature, in documentation order.
func Features() []Feature {
	return []Feature{FeaturePeerToPeer, FeatureGroupCall, FeatureMeetingJoin, FeatureChannelMeeting, FeatureGuestJoin,
		FeaturePSTN, FeatureServiceHostedMedia, FeatureAppHostedMedia, FeatureLobbyAdmission}
}

// Known reports whether f is one of Features: a misspelt name read from a
// flag or a file is not.
func (f Feature) Known() bool { return slices.Contains(Features(), f) }
