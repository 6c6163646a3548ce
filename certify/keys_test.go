package certify

import (
	"strings"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
)

// TestKeysMatchTheirExamples checks each key against the documented examples
// it names: same scenario family and media, and back through KeyFor.
func TestKeysMatchTheirExamples(t *testing.T) {
	scenarioOf := map[fixtures.Scenario]string{
		fixtures.PeerToPeerVoIP: "peer-to-peer", fixtures.GroupCall: "group-call", fixtures.ScheduledMeetingJoin: "meeting-join",
		fixtures.ChannelMeetingJoin: "meeting-join", fixtures.GuestJoin: "guest-join", fixtures.PeerToPeerPSTN: "pstn",
	}
	for _, k := range Keys() {
		if got, ok := KeyFor(k.Scenario(), k.Media()); !ok || got != k {
			t.Errorf("KeyFor(%s, %s) = %s, %v; want %s", k.Scenario(), k.Media(), got, ok, k)
		}
		for _, n := range k.Examples() {
			ex, err := fixtures.ByNumber(n)
			if err != nil {
				t.Fatal(err)
			}
			if scenarioOf[ex.Scenario] != string(k.Scenario()) {
				t.Errorf("%s: Example %d is %s, the key %s", k, n, ex.Scenario, k.Scenario())
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
	if _, ok := KeyFor("unknown", graph.MediaServiceHosted); ok {
		t.Error("KeyFor of an unknown scenario found a key")
	}
}
