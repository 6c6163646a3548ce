package graph

import "strings"

// MediaKind says who hosts a call's media.
type MediaKind string

// Media kinds, from the mediaConfig's @odata.type.
const (
	MediaUnknown       MediaKind = ""
	MediaServiceHosted MediaKind = "service-hosted"
	MediaAppHosted     MediaKind = "app-hosted"
)

// MediaConfig is the abstract microsoft.graph.mediaConfig with the members of
// its two concrete types: serviceHostedMediaConfig (preFetchMedia) and
// appHostedMediaConfig (blob). The @odata.type says which it is.
type MediaConfig struct {
	ODataType                   string      `json:"@odata.type,omitempty"`
	RemoveFromDefaultAudioGroup *bool       `json:"removeFromDefaultAudioGroup,omitempty"`
	PreFetchMedia               []MediaInfo `json:"preFetchMedia,omitempty"`
	Blob                        *string     `json:"blob,omitempty"`
	Extra                       Extra       `json:"-"`
}

// UnmarshalJSON decodes a mediaConfig, keeping undeclared properties in Extra.
func (m *MediaConfig) UnmarshalJSON(data []byte) error {
	type plain MediaConfig
	return unmarshalOpen(data, (*plain)(m), &m.Extra)
}

// MarshalJSON encodes a mediaConfig with its Extra properties.
func (m MediaConfig) MarshalJSON() ([]byte, error) {
	type plain MediaConfig
	return marshalOpen(plain(m), m.Extra)
}

// Kind returns the media kind its @odata.type names (matched case-insensitively,
// with or without the leading '#'), or MediaUnknown.
func (m *MediaConfig) Kind() MediaKind {
	if m == nil {
		return MediaUnknown
	}
	switch {
	case sameType(m.ODataType, TypeServiceHostedMediaConfig):
		return MediaServiceHosted
	case sameType(m.ODataType, TypeAppHostedMediaConfig):
		return MediaAppHosted
	}
	return MediaUnknown
}

// MediaInfo is microsoft.graph.mediaInfo: a prompt to prefetch.
type MediaInfo struct {
	ODataType  string `json:"@odata.type,omitempty"`
	URI        string `json:"uri,omitempty"`
	ResourceID string `json:"resourceId,omitempty"`
	Extra      Extra  `json:"-"`
}

// UnmarshalJSON decodes a mediaInfo, keeping undeclared properties in Extra.
func (m *MediaInfo) UnmarshalJSON(data []byte) error {
	type plain MediaInfo
	return unmarshalOpen(data, (*plain)(m), &m.Extra)
}

// MarshalJSON encodes a mediaInfo with its Extra properties.
func (m MediaInfo) MarshalJSON() ([]byte, error) {
	type plain MediaInfo
	return marshalOpen(plain(m), m.Extra)
}

// MeetingKind says how a meetingInfo identifies the meeting.
type MeetingKind string

// Meeting kinds, from the meetingInfo's @odata.type.
const (
	MeetingUnknown       MeetingKind = ""
	MeetingOrganizer     MeetingKind = "organizer"
	MeetingJoinMeetingID MeetingKind = "joinMeetingId"
	MeetingToken         MeetingKind = "token"
)

// MeetingInfo is the abstract microsoft.graph.meetingInfo with the members of
// its concrete types organizerMeetingInfo, joinMeetingIdMeetingInfo and
// tokenMeetingInfo (graph-calls-facts.md §1.4, §3.4).
type MeetingInfo struct {
	ODataType                    string       `json:"@odata.type,omitempty"`
	Organizer                    *IdentitySet `json:"organizer,omitempty"`
	AllowConversationWithoutHost *bool        `json:"allowConversationWithoutHost,omitempty"`
	JoinMeetingID                string       `json:"joinMeetingId,omitempty"`
	Passcode                     *string      `json:"passcode,omitempty"`
	Token                        string       `json:"token,omitempty"`
	Extra                        Extra        `json:"-"`
}

// UnmarshalJSON decodes a meetingInfo, keeping undeclared properties in Extra.
func (m *MeetingInfo) UnmarshalJSON(data []byte) error {
	type plain MeetingInfo
	return unmarshalOpen(data, (*plain)(m), &m.Extra)
}

// MarshalJSON encodes a meetingInfo with its Extra properties.
func (m MeetingInfo) MarshalJSON() ([]byte, error) {
	type plain MeetingInfo
	return marshalOpen(plain(m), m.Extra)
}

// Kind returns the meeting kind its @odata.type names, or MeetingUnknown.
func (m *MeetingInfo) Kind() MeetingKind {
	if m == nil {
		return MeetingUnknown
	}
	switch {
	case sameType(m.ODataType, TypeOrganizerMeetingInfo):
		return MeetingOrganizer
	case sameType(m.ODataType, TypeJoinMeetingIDMeetingInfo):
		return MeetingJoinMeetingID
	case sameType(m.ODataType, TypeTokenMeetingInfo):
		return MeetingToken
	}
	return MeetingUnknown
}

// sameType reports whether two @odata.type values name the same type,
// ignoring case and the optional leading '#'.
func sameType(a, b string) bool {
	return strings.EqualFold(strings.TrimPrefix(a, "#"), strings.TrimPrefix(b, "#"))
}

// SameType reports whether two @odata.type values name the same type,
// ignoring case and the optional leading '#'.
func SameType(a, b string) bool { return sameType(a, b) }
