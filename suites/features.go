package suites

import (
	"fmt"
	"slices"
	"strings"
)

// Feature is a capability of the Create call API that a target may claim.
// Contracts name the features they exercise; a contract whose features the
// target does not all claim is reported as not supported, never as passed
// (gateway-api's distinction, STYLE.md). Features are also the Ginkgo labels
// of the contracts, so `--label-filter` selects by feature.
//
// The set is frozen: the constants below are the only features, a contract
// naming another one fails at registration (and the registry test), and a
// misspelt constant fails the build.
type Feature string

// The features, in documentation order.
const (
	// FeaturePeerToPeer: a VoIP call from the bot to one Teams user
	// (create-call-doc.txt Examples 1, 2).
	FeaturePeerToPeer Feature = "peer-to-peer"
	// FeatureGroupCall: a bot-created group call with several VoIP users
	// (Examples 3, 4; "This supports up to 5 VoIP users").
	FeatureGroupCall Feature = "group-call"
	// FeatureMeetingJoin: joining an existing Teams meeting with chatInfo and
	// meetingInfo (Examples 5, 6, 7).
	FeatureMeetingJoin Feature = "meeting-join"
	// FeatureChannelMeeting: the meeting is a channel meeting, a thread
	// 19:…@thread.skype (Examples 7, 8).
	FeatureChannelMeeting Feature = "channel-meeting"
	// FeatureGuestJoin: joining as a guest identity, which may be held in the
	// lobby (Example 8).
	FeatureGuestJoin Feature = "guest-join"
	// FeaturePSTN: a peer-to-peer call to a phone number from an application
	// instance (Examples 9, 10).
	FeaturePSTN Feature = "pstn"
	// FeatureServiceHostedMedia: media hosted by the service
	// (#microsoft.graph.serviceHostedMediaConfig).
	FeatureServiceHostedMedia Feature = "service-hosted-media"
	// FeatureAppHostedMedia: media hosted by the application
	// (#microsoft.graph.appHostedMediaConfig with a media-session blob;
	// Calls.AccessMedia.All in addition, page line 22).
	FeatureAppHostedMedia Feature = "app-hosted-media"
	// FeatureLobbyAdmission: the target offers a way for callcheck to admit a
	// guest from the lobby (the embedded emulator, or an admit URL in the
	// values file), so Example 8's "until its admitted from lobby" can be
	// exercised to the end.
	FeatureLobbyAdmission Feature = "lobby-admission-control"
)

// Profile groups features: a target that implements the Create call API at
// all claims the core profile; extended features are claimed one by one.
type Profile string

// The profiles.
const (
	// ProfileCore is what every implementation of POST /communications/calls
	// must do: the first documented example (a peer-to-peer VoIP call with
	// service-hosted media), its notifications and cleanup, and the negative
	// contracts that do not depend on another feature.
	ProfileCore Profile = "core"
	// ProfileExtended is everything else the page documents.
	ProfileExtended Profile = "extended"
)

// featureInfo describes a registered feature.
type featureInfo struct {
	profile     Profile
	description string
}

// featureRegistry is the frozen feature registry, in documentation order.
var featureRegistry = []struct {
	feature Feature
	info    featureInfo
}{
	{FeaturePeerToPeer, featureInfo{ProfileCore, "peer-to-peer VoIP call to one user (Examples 1, 2)"}},
	{FeatureServiceHostedMedia, featureInfo{ProfileCore, "service-hosted media (Examples 1, 3, 5, 7, 8, 9)"}},
	{FeatureGroupCall, featureInfo{ProfileExtended, "bot-created group call, up to 5 VoIP users (Examples 3, 4)"}},
	{FeatureMeetingJoin, featureInfo{ProfileExtended, "join a scheduled or channel meeting (Examples 5, 6, 7)"}},
	{FeatureChannelMeeting, featureInfo{ProfileExtended, "the meeting is a channel meeting (Examples 7, 8)"}},
	{FeatureGuestJoin, featureInfo{ProfileExtended, "join a meeting as a guest, lobby semantics (Example 8)"}},
	{FeaturePSTN, featureInfo{ProfileExtended, "peer-to-peer call to a phone number (Examples 9, 10)"}},
	{FeatureAppHostedMedia, featureInfo{ProfileExtended, "application-hosted media (Examples 2, 4, 6, 10)"}},
	{FeatureLobbyAdmission, featureInfo{ProfileExtended, "callcheck can admit a guest from the lobby (Example 8, to the end)"}},
}

// Features returns every feature, core first, in documentation order.
func Features() []Feature {
	out := make([]Feature, 0, len(featureRegistry))
	for _, r := range featureRegistry {
		out = append(out, r.feature)
	}
	return out
}

func (f Feature) info() (featureInfo, bool) {
	for _, r := range featureRegistry {
		if r.feature == f {
			return r.info, true
		}
	}
	return featureInfo{}, false
}

// Known reports whether f is a registered feature.
func (f Feature) Known() bool { _, ok := f.info(); return ok }

// Profile returns the profile f belongs to ("" for an unknown feature).
func (f Feature) Profile() Profile { i, _ := f.info(); return i.profile }

// Description returns a one-line description of f.
func (f Feature) Description() string { i, _ := f.info(); return i.description }

// ProfileFeatures returns the features of profile p, in registry order.
func ProfileFeatures(p Profile) []Feature {
	var out []Feature
	for _, r := range featureRegistry {
		if r.info.profile == p {
			out = append(out, r.feature)
		}
	}
	return out
}

// ParseFeatures reads a comma-separated list of feature and profile names
// ("core", "extended", "all"), as --features and the values file give them.
// A profile stands for its features. The result is in registry order without
// duplicates. An unknown name is an error that names it and the known ones.
func ParseFeatures(list string) ([]Feature, error) {
	set := map[Feature]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		fs, err := expandFeature(name)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			set[f] = true
		}
	}
	var out []Feature
	for _, f := range Features() {
		if set[f] {
			out = append(out, f)
		}
	}
	return out, nil
}

func expandFeature(name string) ([]Feature, error) {
	switch strings.ToLower(name) {
	case "all":
		return Features(), nil
	case string(ProfileCore):
		return ProfileFeatures(ProfileCore), nil
	case string(ProfileExtended):
		return ProfileFeatures(ProfileExtended), nil
	}
	f := Feature(strings.ToLower(name))
	if !f.Known() {
		return nil, fmt.Errorf("unknown feature %q; known: core, extended, all, %s", name, joinFeatures(Features()))
	}
	return []Feature{f}, nil
}

// joinFeatures joins feature names with ", ".
func joinFeatures(fs []Feature) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// missingFeatures returns the features of want that claimed lacks, in order.
func missingFeatures(want, claimed []Feature) []Feature {
	var out []Feature
	for _, f := range want {
		if !slices.Contains(claimed, f) {
			out = append(out, f)
		}
	}
	return out
}
