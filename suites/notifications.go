package suites

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
)

// errRejected is returned by awaitEvent when callcheck's receiver refused a
// notification about the call (a token that fails verification, a body that
// is not a commsNotifications envelope): the contract fails at once.
var errRejected = errors.New("a notification about the call was refused")

// awaitEvent waits for the first notification of the call that match
// accepts, whatever the order they came in ("establishing/established
// notifications may arrive out of order"): the watch keeps them all. It
// gives up at once when the wait cannot succeed any more: callcheck's
// receiver refused a notification (a token that fails verification, a body
// that is not a commsNotifications envelope), or the call reported a state
// an outgoing call cannot be in on its way to what is awaited.
func (r *exampleRun) awaitEvent(match func(notify.Event) bool) (notify.Event, error) {
	var found notify.Event
	var doomed error
	err := r.poll(r.t.Notification, func() error {
		if doomed = r.doomed(match); doomed != nil {
			return gomega.StopTrying(doomed.Error())
		}
		for _, e := range r.watch.Events() {
			if match(e) {
				found = e
				return nil
			}
		}
		return errors.New("not yet")
	})
	if err != nil && doomed != nil {
		return found, doomed
	}
	return found, err
}

// doomed returns why waiting is pointless, or nil.
func (r *exampleRun) doomed(match func(notify.Event) bool) error {
	if len(r.rejections()) > 0 {
		return errRejected
	}
	if len(r.watch.Events()) == 0 && len(r.env.arrivals.unknown(r.started)) > 0 {
		return errUnknownCall
	}
	for _, e := range r.watch.Events() {
		if match(e) || !e.IsCall() {
			continue
		}
		switch st := graph.CallState(strings.ToLower(string(e.State()))); st {
		case graph.CallStateIncoming, graph.CallStateTerminated:
			if !r.deleted {
				return fmt.Errorf("%w: the call reported state %s", errWrongState, e.State())
			}
		}
	}
	return nil
}

// errWrongState: the call reported a state that ends the wait.
var errWrongState = errors.New("unexpected call state")

// errUnknownCall: while the call got no notification at all, notifications
// came for a call callcheck never created (a target that names the wrong
// call in resourceUrl); the wait ends at once with their bodies.
var errUnknownCall = errors.New("notifications came for a call callcheck never created, none for this one")

// rejections returns the POSTs callcheck's receiver refused that name the
// call. A refused request naming no call (a probe's HEAD / or GET /, an
// empty body) is counted by the receiver as stray and belongs to no
// contract: it says nothing of the target.
func (r *exampleRun) rejections() []notify.Rejection { return r.watch.Rejections() }

// unknownEvidence describes the notifications for unknown calls.
func (r *exampleRun) unknownEvidence(src Source, what string) []report.Evidence {
	var out []report.Evidence
	for _, ar := range r.env.arrivals.unknown(r.started) {
		ev := evidence(src, fmt.Sprintf("waiting for %s of call %s, a notification came for call %s, which callcheck never created", what, r.id, ar.callID),
			callPath(r.id), callPath(ar.callID))
		ev.Excerpt = ar.body
		out = append(out, ev)
		if len(out) == 3 {
			break
		}
	}
	return out
}

// rejectionEvidence describes the refused notifications of the call.
func (r *exampleRun) rejectionEvidence() []report.Evidence {
	var out []report.Evidence
	for _, rj := range r.rejections() {
		src := srcValidateToken
		if rj.Status == 400 {
			src = srcEnvelope
		}
		ev := evidence(src, fmt.Sprintf("callcheck's receiver refused a notification about call %s (status %d): %s", r.id, rj.Status, rj.Reason),
			"a notification with a valid bearer token in a commsNotifications envelope", rj.Reason)
		ev.Excerpt = redact(rj.Excerpt)
		out = append(out, ev)
	}
	return out
}

// seen summarizes what the call's watch holds, for evidence.
func (r *exampleRun) seen() string {
	var parts []string
	for _, e := range r.watch.Events() {
		switch {
		case e.IsRoster():
			parts = append(parts, "roster")
		case e.State() != "":
			parts = append(parts, string(e.State()))
		default:
			parts = append(parts, e.Resource.Sub+"?")
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("no notification naming call %s (the receiver saw %d notifications in all)", r.id, r.env.receiver.Stats().Notifications)
	}
	return "notifications: " + strings.Join(parts, ", ")
}

// failWait fails a step whose wait for a notification ended without it.
func (r *exampleRun) failWait(err error, src Source, what string) {
	ginkgo.GinkgoHelper()
	if errors.Is(err, errRejected) {
		r.fail(r.rejectionEvidence()...)
	}
	if errors.Is(err, errWrongState) {
		r.fail(evidence(src, fmt.Sprintf("waiting for %s, call %s: %v", what, r.id, err), what, r.seen()))
	}
	r.rec.lost = append(r.rec.lost, what)
	if errors.Is(err, errUnknownCall) {
		r.fail(r.unknownEvidence(srcStateResource, what)...)
	}
	r.fail(evidence(src, fmt.Sprintf("no %s notification for call %s within %s (%v)", what, r.id, r.t.Notification, err), what, r.seen()))
}

// awaitState waits for the call notification reporting state and judges it.
func (r *exampleRun) awaitState(state graph.CallState, src Source) notify.Event {
	ginkgo.GinkgoHelper()
	e, err := r.awaitEvent(func(e notify.Event) bool { return e.IsCall() && strings.EqualFold(string(e.State()), string(state)) })
	if err != nil {
		r.failWait(err, src, string(state))
	}
	var f findings
	r.judgeCallEvent(&f, e, state)
	r.failIf(&f)
	return e
}

// awaitEstablished waits for established and, unless the example tolerates
// it (every example does: §8), checks it came after establishing.
func (r *exampleRun) awaitEstablished() {
	ginkgo.GinkgoHelper()
	e := r.awaitState(graph.CallStateEstablished, srcStateResource)
	if r.ex.Expect.OutOfOrder {
		return
	}
	for _, prev := range r.callEvents() {
		if strings.EqualFold(string(prev.State()), string(graph.CallStateEstablishing)) && prev.Received.After(e.Received) {
			r.fail(evidence(srcOutOfOrder, "established arrived before establishing", "establishing first", "established first"))
		}
	}
}

// awaitTerminating waits for terminating after the DELETE. The fact sheet
// lists it before terminated (§3.8); a field report shows terminated with
// nothing before it (comms-samples #17), so when terminated comes without
// it, its absence is an inferred finding (a warning against a remote target
// unless strict), and when it comes, it must come before terminated.
func (r *exampleRun) awaitTerminating() {
	ginkgo.GinkgoHelper()
	isTerm := notify.StateIs(graph.CallStateTerminating)
	isDone := notify.StateIs(graph.CallStateTerminated)
	e, err := r.awaitEvent(func(e notify.Event) bool { return e.IsCall() && (isTerm(e) || isDone(e)) })
	if err != nil {
		r.failWait(err, srcTerminating, string(graph.CallStateTerminating))
	}
	var f findings
	if isDone(e) {
		i := slices.IndexFunc(r.callEvents(), isTerm)
		if i < 0 {
			f.addf(srcTerminatingOptional, "terminating, then terminated", "terminated only",
				"terminated came with no terminating before it (the fact sheet lists terminating first; the field shows it may be absent)")
			r.failIf(&f)
			return
		}
		term := r.callEvents()[i]
		if term.Received.After(e.Received) {
			f.addf(srcTerminating, "terminating before terminated", "terminated first", "terminating arrived after terminated")
		}
		e = term
	}
	r.judgeCallEvent(&f, e, graph.CallStateTerminating)
	r.failIf(&f)
}

// awaitTerminated waits for terminated: changeType deleted, with resultInfo (§3.8).
func (r *exampleRun) awaitTerminated() {
	ginkgo.GinkgoHelper()
	e := r.awaitState(graph.CallStateTerminated, srcTerminated)
	call, _ := e.Notification.Call()
	if call == nil || call.ResultInfo == nil {
		r.fail(evidence(srcTerminated, "the terminated notification has no resultInfo", "resultInfo with a code", "none"))
	}
}

// judgeCallEvent checks a call notification: envelope member type,
// changeType, resourceUrl, resourceData (type, id, state), schema, token tenant.
func (r *exampleRun) judgeCallEvent(f *findings, e notify.Event, state graph.CallState) {
	r.judgeCommon(f, e, "")
	n := e.Notification
	wantChange := graph.ChangeUpdated
	src := srcStateResource
	if state == graph.CallStateTerminated {
		wantChange, src = graph.ChangeDeleted, srcTerminated
	}
	if !strings.EqualFold(string(n.ChangeType), string(wantChange)) {
		f.addf(src, string(wantChange), string(n.ChangeType), "the %s notification's changeType is not %s", state, wantChange)
	}
	call, err := n.Call()
	if err != nil {
		f.addf(src, "resourceData: a #microsoft.graph.call", "unreadable: "+err.Error(), "the %s notification's resourceData is not a call", state)
		return
	}
	if !graph.SameType(call.ODataType, graph.TypeCall) {
		f.addf(src, graph.TypeCall, orNone(call.ODataType), "the %s notification's resourceData is not typed %s", state, graph.TypeCall)
	}
	if call.ID != "" && !strings.EqualFold(call.ID, r.id) {
		f.addf(src, r.id, call.ID, "the %s notification's resourceData.id names another call than its resourceUrl", state)
	}
}

// judgeCommon checks what every notification of the call must be: typed
// commsNotification, resourceUrl /communications/calls/{id}[/sub], the
// callbackUri it was sent to (when it says), valid against the schema, and
// a token for the call's tenant.
func (r *exampleRun) judgeCommon(f *findings, e notify.Event, sub string) {
	n := e.Notification
	if !graph.SameType(n.ODataType, graph.TypeCommsNotification) {
		f.addf(srcEnvelope, graph.TypeCommsNotification, orNone(n.ODataType), "a notification in the batch is not typed %s", graph.TypeCommsNotification)
	}
	res, ok := graph.ParseResourceURL(n.ResourceURL)
	prefixOK := res.Prefix == "/communications/calls"
	if n.ResourceURL == "" && n.Resource != "" {
		// Field traffic names the call in the legacy resource member only,
		// under /app/calls (fixtures/field comms-samples-95-establishing,
		// https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/95);
		// the receiver correlates by it too.
		res, ok = graph.ParseResourceURL(n.Resource)
		prefixOK = res.Prefix == "/communications/calls" || res.Prefix == "/app/calls"
	}
	if !ok || !prefixOK || !strings.EqualFold(res.CallID, r.id) || res.Sub != sub {
		want := callPath(r.id)
		if sub != "" {
			want += "/" + sub
		}
		f.addf(srcStateResource, want, orNone(n.ResourceURL), "the notification's resourceUrl is not %s", want)
	}
	if n.CallbackURI != "" && n.CallbackURI != r.env.callbackURL {
		f.addf(srcEnvelope, r.env.callbackURL, n.CallbackURI, "the notification names another callbackUri than the call's")
	}
	body, _ := json.Marshal(n)
	for _, v := range r.env.notifySchema.Validate(schema.TypeCommsNotification, body) {
		ev := evidence(srcEnvelope, "the notification does not conform to microsoft.graph.commsNotification: "+v.Message, v.Type, string(v.Kind))
		ev.Pointer = v.Pointer
		f.add(ev)
	}
	if e.Claims == nil || !strings.EqualFold(e.Claims.TenantID, r.env.values.TenantID) {
		got := "none"
		if e.Claims != nil {
			got = orNone(e.Claims.TenantID)
		}
		f.addf(srcNotificationToken, r.env.values.TenantID, got, "the notification's token is not for the call's tenant (tid)")
	}
}
