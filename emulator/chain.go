package emulator

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/callcheck/callcheck/graph"
)

// A call's notifications run as a chain, one step at a time: a step is
// scheduled after its delay, delivered, and only when its delivery is over
// (acknowledged, or given up) is the next one scheduled. So one call's
// notifications arrive in order, as the SDK's per-call queue expects (facts
// §8), unless the reorder fault swaps them on purpose.

// schedule appends steps to c's chain and starts it if idle.
func (e *Emulator) schedule(c *callRecord, steps ...step) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = append(c.pending, steps...)
	e.advanceLocked(c)
}

// replaceSteps drops c's pending steps (and a step waiting on its timer) and
// schedules steps instead; a step already being delivered finishes first.
// The caller holds c.mu.
func (e *Emulator) replaceStepsLocked(c *callRecord, steps ...step) {
	var superseded []step
	if c.timer != nil && c.timer.Stop() {
		c.timer, c.busy = nil, false
		e.pendingSteps.Add(-1)
		superseded = append(superseded, c.timed)
	}
	e.recordSupersededLocked(c, append(superseded, c.pending...))
	c.pending = append(c.pending[:0:0], steps...)
	e.advanceLocked(c)
}

// advanceLocked starts c's next step if none is running. The caller holds c.mu.
func (e *Emulator) advanceLocked(c *callRecord) {
	if c.busy || len(c.pending) == 0 || e.closing.Load() {
		return
	}
	s := c.pending[0]
	c.pending = c.pending[1:]
	if len(c.pending) == 0 {
		c.pending = nil
	}
	c.busy = true
	e.pendingSteps.Add(1)
	c.steps++
	delay := s.delay
	if e.dice.hit(e.cfg.Faults.NotificationDelay.Rate, streamNotifDelay, c.ordinal<<8|c.steps) {
		delay += e.dice.delay(e.cfg.Faults.NotificationDelay.Delay, streamNotifDelayAmount, c.ordinal<<8|c.steps)
	}
	ordinal := c.ordinal<<8 | c.steps
	c.timed = s
	c.timer = time.AfterFunc(delay, func() { e.fire(c, s, ordinal) })
}

// recordSupersededLocked records, as never sent, the notifications of steps
// the call's end replaced before they fired (a hang-up while the roster was
// still scheduled), so that the delivery record accounts for every
// notification a call was on course to get. The caller holds c.mu.
func (e *Emulator) recordSupersededLocked(c *callRecord, steps []step) {
	if c.callbackURI == "" {
		return
	}
	for _, s := range steps {
		if e.silent(c, s.kind) {
			continue
		}
		e.deliveries.add(Delivery{Time: e.now(), URL: c.callbackURI, CallIDs: []string{c.id}, Kinds: []string{s.kind.String()}, Error: SupersededByEnd},
			func(r *Delivery, seq uint64) { r.Seq = seq })
	}
}

// fire applies step s to c and hands its notification to the notifier.
func (e *Emulator) fire(c *callRecord, s step, ordinal uint64) {
	c.mu.Lock()
	c.timer = nil
	e.applyLocked(c, s)
	var body []byte
	dropped := c.callbackURI != "" && !e.silent(c, s.kind) && e.dice.hit(e.cfg.Faults.Drop, streamDrop, ordinal)
	deliverable := c.callbackURI != "" && !e.silent(c, s.kind) && !dropped
	if deliverable {
		n := e.payload(c, s)
		body = n.appendJSON(make([]byte, 0, 384+len(n.ResourceData)))
	}
	dest := destination{url: c.callbackURI, audience: c.appID, tenant: c.tenantID}
	c.mu.Unlock()
	if dropped { // recorded, so that the delivery record accounts for every notification
		e.deliveries.add(Delivery{Time: e.now(), URL: dest.url, CallIDs: []string{c.id}, Kinds: []string{s.kind.String()}, Error: DroppedByFault},
			func(r *Delivery, seq uint64) { r.Seq = seq })
	}
	if !deliverable {
		e.stepDone(c, s)
		return
	}
	if e.dice.hit(e.cfg.Faults.Duplicate, streamDuplicate, ordinal) {
		e.notifier.enqueue(dest, outbound{callID: c.id, chainID: c.callChainID, kind: s.kind.String(), body: body, done: func() {}})
	}
	e.notifier.enqueue(dest, outbound{callID: c.id, chainID: c.callChainID, kind: s.kind.String(), body: body, done: func() { e.stepDone(c, s) }})
}

// applyLocked changes c's state as step s says. The caller holds c.mu.
func (e *Emulator) applyLocked(c *callRecord, s step) {
	switch s.kind {
	case stepEstablished:
		c.state = graph.CallStateEstablished
	case stepLobbyRoster:
		c.inLobby = true
	case stepRoster:
		if c.admitted {
			c.inLobby = false
		}
	case stepTerminating:
		c.state = graph.CallStateTerminating
	case stepTerminated:
		c.state, c.ended, c.endedAt, c.result = graph.CallStateTerminated, true, e.now(), s.result
		c.pending = nil
	}
}

// stepDone runs when step s's delivery is over: it evicts an ended call or
// starts the next step.
func (e *Emulator) stepDone(c *callRecord, s step) {
	e.pendingSteps.Add(-1)
	c.mu.Lock()
	c.busy = false
	if s.kind == stepLobbyRoster {
		e.lobbyTimersLocked(c)
	}
	if c.ended {
		info := c.info()
		c.mu.Unlock()
		if !e.vio.on(VCallSurvivesDelete) {
			e.store.remove(c, info)
		}
		e.signalIdle()
		return
	}
	e.advanceLocked(c)
	c.mu.Unlock()
	e.signalIdle()
}

// lobbyTimersLocked starts auto-admission and the lobby timeout, when
// configured, once the guest is in the lobby. The caller holds c.mu.
func (e *Emulator) lobbyTimersLocked(c *callRecord) {
	if d := e.cfg.Behaviour.AutoAdmitAfter; d > 0 {
		time.AfterFunc(d, func() { _ = e.Admit(c.id) })
	}
	if d := e.cfg.Behaviour.LobbyTimeout; d > 0 {
		time.AfterFunc(d, func() { e.endInLobby(c) })
	}
}

func (e *Emulator) endInLobby(c *callRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inLobby && !c.admitted && !c.ending {
		c.ending = true
		e.replaceStepsLocked(c, e.endSteps(c, resultLobbyTimeout())...)
	}
}

// derivedID makes a stable GUID from parts (for ids the emulator must repeat:
// the participants of a call, ids that violations substitute).
func derivedID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
