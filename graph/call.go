// Package graph holds the wire types of the subset of the Microsoft Graph
// cloud-communications API that callcheck speaks: the call resource and what it
// reaches (participantInfo, identitySet, mediaConfig, chatInfo, meetingInfo,
// resultInfo), participants, commsNotifications and the Graph error body.
//
// The types are open, as Graph's are: properties a struct does not declare are
// kept in its Extra map and written back unchanged. Enumerations decode in any
// casing (see enums.go). Pointers and omitempty distinguish "absent" from a zero
// value; an explicit JSON null decodes as absent.
package graph

import "encoding/json"

// OData type names (the values of "@odata.type") of the types in this package.
const (
	TypeCall                      = "#microsoft.graph.call"
	TypeParticipantInfo           = "#microsoft.graph.participantInfo"
	TypeInvitationParticipantInfo = "#microsoft.graph.invitationParticipantInfo"
	TypeIdentitySet               = "#microsoft.graph.identitySet"
	TypeIdentity                  = "#microsoft.graph.identity"
	TypeServiceHostedMediaConfig  = "#microsoft.graph.serviceHostedMediaConfig"
	TypeAppHostedMediaConfig      = "#microsoft.graph.appHostedMediaConfig"
	TypeChatInfo                  = "#microsoft.graph.chatInfo"
	TypeOrganizerMeetingInfo      = "#microsoft.graph.organizerMeetingInfo"
	TypeJoinMeetingIDMeetingInfo  = "#microsoft.graph.joinMeetingIdMeetingInfo"
	TypeTokenMeetingInfo          = "#microsoft.graph.tokenMeetingInfo"
	TypeResultInfo                = "#microsoft.graph.resultInfo"
	TypeParticipant               = "#microsoft.graph.participant"
	TypeMediaStream               = "#microsoft.graph.mediaStream"
	TypeCommsNotifications        = "#microsoft.graph.commsNotifications"
	TypeCommsNotification         = "#microsoft.graph.commsNotification"
)

// Call is the microsoft.graph.call resource: the body of a create request, of
// its 201 response, and (partially) the resourceData of call notifications.
type Call struct {
	ODataType               string                      `json:"@odata.type,omitempty"`
	ODataContext            string                      `json:"@odata.context,omitempty"`
	ID                      string                      `json:"id,omitempty"`
	State                   CallState                   `json:"state,omitempty"`
	Direction               CallDirection               `json:"direction,omitempty"`
	Subject                 *string                     `json:"subject,omitempty"`
	CallbackURI             string                      `json:"callbackUri,omitempty"`
	CallChainID             string                      `json:"callChainId,omitempty"`
	CallRoutes              []json.RawMessage           `json:"callRoutes,omitempty"`
	Source                  *ParticipantInfo            `json:"source,omitempty"`
	Targets                 []InvitationParticipantInfo `json:"targets,omitempty"`
	RequestedModalities     []Modality                  `json:"requestedModalities,omitempty"`
	ActiveModalities        []Modality                  `json:"activeModalities,omitempty"`
	MediaConfig             *MediaConfig                `json:"mediaConfig,omitempty"`
	ChatInfo                *ChatInfo                   `json:"chatInfo,omitempty"`
	MeetingInfo             *MeetingInfo                `json:"meetingInfo,omitempty"`
	TenantID                string                      `json:"tenantId,omitempty"`
	MyParticipantID         string                      `json:"myParticipantId,omitempty"`
	ResultInfo              *ResultInfo                 `json:"resultInfo,omitempty"`
	TerminationReason       string                      `json:"terminationReason,omitempty"`
	RingingTimeoutInSeconds *int32                      `json:"ringingTimeoutInSeconds,omitempty"`
	RoutingPolicies         []string                    `json:"routingPolicies,omitempty"`
	MediaState              json.RawMessage             `json:"mediaState,omitempty"`
	AnsweredBy              *ParticipantInfo            `json:"answeredBy,omitempty"`
	Transcription           json.RawMessage             `json:"transcription,omitempty"`
	MeetingCapability       json.RawMessage             `json:"meetingCapability,omitempty"`
	ToneInfo                json.RawMessage             `json:"toneInfo,omitempty"`
	CallOptions             json.RawMessage             `json:"callOptions,omitempty"`
	IncomingContext         json.RawMessage             `json:"incomingContext,omitempty"`
	Extra                   Extra                       `json:"-"`
}

// UnmarshalJSON decodes a call, keeping undeclared properties in Extra.
func (c *Call) UnmarshalJSON(data []byte) error {
	type plain Call
	return unmarshalOpen(data, (*plain)(c), &c.Extra)
}

// MarshalJSON encodes a call with its Extra properties.
func (c Call) MarshalJSON() ([]byte, error) {
	type plain Call
	return marshalOpen(plain(c), c.Extra)
}

// ParticipantInfo is microsoft.graph.participantInfo: who a participant is.
type ParticipantInfo struct {
	ODataType     string       `json:"@odata.type,omitempty"`
	Identity      *IdentitySet `json:"identity,omitempty"`
	CountryCode   string       `json:"countryCode,omitempty"`
	EndpointType  EndpointType `json:"endpointType,omitempty"`
	Region        string       `json:"region,omitempty"`
	LanguageID    string       `json:"languageId,omitempty"`
	ParticipantID string       `json:"participantId,omitempty"`
	Extra         Extra        `json:"-"`
}

// UnmarshalJSON decodes a participantInfo, keeping undeclared properties in Extra.
func (p *ParticipantInfo) UnmarshalJSON(data []byte) error {
	type plain ParticipantInfo
	return unmarshalOpen(data, (*plain)(p), &p.Extra)
}

// MarshalJSON encodes a participantInfo with its Extra properties.
func (p ParticipantInfo) MarshalJSON() ([]byte, error) {
	type plain ParticipantInfo
	return marshalOpen(plain(p), p.Extra)
}

// InvitationParticipantInfo is microsoft.graph.invitationParticipantInfo: a
// call target. It does not derive from participantInfo (graph-calls-facts.md §1.4).
type InvitationParticipantInfo struct {
	ODataType                          string       `json:"@odata.type,omitempty"`
	Identity                           *IdentitySet `json:"identity,omitempty"`
	Hidden                             *bool        `json:"hidden,omitempty"`
	ParticipantID                      string       `json:"participantId,omitempty"`
	RemoveFromDefaultAudioRoutingGroup *bool        `json:"removeFromDefaultAudioRoutingGroup,omitempty"`
	ReplacesCallID                     string       `json:"replacesCallId,omitempty"`
	EndpointType                       EndpointType `json:"endpointType,omitempty"`
	Extra                              Extra        `json:"-"`
}

// UnmarshalJSON decodes an invitationParticipantInfo, keeping undeclared properties in Extra.
func (p *InvitationParticipantInfo) UnmarshalJSON(data []byte) error {
	type plain InvitationParticipantInfo
	return unmarshalOpen(data, (*plain)(p), &p.Extra)
}

// MarshalJSON encodes an invitationParticipantInfo with its Extra properties.
func (p InvitationParticipantInfo) MarshalJSON() ([]byte, error) {
	type plain InvitationParticipantInfo
	return marshalOpen(plain(p), p.Extra)
}

// ChatInfo is microsoft.graph.chatInfo: the meeting chat a join names.
type ChatInfo struct {
	ODataType           string  `json:"@odata.type,omitempty"`
	ThreadID            string  `json:"threadId,omitempty"`
	MessageID           string  `json:"messageId,omitempty"`
	ReplyChainMessageID *string `json:"replyChainMessageId,omitempty"`
	Extra               Extra   `json:"-"`
}

// UnmarshalJSON decodes a chatInfo, keeping undeclared properties in Extra.
func (c *ChatInfo) UnmarshalJSON(data []byte) error {
	type plain ChatInfo
	return unmarshalOpen(data, (*plain)(c), &c.Extra)
}

// MarshalJSON encodes a chatInfo with its Extra properties.
func (c ChatInfo) MarshalJSON() ([]byte, error) {
	type plain ChatInfo
	return marshalOpen(plain(c), c.Extra)
}

// ResultInfo is microsoft.graph.resultInfo: the outcome of a call or operation.
// Code and Subcode are Int32 in the metadata, but the documentation sends them
// as strings ("200", "5001") and the service as numbers (graph-calls-facts.md
// §9.4); both decode.
type ResultInfo struct {
	ODataType string   `json:"@odata.type,omitempty"`
	Code      FlexInt  `json:"code"`
	Subcode   *FlexInt `json:"subcode,omitempty"`
	Message   string   `json:"message,omitempty"`
	Extra     Extra    `json:"-"`
}

// UnmarshalJSON decodes a resultInfo, keeping undeclared properties in Extra.
func (r *ResultInfo) UnmarshalJSON(data []byte) error {
	type plain ResultInfo
	return unmarshalOpen(data, (*plain)(r), &r.Extra)
}

// MarshalJSON encodes a resultInfo with its Extra properties.
func (r ResultInfo) MarshalJSON() ([]byte, error) {
	type plain ResultInfo
	return marshalOpen(plain(r), r.Extra)
}
