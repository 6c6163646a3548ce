package suites

import (
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/callcheck/callcheck/graph"
)

func TestParseFeatures(t *testing.T) {
	for _, tc := range []struct {
		name    string
		list    string
		want    []Feature
		wantErr string
	}{
		// An empty list claims nothing.
		{"empty", "", nil, ""},
		// Names come back in registry order, whatever the order given.
		{"names reordered", "pstn, peer-to-peer", []Feature{FeaturePeerToPeer, FeaturePSTN}, ""},
		// A profile stands for its features; duplicates collapse.
		{"core and a member", "core,peer-to-peer", []Feature{FeaturePeerToPeer, FeatureServiceHostedMedia}, ""},
		// "all" is every feature.
		{"all", "all", Features(), ""},
		// Names are case-insensitive.
		{"casing", "Group-Call", []Feature{FeatureGroupCall}, ""},
		// A typo is an error naming it and the known names.
		{"typo", "peer2peer", nil, `unknown feature "peer2peer"; known: core, extended, all, peer-to-peer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseFeatures(tc.list)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("ParseFeatures(%q) = %v, %v; want %v", tc.list, got, err, tc.want)
			}
		})
	}
}

// TestFeatureRegistry: every feature has a profile and a description, the
// profiles partition the registry, and each name is a valid Ginkgo label.
func TestFeatureRegistry(t *testing.T) {
	core, ext := ProfileFeatures(ProfileCore), ProfileFeatures(ProfileExtended)
	if len(core)+len(ext) != len(Features()) || len(core) == 0 {
		t.Fatalf("profiles core %v and extended %v do not partition %v", core, ext, Features())
	}
	for _, f := range Features() {
		if !f.Known() || FeatureDescription(f) == "" || FeatureProfile(f) == "" {
			t.Errorf("feature %q: known %v, description %q, profile %q", f, f.Known(), FeatureDescription(f), FeatureProfile(f))
		}
		if _, err := types.ValidateAndCleanupLabel(string(f), types.CodeLocation{}); err != nil {
			t.Errorf("feature %q is not a valid Ginkgo label: %v", f, err)
		}
	}
	if Feature("nope").Known() || FeatureProfile("nope") != "" {
		t.Error("an unknown feature is known")
	}
	// The registry describes every one of graph's features, and only those.
	if got, want := slices.Sorted(slices.Values(Features())), slices.Sorted(slices.Values(graph.Features())); !slices.Equal(got, want) {
		t.Errorf("the registry has %v, graph's features are %v", got, want)
	}
}

func TestMissingFeatures(t *testing.T) {
	got := missingFeatures([]Feature{FeatureGuestJoin, FeaturePeerToPeer, FeaturePSTN}, []Feature{FeaturePeerToPeer})
	if want := []Feature{FeatureGuestJoin, FeaturePSTN}; !slices.Equal(got, want) {
		t.Fatalf("missingFeatures = %v, want %v", got, want)
	}
}
