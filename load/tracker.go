package load

import (
	"context"
	"sync"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/notify"
)

// DefaultGrace is how long after its creation a call's notifications may
// arrive before the call is counted as lost.
const DefaultGrace = 10 * time.Second

// DefaultMaxPending bounds the calls a tracker waits for at once; beyond it
// the oldest is given up (counted as lost) so memory stays bounded whatever
// the rate.
const DefaultMaxPending = 1 << 20

// DefaultRecentResolved is how many resolved calls a tracker remembers, so
// that their later notifications are not counted as unmatched.
const DefaultRecentResolved = 1 << 16

// tracker correlates created calls with their notifications, as they arrive
// at the receiver (through its event hook), and writes one result.Record per call
// when it is resolved: every expected notification arrived, or the grace
// ran out. Notifications may arrive before the create response is read; they
// wait in early, bounded the same way. It is safe for concurrent use.
type tracker struct {
	grace      time.Duration
	maxPending int
	now        func() time.Time
	resolved   func(*result.Record) // called under mu with each record
	onComplete func(callID string)

	mu      sync.Mutex
	pending map[string]*pendingCall
	queue   []*pendingCall // in registration order (so in deadline order)
	early   map[string]*arrivals
	equeue  []earlyEntry
	// recent holds the calls resolved lately, whose later notifications (a
	// roster update after the hangup) are expected and ignored.
	recent  map[string]struct{}
	rqueue  []string
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
	arrivals
	done bool
}

// arrivals are when a call's notifications arrived (zero: not yet).
type arrivals struct {
	established, roster time.Time
}

// earlyEntry is a call with notifications and no registration yet.
type earlyEntry struct {
	callID   string
	deadline time.Time
}

func newTracker(grace time.Duration, maxPending int, resolved func(*result.Record)) *tracker {
	return &tracker{grace: grace, maxPending: maxPending, now: time.Now, resolved: resolved,
		pending: map[string]*pendingCall{}, early: map[string]*arrivals{}, recent: map[string]struct{}{}, changed: make(chan struct{}, 1)}
}

// setOnComplete sets what is called with the id of each call resolved
// after its established notification arrived (--hangup).
func (t *tracker) setOnComplete(f func(callID string)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.onComplete = f
}

// OnEvent is the receiver's event hook: it notes established and roster
// arrivals.
func (t *tracker) OnEvent(e notify.Event) {
	isEstablished := e.IsCall() && e.State() == graph.CallStateEstablished
	if e.CallID == "" || !(isEstablished || e.IsRoster()) {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, ok := t.pending[e.CallID]; ok {
		p.note(isEstablished, e.Received)
		if p.complete() {
			t.resolve(p, result.OutcomeOK)
		}
		return
	}
	if _, ok := t.recent[e.CallID]; ok {
		return
	}
	a, ok := t.early[e.CallID]
	if !ok {
		t.evictEarly(e.Received)
		a = &arrivals{}
		t.early[e.CallID] = a
		t.equeue = append(t.equeue, earlyEntry{callID: e.CallID, deadline: e.Received.Add(t.grace)})
	}
	a.note(isEstablished, e.Received)
}

// note records an arrival, keeping the first of each kind.
func (a *arrivals) note(established bool, at time.Time) {
	switch {
	case established && a.established.IsZero():
		a.established = at
	case !established && a.roster.IsZero():
		a.roster = at
	}
}

func (p *pendingCall) complete() bool {
	return !p.established.IsZero() && (!p.rec.RosterExpected || !p.roster.IsZero())
}

// Created registers a created call (its 201 response ended at created).
func (t *tracker) Created(rec result.Record, scheduled, created time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rec.CreatedNs = int64(created.Sub(scheduled))
	p := &pendingCall{rec: rec, scheduled: scheduled, deadline: created.Add(t.grace)}
	if a, ok := t.early[rec.CallID]; ok {
		p.arrivals = *a
		delete(t.early, rec.CallID)
	}
	if p.complete() {
		t.resolve(p, result.OutcomeOK)
		return
	}
	if len(t.pending) >= t.maxPending {
		t.evictOldest()
	}
	t.pending[rec.CallID] = p
	t.queue = append(t.queue, p)
}

// resolve writes p's record; mu is held.
func (t *tracker) resolve(p *pendingCall, o result.Outcome) {
	if p.done {
		return
	}
	p.done = true
	delete(t.pending, p.rec.CallID)
	t.remember(p.rec.CallID)
	if !p.established.IsZero() {
		p.rec.EstablishedNs = int64(p.established.Sub(p.scheduled))
	}
	if !p.roster.IsZero() {
		p.rec.RosterNs = int64(p.roster.Sub(p.scheduled))
	}
	switch {
	case o == result.OutcomeUnresolved:
	case p.established.IsZero():
		o = result.OutcomeLost
	case p.rec.RosterExpected && p.roster.IsZero():
		o = result.OutcomeRosterLost
	}
	p.rec.Outcome = o
	t.resolved(&p.rec)
	if !p.established.IsZero() && t.onComplete != nil {
		t.onComplete(p.rec.CallID)
	}
	select {
	case t.changed <- struct{}{}:
	default:
	}
}

// remember keeps callID among the recently resolved, forgetting the oldest
// beyond recentLimit; mu is held.
func (t *tracker) remember(callID string) {
	if len(t.rqueue) >= t.recentLimit() {
		delete(t.recent, t.rqueue[0])
		t.rqueue = t.rqueue[1:]
	}
	t.recent[callID] = struct{}{}
	t.rqueue = append(t.rqueue, callID)
}

// recentLimit bounds the recently resolved calls remembered.
func (t *tracker) recentLimit() int { return min(t.maxPending, DefaultRecentResolved) }

// evictOldest gives up the oldest pending call; mu is held.
func (t *tracker) evictOldest() {
	for len(t.queue) > 0 {
		p := t.queue[0]
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

// Sweep resolves the calls whose grace ran out by now, and returns how many
// are still pending and the next deadline.
func (t *tracker) Sweep(now time.Time) (pending int, next time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.queue) > 0 {
		p := t.queue[0]
		if !p.done && now.Before(p.deadline) {
			next = p.deadline
			break
		}
		t.queue = t.queue[1:]
		t.resolve(p, result.OutcomeLost)
	}
	if len(t.queue) == 0 {
		t.queue = nil // let the backing array go
	}
	t.evictEarly(now)
	return len(t.pending), next
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
	for _, p := range t.queue {
		t.resolve(p, result.OutcomeUnresolved)
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
