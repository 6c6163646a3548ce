package emulator

import (
	"encoding/json"

	"github.com/callcheck/callcheck/graph"
)

// The create path reads a request body twice, cheaply: once into a light
// view holding only what validation and the notifications need (plain
// structs, one decoding pass), and once into its top-level members as raw
// JSON, which the 201 echoes unchanged. graph.Call's open types keep
// unknown properties by decoding every object twice; on the hot path that
// doubled the cost of a create (see BenchmarkCreateHandler), so the
// emulator keeps graph.Call for its API (InferScenario) and rare paths only.

// createView is what the emulator reads of a create body.
type createView struct {
	CallbackURI             string          `json:"callbackUri"`
	TenantID                string          `json:"tenantId"`
	Source                  *viewInfo       `json:"source"`
	Targets                 []viewInfo      `json:"targets"`
	MediaConfig             *viewMedia      `json:"mediaConfig"`
	ChatInfo                json.RawMessage `json:"chatInfo"`
	MeetingInfo             json.RawMessage `json:"meetingInfo"`
	RequestedModalities     []string        `json:"requestedModalities"`
	RingingTimeoutInSeconds *int64          `json:"ringingTimeoutInSeconds"`
	RoutingPolicies         []string        `json:"routingPolicies"`

	chat    *viewChat    // ChatInfo decoded, when not null
	meeting *viewMeeting // MeetingInfo decoded, when not null
}

// viewInfo is a participantInfo or invitationParticipantInfo: its identity.
type viewInfo struct {
	Identity json.RawMessage `json:"identity"`
	ids      *viewIdentitySet
}

// viewIdentitySet has the members of an identitySet the rules look at.
type viewIdentitySet struct {
	Application         *viewIdentity `json:"application"`
	ApplicationInstance *viewIdentity `json:"applicationInstance"`
	Guest               *viewIdentity `json:"guest"`
	Phone               *viewIdentity `json:"phone"`
	User                *viewIdentity `json:"user"`
	Device              *viewIdentity `json:"device"`
	Encrypted           *viewIdentity `json:"encrypted"`
	OnPremises          *viewIdentity `json:"onPremises"`
	AssertedIdentity    *viewIdentity `json:"assertedIdentity"`
	ACSUser             *viewIdentity `json:"azureCommunicationServicesUser"`
}

type viewIdentity struct {
	ID string `json:"id"`
}

type viewMedia struct {
	ODataType string  `json:"@odata.type"`
	Blob      *string `json:"blob"`
}

func (m *viewMedia) kind() graph.MediaKind {
	if m == nil {
		return graph.MediaUnknown
	}
	return (&graph.MediaConfig{ODataType: m.ODataType}).Kind()
}

type viewChat struct {
	ThreadID string `json:"threadId"`
}

type viewMeeting struct {
	ODataType     string          `json:"@odata.type"`
	Organizer     json.RawMessage `json:"organizer"`
	JoinMeetingID string          `json:"joinMeetingId"`
	organizer     *viewIdentitySet
}

func (m *viewMeeting) kind() graph.MeetingKind {
	if m == nil {
		return graph.MeetingUnknown
	}
	return (&graph.MeetingInfo{ODataType: m.ODataType}).Kind()
}

// decodeView reads body into a view. It fails only when the body's types do
// not fit (which schema validation reports first, naming the field).
func decodeView(body []byte) (*createView, error) {
	v := new(createView)
	if err := json.Unmarshal(body, v); err != nil {
		return nil, err
	}
	if err := v.decodeNested(); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeNested decodes the parts kept raw for echoing.
func (v *createView) decodeNested() error {
	var err error
	if v.Source != nil {
		if v.Source.ids, err = identitySet(v.Source.Identity); err != nil {
			return err
		}
	}
	for i := range v.Targets {
		if v.Targets[i].ids, err = identitySet(v.Targets[i].Identity); err != nil {
			return err
		}
	}
	if present(v.ChatInfo) {
		v.chat = new(viewChat)
		if err := json.Unmarshal(v.ChatInfo, v.chat); err != nil {
			return err
		}
	}
	if present(v.MeetingInfo) {
		v.meeting = new(viewMeeting)
		if err := json.Unmarshal(v.MeetingInfo, v.meeting); err != nil {
			return err
		}
		if v.meeting.organizer, err = identitySet(v.meeting.Organizer); err != nil {
			return err
		}
	}
	return nil
}

// present reports whether a raw member holds a value other than null.
func present(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }

func identitySet(raw json.RawMessage) (*viewIdentitySet, error) {
	if !present(raw) {
		return nil, nil
	}
	s := new(viewIdentitySet)
	return s, json.Unmarshal(raw, s)
}

// members returns the identities the set holds by member name.
func (s *viewIdentitySet) members() map[string]*viewIdentity {
	m := map[string]*viewIdentity{}
	if s == nil {
		return m
	}
	for name, id := range map[string]*viewIdentity{"application": s.Application, "applicationInstance": s.ApplicationInstance,
		"guest": s.Guest, "phone": s.Phone, "user": s.User, "device": s.Device, "encrypted": s.Encrypted,
		"onPremises": s.OnPremises, "assertedIdentity": s.AssertedIdentity, "azureCommunicationServicesUser": s.ACSUser} {
		if id != nil {
			m[name] = id
		}
	}
	return m
}

// facts are what classification looks at.
type facts struct {
	guestSource, meeting, phoneTarget, appInstanceSource bool
	targets                                              int
}

func (v *createView) facts() facts {
	f := facts{meeting: v.chat != nil || v.meeting != nil, targets: len(v.Targets)}
	if v.Source != nil && v.Source.ids != nil {
		f.guestSource = v.Source.ids.Guest != nil
		f.appInstanceSource = v.Source.ids.ApplicationInstance != nil
	}
	for _, t := range v.Targets {
		f.phoneTarget = f.phoneTarget || (t.ids != nil && t.ids.Phone != nil)
	}
	return f
}

// classify applies InferScenario's order to facts.
func classify(f facts) Scenario {
	switch {
	case f.guestSource:
		return ScenarioGuestJoin
	case f.meeting:
		return ScenarioMeetingJoin
	case f.phoneTarget || f.appInstanceSource:
		return ScenarioPSTN
	case f.targets > 1:
		return ScenarioGroupCall
	case f.targets == 1:
		return ScenarioPeerToPeer
	}
	return ScenarioUnknown
}
