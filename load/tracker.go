package load

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/notify"
)

// DefaultGrace is how long after its creation (or its hang-up) a call's
// notifications may arrive before the missing ones are counted as lost.
const DefaultGrace = 10 * time.Second

// DefaultMaxPending bounds the calls a tracker waits for at once; beyond it
// the oldest is given up (counted as lost) so memory stays bounded whatever
// the rate.
const DefaultMaxPending = 1 << 20

// DefaultRecentResolved is how many resolved calls a tracker remembers (each
// for a grace after its resolution), so that their later notifications are
// accounted for (late, duplicated, unexpected) rather than unmatched.
const DefaultRecentResolved = 1 << 16

// nkind is a notification kind as the tracker counts it
// (result.NotificationKinds, in that order).
type nkind uint8

const (
	kEstablishing nkind = iota
	kEstablished
	kRoster
	kLobby
	kTerminating
	kTerminated
	kOther
	numKinds
)

func (k nkind) String() string { return result.NotificationKinds()[k] }

// kinds is a set of nkind.
type kinds uint8

func (s kinds) has(k nkind) bool { return s&(1<<k) != 0 }
func setOf(ks ...nkind) kinds {
	var s kinds
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

// kindOf classifies a notification about a call: its state, a roster, or
// the lobby roster of a guest (a participant isInLobby).
func kindOf(e notify.Event) nkind {
	switch {
	case e.IsRoster():
		if ps, err := e.Notification.Participants(); err == nil && slices.ContainsFunc(ps, func(p graph.Participant) bool { return p.InLobby() }) {
			return kLobby
		}
		return kRoster
	case e.IsCall():
		switch graph.CallState(strings.ToLower(string(e.State()))) {
		case graph.CallStateEstablishing:
			return kEstablishing
		case graph.CallStateEstablished:
			return kEstablished
		case graph.CallStateTerminating:
			return kTerminating
		case graph.CallStateTerminated:
			return kTerminated
		}
	}
	return kOther
}

// tracker correlates created calls with their notifications, as they arrive
// at the receiver (through its event hook), and writes one result.Record per
// call when it is resolved: every notification its scenario must produce
// arrived (terminating and terminated too when it is hung up), or the grace
// ran out. With a hanger set, every call is deleted: once established (its
// documented notifications in), or once its grace ran out without them.
// Notifications may arrive before the create response is read; they wait in
// early, bounded the same way. It is safe for concurrent use.
type tracker struct {
	grace      time.Duration
	maxPending int
	now        func() time.Time
	resolved   func(*result.Record) // called under mu with each record
	hangup     func(callID string)

	mu      sync.Mutex
	pending map[string]*pendingCall
	queue   []queued // in deadline order
	early   map[string]*arrivals
	equeue  []earlyEntry
	// recent holds the calls resolved lately, with what had arrived, so
	// that later notifications are counted as late, duplicated or
	// unexpected.
	recent  map[string]*recentCall
	rqueue  []recentEntry
	after   [numKinds]result.NotificationCounts
	changed chan struct{} // signalled when a call is resolved
	// Unmatched counts notifications of calls never registered (or
	// registered after the grace), Evicted calls given up for room.
	unmatched, evicted uint64
}

// pendingCall is a created call waiting for its notifications.
type pendingCall struct {
	rec       result.Record
	scheduled time.Time
	deadline  time.Time
	expect    kinds
	arrivals
	// hungUp is set once the call was handed to the hanger: it then waits
	// for terminating and terminated.
	hungUp, done bool
}

// queued is a pending call in the queue with the deadline it was queued
// with: a call hung up is queued again with a later one, and its first
// entry is then stale.
type queued struct {
	p        *pendingCall
	deadline time.Time
}

// arrivals are when a call's notifications arrived (zero: not yet) and how
// many of each kind.
type arrivals struct {
	established, roster time.Time
	count               [numKinds]uint16
}

// recentCall is what a resolved call expected and received.
type recentCall struct {
	expect kinds
	count  [numKinds]uint16
}

// recentEntry is a resolved call remembered until forget.
type recentEntry struct {
	callID string
	forget time.Time
}

// earlyEntry is a call with notifications and no registration yet.
type earlyEntry struct {
	callID   string
	deadline time.Time
}

func newTracker(grace time.Duration, maxPending int, resolved func(*result.Record)) *tracker {
	return &tracker{grace: grace, maxPending: maxPending, now: time.Now, resolved: resolved,
		pending: map[string]*pendingCall{}, early: map[string]*arrivals{}, recent: map[string]*recentCall{}, changed: make(chan struct{}, 1)}
}

// setHangup sets what is called with the id of each call to delete: one
// whose documented notifications arrived, or whose grace ran out without
// them (--hangup). Such a call then waits for terminating and terminated.
func (t *tracker) setHangup(f func(callID string)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.hangup = f
}

// OnEvent is the receiver's event hook: it counts each notification of a
// call by kind.
func (t *tracker) OnEvent(e notify.Event) {
	if e.CallID == "" {
		return
	}
	k := kindOf(e)
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, ok := t.pending[e.CallID]; ok {
		p.note(k, e.Received)
		t.progress(p, e.Received)
		return
	}
	if r, ok := t.recent[e.CallID]; ok {
		t.noteAfter(r, k)
		return
	}
	a, ok := t.early[e.CallID]
	if !ok {
		t.evictEarly(e.Received)
		a = &arrivals{}
		t.early[e.CallID] = a
		t.equeue = append(t.equeue, earlyEntry{callID: e.CallID, deadline: e.Received.Add(t.grace)})
	}
	a.note(k, e.Received)
}

// noteAfter counts a notification of a call already resolved; mu is held.
// Terminating and terminated of a call whose record did not expect them
// follow the run's final cleanup, which is not measured.
func (t *tracker) noteAfter(r *recentCall, k nkind) {
	if (k == kTerminating || k == kTerminated) && !r.expect.has(k) {
		return
	}
	c := &t.after[k]
	switch {
	case r.count[k] > 0:
		c.Duplicates++
	case r.expect.has(k):
		c.Late++
	default:
		c.Unexpected++
	}
	r.count[k]++
}

// note records an arrival, keeping the first time of established and roster.
func (a *arrivals) note(k nkind, at time.Time) {
	if a.count[k] < ^uint16(0) {
		a.count[k]++
	}
	switch {
	case k == kEstablished && a.established.IsZero():
		a.established = at
	case (k == kRoster || k == kLobby) && a.roster.IsZero():
		a.roster = at
	}
}

// complete reports whether the call's documented notifications arrived:
// established (a guest's lobby roster) and the roster when documented.
func (p *pendingCall) complete() bool {
	for _, k := range []nkind{kEstablished, kRoster, kLobby} {
		if p.expect.has(k) && p.count[k] == 0 {
			return false
		}
	}
	return true
}

// ended reports whether a hung-up call's terminated notification arrived.
func (p *pendingCall) ended() bool { return p.count[kTerminated] > 0 }

// progress moves p on after an arrival; mu is held.
func (t *tracker) progress(p *pendingCall, now time.Time) {
	switch {
	case p.hungUp && p.ended():
		t.resolve(p, result.OutcomeOK)
	case !p.hungUp && p.complete():
		if t.hangup == nil {
			t.resolve(p, result.OutcomeOK)
			return
		}
		t.hangUp(p, now)
	}
}

// hangUp hands p to the hanger and waits for its termination; mu is held.
func (t *tracker) hangUp(p *pendingCall, now time.Time) {
	p.hungUp = true
	p.expect |= setOf(kTerminating, kTerminated)
	p.deadline = now.Add(t.grace)
	t.queue = append(t.queue, queued{p, p.deadline})
	t.hangup(p.rec.CallID)
}

// expectedOf returns the kinds a record's call must produce: the record's
// own Expected when the collector set it, else established and the roster
// when documented.
func expectedOf(rec *result.Record) kinds {
	if len(rec.Expected) == 0 {
		s := setOf(kEstablished)
		if rec.RosterExpected {
			s |= setOf(kRoster)
		}
		return s
	}
	var s kinds
	for _, name := range rec.Expected {
		for k := range numKinds {
			if k.String() == name {
				s |= setOf(k)
			}
		}
	}
	return s
}

// Created registers a created call (its 201 response ended at created).
func (t *tracker) Created(rec result.Record, scheduled, created time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rec.CreatedNs = int64(created.Sub(scheduled))
	p := &pendingCall{rec: rec, scheduled: scheduled, deadline: created.Add(t.grace), expect: expectedOf(&rec)}
	if a, ok := t.early[rec.CallID]; ok {
		p.arrivals = *a
		delete(t.early, rec.CallID)
	}
	if len(t.pending) >= t.maxPending {
		t.evictOldest()
	}
	t.pending[rec.CallID] = p
	t.queue = append(t.queue, queued{p, p.deadline})
	t.progress(p, created)
}

// resolve writes p's record; mu is held.
func (t *tracker) resolve(p *pendingCall, o result.Outcome) {
	if p.done {
		return
	}
	p.done = true
	delete(t.pending, p.rec.CallID)
	t.remember(p)
	if !p.established.IsZero() {
		p.rec.EstablishedNs = int64(p.established.Sub(p.scheduled))
	}
	if !p.roster.IsZero() {
		p.rec.RosterNs = int64(p.roster.Sub(p.scheduled))
	}
	switch {
	case o == result.OutcomeUnresolved:
	case p.expect.has(kEstablished) && p.count[kEstablished] == 0, p.expect.has(kLobby) && p.count[kLobby] == 0:
		o = result.OutcomeLost
	case p.rec.RosterExpected && p.count[kRoster] == 0 && !p.expect.has(kLobby):
		o = result.OutcomeRosterLost
	}
	p.rec.Outcome = o
	p.rec.Expected, p.rec.Arrivals = nil, nil
	for k := range numKinds {
		if p.expect.has(k) {
			p.rec.Expected = append(p.rec.Expected, k.String())
		}
		if p.count[k] > 0 {
			if p.rec.Arrivals == nil {
				p.rec.Arrivals = map[string]int{}
			}
			p.rec.Arrivals[k.String()] = int(p.count[k])
		}
	}
	t.resolved(&p.rec)
	select {
	case t.changed <- struct{}{}:
	default:
	}
}

// remember keeps p among the recently resolved for a grace, forgetting the
// oldest beyond recentLimit; mu is held.
func (t *tracker) remember(p *pendingCall) {
	if len(t.rqueue) >= t.recentLimit() {
		t.forgetOldest()
	}
	t.recent[p.rec.CallID] = &recentCall{expect: p.expect, count: p.count}
	t.rqueue = append(t.rqueue, recentEntry{p.rec.CallID, t.now().Add(t.grace)})
}

// forgetOldest forgets the oldest resolved call remembered; mu is held.
func (t *tracker) forgetOldest() {
	delete(t.recent, t.rqueue[0].callID)
	t.rqueue[0] = recentEntry{}
	t.rqueue = t.rqueue[1:]
	if len(t.rqueue) == 0 {
		t.rqueue = nil // let the backing array go
	}
}

// forgetRecent forgets the resolved calls whose grace after their
// resolution ran out by now (their notifications are then unmatched);
// mu is held.
func (t *tracker) forgetRecent(now time.Time) {
	for len(t.rqueue) > 0 && now.After(t.rqueue[0].forget) {
		t.forgetOldest()
	}
}

// recentLimit bounds the recently resolved calls remembered.
func (t *tracker) recentLimit() int { return min(t.maxPending, DefaultRecentResolved) }

// evictOldest gives up the oldest pending call; mu is held.
func (t *tracker) evictOldest() {
	for len(t.queue) > 0 {
		p := t.queue[0].p
		t.queue = t.queue[1:]
		if !p.done {
			t.evicted++
			t.resolve(p, result.OutcomeLost)
			return
		}
	}
}

// evictEarly drops early arrivals past their deadline, and the oldest
// when early holds maxPending; mu is held.
func (t *tracker) evictEarly(now time.Time) {
	for len(t.equeue) > 0 && (now.After(t.equeue[0].deadline) || len(t.early) >= t.maxPending) {
		id := t.equeue[0].callID
		t.equeue = t.equeue[1:]
		if _, ok := t.early[id]; ok {
			delete(t.early, id)
			t.unmatched++
		}
	}
}

// Sweep acts on the calls whose grace ran out by now (a call not yet hung
// up is hung up when a hanger is set, and waits for its termination; any
// other is resolved), and returns how many are still pending and the next
// deadline.
func (t *tracker) Sweep(now time.Time) (pending int, next time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.queue) > 0 {
		q := t.queue[0]
		p := q.p
		if p.done || !q.deadline.Equal(p.deadline) { // resolved, or queued again later
			t.popQueue()
			continue
		}
		if now.Before(p.deadline) {
			next = p.deadline
			break
		}
		t.popQueue()
		switch {
		case !p.hungUp && t.hangup != nil:
			t.hangUp(p, now)
		default:
			t.resolve(p, result.OutcomeLost)
		}
	}
	if len(t.queue) == 0 {
		t.queue = nil // let the backing array go
	}
	t.evictEarly(now)
	t.forgetRecent(now)
	return len(t.pending), next
}

// popQueue drops the queue's head, letting go of its call; mu is held.
func (t *tracker) popQueue() {
	t.queue[0] = queued{}
	t.queue = t.queue[1:]
}

// Drain waits until every pending call is resolved (each by its own
// deadline at the latest). When ctx ends first, the rest are resolved as
// unresolved and ctx's error is returned.
func (t *tracker) Drain(ctx context.Context) error {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		n, next := t.Sweep(t.now())
		if n == 0 {
			return nil
		}
		timer.Reset(time.Until(next))
		select {
		case <-ctx.Done():
			t.abandon()
			return ctx.Err()
		case <-t.changed:
		case <-timer.C:
		}
	}
}

// abandon resolves every pending call as unresolved.
func (t *tracker) abandon() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, q := range t.queue {
		t.resolve(q.p, result.OutcomeUnresolved)
	}
	t.queue = nil
}

// Counts returns the notifications that matched no call and the calls
// given up for room.
func (t *tracker) Counts() (unmatched, evicted uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.unmatched + uint64(len(t.early)), t.evicted
}

// AfterRecords returns the notifications counted after their call's record
// was written, by kind (nil when none).
func (t *tracker) AfterRecords() result.NotificationTally {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out result.NotificationTally
	for k := range numKinds {
		if c := t.after[k]; c != (result.NotificationCounts{}) {
			if out == nil {
				out = result.NotificationTally{}
			}
			*out.Of(k.String()) = c
		}
	}
	return out
}
