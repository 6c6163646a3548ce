package graph

import (
	"fmt"
	"strings"
)

// Kind is what a Create call request does: the documented scenarios of
// create-call-doc.txt Examples 1–10, without the media (see Scenario).
// It is the one scenario vocabulary of callcheck: fixtures, the emulator, the
// rulebook, certify-bot, the reference bot, the suites and load all name
// scenarios with it.
type Kind string

// The kinds, in documentation order.
const (
	// KindUnknown: the body names no target, meeting or guest.
	KindUnknown Kind = "unknown"
	// KindPeerToPeer: the bot calls one Teams user over VoIP (Examples 1, 2).
	KindPeerToPeer Kind = "peer-to-peer"
	// KindGroupCall: a bot-created group call with several VoIP users and no
	// meeting (Examples 3, 4).
	KindGroupCall Kind = "group-call"
	// KindMeetingJoin: the bot joins a scheduled meeting with chatInfo and
	// meetingInfo (Examples 5, 6).
	KindMeetingJoin Kind = "meeting-join"
	// KindChannelMeeting: the bot joins a channel meeting, a thread
	// 19:…@thread.skype (Example 7). Its rules are a meeting join's.
	KindChannelMeeting Kind = "channel-meeting"
	// KindGuestJoin: the bot joins a meeting as a guest identity
	// (source.identity.guest), held in the lobby until admitted (Example 8).
	KindGuestJoin Kind = "guest-join"
	// KindPSTN: a peer-to-peer call to a phone number from an application
	// instance (Examples 9, 10).
	KindPSTN Kind = "pstn"
)

// Kinds returns every kind except KindUnknown, in documentation order.
func Kinds() []Kind {
	return []Kind{KindPeerToPeer, KindGroupCall, KindMeetingJoin, KindChannelMeeting, KindGuestJoin, KindPSTN}
}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, error) {
	for _, k := range append(Kinds(), KindUnknown) {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown call kind %q (want one of %s)", s, joinKinds())
}

func joinKinds() string {
	names := make([]string, 0, len(Kinds()))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

// Rules returns the kind whose request rules, permission and notification
// sequence k shares: a channel meeting is joined as a scheduled meeting is
// (create-call-doc.txt Example 7 differs from Example 5 only in its chat
// thread), so KindChannelMeeting answers KindMeetingJoin; every other kind
// answers itself.
func (k Kind) Rules() Kind {
	if k == KindChannelMeeting {
		return KindMeetingJoin
	}
	return k
}

// PeerToPeer reports whether k is a call between the bot and one party.
func (k Kind) PeerToPeer() bool { return k == KindPeerToPeer || k == KindPSTN }

// JoinsMeeting reports whether k joins an existing meeting.
func (k Kind) JoinsMeeting() bool {
	return k == KindMeetingJoin || k == KindChannelMeeting || k == KindGuestJoin
}

// HasRoster reports whether k's documented notification sequence includes
// roster (participants) notifications (create-call-doc.txt Example 5 note;
// Example 2 note: "For peer-to-peer calls, the expected notifications are
// for call state changes only").
func (k Kind) HasRoster() bool {
	return k == KindGroupCall || k.JoinsMeeting()
}

// Permission returns the application permission a create of kind k needs
// (graph-calls-facts.md §5.1), "" for KindUnknown.
func (k Kind) Permission() string {
	switch k.Rules() {
	case KindPeerToPeer, KindPSTN:
		return RoleInitiate
	case KindGroupCall:
		return RoleInitiateGroupCall
	case KindMeetingJoin:
		return RoleJoinGroupCall
	case KindGuestJoin:
		return RoleJoinGroupCallAsGuest
	}
	return ""
}

// Feature returns the feature name a target claims to be tested on kind k
// ("" for KindUnknown). A channel meeting is also a meeting join: its
// contracts name both features.
func (k Kind) Feature() Feature {
	switch k {
	case KindPeerToPeer:
		return FeaturePeerToPeer
	case KindGroupCall:
		return FeatureGroupCall
	case KindMeetingJoin:
		return FeatureMeetingJoin
	case KindChannelMeeting:
		return FeatureChannelMeeting
	case KindGuestJoin:
		return FeatureGuestJoin
	case KindPSTN:
		return FeaturePSTN
	}
	return ""
}

// The real (singular) application permissions of the calling API
// (graph-calls-facts.md §5.1; the page's plural spellings are not
// permissions, §9.1).
const (
	RoleInitiate             = "Calls.Initiate.All"
	RoleInitiateGroupCall    = "Calls.InitiateGroupCall.All"
	RoleJoinGroupCall        = "Calls.JoinGroupCall.All"
	RoleJoinGroupCallAsGuest = "Calls.JoinGroupCallAsGuest.All"
	// RoleAccessMedia is needed in addition for app-hosted media (page line 22).
	RoleAccessMedia = "Calls.AccessMedia.All"
)

// CallingRoles returns every calling permission, in the order above.
func CallingRoles() []string {
	return []string{RoleInitiate, RoleInitiateGroupCall, RoleJoinGroupCall, RoleJoinGroupCallAsGuest, RoleAccessMedia}
}

// Feature is a capability of the Create call API that a target may claim
// (the suites' frozen registry gives each a profile and a description).
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

// Feature returns the feature name that claims media m ("" for MediaUnknown).
func (m MediaKind) Feature() Feature {
	switch m {
	case MediaServiceHosted:
		return FeatureServiceHostedMedia
	case MediaAppHosted:
		return FeatureAppHostedMedia
	}
	return ""
}

// Scenario is a kind of call with its media: what one documented example
// does (create-call-doc.txt Examples 1–10), what certify-bot triggers and
// what the reference bot makes.
type Scenario struct {
	Kind  Kind
	Media MediaKind
}

// Scenarios returns the scenarios certify-bot and the reference bot know, in
// documentation order: every kind but the channel meeting (a meeting join)
// with service- and app-hosted media.
func Scenarios() []Scenario {
	var out []Scenario
	for _, k := range Kinds() {
		if k == KindChannelMeeting {
			continue
		}
		out = append(out, Scenario{k, MediaServiceHosted}, Scenario{k, MediaAppHosted})
	}
	return out
}

var shortKinds = map[Kind]string{
	KindPeerToPeer: "p2p", KindGroupCall: "group", KindMeetingJoin: "meeting",
	KindChannelMeeting: "meeting", KindGuestJoin: "guest", KindPSTN: "pstn",
}

// Key returns the scenario's short name, as --trigger, the reference bot's
// ?scenario= and certify-bot's check ids spell it: "p2p", "group",
// "meeting", "guest" or "pstn", with "-app" for app-hosted media
// ("unknown" for KindUnknown).
func (s Scenario) Key() string {
	short, ok := shortKinds[s.Kind]
	if !ok {
		return string(KindUnknown)
	}
	if s.Media == MediaAppHosted {
		return short + "-app"
	}
	return short
}

// String returns the key.
func (s Scenario) String() string { return s.Key() }

// ParseScenario returns the scenario whose Key is key.
func ParseScenario(key string) (Scenario, error) {
	for _, s := range Scenarios() {
		if s.Key() == key {
			return s, nil
		}
	}
	keys := make([]string, 0, len(Scenarios()))
	for _, s := range Scenarios() {
		keys = append(keys, s.Key())
	}
	return Scenario{}, fmt.Errorf("unknown scenario %q (want one of %s)", key, strings.Join(keys, ", "))
}

// Permissions returns the application permissions a create of s needs, all
// of which the token's roles claim must hold (graph-calls-facts.md §5.1;
// app-hosted media needs Calls.AccessMedia.All in addition, page line 22).
// KindUnknown needs nothing beyond its media's permission.
func (s Scenario) Permissions() []string {
	var roles []string
	if p := s.Kind.Permission(); p != "" {
		roles = append(roles, p)
	}
	if s.Media == MediaAppHosted {
		roles = append(roles, RoleAccessMedia)
	}
	return roles
}

// Features returns the features a target claims to be tested on s: its
// kind's (a channel meeting's include the meeting join's) and its media's.
func (s Scenario) Features() []Feature {
	var out []Feature
	if s.Kind == KindChannelMeeting {
		out = append(out, FeatureMeetingJoin)
	}
	if f := s.Kind.Feature(); f != "" {
		out = append(out, f)
	}
	if f := s.Media.Feature(); f != "" {
		out = append(out, f)
	}
	return out
}

// InferKind classifies a create request body, checking in this order
// (graph-calls-facts.md §3.2–3.6; the first that applies wins):
//
//  1. a guest source (source.identity.guest) → KindGuestJoin
//     (a guest join also carries meeting info, so it is tested first);
//  2. meetingInfo or chatInfo → KindMeetingJoin (a channel meeting is
//     joined with the same body, so it is not told apart);
//  3. a phone target or an applicationInstance source → KindPSTN;
//  4. more than one target → KindGroupCall;
//  5. exactly one target → KindPeerToPeer;
//  6. otherwise KindUnknown.
//
// A nil call is KindUnknown.
func InferKind(c *Call) Kind {
	if c == nil {
		return KindUnknown
	}
	var guest, appInstance, phone bool
	if c.Source != nil && c.Source.Identity != nil {
		guest = c.Source.Identity.Guest != nil
		appInstance = c.Source.Identity.ApplicationInstance != nil
	}
	for _, t := range c.Targets {
		phone = phone || (t.Identity != nil && t.Identity.Phone != nil)
	}
	return ClassifyKind(guest, c.MeetingInfo != nil || c.ChatInfo != nil, phone || appInstance, len(c.Targets))
}

// ClassifyKind is InferKind's decision on already-extracted facts: a guest
// source, meeting or chat info, a phone target or application-instance
// source, and the number of targets.
func ClassifyKind(guestSource, meeting, pstn bool, targets int) Kind {
	switch {
	case guestSource:
		return KindGuestJoin
	case meeting:
		return KindMeetingJoin
	case pstn:
		return KindPSTN
	case targets > 1:
		return KindGroupCall
	case targets == 1:
		return KindPeerToPeer
	}
	return KindUnknown
}

// InferScenario is InferKind with the body's media.
func InferScenario(c *Call) Scenario {
	if c == nil {
		return Scenario{Kind: KindUnknown}
	}
	return Scenario{Kind: InferKind(c), Media: c.MediaConfig.Kind()}
}
