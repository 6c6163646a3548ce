package graph_test

import (
	"slices"
	"testing"

	"github.com/callcheck/callcheck/graph"
)

func TestScenarioKeysRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range graph.Scenarios() {
		key := s.Key()
		if seen[key] {
			t.Fatalf("key %q named twice", key)
		}
		seen[key] = true
		back, err := graph.ParseScenario(key)
		if err != nil || back != s {
			t.Errorf("ParseScenario(%q) = %v, %v; want %v", key, back, err, s)
		}
	}
	if len(seen) != 10 {
		t.Errorf("%d scenarios, want 10 (5 kinds × 2 media)", len(seen))
	}
	if _, err := graph.ParseScenario("p2p-video"); err == nil {
		t.Error("ParseScenario accepted an unknown key")
	}
}

func TestScenarioPermissions(t *testing.T) {
	tests := []struct {
		s    graph.Scenario
		want []string
	}{
		// facts §5.1: peer-to-peer and PSTN need Calls.Initiate.All.
		{graph.Scenario{Kind: graph.KindPeerToPeer, Media: graph.MediaServiceHosted}, []string{graph.RoleInitiate}},
		{graph.Scenario{Kind: graph.KindPSTN, Media: graph.MediaAppHosted}, []string{graph.RoleInitiate, graph.RoleAccessMedia}},
		{graph.Scenario{Kind: graph.KindGroupCall, Media: graph.MediaServiceHosted}, []string{graph.RoleInitiateGroupCall}},
		// A channel meeting is joined as a scheduled meeting is.
		{graph.Scenario{Kind: graph.KindChannelMeeting, Media: graph.MediaServiceHosted}, []string{graph.RoleJoinGroupCall}},
		{graph.Scenario{Kind: graph.KindGuestJoin, Media: graph.MediaAppHosted}, []string{graph.RoleJoinGroupCallAsGuest, graph.RoleAccessMedia}},
		// Unknown: only the media's permission.
		{graph.Scenario{Kind: graph.KindUnknown, Media: graph.MediaAppHosted}, []string{graph.RoleAccessMedia}},
	}
	for _, tt := range tests {
		if got := tt.s.Permissions(); !slices.Equal(got, tt.want) {
			t.Errorf("%v %s: Permissions() = %v, want %v", tt.s.Kind, tt.s.Media, got, tt.want)
		}
	}
}

func TestInferKind(t *testing.T) {
	user := &graph.IdentitySet{User: &graph.Identity{ID: "u"}}
	phone := &graph.IdentitySet{Phone: &graph.Identity{ID: "+12345678901"}}
	target := func(ids *graph.IdentitySet) graph.InvitationParticipantInfo {
		return graph.InvitationParticipantInfo{Identity: ids}
	}
	tests := []struct {
		name string
		call *graph.Call
		want graph.Kind
	}{
		{"nil", nil, graph.KindUnknown},
		{"no target", &graph.Call{}, graph.KindUnknown},
		{"one user", &graph.Call{Targets: []graph.InvitationParticipantInfo{target(user)}}, graph.KindPeerToPeer},
		{"two users", &graph.Call{Targets: []graph.InvitationParticipantInfo{target(user), target(user)}}, graph.KindGroupCall},
		{"phone target", &graph.Call{Targets: []graph.InvitationParticipantInfo{target(phone)}}, graph.KindPSTN},
		{"chat info", &graph.Call{ChatInfo: &graph.ChatInfo{ThreadID: "19:x"}}, graph.KindMeetingJoin},
		{"guest source beats meeting", &graph.Call{ChatInfo: &graph.ChatInfo{ThreadID: "19:x"},
			Source: &graph.ParticipantInfo{Identity: &graph.IdentitySet{Guest: &graph.Identity{ID: "g"}}}}, graph.KindGuestJoin},
	}
	for _, tt := range tests {
		if got := graph.InferKind(tt.call); got != tt.want {
			t.Errorf("%s: InferKind = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestKindFeatures(t *testing.T) {
	s := graph.Scenario{Kind: graph.KindChannelMeeting, Media: graph.MediaAppHosted}
	want := []graph.Feature{graph.FeatureMeetingJoin, graph.FeatureChannelMeeting, graph.FeatureAppHostedMedia}
	if got := s.Features(); !slices.Equal(got, want) {
		t.Errorf("Features() = %v, want %v", got, want)
	}
	for _, k := range graph.Kinds() {
		if k.Permission() == "" || k.Feature() == "" {
			t.Errorf("kind %s lacks a permission or a feature", k)
		}
	}
}
