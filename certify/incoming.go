package certify

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/callcheck/callcheck/graph"
	tgt "github.com/callcheck/callcheck/target"
)

// incomingCheckID is the check of the answer deadline of an incoming call.
const incomingCheckID = "inbound.incoming.answer"

// incoming, when the bot has an incoming-call webhook (IncomingCallback),
// makes someone call the bot: the emulated Graph holds a call in state
// incoming and certify-bot posts its created notification to the webhook.
// The bot must answer (or reject) it before Graph's deadline: "The bot is
// expected to answer, reject, or redirect the call before the call times
// out. The current timeout value is 15 seconds for regular scenarios"
// (graph-calls-facts.md §3.7 line 303; comms-samples #191). The check
// reports the time the bot took.
func (s *Session) incoming(ctx context.Context) {
	if s.cfg.IncomingCallback == "" {
		return
	}
	ch := s.newCheck(incomingCheckID, "")
	defer func() { s.record(ch.done()) }()
	if why := s.deliverable(s.cfg.IncomingCallback); why != "" {
		ch.skip(why)
		return
	}
	id, err := s.emu.InjectIncoming(tgt.IncomingCall{CallbackURI: s.cfg.IncomingCallback})
	if err != nil {
		ch.skip(fmt.Sprintf("The emulated Graph could not make the incoming call: %v", err))
		return
	}
	defer func() { _ = s.emu.EndCall(id, nil) }()
	t := &target{callID: id, url: s.cfg.IncomingCallback, callbackURI: s.cfg.IncomingCallback, chainID: s.guid(),
		tenantID: s.cfg.App.TenantID, appID: s.cfg.App.ClientID, appName: s.cfg.App.DisplayName}
	since := s.emu.Stats().LastRequest
	start := s.now()
	if !s.expectAck(ch, s.post(ctx, t, "the incoming call's created notification", batchOf(t.incomingCall(s)), nil)) {
		return
	}
	rec, ok := s.waitRequestWithin(ctx, since, s.cfg.Timeouts.Answer, func(r tgt.RequestRecord) bool {
		return r.Method == http.MethodPost && r.CallID == id && isAnswerOrReject(r.Path)
	})
	if !ok {
		ch.fail(qAnswer15s.evidence(fmt.Sprintf("The bot neither answered nor rejected incoming call %s within %v: Graph would have ended it.", id, s.cfg.Timeouts.Answer),
			fmt.Sprintf("POST /communications/calls/%s/answer (or reject) within %v", id, s.cfg.Timeouts.Answer), "none"))
		return
	}
	took := rec.Time.Sub(start)
	if rec.Time.IsZero() || took < 0 {
		took = s.now().Sub(start)
	}
	action := rec.Path[strings.LastIndex(rec.Path, "/")+1:]
	if rec.Status != http.StatusAccepted {
		ch.fail(qAnswer15s.evidence(fmt.Sprintf("The bot's %s of incoming call %s was answered %d %s: %s", action, id, rec.Status, rec.ErrorCode, rec.ErrorMessage),
			"202", fmt.Sprint(rec.Status)))
		return
	}
	ch.note(qAnswer15s.evidence(fmt.Sprintf("The bot sent %s for incoming call %s %v after its created notification was posted (deadline %v).",
		action, id, took.Round(time.Millisecond), s.cfg.Timeouts.Answer), fmt.Sprintf("within %v", s.cfg.Timeouts.Answer), took.Round(time.Millisecond).String()))
}

// isAnswerOrReject reports whether path is a call's answer or reject
// action, by plain or namespace-qualified name.
func isAnswerOrReject(path string) bool {
	last := strings.ToLower(path[strings.LastIndex(path, "/")+1:])
	last = strings.TrimPrefix(last, "microsoft.graph.")
	return last == "answer" || last == "reject"
}

// incomingCall is the created notification of an incoming call: the call in
// state incoming, from a user of the tenant to the bot (facts §3.7).
func (t *target) incomingCall(s *Session) graph.CommsNotification {
	caller := obj{"@odata.type": graph.TypeIdentitySet, "user": obj{"@odata.type": graph.TypeIdentity, "id": s.guid(), "displayName": "Caller", "tenantId": t.tenantID}}
	bot := obj{"@odata.type": graph.TypeIdentitySet, "application": obj{"@odata.type": graph.TypeIdentity, "id": t.appID, "displayName": t.appName}}
	data := obj{"@odata.type": graph.TypeCall, "id": t.callID, "state": graph.CallStateIncoming, "direction": graph.DirectionIncoming,
		"callbackUri": t.callbackURI, "callChainId": t.chainID, "tenantId": t.tenantID, "requestedModalities": []string{"audio"},
		"source":  obj{"@odata.type": graph.TypeParticipantInfo, "identity": caller},
		"targets": []obj{{"@odata.type": graph.TypeInvitationParticipantInfo, "identity": bot}}}
	return t.notification(graph.ChangeCreated, t.callResource(), data)
}
