package certify

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/callcheck/callcheck/graph"
)

// The notifications certify-bot posts have the shapes of the
// documentation's: call state changes as create-call-doc.txt Examples 1 and
// 5 show them, rosters as Examples 5 and 8 do, the end of a call as the
// DELETE page does (graph-calls-facts.md §2, §3.8). TestPayloadShapes
// compares them with the documented blocks.

// obj is a JSON object being built.
type obj = map[string]any

// resultInfo is a terminated call's resultInfo.
type resultInfo struct {
	Code, Subcode int
	Message       string
}

func (r resultInfo) json() obj {
	return obj{"@odata.type": graph.TypeResultInfo, "code": r.Code, "subcode": r.Subcode, "message": r.Message}
}

// resultHangup ends a call the bot hung up: 200/5001, the DELETE page's
// example (graph-calls-facts.md §3.8, §9.5).
var resultHangup = resultInfo{200, 5001, "The conversation has ended."}

// farEndResult ends a call from the far side (graph-calls-facts.md §3.9).
func farEndResult(k Key) resultInfo {
	switch k.Kind() {
	case graph.KindPeerToPeer:
		return resultInfo{200, 4521, "Call ended by the other participant in peer-to-peer call."}
	case graph.KindPSTN:
		return resultInfo{200, 540000, "Call ended by the PSTN user."}
	}
	return resultInfo{200, 5002, "The conversation has ended because all other participants have left."}
}

// notification builds one commsNotification about t's call.
func (t *target) notification(change graph.ChangeType, resource string, data any) graph.CommsNotification {
	raw, err := json.Marshal(data)
	if err != nil {
		raw = []byte("null") // cannot happen: only certify-bot's own maps and decoded values get here
	}
	return graph.CommsNotification{ODataType: graph.TypeCommsNotification, ChangeType: change, ResourceURL: resource,
		CallbackURI: t.callbackURI, ResourceData: raw}
}

func (t *target) callResource() string { return "/communications/calls/" + t.callID }

// state is an "updated" notification of the call's state: the id, and for
// established the direction and tenant (Example 1); a meeting echoes its
// chatInfo and meetingInfo (Example 5).
func (t *target) state(st graph.CallState) graph.CommsNotification {
	data := obj{"@odata.type": graph.TypeCall, "state": st, "id": t.callID}
	if st == graph.CallStateEstablished && !t.key.meeting() {
		data["direction"], data["tenantId"] = graph.DirectionOutgoing, t.tenantID
	}
	if t.key.meeting() && t.body != nil {
		data["chatInfo"], data["meetingInfo"] = t.body.ChatInfo, t.body.MeetingInfo
	}
	return t.notification(graph.ChangeUpdated, t.callResource(), data)
}

// terminated is the "deleted" notification that ends the call.
func (t *target) terminated(r resultInfo) graph.CommsNotification {
	return t.notification(graph.ChangeDeleted, t.callResource(), obj{"@odata.type": graph.TypeCall, "state": graph.CallStateTerminated, "resultInfo": r.json()})
}

// roster is an "updated" notification of the participants (Example 5).
func (t *target) roster(participants []obj) graph.CommsNotification {
	return t.notification(graph.ChangeUpdated, t.callResource()+"/participants", participants)
}

func batchOf(ns ...graph.CommsNotification) graph.CommsNotifications {
	return graph.CommsNotifications{ODataType: graph.TypeCommsNotifications, Value: ns}
}

// participant is one roster entry, with an audio stream (Example 5).
func participant(id string, identity any, inLobby bool, sourceID int) obj {
	return obj{
		"@odata.type": graph.TypeParticipant,
		"info":        obj{"@odata.type": graph.TypeParticipantInfo, "identity": identity},
		"mediaStreams": []obj{{"@odata.type": graph.TypeMediaStream, "mediaType": "audio", "sourceId": strconv.Itoa(sourceID),
			"direction": "sendReceive", "serverMuted": false}},
		"isMuted": false, "isInLobby": inLobby, "id": id,
	}
}

// identitySet is an identity set with one member.
func identitySet(member, id, name string) obj {
	return obj{"@odata.type": graph.TypeIdentitySet, member: obj{"@odata.type": graph.TypeIdentity, "displayName": name, "id": id}}
}

// botParticipant is the bot in its own call's roster: as the guest it joined
// as (Example 8), else as its application (Example 5).
func (t *target) botParticipant(inLobby bool) obj {
	ids := identitySet("application", t.appID, t.appName)
	if t.body != nil && t.body.Source != nil && t.body.Source.Identity != nil && t.body.Source.Identity.Guest != nil {
		ids = rosterIdentity(t.body.Source.Identity)
	}
	return participant(t.myParticipantID, ids, inLobby, 10)
}

// others are the participants besides the bot: the targets of a group call,
// the organizer of a meeting, then extra attendees; users, as Example 5's,
// with a languageId.
func (t *target) others(s *Session, extra int) []obj {
	var out []obj
	add := func(ids obj) {
		p := participant(s.guid(), ids, false, len(out)+1)
		p["info"].(obj)["languageId"] = "en-US"
		out = append(out, p)
	}
	if t.body != nil {
		for _, tg := range t.body.Targets {
			add(rosterIdentity(tg.Identity))
		}
		if mi := t.body.MeetingInfo; mi != nil && mi.Organizer != nil {
			add(rosterIdentity(mi.Organizer))
		}
	}
	for range extra {
		add(identitySet("user", s.guid(), "Attendee "+strconv.Itoa(len(out)+1)))
	}
	return out
}

// rosterIdentity is an identity set as a roster shows it: each member's id
// and display name.
func rosterIdentity(set *graph.IdentitySet) obj {
	out := obj{"@odata.type": graph.TypeIdentitySet}
	if set == nil {
		return out
	}
	for name, id := range set.Members() {
		out[name] = obj{"@odata.type": graph.TypeIdentity, "displayName": id.DisplayName, "id": id.ID}
	}
	return out
}

// guid draws a GUID from the seeded source, so reruns with the same seed
// send the same ids.
func (s *Session) guid() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], s.rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:], s.rng.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
