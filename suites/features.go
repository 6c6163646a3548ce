package suites

import (
	"fmt"
	"slices"
	"strings"

	"github.com/callcheck/callcheck/graph"
)

// Feature is a capability of the Create call API that a target may claim:
// graph's feature names (graph.Feature). Contracts name the features they
// exercise; a contract whose features the target does not all claim is
// reported as not supported, never as passed (gateway-api's distinction,
// STYLE.md). Features are also the Ginkgo labels of the contracts, so
// `--label-filter` selects by feature.
//
// The set is frozen: the constants below are the only features, a contract
// naming another one fails at registration (and the registry test), and a
// misspelt constant fails the build.
type Feature = graph.Feature

// The features, in documentation order (graph's, named here for the
// contracts).
const (
	FeaturePeerToPeer         = graph.FeaturePeerToPeer
	FeatureGroupCall          = graph.FeatureGroupCall
	FeatureMeetingJoin        = graph.FeatureMeetingJoin
	FeatureChannelMeeting     = graph.FeatureChannelMeeting
	FeatureGuestJoin          = graph.FeatureGuestJoin
	FeaturePSTN               = graph.FeaturePSTN
	FeatureServiceHostedMedia = graph.FeatureServiceHostedMedia
	FeatureAppHostedMedia     = graph.FeatureAppHostedMedia
	FeatureLobbyAdmission     = graph.FeatureLobbyAdmission
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

func featureInfoOf(f Feature) (featureInfo, bool) {
	for _, r := range featureRegistry {
		if r.feature == f {
			return r.info, true
		}
	}
	return featureInfo{}, false
}

// FeatureProfile returns the profile f belongs to ("" for an unknown feature).
func FeatureProfile(f Feature) Profile { i, _ := featureInfoOf(f); return i.profile }

// FeatureDescription returns a one-line description of f.
func FeatureDescription(f Feature) string { i, _ := featureInfoOf(f); return i.description }

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
