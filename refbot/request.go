package refbot

import (
	"fmt"
	"slices"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
)

// ParseScenario returns the scenario whose key is key ("p2p", "group-app",
// …: graph.Scenario.Key), as the control API's ?scenario= names it.
func ParseScenario(key string) (graph.Scenario, error) {
	s, err := graph.ParseScenario(key)
	if err != nil {
		return graph.Scenario{}, fmt.Errorf("refbot: %w", err)
	}
	return s, nil
}

// Permissions returns the application permissions the app registration must
// grant for the bot to make calls of scenarios (graph.Scenario.Permissions,
// graph-calls-facts.md §5.1), each once: what a vendor puts in the
// registration, and what certify-bot's --roles mirrors. A bot with
// FlawGroupCallP2PPermission declares Calls.Initiate.All for group calls.
func (c Config) Permissions(scenarios ...graph.Scenario) []string {
	var out []string
	for _, s := range scenarios {
		for _, p := range s.Permissions() {
			if p == graph.RoleInitiateGroupCall && c.has(FlawGroupCallP2PPermission) {
				p = graph.RoleInitiate
			}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
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

// DefaultDirectory returns the identities of the documentation's examples
// (fixtures.DocumentedValues): the users of Examples 1 and 3, the meeting
// and organizer of Example 5, the guest of Example 8, and the application
// instance and phone number of Example 9; and a short sample media-session
// blob.
func DefaultDirectory() Directory {
	doc := fixtures.DocumentedValues()
	d := Directory{
		Organizer:           identityOf(doc.Meeting.Organizer),
		ThreadID:            doc.Meeting.ThreadID,
		MessageID:           doc.Meeting.MessageID,
		Guest:               identityOf(doc.Guest),
		ApplicationInstance: identityOf(doc.ApplicationInstance),
		Phone:               doc.Phone,
		MediaBlob:           `{"mpUri":"net.tcp://bot.contoso.com:8445/MediaProcessor","callId":"00000000-0000-0000-0000-000000000000"}`,
	}
	for _, u := range doc.Users {
		d.Users = append(d.Users, identityOf(u))
	}
	return d
}

// identityOf is a documented identity as the bot's directory holds it.
func identityOf(id fixtures.Identity) graph.Identity {
	return graph.Identity{ID: id.ID, DisplayName: id.DisplayName, TenantID: id.TenantID}
}

// request builds the create body of scenario s, as the documentation's
// example for it does (create-call-doc.txt Examples 1–10), without the
// read-only properties some examples send (tenantId, direction:
// graph-calls-facts.md §1.2, §9.3).
func (b *Bot) request(s graph.Scenario) (*graph.Call, error) {
	d := b.cfg.Directory
	c := &graph.Call{
		ODataType:           graph.TypeCall,
		CallbackURI:         b.cfg.CallbackURL,
		RequestedModalities: []graph.Modality{graph.ModalityAudio},
		MediaConfig:         b.mediaConfig(s),
	}
	switch s.Kind.Rules() {
	case graph.KindPeerToPeer:
		c.Targets = b.invite(d.Users[:1])
	case graph.KindGroupCall:
		c.Targets = b.invite(d.Users)
	case graph.KindMeetingJoin, graph.KindGuestJoin:
		b.joinMeeting(c, s)
	case graph.KindPSTN:
		c.Source = participant(&graph.IdentitySet{ApplicationInstance: typed(d.ApplicationInstance)})
		c.Targets = []graph.InvitationParticipantInfo{{ODataType: graph.TypeInvitationParticipantInfo,
			Identity: &graph.IdentitySet{ODataType: graph.TypeIdentitySet, Phone: &graph.Identity{ODataType: graph.TypeIdentity, ID: d.Phone}}}}
	default:
		_, err := ParseScenario(s.Key())
		return nil, err
	}
	return c, nil
}

// mediaConfig is required on every create (graph-calls-facts.md §1.1).
func (b *Bot) mediaConfig(s graph.Scenario) *graph.MediaConfig {
	if b.cfg.has(FlawNoMediaConfig) {
		return nil
	}
	if s.Media == graph.MediaAppHosted {
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
func (b *Bot) joinMeeting(c *graph.Call, s graph.Scenario) {
	d := b.cfg.Directory
	organizer := typed(d.Organizer)
	organizer.TenantID = b.cfg.TenantID
	c.ChatInfo = &graph.ChatInfo{ODataType: graph.TypeChatInfo, ThreadID: d.ThreadID, MessageID: d.MessageID}
	c.MeetingInfo = &graph.MeetingInfo{ODataType: graph.TypeOrganizerMeetingInfo,
		Organizer: &graph.IdentitySet{ODataType: graph.TypeIdentitySet, User: organizer}}
	if s.Kind == graph.KindGuestJoin {
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
