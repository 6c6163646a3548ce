package emulator

import (
	"encoding/json"
	"math"

	"github.com/callcheck/callcheck/graph"
)

// The create path reads a request body twice, cheaply: once into a light
// view holding only what validation and the notifications need (plain
// structs, one decoding pass), and once into its top-level members as raw
// JSON, which the 201 echoes unchanged. graph.Call's open types keep
// unknown properties by decoding every object twice; on the hot path that
// doubled the cost of a create (see BenchmarkCreateHandler), so the
// emulator hands the rulebook a graph.Call built from the view (call).

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

// set returns the identity set as graph's, with the ids the rules read.
func (s *viewIdentitySet) set() *graph.IdentitySet {
	if s == nil {
		return nil
	}
	id := func(v *viewIdentity) *graph.Identity {
		if v == nil {
			return nil
		}
		return &graph.Identity{ID: v.ID}
	}
	return &graph.IdentitySet{Application: id(s.Application), ApplicationInstance: id(s.ApplicationInstance), Guest: id(s.Guest),
		Phone: id(s.Phone), User: id(s.User), Device: id(s.Device), Encrypted: id(s.Encrypted), OnPremises: id(s.OnPremises),
		AssertedIdentity: id(s.AssertedIdentity), AzureCommunicationServicesUser: id(s.ACSUser)}
}

// call returns what the rulebook reads of the body as a graph.Call, built
// from the view without decoding the body again.
func (v *createView) call() *graph.Call {
	c := &graph.Call{CallbackURI: v.CallbackURI, TenantID: v.TenantID, RoutingPolicies: v.RoutingPolicies,
		RequestedModalities: make([]graph.Modality, len(v.RequestedModalities))}
	for i, m := range v.RequestedModalities {
		c.RequestedModalities[i] = graph.Modality(m)
	}
	if v.Source != nil {
		c.Source = &graph.ParticipantInfo{Identity: v.Source.ids.set()}
	}
	for _, t := range v.Targets {
		c.Targets = append(c.Targets, graph.InvitationParticipantInfo{Identity: t.ids.set()})
	}
	if m := v.MediaConfig; m != nil {
		c.MediaConfig = &graph.MediaConfig{ODataType: m.ODataType, Blob: m.Blob}
	}
	if v.chat != nil {
		c.ChatInfo = &graph.ChatInfo{ThreadID: v.chat.ThreadID}
	}
	if m := v.meeting; m != nil {
		c.MeetingInfo = &graph.MeetingInfo{ODataType: m.ODataType, Organizer: m.organizer.set(), JoinMeetingID: m.JoinMeetingID}
	}
	if r := v.RingingTimeoutInSeconds; r != nil && *r >= math.MinInt32 && *r <= math.MaxInt32 {
		r32 := int32(*r)
		c.RingingTimeoutInSeconds = &r32
	}
	return c
}

// kind is the call kind the body describes (graph.InferKind's order, on
// the view).
func (v *createView) kind() graph.Kind {
	guest, appInstance, phone := false, false, false
	if v.Source != nil && v.Source.ids != nil {
		guest = v.Source.ids.Guest != nil
		appInstance = v.Source.ids.ApplicationInstance != nil
	}
	for _, t := range v.Targets {
		phone = phone || (t.ids != nil && t.ids.Phone != nil)
	}
	return graph.ClassifyKind(guest, v.chat != nil || v.meeting != nil, phone || appInstance, len(v.Targets))
}
