package emulator

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/callcheck/callcheck/graph"
)

// stepKind is one notification of a call's sequence.
type stepKind int

const (
	stepEstablishing stepKind = iota
	stepEstablished
	stepRoster      // the meeting's roster (bot and others)
	stepLobbyRoster // a guest's roster: only the bot, in the lobby
	stepTerminating
	stepTerminated
	stepIncoming // the created notification of an incoming call
)

var stepNames = [...]string{"establishing", "established", "roster", "lobby-roster", "terminating", "terminated", "incoming"}

// String names the step as delivery records show it.
func (k stepKind) String() string { return stepNames[k] }

// step is a scheduled notification: what, after how long, and for the
// terminated step, with which result.
type step struct {
	kind   stepKind
	delay  time.Duration
	result *graph.ResultInfo
}

// Result infos of the ways a call ends (facts §3.9).
func resultInfo(code, subcode int64, message string) *graph.ResultInfo {
	sub := graph.Int(subcode)
	return &graph.ResultInfo{ODataType: graph.TypeResultInfo, Code: graph.Int(code), Subcode: &sub, Message: message}
}

var (
	resultKeepAliveTimeout = func() *graph.ResultInfo {
		return resultInfo(408, 8537, "Keep Alive timeout, cleaned up inactive call.")
	}
	resultStuck         = func() *graph.ResultInfo { return resultInfo(500, 7117, "Server Internal Error. DiagCode: 500#7117.@") }
	resultLobbyRejected = func() *graph.ResultInfo {
		return resultInfo(200, 5000, "Removed from the conversation by another participant.")
	}
	resultLobbyTimeout = func() *graph.ResultInfo {
		return resultInfo(200, 5855, "Participant waiting in lobby was removed from the conversation after lobby inactivity timeout.")
	}
	resultIncomingRejected = func() *graph.ResultInfo { return resultInfo(200, 7000, "The conversation has ended by bot.") }
)

// deleteResult is the resultInfo of the terminated notification after a DELETE.
func (e *Emulator) deleteResult() *graph.ResultInfo {
	switch e.cfg.Behaviour.DeleteSubcode {
	case 7000, 10550:
		return resultInfo(200, int64(e.cfg.Behaviour.DeleteSubcode), "The conversation has ended by bot.")
	}
	return resultInfo(200, 5001, "The conversation has ended.")
}

// farSideResult is the default resultInfo when the far side ends a call.
func farSideResult(s graph.Kind) *graph.ResultInfo {
	switch s {
	case graph.KindPeerToPeer:
		return resultInfo(200, 4521, "Call ended by the other participant in peer-to-peer call.")
	case graph.KindPSTN:
		return resultInfo(200, 540000, "Call ended by the PSTN user.")
	}
	return resultInfo(200, 5002, "The conversation has ended as all other participants have left.")
}

// initialSteps is the documented sequence of a new call: peer-to-peer and PSTN establishing → established; group
// calls and meeting joins then a roster; guest joins establishing → a roster
// of the bot alone in the lobby, and nothing more until admitted.
func (e *Emulator) initialSteps(c *callRecord) []step {
	t := e.cfg.Timing
	d := func(dl Delay, k uint64) time.Duration { return e.dice.delay(dl, streamTiming, c.ordinal*16+k) }
	if e.dice.hit(e.cfg.Faults.Stuck.Rate, streamStuck, c.ordinal) {
		return []step{{kind: stepEstablishing, delay: d(t.Establishing, 0)},
			{kind: stepTerminated, delay: e.cfg.Faults.Stuck.For, result: resultStuck()}}
	}
	steps := []step{{kind: stepEstablishing, delay: d(t.Establishing, 0)}}

	switch {
	case c.scenario == graph.KindGuestJoin && e.vio.on(VGuestRosterBeforeAdmit):
		steps = append(steps, step{kind: stepRoster, delay: d(t.Roster, 1)}, step{kind: stepLobbyRoster, delay: d(t.Roster, 2)})
	case c.scenario == graph.KindGuestJoin:
		steps = append(steps, step{kind: stepLobbyRoster, delay: d(t.Roster, 1)})
	case rings(c) && e.answerMode() != AnswerAuto:
		c.mu.Lock()
		e.startRingingLocked(c)
		c.mu.Unlock()
	default:
		established := step{kind: stepEstablished, delay: d(t.Established, 1)}
		if rings(c) {
			established.delay += e.answerDelay(c)
		}
		steps = append(steps, established)
		if c.scenario.HasRoster() || e.vio.on(VRosterForP2P) {
			steps = append(steps, step{kind: stepRoster, delay: d(t.Roster, 2)})
		}
	}
	if len(steps) >= 2 && steps[1].kind == stepEstablished && e.dice.hit(e.cfg.Faults.Reorder, streamReorder, c.ordinal) {
		steps[0], steps[1] = steps[1], steps[0]
	}
	return steps
}

// admittedSteps follow a guest's admission from the lobby.
func (e *Emulator) admittedSteps(c *callRecord) []step {
	t := e.cfg.Timing
	return []step{
		{kind: stepEstablished, delay: e.dice.delay(t.Established, streamTiming, c.ordinal*16+8)},
		{kind: stepRoster, delay: e.dice.delay(t.Roster, streamTiming, c.ordinal*16+9)},
	}
}

// deleteSteps follow a DELETE: terminating, then terminated (facts §3.8).
func (e *Emulator) deleteSteps(c *callRecord) []step {
	t := e.cfg.Timing
	return []step{
		{kind: stepTerminating, delay: e.dice.delay(t.Terminating, streamTiming, c.ordinal*16+10)},
		{kind: stepTerminated, delay: e.dice.delay(t.Terminated, streamTiming, c.ordinal*16+11), result: e.deleteResult()},
	}
}

// endSteps end a call from the far side or by a timeout: terminated only.
func (e *Emulator) endSteps(c *callRecord, result *graph.ResultInfo) []step {
	return []step{{kind: stepTerminated,
		delay: e.dice.delay(e.cfg.Timing.Terminated, streamTiming, c.ordinal*16+12), result: result}}
}

// silent reports whether a violation suppresses the step's notification.
func (e *Emulator) silent(c *callRecord, k stepKind) bool {
	switch k {
	case stepEstablishing:
		return e.vio.on(VNoEstablishing)
	case stepEstablished:
		return e.vio.on(VNoEstablished)
	case stepRoster:
		return e.vio.on(VNoRoster) && c.scenario.HasRoster()
	case stepTerminated:
		return e.vio.on(VNoTerminated)
	}
	return false
}

// notificationOut is one commsNotification as the doc's examples show it
// (changeType, resourceUrl, callbackUri, resourceData; facts §2), with the
// legacy resource when configured. The resourceUrl is written from its
// parts and a call-state resourceData from its record, straight into the
// POST's body, each without a string or array of its own.
type notificationOut struct {
	ODataType    string
	ChangeType   graph.ChangeType
	ResourceURL  [3]string // its parts, concatenated; all empty: none
	Resource     string
	CallbackURI  string
	ResourceData json.RawMessage
	data         callData // written as resourceData when plainData
	plainData    bool
}

// appendJSON appends the notification's JSON to buf, by hand: this runs for
// every notification, and encoding/json re-validates resourceData.
func (n *notificationOut) appendJSON(buf []byte) []byte {
	buf = append(buf, `{"@odata.type":`...)
	buf = strconv.AppendQuote(buf, n.ODataType)
	buf = append(buf, `,"changeType":`...)
	buf = strconv.AppendQuote(buf, string(n.ChangeType))
	if n.ResourceURL != ([3]string{}) {
		buf = append(buf, `,"resourceUrl":"`...)
		for _, part := range n.ResourceURL {
			buf = appendStringBody(buf, part)
		}
		buf = append(buf, '"')
	}
	if n.Resource != "" {
		buf = append(buf, `,"resource":`...)
		buf = appendString(buf, n.Resource)
	}
	if n.CallbackURI != "" {
		buf = append(buf, `,"callbackUri":`...)
		buf = appendString(buf, n.CallbackURI)
	}
	buf = append(buf, `,"resourceData":`...)
	if n.plainData {
		buf = n.data.appendJSON(buf)
	} else {
		buf = append(buf, n.ResourceData...)
	}
	return append(buf, '}')
}

// payload builds the notification of step s for c, at the moment it is
// sent; the caller holds c.mu.
func (e *Emulator) payload(c *callRecord, s step) notificationOut {
	n := notificationOut{ODataType: graph.TypeCommsNotification, ChangeType: graph.ChangeUpdated,
		ResourceURL: [3]string{"/communications/calls/", e.resourceCallID(c)}}
	switch s.kind {
	case stepRoster, stepLobbyRoster:
		n.ResourceURL[2] = "/participants"
		n.ResourceData = mustJSON(e.roster(c, s.kind == stepLobbyRoster))
	case stepTerminated:
		n.ChangeType = graph.ChangeDeleted
		e.setCallData(&n, c, s)
	case stepIncoming:
		n.ChangeType = graph.ChangeCreated
		e.setCallData(&n, c, s)
	default:
		e.setCallData(&n, c, s)
	}
	if e.cfg.Notifications.LegacyResource {
		// The corpus shows the legacy member on call notifications only
		// ("/app/calls/{id}"); that a roster's carries /participants as its
		// resourceUrl does is an INFERENCE, so that a notification naming its
		// call only there still says what it is.
		n.Resource = "/app/calls/" + e.resourceCallID(c)
		if s.kind == stepRoster || s.kind == stepLobbyRoster {
			n.Resource += "/participants"
		}
	}
	if e.cfg.Notifications.OmitResourceURL {
		n.ResourceURL = [3]string{}
	}
	if !e.cfg.Notifications.OmitCallbackURI {
		n.CallbackURI = c.callbackURI
	}
	if e.cfg.Notifications.PascalCase {
		n.ChangeType = graph.ChangeType(pascal(string(n.ChangeType)))
	}
	return n
}

// pascal writes an enum member in PascalCase ("updated" → "Updated"), as
// some field traffic does (fixtures/field msteams-docs-9170-updated).
func pascal(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// resourceCallID is the id notifications name: the call's, unless a
// violation names another.
func (e *Emulator) resourceCallID(c *callRecord) string {
	if e.vio.on(VResourceURLWrongCall) {
		return derivedID(c.id, "wrong-call")
	}
	return c.id
}

// callData is the resourceData of a call-state notification, shaped like the
// doc's: establishing carries state and id (Example 1), established adds
// direction and tenantId (Example 1); meeting joins echo chatInfo and
// meetingInfo (Example 5); terminated carries resultInfo (facts §2).
type callData struct {
	ODataType   string          `json:"@odata.type"`
	State       graph.CallState `json:"state"`
	Direction   string          `json:"direction,omitempty"`
	TenantID    string          `json:"tenantId,omitempty"`
	ChatInfo    json.RawMessage `json:"chatInfo,omitempty"`
	MeetingInfo json.RawMessage `json:"meetingInfo,omitempty"`
	ResultInfo  any             `json:"resultInfo,omitempty"`
	ID          string          `json:"id,omitempty"`
}

// setCallData sets n's resourceData to the call-state data of step s.
func (e *Emulator) setCallData(n *notificationOut, c *callRecord, s step) {
	if s.kind == stepIncoming {
		n.ResourceData = c.fullObject()
		return
	}
	d := &n.data
	*d = callData{ODataType: graph.TypeCall, ID: c.id, State: stateOf(s.kind)}
	if s.kind == stepEstablished && e.vio.on(VWrongNotificationState) {
		d.State = graph.CallStateIncoming
	}
	if s.kind == stepEstablished {
		d.Direction, d.TenantID = string(c.direction), c.tenantID
	}
	if c.scenario == graph.KindMeetingJoin || c.scenario == graph.KindGuestJoin {
		d.ChatInfo, d.MeetingInfo = nullToEmpty(c.chatInfo), nullToEmpty(c.meetingInfo)
	}
	if s.kind == stepTerminated && !e.vio.on(VTerminatedWithoutResult) && s.result != nil {
		d.ResultInfo = e.resultValue(s.result)
	}
	if e.cfg.Notifications.OmitResourceDataID {
		d.ID = ""
	}
	if e.cfg.Notifications.PascalCase {
		d.State = graph.CallState(pascal(string(d.State)))
	}
	if d.ChatInfo != nil || d.MeetingInfo != nil || d.ResultInfo != nil {
		n.ResourceData = mustJSON(d) // a meeting's or a terminated call's: encoding/json
		return
	}
	n.plainData = true
}

// appendJSON appends d as json.Marshal writes it, when it has only strings,
// as a call-state notification but a meeting's or a terminated one has.
func (d *callData) appendJSON(buf []byte) []byte {
	buf = append(buf, `{"@odata.type":`...)
	buf = appendString(buf, d.ODataType)
	buf = append(buf, `,"state":`...)
	buf = appendString(buf, string(d.State))
	for _, m := range [...]struct{ name, value string }{{`,"direction":`, d.Direction}, {`,"tenantId":`, d.TenantID}, {`,"id":`, d.ID}} {
		if m.value != "" {
			buf = append(buf, m.name...)
			buf = appendString(buf, m.value)
		}
	}
	return append(buf, '}')
}

func nullToEmpty(raw json.RawMessage) json.RawMessage {
	if !present(raw) {
		return nil
	}
	return raw
}

// resultValue renders a resultInfo with numbers, or by choice with strings
// as the doc's notifications do (facts §9.4).
func (e *Emulator) resultValue(r *graph.ResultInfo) any {
	if !e.cfg.Behaviour.ResultInfoAsStrings {
		return r
	}
	m := map[string]string{"@odata.type": graph.TypeResultInfo, "code": strconv.FormatInt(r.Code.Value, 10), "message": r.Message}
	if r.Subcode != nil {
		m["subcode"] = strconv.FormatInt(r.Subcode.Value, 10)
	}
	return m
}

func stateOf(k stepKind) graph.CallState {
	switch k {
	case stepEstablished:
		return graph.CallStateEstablished
	case stepTerminating:
		return graph.CallStateTerminating
	case stepTerminated:
		return graph.CallStateTerminated
	}
	return graph.CallStateEstablishing
}

// participantOut is a roster entry as Example 5 shows it.
type participantOut struct {
	ODataType    string             `json:"@odata.type"`
	Info         participantInfoOut `json:"info"`
	MediaStreams []mediaStreamOut   `json:"mediaStreams"`
	IsMuted      bool               `json:"isMuted"`
	IsInLobby    bool               `json:"isInLobby"`
	ID           string             `json:"id"`
}

type participantInfoOut struct {
	ODataType string          `json:"@odata.type"`
	Identity  json.RawMessage `json:"identity,omitempty"`
}

type mediaStreamOut struct {
	ODataType   string `json:"@odata.type"`
	MediaType   string `json:"mediaType"`
	SourceID    string `json:"sourceId"`
	Direction   string `json:"direction"`
	ServerMuted bool   `json:"serverMuted"`
}

// roster is the resourceData of a roster notification: the participants as
// Example 5 shows them, the bot's id being myParticipantId; in the lobby
// only the bot, with isInLobby true (Example 8).
func (e *Emulator) roster(c *callRecord, lobby bool) []participantOut {
	var out []participantOut
	if !e.vio.on(VRosterWithoutBot) {
		id := c.myParticipantID
		if e.vio.on(VRosterBotIDMismatch) {
			id = derivedID(c.id, "not-my-participant")
		}
		bot := participant(id, c.botIdentity, "10")
		bot.IsInLobby = lobby && !e.vio.on(VGuestNotInLobby)
		out = append(out, bot)
	}
	if !lobby {
		for i, ident := range c.otherIdentities() {
			out = append(out, participant(derivedID(c.id, "participant", strconv.Itoa(i)), ident, strconv.Itoa(i+1)))
		}
	}
	return out
}

func participant(id string, ident json.RawMessage, sourceID string) participantOut {
	return participantOut{
		ODataType: graph.TypeParticipant, ID: id,
		Info: participantInfoOut{ODataType: graph.TypeParticipantInfo, Identity: nullToEmpty(ident)},
		MediaStreams: []mediaStreamOut{{ODataType: graph.TypeMediaStream, MediaType: string(graph.ModalityAudio),
			SourceID: sourceID, Direction: string(graph.MediaSendReceive)}},
	}
}

// mustJSON encodes v, which this package built from decoded JSON and which
// therefore encodes; should it not, the value is sent as null rather than
// crash the emulator.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("null")
	}
	return b
}
