package notify

import "time"

// pendingStore keeps, within PendingLimits, what arrived for calls nobody
// watches yet: notifications can arrive before the client has read the
// create response that tells it the call's id. Not safe for concurrent use:
// the Receiver's lock guards it.
type pendingStore struct {
	limits  PendingLimits
	byCall  map[string]*pendingCall
	order   []pendingRef // by first arrival
	head    int
	seq     uint64
	evicted uint64 // events dropped by eviction or the per-call limit
}

type pendingCall struct {
	seq        uint64
	first      time.Time
	events     []Event
	rejections []Rejection
}

type pendingRef struct {
	callID string
	seq    uint64
}

func newPendingStore(l PendingLimits) *pendingStore {
	return &pendingStore{limits: l, byCall: make(map[string]*pendingCall)}
}

func (p *pendingStore) enabled() bool { return p.limits.Calls > 0 && p.limits.EventsPerCall > 0 }

// entry returns the call's entry, making one (and evicting) if needed.
func (p *pendingStore) entry(callID string, now time.Time) *pendingCall {
	p.expire(now)
	if c := p.byCall[callID]; c != nil {
		return c
	}
	for len(p.byCall) >= p.limits.Calls && p.head < len(p.order) {
		p.evictOldest()
	}
	p.seq++
	c := &pendingCall{seq: p.seq, first: now}
	p.byCall[callID] = c
	p.order = append(p.order, pendingRef{callID, p.seq})
	return c
}

func (p *pendingStore) addEvent(e Event, now time.Time) {
	c := p.entry(e.CallID, now)
	if len(c.events)+len(c.rejections) >= p.limits.EventsPerCall {
		p.evicted++
		return
	}
	c.events = append(c.events, e)
}

func (p *pendingStore) addRejection(callID string, r Rejection, now time.Time) {
	c := p.entry(callID, now)
	if len(c.events)+len(c.rejections) >= p.limits.EventsPerCall {
		p.evicted++
		return
	}
	c.rejections = append(c.rejections, r)
}

// take removes and returns the call's entry (nil if none).
func (p *pendingStore) take(callID string) *pendingCall {
	c := p.byCall[callID]
	delete(p.byCall, callID)
	return c
}

// expire drops calls older than the TTL.
func (p *pendingStore) expire(now time.Time) {
	for p.head < len(p.order) {
		ref := p.order[p.head]
		if c := p.byCall[ref.callID]; c != nil && c.seq == ref.seq && now.Sub(c.first) < p.limits.TTL {
			return
		}
		p.popHead()
	}
}

// evictOldest drops the oldest call still kept.
func (p *pendingStore) evictOldest() {
	for p.head < len(p.order) {
		if p.popHead() {
			return
		}
	}
}

// popHead removes the oldest reference and, unless it is stale (the call
// was taken, or taken and kept again later), its call; it reports whether a
// call was dropped.
func (p *pendingStore) popHead() bool {
	ref := p.order[p.head]
	p.order[p.head] = pendingRef{}
	p.head++
	if p.head > 64 && p.head*2 > len(p.order) {
		p.order = append(p.order[:0], p.order[p.head:]...)
		p.head = 0
	}
	c := p.byCall[ref.callID]
	if c == nil || c.seq != ref.seq {
		return false
	}
	p.evicted += uint64(len(c.events) + len(c.rejections))
	delete(p.byCall, ref.callID)
	return true
}
