package certify

import (
	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
)

// Key is certify-bot's name for a graph.Scenario: its Key(), "p2p",
// "group-app", ... Keys are what --trigger names (--trigger
// 'group-app=CMD') and what check ids carry (outbound.group-app.permissions).
type Key string

// The keys, one per scenario × media of graph.Scenarios (create-call-doc.txt
// Examples 1–10).
const (
	KeyP2P        Key = "p2p"         // Example 1: the bot calls one Teams user
	KeyP2PApp     Key = "p2p-app"     // Example 2
	KeyGroup      Key = "group"       // Example 3: the bot calls several users
	KeyGroupApp   Key = "group-app"   // Example 4
	KeyMeeting    Key = "meeting"     // Examples 5, 7: the bot joins a scheduled or channel meeting
	KeyMeetingApp Key = "meeting-app" // Example 6
	KeyGuest      Key = "guest"       // Example 8: the bot joins a meeting as a guest
	KeyGuestApp   Key = "guest-app"   // Example 8 with app-hosted media (no example of its own)
	KeyPSTN       Key = "pstn"        // Example 9: the bot calls a phone number
	KeyPSTNApp    Key = "pstn-app"    // Example 10
)

// keyUnknown stands for a create request (seen with --wait) that describes no
// documented scenario.
const keyUnknown Key = "unknown"

// Keys returns every key, in documentation order: the order triggers run in
// and checks are listed in.
func Keys() []Key {
	out := make([]Key, 0, len(graph.Scenarios()))
	for _, s := range graph.Scenarios() {
		out = append(out, Key(s.Key()))
	}
	return out
}

// ParseKey returns the key named s; the error lists the valid keys.
func ParseKey(s string) (Key, error) {
	sc, err := graph.ParseScenario(s)
	if err != nil {
		return "", err
	}
	return Key(sc.Key()), nil
}

// KeyFor returns the key of a scenario, as inferred from a create body;
// false when it makes no key (an unknown kind or media).
func KeyFor(s graph.Scenario) (Key, bool) {
	k := Key(s.Key())
	_, err := graph.ParseScenario(string(k))
	return k, err == nil && s.Media != graph.MediaUnknown
}

// Scenario returns the scenario the key names (the zero Scenario's kind is
// graph.KindUnknown for keyUnknown).
func (k Key) Scenario() graph.Scenario {
	s, err := graph.ParseScenario(string(k))
	if err != nil {
		return graph.Scenario{Kind: graph.KindUnknown}
	}
	return s
}

// Kind returns the kind of call the key names.
func (k Key) Kind() graph.Kind { return k.Scenario().Kind }

// Media returns who hosts the media in the key's scenario.
func (k Key) Media() graph.MediaKind { return k.Scenario().Media }

// Examples returns the numbers of the documented examples of the key: those
// of its kind (a channel meeting is a meeting join) and media, or of its
// kind alone when the page has none with its media (guest-app).
func (k Key) Examples() []int {
	s := k.Scenario()
	var same, kind []int
	for _, ex := range fixtures.All() {
		if ex.Kind.Rules() != s.Kind {
			continue
		}
		kind = append(kind, ex.Number)
		if ex.Media == s.Media {
			same = append(same, ex.Number)
		}
	}
	if len(same) > 0 {
		return same
	}
	return kind
}

// hasRoster reports whether the scenario's notifications include rosters
// (create-call-doc.txt: none for peer-to-peer, Example 1's note).
func (k Key) hasRoster() bool { return k.Kind().HasRoster() }

// meeting reports whether the key joins a meeting.
func (k Key) meeting() bool { return k.Kind().JoinsMeeting() }
