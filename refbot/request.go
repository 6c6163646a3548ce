package refbot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/callcheck/callcheck/graph"
)

// Scenario is a kind of call the bot makes: a documented scenario, with
// service-hosted media, or with app-hosted media when it ends in "-app".
// The names are certify-bot's trigger keys.
type Scenario string

// The scenarios of create-call-doc.txt Examples 1–10.
const (
	P2P        Scenario = "p2p"         // Example 1: call one Teams user
	P2PApp     Scenario = "p2p-app"     // Example 2
	Group      Scenario = "group"       // Example 3: call several users
	GroupApp   Scenario = "group-app"   // Example 4
	Meeting    Scenario = "meeting"     // Examples 5, 7: join a scheduled or channel meeting
	MeetingApp Scenario = "meeting-app" // Example 6
	Guest      Scenario = "guest"       // Example 8: join a meeting as a guest
	GuestApp   Scenario = "guest-app"   // Example 8 with app-hosted media
	PSTN       Scenario = "pstn"        // Example 9: call a phone number
	PSTNApp    Scenario = "pstn-app"    // Example 10
)

// Scenarios returns every scenario, in documentation order.
func Scenarios() []Scenario {
	return []Scenario{P2P, P2PApp, Group, GroupApp, Meeting, MeetingApp, Guest, GuestApp, PSTN, PSTNApp}
}

// ParseScenario returns the scenario named s.
func ParseScenario(s string) (Scenario, error) {
	for _, sc := range Scenarios() {
		if string(sc) == s {
			return sc, nil
		}
	}
	return "", fmt.Errorf("refbot: unknown scenario %q (want one of %s)", s, joinScenarios())
}

func joinScenarios() string {
	var names []string
	for _, s := range Scenarios() {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

// AppHosted reports whether the bot hosts the call's media itself.
func (s Scenario) AppHosted() bool { return strings.HasSuffix(string(s), "-app") }

// base is the scenario without its media suffix.
func (s Scenario) base() Scenario { return Scenario(strings.TrimSuffix(string(s), "-app")) }

// The application permissions (graph-calls-facts.md §5.1: the real, singular
// names).
const (
	PermInitiate      = "Calls.Initiate.All"
	PermInitiateGroup = "Calls.InitiateGroupCall.All"
	PermJoinGroup     = "Calls.JoinGroupCall.All"
	PermJoinAsGuest   = "Calls.JoinGroupCallAsGuest.All"
	PermAccessMedia   = "Calls.AccessMedia.All"
)

// Permissions returns the application permissions the app registration must
// grant for the bot to make calls of scenarios (graph-calls-facts.md §5.1):
// what a vendor puts in the registration, and what certify-bot's --roles
// mirrors.
func (c Config) Permissions(scenarios ...Scenario) []string {
	var out []string
	add := func(p string) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, s := range scenarios {
		switch s.base() {
		case P2P, PSTN:
			add(PermInitiate)
		case Group:
			add(c.groupPermission())
		case Meeting:
			add(PermJoinGroup)
		case Guest:
			add(PermJoinAsGuest)
		}
		if s.AppHosted() {
			add(PermAccessMedia) // "in addition to one of the permissions listed"
		}
	}
	return out
}

func (c Config) groupPermission() string {
	if c.has(FlawGroupCallP2PPermission) {
		return PermInitiate
	}
	return PermInitiateGroup
}

// Directory is whom the bot calls and which meeting it joins.
type Directory struct {
	// Users are called: the first alone (peer-to-peer), all of them as a
	// group call (at most 5, create-call-doc.txt Example 3).
	Users []graph.Identity
	// Organizer, ThreadID and MessageID name the meeting to join (Example 5).
	Organizer graph.Identity
	ThreadID  string
	MessageID string
	// Guest is the identity the bot joins as, as a guest (Example 8).
	Guest graph.Identity
	// ApplicationInstance is the bot's application instance, which holds the
	// phone number PSTN calls come from; Phone is the E.164 number called
	// (Examples 9, 10).
	ApplicationInstance graph.Identity
	Phone               string
	// MediaBlob is the serialized media session an app-hosted bot sends
	// (Example 2); a real bot gets it from its media platform.
	MediaBlob string
}

func (d Directory) isZero() bool { return len(d.Users) == 0 && d.ThreadID == "" && d.Phone == "" }

// DefaultDirectory returns the identities of the documentation's examples.
func DefaultDirectory() Directory {
	return Directory{
		Users: []graph.Identity{
			{ID: "112f7296-5fa4-42ca-bae8-6a692b15d4b8", DisplayName: "John"},  // Example 1
			{ID: "98da8a1a-1b87-452c-a713-65d3f10b5555", DisplayName: "user1"}, // Example 3
			{ID: "bf5aae9a-d11d-47a8-93b1-782504c95555", DisplayName: "user2"}, // Example 3
		},
		Organizer:           graph.Identity{ID: "5810cede-f3cc-42eb-b2c1-e9bd5d53ec96", DisplayName: "Bob"}, // Example 5
		ThreadID:            "19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2",
		MessageID:           "0",
		Guest:               graph.Identity{ID: "d7a3b999-17ac-4bca-9e77-e6a730d2ec2e", DisplayName: "Guest User"},  // Example 8
		ApplicationInstance: graph.Identity{ID: "3d913abb-aec0-4964-8fa6-3c6850c4f278", DisplayName: "Calling Bot"}, // Example 9
		Phone:               "+12345678901",
		MediaBlob:           `{"mpUri":"net.tcp://bot.contoso.com:8445/MediaProcessor","callId":"00000000-0000-0000-0000-000000000000"}`,
	}
}

// request builds the create body of scenario s, as the documentation's
// example for it does (create-call-doc.txt Examples 1–10), without the
// read-only properties some examples send (tenantId, direction:
// graph-calls-facts.md §1.2, §9.3).
func (b *Bot) request(s Scenario) (*graph.Call, error) {
	d := b.cfg.Directory
	c := &graph.Call{
		ODataType:           graph.TypeCall,
		CallbackURI:         b.cfg.CallbackURL,
		RequestedModalities: []graph.Modality{graph.ModalityAudio},
		MediaConfig:         b.mediaConfig(s),
	}
	switch s.base() {
	case P2P:
		c.Targets = b.invite(d.Users[:1])
	case Group:
		c.Targets = b.invite(d.Users)
	case Meeting, Guest:
		b.joinMeeting(c, s)
	case PSTN:
		c.Source = participant(&graph.IdentitySet{ApplicationInstance: typed(d.ApplicationInstance)})
		c.Targets = []graph.InvitationParticipantInfo{{ODataType: graph.TypeInvitationParticipantInfo,
			Identity: &graph.IdentitySet{ODataType: graph.TypeIdentitySet, Phone: &graph.Identity{ODataType: graph.TypeIdentity, ID: d.Phone}}}}
	default:
		return nil, fmt.Errorf("refbot: unknown scenario %q (want one of %s)", s, joinScenarios())
	}
	return c, nil
}

// mediaConfig is required on every create (graph-calls-facts.md §1.1).
func (b *Bot) mediaConfig(s Scenario) *graph.MediaConfig {
	if b.cfg.has(FlawNoMediaConfig) {
		return nil
	}
	if s.AppHosted() {
		blob := b.cfg.Directory.MediaBlob
		return &graph.MediaConfig{ODataType: graph.TypeAppHostedMediaConfig, Blob: &blob}
	}
	return &graph.MediaConfig{ODataType: graph.TypeServiceHostedMediaConfig}
}

func (b *Bot) invite(users []graph.Identity) []graph.InvitationParticipantInfo {
	var out []graph.InvitationParticipantInfo
	for _, u := range users {
		out = append(out, graph.InvitationParticipantInfo{ODataType: graph.TypeInvitationParticipantInfo,
			Identity: &graph.IdentitySet{ODataType: graph.TypeIdentitySet, User: typed(u)}})
	}
	return out
}

// joinMeeting names the meeting by its chat and organizer (Example 5), and
// the guest identity for a guest join (Example 8).
func (b *Bot) joinMeeting(c *graph.Call, s Scenario) {
	d := b.cfg.Directory
	organizer := typed(d.Organizer)
	organizer.TenantID = b.cfg.TenantID
	c.ChatInfo = &graph.ChatInfo{ODataType: graph.TypeChatInfo, ThreadID: d.ThreadID, MessageID: d.MessageID}
	c.MeetingInfo = &graph.MeetingInfo{ODataType: graph.TypeOrganizerMeetingInfo,
		Organizer: &graph.IdentitySet{ODataType: graph.TypeIdentitySet, User: organizer}}
	if s.base() == Guest {
		c.Source = participant(&graph.IdentitySet{Guest: typed(d.Guest)})
	}
}

func participant(ids *graph.IdentitySet) *graph.ParticipantInfo {
	ids.ODataType = graph.TypeIdentitySet
	return &graph.ParticipantInfo{ODataType: graph.TypeParticipantInfo, Identity: ids}
}

func typed(id graph.Identity) *graph.Identity {
	id.ODataType = graph.TypeIdentity
	return &id
}
