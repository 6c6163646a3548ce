package certify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/report"
	tgt "github.com/callcheck/callcheck/target"
)

// target is a call certify-bot posts notifications about.
type target struct {
	key             Key
	callID          string
	url             string // where the notifications go (the callbackUri, or BotCallback)
	callbackURI     string // the bot's callbackUri, which each notification carries (the doc's do)
	chainID         string
	tenantID        string
	appID, appName  string
	myParticipantID string
	body            *graph.Call
}

// targetOf makes the target of a created call, or says why certify-bot
// cannot post to it.
func (s *Session) targetOf(c *created) (*target, string) {
	id := c.callID()
	if id == "" {
		return nil, fmt.Sprintf("The emulated Graph created no call from the %s request (see outbound.%s.accepted).", c.key, c.key)
	}
	t := &target{key: c.key, callID: id, body: c.call, tenantID: s.cfg.App.TenantID, appID: s.cfg.App.ClientID,
		appName: s.cfg.App.DisplayName, myParticipantID: s.guid(), chainID: s.guid()}
	if c.call != nil {
		t.callbackURI, t.url = c.call.CallbackURI, c.call.CallbackURI
		if c.call.CallChainID != "" {
			t.chainID = c.call.CallChainID
		}
	}
	if info, ok := s.emu.Call(id); ok && info.MyParticipantID != "" {
		t.myParticipantID = info.MyParticipantID
	}
	if s.cfg.BotCallback != "" {
		t.url = s.cfg.BotCallback
	}
	if why := s.deliverable(t.url); why != "" {
		return nil, why
	}
	return t, ""
}

// deliverable says why certify-bot may not post to raw ("" when it may):
// only http(s) URLs, on loopback hosts, the BotCallback host or hosts allowed
// by AllowedCallbackHosts.
func (s *Session) deliverable(raw string) string {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Sprintf("The callback %q is not an http(s) URL certify-bot can post to (set --bot-callback).", raw)
	}
	host := u.Hostname()
	allowed := slices.Clone(s.cfg.AllowedCallbackHosts)
	if bc, err := url.Parse(s.cfg.BotCallback); err == nil && bc.Host != "" {
		allowed = append(allowed, bc.Hostname())
	}
	if tgt.AllowsCallbackHost(host, allowed) {
		return ""
	}
	return fmt.Sprintf("The callback host %q is not allowed: certify-bot posts only to loopback hosts and hosts allowed by --allow-callback-host (or --bot-callback).", host)
}

// expectAck fails ch unless the bot acknowledged o with a 2xx in time.
func (s *Session) expectAck(ch *check, o outcome) bool {
	if o.acked() {
		return true
	}
	if o.late || (o.rec.Status == 0 && o.timedOut()) {
		ch.fail(o.evidence(qRespondIn5s, fmt.Sprintf("2xx within %v", s.cfg.Timeouts.Ack)))
	} else {
		ch.fail(o.evidence(qAccepted202, "2xx (the samples answer 202 Accepted)"))
	}
	return false
}

// step is one POST of a sequence; before runs first (a guest's admission).
type step struct {
	what   string
	n      graph.CommsNotification
	before func()
}

// sequenceSteps are the documented notifications of t's scenario, in order:
// state changes only for peer-to-peer and PSTN calls (Example 1's note),
// then a roster for group calls and meetings (Examples 3–7), and for a
// guest the lobby first, the rest once admitted (Example 8).
func (s *Session) sequenceSteps(t *target) []step {
	steps := []step{{what: "establishing", n: t.state(graph.CallStateEstablishing)}}
	switch {
	case t.key.Kind() == graph.KindGuestJoin:
		steps = append(steps, step{what: "lobby roster", n: t.roster([]obj{t.botParticipant(true)})},
			step{what: "established", n: t.state(graph.CallStateEstablished), before: func() { _ = s.emu.Admit(t.callID) }},
			step{what: "roster", n: t.roster(append([]obj{t.botParticipant(false)}, t.others(s, 1+s.rng.IntN(3))...))})
	case t.key.hasRoster():
		steps = append(steps, step{what: "established", n: t.state(graph.CallStateEstablished)},
			step{what: "roster", n: t.roster(append([]obj{t.botParticipant(false)}, t.others(s, s.rng.IntN(3))...))})
	default:
		steps = append(steps, step{what: "established", n: t.state(graph.CallStateEstablished)})
	}
	return steps
}

// sequence posts t's documented sequence: each POST must be acknowledged
// with a 2xx within the deadline, and the bot's view ends established.
func (s *Session) sequence(ctx context.Context, t *target) report.Check {
	ch := s.newCheck("inbound."+string(t.key)+".sequence", t.key)
	for _, st := range s.sequenceSteps(t) {
		if st.before != nil {
			st.before()
		}
		s.expectAck(ch, s.post(ctx, t, "the "+st.what+" notification", batchOf(st.n), nil))
	}
	if ch.failed() {
		ch.note(sequenceSource(t.key))
	}
	s.expectState(ctx, ch, t, graph.CallStateEstablished, false, "the documented sequence")
	return ch.done()
}

// sequenceSource quotes where the key's sequence is documented.
func sequenceSource(k Key) report.Evidence {
	for _, n := range k.Examples() {
		ex, err := fixtures.ByNumber(n)
		if err != nil {
			continue
		}
		for _, f := range ex.Expect.Sources("states") {
			text, source := fixtureQuote(f.Quote)
			return report.Evidence{Message: "The sequence posted is the documented one for the scenario.", DocQuote: text, Source: source}
		}
	}
	return report.Evidence{Message: "The sequence posted is the documented one for the scenario."}
}

// end ends t's call: through the bot (Hangup: its DELETE, then terminating
// and terminated) or from the far side (terminated). The bot must
// acknowledge, and its view must end terminated (or forget the call). It
// reports whether the bot's DELETE arrived.
func (s *Session) end(ctx context.Context, t *target) (report.Check, bool) {
	ch := s.newCheck("inbound."+string(t.key)+".end", t.key)
	deleted := false
	if s.cfg.Hangup != nil {
		deleted = s.hangup(ctx, ch, t)
	} else {
		r := farEndResult(t.key)
		_ = s.emu.EndCall(t.callID, &graph.ResultInfo{ODataType: graph.TypeResultInfo, Code: graph.Int(int64(r.Code)), Subcode: ptr(graph.Int(int64(r.Subcode))), Message: r.Message})
		s.expectAck(ch, s.post(ctx, t, "the terminated notification (the far side hung up)", batchOf(t.terminated(r)), nil))
	}
	s.expectState(ctx, ch, t, graph.CallStateTerminated, true, "the end of the call")
	return ch.done(), deleted
}

func ptr[T any](v T) *T { return &v }

// hangup asks the bot to hang up and expects its DELETE (204), then posts
// terminating and terminated (graph-calls-facts.md §3.8).
func (s *Session) hangup(ctx context.Context, ch *check, t *target) bool {
	since := s.emu.Stats().LastRequest
	out, err := s.runTrigger(ctx, s.cfg.Hangup, s.triggerEnv(t.key, t.callID))
	if err != nil {
		ev := qDelete204.evidence(fmt.Sprintf("The hang-up trigger for call %s failed: %v", t.callID, err), "the trigger succeeds", err.Error())
		ev.Excerpt = out
		ch.fail(ev)
		_ = s.emu.EndCall(t.callID, nil)
		return false
	}
	rec, ok := s.waitRequest(ctx, since, func(r tgt.RequestRecord) bool { return r.Method == http.MethodDelete && r.CallID == t.callID })
	if !ok {
		ch.fail(qDelete204.evidence(fmt.Sprintf("No DELETE /communications/calls/%s arrived within %v after the hang-up trigger.", t.callID, s.cfg.Timeouts.Request),
			"DELETE /communications/calls/"+t.callID, "none"))
		_ = s.emu.EndCall(t.callID, nil)
		return false
	}
	if rec.Status != http.StatusNoContent {
		ch.fail(qDelete204.evidence(fmt.Sprintf("The bot's DELETE was answered %d %s: %s", rec.Status, rec.ErrorCode, rec.ErrorMessage), "204", fmt.Sprint(rec.Status)))
		return true
	}
	s.expectAck(ch, s.post(ctx, t, "the terminating notification", batchOf(t.state(graph.CallStateTerminating)), nil))
	s.expectAck(ch, s.post(ctx, t, "the terminated notification", batchOf(t.terminated(resultHangup)), nil))
	return true
}

// timedOut reports whether the POST failed for want of an answer in time.
func (o outcome) timedOut() bool {
	var ne net.Error
	return errors.As(o.err, &ne) && ne.Timeout() || errors.Is(o.err, context.DeadlineExceeded)
}
