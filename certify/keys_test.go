package certify

import (
	"slices"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
)

// TestKeysMatchTheirExamples checks each key against the documented examples
// it names: same scenario family and media, and back through KeyFor.
func TestKeysMatchTheirExamples(t *testing.T) {
	want := map[Key][]int{KeyP2P: {1}, KeyP2PApp: {2}, KeyGroup: {3}, KeyGroupApp: {4}, KeyMeeting: {5, 7}, KeyMeetingApp: {6},
		KeyGuest: {8}, KeyGuestApp: {8}, KeyPSTN: {9}, KeyPSTNApp: {10}}
	if len(Keys()) != len(want) {
		t.Errorf("%d keys, want %d", len(Keys()), len(want))
	}
	for _, k := range Keys() {
		if got, ok := KeyFor(k.Scenario()); !ok || got != k {
			t.Errorf("KeyFor(%s) = %s, %v; want %s", k.Scenario(), got, ok, k)
		}
		if !slices.Equal(k.Examples(), want[k]) {
			t.Errorf("%s: examples %v, want %v", k, k.Examples(), want[k])
		}
		for _, n := range k.Examples() {
			ex, err := fixtures.ByNumber(n)
			if err != nil {
				t.Fatal(err)
			}
			if ex.Kind.Rules() != k.Kind() {
				t.Errorf("%s: Example %d is %s, the key %s", k, n, ex.Kind, k.Kind())
			}
			if k != KeyGuestApp && string(ex.Media) != string(k.Media()) {
				t.Errorf("%s: Example %d has %s media, the key %s", k, n, ex.Media, k.Media())
			}
		}
	}
}

func TestParseKey(t *testing.T) {
	for _, k := range Keys() {
		if got, err := ParseKey(string(k)); err != nil || got != k {
			t.Errorf("ParseKey(%q) = %q, %v", k, got, err)
		}
	}
	for _, bad := range []string{"", "P2P", "p2p-service", "unknown", "group-app "} {
		_, err := ParseKey(bad)
		if err == nil || !strings.Contains(err.Error(), "p2p, p2p-app") {
			t.Errorf("ParseKey(%q): %v, want an error listing the keys", bad, err)
		}
	}
	if _, ok := KeyFor(graph.Scenario{Kind: graph.KindUnknown, Media: graph.MediaServiceHosted}); ok {
		t.Error("KeyFor of an unknown scenario found a key")
	}
}
