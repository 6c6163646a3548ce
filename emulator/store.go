package emulator

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callcheck/callcheck/graph"
)

// callRecord is one call the emulator holds. Its fields after mu are guarded
// by mu; the ones before it never change after creation.
type callRecord struct {
	id          string
	ordinal     uint64 // the n-th call created: the fault dice's ordinal
	version     string // "beta" or "v1.0", as created
	scenario    graph.Kind
	media       graph.MediaKind
	appID       string
	tenantID    string
	callbackURI string
	created     time.Time
	// What notifications repeat of the call (raw JSON as the client sent it).
	direction       graph.CallDirection
	myParticipantID string
	callChainID     string
	chatInfo        json.RawMessage
	meetingInfo     json.RawMessage
	botIdentity     json.RawMessage   // the source's identitySet
	others          []json.RawMessage // an injected incoming call's other participants' identitySets (otherIdentities)

	mu        sync.Mutex
	state     graph.CallState
	members   []byte // the call's members as set (encodeMembers): the 201's object without its unset properties
	keepAlive time.Time
	inLobby   bool
	admitted  bool
	ringing   bool          // the callee has not answered yet (ringing.go)
	ringTimer *time.Timer   // the no-answer timeout of a ringing call
	ringFor   time.Duration // the request's ringingTimeoutInSeconds (0: none sent)
	ending    bool          // DELETE or an end is under way: no second one
	ended     bool          // the terminated notification went out
	endedAt   time.Time
	result    *graph.ResultInfo
	// The notification sequence: pending steps, run one at a time.
	pending []step
	busy    bool
	timer   *time.Timer
	timed   step   // the step timer fires: recorded as superseded when the timer is stopped
	steps   uint64 // steps fired so far: the dice's ordinal for notifications
}

// CallInfo is what inspection shows of a call.
type CallInfo struct {
	ID              string              `json:"id"`
	Version         string              `json:"version"`
	Scenario        graph.Kind          `json:"scenario"`
	Media           graph.MediaKind     `json:"media,omitempty"`
	AppID           string              `json:"appId"`
	TenantID        string              `json:"tenantId"`
	CallbackURI     string              `json:"callbackUri,omitempty"`
	State           graph.CallState     `json:"state"`
	Direction       graph.CallDirection `json:"direction"`
	MyParticipantID string              `json:"myParticipantId,omitempty"`
	InLobby         bool                `json:"inLobby,omitempty"`
	// Ringing is true while the callee of a peer-to-peer or PSTN call has
	// not answered (the state stays establishing meanwhile).
	Ringing       bool              `json:"ringing,omitempty"`
	Created       time.Time         `json:"created"`
	LastKeepAlive time.Time         `json:"lastKeepAlive"`
	Ended         bool              `json:"ended,omitempty"`
	EndedAt       time.Time         `json:"endedAt,omitzero"`
	ResultInfo    *graph.ResultInfo `json:"resultInfo,omitempty"`
	// PendingNotifications is how many notifications of the call's sequence
	// are still to be sent.
	PendingNotifications int `json:"pendingNotifications"`
}

// info snapshots the call; the caller holds c.mu.
func (c *callRecord) info() CallInfo {
	return CallInfo{
		ID: c.id, Version: c.version, Scenario: c.scenario, Media: c.media, AppID: c.appID, TenantID: c.tenantID,
		CallbackURI: c.callbackURI, State: c.state, Direction: c.direction, MyParticipantID: c.myParticipantID,
		InLobby: c.inLobby, Ringing: c.ringing, Created: c.created, LastKeepAlive: c.keepAlive, Ended: c.ended, EndedAt: c.endedAt,
		ResultInfo: c.result, PendingNotifications: len(c.pending) + boolInt(c.busy),
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// storeShards spreads the calls over independently locked maps.
const storeShards = 64

// store holds the live calls, sharded by id, and the recently ended ones.
type store struct {
	shards [storeShards]struct {
		mu sync.RWMutex
		m  map[string]*callRecord
	}
	live  atomic.Int64
	ended *ring[CallInfo]
}

func newStore(endedCalls int) *store {
	s := &store{ended: newRing[CallInfo](endedCalls)}
	for i := range s.shards {
		s.shards[i].m = make(map[string]*callRecord)
	}
	return s
}

// shard picks the shard of id (FNV-1a of the id).
func (s *store) shard(id string) int {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return int(h % storeShards)
}

func (s *store) get(id string) (*callRecord, bool) {
	sh := &s.shards[s.shard(id)]
	sh.mu.RLock()
	c, ok := sh.m[id]
	sh.mu.RUnlock()
	return c, ok
}

// put adds c unless the store already holds max calls.
func (s *store) put(c *callRecord, max int) bool {
	if s.live.Add(1) > int64(max) {
		s.live.Add(-1)
		return false
	}
	sh := &s.shards[s.shard(c.id)]
	sh.mu.Lock()
	sh.m[c.id] = c
	sh.mu.Unlock()
	return true
}

// remove drops the call and keeps its last snapshot among the ended calls.
func (s *store) remove(c *callRecord, last CallInfo) {
	sh := &s.shards[s.shard(c.id)]
	sh.mu.Lock()
	_, ok := sh.m[c.id]
	delete(sh.m, c.id)
	sh.mu.Unlock()
	if ok {
		s.live.Add(-1)
		s.ended.add(last, nil)
	}
}

// all returns every held call.
func (s *store) all() []*callRecord {
	var out []*callRecord
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		for _, c := range sh.m {
			out = append(out, c)
		}
		sh.mu.RUnlock()
	}
	return out
}

// count returns how many calls are held.
func (s *store) count() int { return int(s.live.Load()) }

// otherIdentities returns the other participants' identitySets: an
// incoming call's as injected; a created call's read from its members on
// demand (the targets', and a meeting's organizer), so that a held call
// does not keep a second copy of them.
func (c *callRecord) otherIdentities() []json.RawMessage {
	if c.others != nil || c.direction == graph.DirectionIncoming {
		return c.others
	}
	v, err := decodeViewValid(c.members) // encodeMembers wrote them
	if err != nil {
		return nil
	}
	return othersOf(v, c.id)
}
