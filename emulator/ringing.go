package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/callcheck/callcheck/graph"
)

// Ringing: in the field a peer-to-peer or PSTN call stays establishing until
// its callee answers, and ends after about a minute unanswered
// (fixtures/field comms-samples-17-no-answer, comms-samples-750-stuck). The
// emulator's callee answers as Config.Ringing says: at once (the default,
// which is what the page's examples show: establishing, then established),
// after a ring (the field profile), never, or when told through the admin
// API. Nothing is sent while it rings (see Ringing).

// ErrNotRinging is returned by Answer and RingOut for a call whose callee
// is not ringing (answered already, ending, or not a call that rings).
var ErrNotRinging = errors.New("call is not ringing")

// resultNoAnswer is the resultInfo of a call its callee did not answer:
// 408/10057 "Call timed out due to no signaling from callee endpoints." from
// the DELETE page's table of end reasons (facts §3.2, §3.9). Which of the
// table's no-answer codes (408/10057, 480/10037, 480/10076) Graph gives for a
// callee that rings out is not in the field reports read (the closest,
// msteams-docs-9159-terminated, is 408/8544 "Callee could not be reached." for
// a recording bot): the choice of 10057 is an INFERENCE.
func resultNoAnswer() *graph.ResultInfo {
	return resultInfo(408, 10057, "Call timed out due to no signaling from callee endpoints.")
}

// rings reports whether c's callee answers (and may not): peer-to-peer and
// PSTN calls. Group calls and meeting joins are established by the service.
func rings(c *callRecord) bool {
	return c.scenario == graph.KindPeerToPeer || c.scenario == graph.KindPSTN
}

// answerMode is the answer mode of calls created now.
func (e *Emulator) answerMode() string {
	if p := e.mode.Load(); p != nil {
		return *p
	}
	return e.cfg.Ringing.Answer
}

// SetAnswerMode sets how the callees of calls created from now on answer:
// AnswerAuto, AnswerNever or AnswerManual. Calls already ringing keep theirs.
func (e *Emulator) SetAnswerMode(mode string) error {
	if err := (Ringing{Answer: mode, NoAnswerTimeout: 1}).validate(); err != nil {
		return err
	}
	e.mode.Store(&mode)
	return nil
}

// answerDelay is how long an auto-answering callee of c rings.
func (e *Emulator) answerDelay(c *callRecord) time.Duration {
	return e.dice.delay(e.cfg.Ringing.AnswerAfter, streamTiming, c.ordinal*16+13)
}

// startRinging leaves c ringing until answered or timed out: after the
// request's ringingTimeoutInSeconds when it sent one ("Ringing timeout in
// seconds for outgoing peer to peer calls", facts §1.1; the rulebook bounds
// it to 115), else after Ringing.NoAnswerTimeout. The caller holds c.mu.
func (e *Emulator) startRingingLocked(c *callRecord) {
	c.ringing = true
	timeout := e.cfg.Ringing.NoAnswerTimeout
	if c.ringFor > 0 {
		timeout = c.ringFor
	}
	c.ringTimer = time.AfterFunc(timeout, func() { _ = e.ringOut(c) })
}

// Answer makes the ringing callee of call callID answer: established
// follows (in manual or never mode; an auto callee answers by itself).
func (e *Emulator) Answer(callID string) error {
	c, ok := e.store.get(callID)
	if !ok {
		return fmt.Errorf("answer %s: %w", callID, ErrNoCall)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ringing || c.ending {
		return fmt.Errorf("answer %s: %w", callID, ErrNotRinging)
	}
	c.ringing = false
	if c.ringTimer != nil {
		c.ringTimer.Stop()
	}
	c.pending = append(c.pending, step{kind: stepEstablished,
		delay: e.dice.delay(e.cfg.Timing.Established, streamTiming, c.ordinal*16+14)})
	e.advanceLocked(c)
	return nil
}

// RingOut ends the ringing call callID now as its no-answer timeout would:
// terminated with 408/10057, after its establishing notification.
func (e *Emulator) RingOut(callID string) error {
	c, ok := e.store.get(callID)
	if !ok {
		return fmt.Errorf("ring out %s: %w", callID, ErrNoCall)
	}
	if err := e.ringOut(c); err != nil {
		return fmt.Errorf("ring out %s: %w", callID, err)
	}
	return nil
}

func (e *Emulator) ringOut(c *callRecord) error {
	if e.closing.Load() {
		return ErrNotRinging
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ringing || c.ending {
		return ErrNotRinging
	}
	c.ringing, c.ending = false, true
	if c.ringTimer != nil {
		c.ringTimer.Stop()
	}
	// Appended, not replacing: the establishing notification still goes first.
	c.pending = append(c.pending, e.endSteps(c, resultNoAnswer())...)
	e.advanceLocked(c)
	return nil
}

// adminAnswerMode serves PUT /_callcheck/ringing {"answer":"never"}.
func (e *Emulator) adminAnswerMode(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Answer string `json:"answer"`
	}
	if err := readAdminBody(r, &req); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := e.SetAnswerMode(req.Answer); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	adminJSON(w, http.StatusOK, map[string]string{"answer": req.Answer})
}
