package emulator

import (
	"github.com/callcheck/callcheck/graph"
)

// Scenario is the documented create-call scenario a request body describes.
type Scenario string

// The scenarios of the documentation's examples (create-call-doc.txt
// Examples 1–10).
const (
	// ScenarioUnknown: the body names no target, meeting or guest.
	ScenarioUnknown Scenario = "unknown"
	// ScenarioPeerToPeer: one VoIP target (Examples 1, 2).
	ScenarioPeerToPeer Scenario = "peer-to-peer"
	// ScenarioGroupCall: a bot-created group call, more than one target and no
	// meeting (Examples 3, 4).
	ScenarioGroupCall Scenario = "group-call"
	// ScenarioMeetingJoin: joining a scheduled or channel meeting, meetingInfo
	// and/or chatInfo (Examples 5, 6, 7).
	ScenarioMeetingJoin Scenario = "meeting-join"
	// ScenarioGuestJoin: joining a meeting as a guest, source.identity.guest
	// (Example 8).
	ScenarioGuestJoin Scenario = "guest-join"
	// ScenarioPSTN: a peer-to-peer call to a phone number from an application
	// instance (Examples 9, 10).
	ScenarioPSTN Scenario = "pstn"
)

// Scenarios returns every scenario except ScenarioUnknown, in documentation order.
func Scenarios() []Scenario {
	return []Scenario{ScenarioPeerToPeer, ScenarioGroupCall, ScenarioMeetingJoin, ScenarioGuestJoin, ScenarioPSTN}
}

// The real (singular) application permissions of the calling API
// (graph-calls-facts.md §5.1; the doc's plural spellings are not permissions, §9.1).
const (
	RoleInitiate             = "Calls.Initiate.All"
	RoleInitiateGroupCall    = "Calls.InitiateGroupCall.All"
	RoleJoinGroupCall        = "Calls.JoinGroupCall.All"
	RoleJoinGroupCallAsGuest = "Calls.JoinGroupCallAsGuest.All"
	RoleAccessMedia          = "Calls.AccessMedia.All"
)

// CallingRoles returns every calling permission; the default app holds them all.
func CallingRoles() []string {
	return []string{RoleInitiate, RoleInitiateGroupCall, RoleJoinGroupCall, RoleJoinGroupCallAsGuest, RoleAccessMedia}
}

// createRoles are the permissions one of which any create needs.
var createRoles = []string{RoleInitiate, RoleInitiateGroupCall, RoleJoinGroupCall, RoleJoinGroupCallAsGuest}

// InferScenario classifies a create request body, checking in this order
// (graph-calls-facts.md §3.2–3.6; the first that applies wins):
//
//  1. a guest source (source.identity.guest) → ScenarioGuestJoin
//     (a guest join also carries meeting info, so it is tested first);
//  2. meetingInfo or chatInfo → ScenarioMeetingJoin;
//  3. a phone target or an applicationInstance source → ScenarioPSTN;
//  4. more than one target → ScenarioGroupCall;
//  5. exactly one target → ScenarioPeerToPeer;
//  6. otherwise ScenarioUnknown.
//
// A nil call is ScenarioUnknown.
func InferScenario(c *graph.Call) Scenario {
	if c == nil {
		return ScenarioUnknown
	}
	f := facts{meeting: c.MeetingInfo != nil || c.ChatInfo != nil, targets: len(c.Targets)}
	if c.Source != nil && c.Source.Identity != nil {
		f.guestSource = c.Source.Identity.Guest != nil
		f.appInstanceSource = c.Source.Identity.ApplicationInstance != nil
	}
	for _, t := range c.Targets {
		f.phoneTarget = f.phoneTarget || (t.Identity != nil && t.Identity.Phone != nil)
	}
	return classify(f)
}

// RequiredRoles returns the application permissions a create of scenario
// with media needs, all of which the token's roles claim must hold
// (issue 3; graph-calls-facts.md §5.1): peer-to-peer and PSTN need
// Calls.Initiate.All, bot-created group calls Calls.InitiateGroupCall.All,
// meeting joins Calls.JoinGroupCall.All, guest joins
// Calls.JoinGroupCallAsGuest.All, and app-hosted media additionally
// Calls.AccessMedia.All. ScenarioUnknown needs nothing beyond media's role
// (such a body is refused by validation anyway).
func RequiredRoles(s Scenario, media graph.MediaKind) []string {
	var roles []string
	switch s {
	case ScenarioPeerToPeer, ScenarioPSTN:
		roles = append(roles, RoleInitiate)
	case ScenarioGroupCall:
		roles = append(roles, RoleInitiateGroupCall)
	case ScenarioMeetingJoin:
		roles = append(roles, RoleJoinGroupCall)
	case ScenarioGuestJoin:
		roles = append(roles, RoleJoinGroupCallAsGuest)
	}
	if media == graph.MediaAppHosted {
		roles = append(roles, RoleAccessMedia)
	}
	return roles
}

// hasRoster reports whether the scenario's documented sequence includes
// roster notifications (create-call-doc.txt Example 5 note; Example 2 note:
// "For peer-to-peer calls, the expected notifications are for call state
// changes only").
func (s Scenario) hasRoster() bool {
	return s == ScenarioGroupCall || s == ScenarioMeetingJoin || s == ScenarioGuestJoin
}
