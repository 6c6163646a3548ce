package graph

// Participant is the microsoft.graph.participant entity: one entry of a
// roster notification (resourceUrl …/participants).
type Participant struct {
	ODataType            string           `json:"@odata.type,omitempty"`
	ID                   string           `json:"id,omitempty"`
	Info                 *ParticipantInfo `json:"info,omitempty"`
	IsInLobby            *bool            `json:"isInLobby,omitempty"`
	IsMuted              *bool            `json:"isMuted,omitempty"`
	MediaStreams         []MediaStream    `json:"mediaStreams,omitempty"`
	Metadata             string           `json:"metadata,omitempty"`
	RosterSequenceNumber *FlexInt         `json:"rosterSequenceNumber,omitempty"`
	Extra                Extra            `json:"-"`
}

// UnmarshalJSON decodes a participant, keeping undeclared properties in Extra.
func (p *Participant) UnmarshalJSON(data []byte) error {
	type plain Participant
	return unmarshalOpen(data, (*plain)(p), &p.Extra)
}

// MarshalJSON encodes a participant with its Extra properties.
func (p Participant) MarshalJSON() ([]byte, error) {
	type plain Participant
	return marshalOpen(plain(p), p.Extra)
}

// InLobby reports whether the participant waits in the lobby.
func (p *Participant) InLobby() bool { return p != nil && p.IsInLobby != nil && *p.IsInLobby }

// MediaStream is microsoft.graph.mediaStream: one of a participant's streams.
type MediaStream struct {
	ODataType   string         `json:"@odata.type,omitempty"`
	MediaType   Modality       `json:"mediaType,omitempty"`
	SourceID    string         `json:"sourceId,omitempty"`
	Direction   MediaDirection `json:"direction,omitempty"`
	ServerMuted *bool          `json:"serverMuted,omitempty"`
	Label       string         `json:"label,omitempty"`
	Extra       Extra          `json:"-"`
}

// UnmarshalJSON decodes a mediaStream, keeping undeclared properties in Extra.
func (m *MediaStream) UnmarshalJSON(data []byte) error {
	type plain MediaStream
	return unmarshalOpen(data, (*plain)(m), &m.Extra)
}

// MarshalJSON encodes a mediaStream with its Extra properties.
func (m MediaStream) MarshalJSON() ([]byte, error) {
	type plain MediaStream
	return marshalOpen(plain(m), m.Extra)
}

// Bool returns a pointer to b, for the optional booleans of these types.
func Bool(b bool) *bool { return &b }

// String returns a pointer to s, for the optional strings of these types.
func String(s string) *string { return &s }
