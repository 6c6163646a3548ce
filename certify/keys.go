package certify

import (
	"fmt"
	"strings"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/graph"
)

// Key names a scenario certify-bot certifies: a documented scenario, with
// service-hosted media, or with app-hosted media when it ends in "-app". Keys
// are what --trigger names (--trigger 'group-app=CMD') and what check ids
// carry (outbound.group-app.permissions).
type Key string

// The keys, one per documented scenario × media (create-call-doc.txt
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

type keyInfo struct {
	scenario emulator.Scenario
	media    graph.MediaKind
	examples []int // the documented examples of the scenario and media
}

var keyInfos = map[Key]keyInfo{
	KeyP2P:        {emulator.ScenarioPeerToPeer, graph.MediaServiceHosted, []int{1}},
	KeyP2PApp:     {emulator.ScenarioPeerToPeer, graph.MediaAppHosted, []int{2}},
	KeyGroup:      {emulator.ScenarioGroupCall, graph.MediaServiceHosted, []int{3}},
	KeyGroupApp:   {emulator.ScenarioGroupCall, graph.MediaAppHosted, []int{4}},
	KeyMeeting:    {emulator.ScenarioMeetingJoin, graph.MediaServiceHosted, []int{5, 7}},
	KeyMeetingApp: {emulator.ScenarioMeetingJoin, graph.MediaAppHosted, []int{6}},
	KeyGuest:      {emulator.ScenarioGuestJoin, graph.MediaServiceHosted, []int{8}},
	KeyGuestApp:   {emulator.ScenarioGuestJoin, graph.MediaAppHosted, []int{8}},
	KeyPSTN:       {emulator.ScenarioPSTN, graph.MediaServiceHosted, []int{9}},
	KeyPSTNApp:    {emulator.ScenarioPSTN, graph.MediaAppHosted, []int{10}},
}

// Keys returns every key, in documentation order: the order triggers run in
// and checks are listed in.
func Keys() []Key {
	return []Key{KeyP2P, KeyP2PApp, KeyGroup, KeyGroupApp, KeyMeeting, KeyMeetingApp, KeyGuest, KeyGuestApp, KeyPSTN, KeyPSTNApp}
}

// ParseKey returns the key named s; the error lists the valid keys.
func ParseKey(s string) (Key, error) {
	if _, ok := keyInfos[Key(s)]; ok {
		return Key(s), nil
	}
	return "", fmt.Errorf("unknown scenario %q (want one of %s)", s, keyList())
}

func keyList() string {
	var names []string
	for _, k := range Keys() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

// KeyFor returns the key of a scenario and media kind, as inferred from a
// create body; false when they make no key (an unknown scenario or media).
func KeyFor(s emulator.Scenario, m graph.MediaKind) (Key, bool) {
	for _, k := range Keys() {
		if in := keyInfos[k]; in.scenario == s && in.media == m {
			return k, true
		}
	}
	return "", false
}

// Scenario returns the emulator's scenario of the key.
func (k Key) Scenario() emulator.Scenario { return keyInfos[k].scenario }

// Media returns who hosts the media in the key's scenario.
func (k Key) Media() graph.MediaKind { return keyInfos[k].media }

// Examples returns the numbers of the documented examples of the key.
func (k Key) Examples() []int { return keyInfos[k].examples }

// hasRoster reports whether the scenario's notifications include rosters
// (create-call-doc.txt: none for peer-to-peer, Example 1's note).
func (k Key) hasRoster() bool {
	switch k.Scenario() {
	case emulator.ScenarioGroupCall, emulator.ScenarioMeetingJoin, emulator.ScenarioGuestJoin:
		return true
	}
	return false
}

// meeting reports whether the key joins a meeting.
func (k Key) meeting() bool {
	return k.Scenario() == emulator.ScenarioMeetingJoin || k.Scenario() == emulator.ScenarioGuestJoin
}
