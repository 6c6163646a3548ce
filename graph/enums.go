package graph

import (
	"encoding/json"
	"strings"

	"github.com/callcheck/callcheck/internal/jsonscan"
)

// Enumerations are strings on the wire. The service sends both casings of the
// same member ("changeType": "Created" and "created", "state": "Establishing";
// graph-calls-facts.md §2, §9.7), so decoding maps any casing of a known member
// to its documented spelling. Unknown members are kept as sent: Graph adds
// members over time (unknownFutureValue).

// CallState is the state of a call (microsoft.graph.callState).
type CallState string

// Members of CallState. Ringing exists in beta only (graph-calls-facts.md §1.3).
const (
	CallStateIncoming           CallState = "incoming"
	CallStateEstablishing       CallState = "establishing"
	CallStateRinging            CallState = "ringing"
	CallStateEstablished        CallState = "established"
	CallStateHold               CallState = "hold"
	CallStateTransferring       CallState = "transferring"
	CallStateTransferAccepted   CallState = "transferAccepted"
	CallStateRedirecting        CallState = "redirecting"
	CallStateTerminating        CallState = "terminating"
	CallStateTerminated         CallState = "terminated"
	CallStateUnknownFutureValue CallState = "unknownFutureValue"
)

// CallDirection is the direction of a call (microsoft.graph.callDirection).
type CallDirection string

// Members of CallDirection.
const (
	DirectionIncoming CallDirection = "incoming"
	DirectionOutgoing CallDirection = "outgoing"
)

// Modality is a media modality (microsoft.graph.modality).
type Modality string

// Members of Modality. Unknown exists in beta only (graph-calls-facts.md §1.3).
const (
	ModalityUnknown                 Modality = "unknown"
	ModalityAudio                   Modality = "audio"
	ModalityVideo                   Modality = "video"
	ModalityVideoBasedScreenSharing Modality = "videoBasedScreenSharing"
	ModalityData                    Modality = "data"
	ModalityUnknownFutureValue      Modality = "unknownFutureValue"
)

// ChangeType is the change a notification reports (microsoft.graph.changeType).
type ChangeType string

// Members of ChangeType.
const (
	ChangeCreated            ChangeType = "created"
	ChangeUpdated            ChangeType = "updated"
	ChangeDeleted            ChangeType = "deleted"
	ChangeUnknownFutureValue ChangeType = "unknownFutureValue"
)

// MediaDirection is the direction of a media stream (microsoft.graph.mediaDirection).
type MediaDirection string

// Members of MediaDirection.
const (
	MediaInactive    MediaDirection = "inactive"
	MediaSendOnly    MediaDirection = "sendOnly"
	MediaReceiveOnly MediaDirection = "receiveOnly"
	MediaSendReceive MediaDirection = "sendReceive"
)

// EndpointType is the type of a participant's endpoint (microsoft.graph.endpointType).
type EndpointType string

// Members of EndpointType.
const (
	EndpointDefault                   EndpointType = "default"
	EndpointVoicemail                 EndpointType = "voicemail"
	EndpointSkypeForBusiness          EndpointType = "skypeForBusiness"
	EndpointSkypeForBusinessVoipPhone EndpointType = "skypeForBusinessVoipPhone"
	EndpointUnknownFutureValue        EndpointType = "unknownFutureValue"
)

var enumMembers = map[string]string{} // lower-case member -> documented spelling

func init() {
	for _, s := range []CallState{CallStateIncoming, CallStateEstablishing, CallStateRinging, CallStateEstablished,
		CallStateHold, CallStateTransferring, CallStateTransferAccepted, CallStateRedirecting, CallStateTerminating,
		CallStateTerminated, CallStateUnknownFutureValue} {
		addMember(string(s))
	}
	for _, s := range []string{string(DirectionIncoming), string(DirectionOutgoing),
		string(ModalityUnknown), string(ModalityAudio), string(ModalityVideo), string(ModalityVideoBasedScreenSharing),
		string(ModalityData), string(ChangeCreated), string(ChangeUpdated), string(ChangeDeleted),
		string(MediaInactive), string(MediaSendOnly), string(MediaReceiveOnly), string(MediaSendReceive),
		string(EndpointDefault), string(EndpointVoicemail), string(EndpointSkypeForBusiness),
		string(EndpointSkypeForBusinessVoipPhone)} {
		addMember(s)
	}
}

func addMember(s string) { enumMembers[strings.ToLower(s)] = s }

// plainMember returns the documented spelling of the member that the JSON
// string data names, when data is written plainly; false otherwise.
func plainMember(data []byte) (string, bool) {
	var lower [40]byte
	s, ok := jsonscan.PlainString(data)
	l := jsonscan.LowerASCII(lower[:0], s)
	if !ok || l == nil {
		return "", false
	}
	c, ok := enumMembers[string(l)] // members hold no quote or control character: others are not found
	return c, ok
}

// canonicalMember returns the documented spelling of an enum member in any
// casing, or s unchanged when it is not a known member.
func canonicalMember(s string) string {
	if c, ok := enumMembers[strings.ToLower(s)]; ok {
		return c
	}
	return s
}

// unmarshalEnum decodes a JSON string naming an enum member in any casing.
// A known member written plainly (ASCII, no escapes) is looked up in place,
// without decoding: notifications carry several per POST.
func unmarshalEnum(data []byte) (string, error) {
	if c, ok := plainMember(data); ok {
		return c, nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return "", err
	}
	return canonicalMember(s), nil
}

// UnmarshalJSON decodes a call state in any casing.
func (s *CallState) UnmarshalJSON(data []byte) error {
	v, err := unmarshalEnum(data)
	*s = CallState(v)
	return err
}

// UnmarshalJSON decodes a call direction in any casing.
func (d *CallDirection) UnmarshalJSON(data []byte) error {
	v, err := unmarshalEnum(data)
	*d = CallDirection(v)
	return err
}

// UnmarshalJSON decodes a modality in any casing.
func (m *Modality) UnmarshalJSON(data []byte) error {
	v, err := unmarshalEnum(data)
	*m = Modality(v)
	return err
}

// UnmarshalJSON decodes a change type in any casing.
func (c *ChangeType) UnmarshalJSON(data []byte) error {
	v, err := unmarshalEnum(data)
	*c = ChangeType(v)
	return err
}

// UnmarshalJSON decodes a media direction in any casing.
func (d *MediaDirection) UnmarshalJSON(data []byte) error {
	v, err := unmarshalEnum(data)
	*d = MediaDirection(v)
	return err
}

// UnmarshalJSON decodes an endpoint type in any casing.
func (e *EndpointType) UnmarshalJSON(data []byte) error {
	v, err := unmarshalEnum(data)
	*e = EndpointType(v)
	return err
}
