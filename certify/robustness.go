package certify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
)

// Large rosters hold between these many participants (seeded): a large
// meeting's roster, tens of KiB in one POST.
const (
	minLargeRoster = 200
	maxLargeRoster = 300
)

// robustness posts what real traffic brings besides the documented
// sequence, on t's call (established): the bot must take it in its stride.
// roster is the call the large roster goes to (nil: no call with rosters).
func (s *Session) robustness(ctx context.Context, t, roster *target) []report.Check {
	return []report.Check{s.duplicate(ctx, t), s.outOfOrder(ctx, t), s.batch(ctx, t), s.enumCasing(ctx, t),
		s.unknownFields(ctx, t), s.malformedJSON(ctx, t), s.unknownCall(ctx, t), s.largeRoster(ctx, roster)}
}

func (s *Session) robustCheck(name string, t *target) *check {
	return s.newCheck("robustness."+name, t.key)
}

// duplicate: the same notification twice, with the same message id, as a
// retry would send it; both acknowledged.
func (s *Session) duplicate(ctx context.Context, t *target) report.Check {
	ch := s.robustCheck("duplicate", t)
	o := &notify.Override{Header: http.Header{notify.HeaderMessageID: {s.guid()}}}
	n := t.state(graph.CallStateEstablished)
	for _, what := range []string{"the established notification", "the same notification again (same X-Microsoft-Skype-Message-ID)"} {
		s.expectAck(ch, s.post(ctx, t, what, batchOf(n), o))
	}
	s.expectState(ctx, ch, t, graph.CallStateEstablished, false, "a duplicated notification")
	return ch.done()
}

// outOfOrder: establishing after established ("may arrive out of order",
// §8): acknowledged, and the call stays established.
func (s *Session) outOfOrder(ctx context.Context, t *target) report.Check {
	ch := s.robustCheck("out-of-order", t)
	o := s.post(ctx, t, "an establishing notification after established", batchOf(t.state(graph.CallStateEstablishing)), nil)
	if !s.expectAck(ch, o) {
		ch.note(qOutOfOrder.evidence("Establishing and established may arrive in either order.", "", ""))
	}
	s.expectState(ctx, ch, t, graph.CallStateEstablished, false, "an establishing notification that arrived after established")
	return ch.done()
}

// batch: several notifications in one POST (§2).
func (s *Session) batch(ctx context.Context, t *target) report.Check {
	ch := s.robustCheck("batch", t)
	ns := []graph.CommsNotification{t.state(graph.CallStateEstablishing), t.state(graph.CallStateEstablished)}
	if t.key.hasRoster() {
		ns = append(ns, t.roster(append([]obj{t.botParticipant(false)}, t.others(s, 1)...)))
	}
	o := s.post(ctx, t, fmt.Sprintf("a batch of %d notifications", len(ns)), batchOf(ns...), nil)
	if !s.expectAck(ch, o) {
		ch.note(qBatch.evidence("A commsNotifications POST may carry several notifications.", "", ""))
	}
	s.expectState(ctx, ch, t, graph.CallStateEstablished, false, "a batch ending in established")
	return ch.done()
}

// enumCasing: PascalCase enum values, as field traffic sends them (§2).
func (s *Session) enumCasing(ctx context.Context, t *target) report.Check {
	ch := s.robustCheck("enum-casing", t)
	n := t.notification("Updated", t.callResource(), obj{"@odata.type": graph.TypeCall, "state": "Established", "id": t.callID})
	if !s.expectAck(ch, s.post(ctx, t, `a notification with "changeType": "Updated" and "state": "Established"`, batchOf(n), nil)) {
		ch.note(qPascalCase.evidence("Real traffic uses both casings.", "", ""))
	}
	s.expectState(ctx, ch, t, graph.CallStateEstablished, false, "a PascalCase established notification")
	return ch.done()
}

// unknownFields: properties the bot cannot know, at every level, and the
// legacy resource real traffic carries (§1.1 the types are open, §2).
// A 4xx is a warning; a 5xx or no answer fails.
func (s *Session) unknownFields(ctx context.Context, t *target) report.Check {
	ch := s.robustCheck("unknown-fields", t)
	n := t.notification(graph.ChangeUpdated, t.callResource(), obj{"@odata.type": graph.TypeCall, "state": graph.CallStateEstablished,
		"id": t.callID, "callcheckFutureCallProperty": obj{"kind": "unknown"}})
	n.Resource = "/app/calls/" + t.callID
	n.Extra = graph.Extra{"callcheckFutureNotificationProperty": json.RawMessage(`true`)}
	b := batchOf(n)
	b.Extra = graph.Extra{"callcheckFutureBatchProperty": json.RawMessage(`"unknown"`)}
	o := s.post(ctx, t, "a notification with unknown properties at every level and the legacy resource", b, nil)
	s.judgeNo5xx(ch, o, qOpenType, true)
	if o.acked() {
		s.expectState(ctx, ch, t, graph.CallStateEstablished, false, "a notification with unknown properties")
	}
	return ch.done()
}

// judgeNo5xx passes a 2xx, fails a 5xx or no answer, and warns (or passes,
// when warn4xx is false) on a 4xx.
func (s *Session) judgeNo5xx(ch *check, o outcome, q quote, warn4xx bool) {
	switch st := o.status(); {
	case o.late || (st == 0 && o.timedOut()):
		ch.fail(o.evidence(qRespondIn5s, fmt.Sprintf("an answer within %v, never a 5xx", s.cfg.Timeouts.Ack)))
	case st >= 200 && st < 300 && o.err == nil:
	case st >= 400 && st < 500:
		if warn4xx {
			ch.warn(o.evidence(q, "2xx (a 4xx is allowed, never a 5xx)"))
		}
	default:
		ch.fail(o.evidence(q, "a 2xx or a 4xx, never a 5xx"))
	}
}

// malformedBody is a commsNotifications batch cut off in the middle.
const malformedBody = `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":`

// malformedJSON: a validly signed POST whose body is not JSON: 4xx or 2xx,
// never 5xx (§6: "Body can't be parsed → 400").
func (s *Session) malformedJSON(ctx context.Context, t *target) report.Check {
	ch := s.robustCheck("malformed-json", t)
	o := s.post(ctx, t, "a validly signed body that is not JSON", batchOf(), &notify.Override{Body: []byte(malformedBody)})
	s.judgeNo5xx(ch, o, qBadBody400, false)
	return ch.done()
}

// unknownCall: a notification about a call the bot does not know.
func (s *Session) unknownCall(ctx context.Context, t *target) report.Check {
	ch := s.robustCheck("unknown-call", t)
	other := *t
	other.callID = s.guid()
	o := s.post(ctx, &other, "an established notification for call "+other.callID+", which the bot never made", batchOf(other.state(graph.CallStateEstablished)), nil)
	s.judgeNo5xx(ch, o, qAccepted202, false)
	return ch.done()
}

// largeRoster: a roster of a few hundred participants in one POST.
func (s *Session) largeRoster(ctx context.Context, t *target) report.Check {
	if t == nil {
		ch := s.newCheck("robustness.large-roster", "")
		ch.c.Verdict = report.NotSupported
		ch.note(report.Evidence{Message: "No group call, meeting or guest join was certified: rosters are not sent for peer-to-peer and PSTN calls.",
			DocQuote: qP2PNoRoster.Text, Source: qP2PNoRoster.source()})
		return ch.done()
	}
	ch := s.robustCheck("large-roster", t)
	n := minLargeRoster + s.rng.IntN(maxLargeRoster-minLargeRoster+1)
	participants := append([]obj{t.botParticipant(false)}, t.others(s, n)...)
	if !s.expectAck(ch, s.post(ctx, t, fmt.Sprintf("a roster of %d participants", len(participants)), batchOf(t.roster(participants)), nil)) {
		ch.note(qResourceData.evidence("resourceData may be a collection of entities.", "", ""))
	}
	return ch.done()
}
