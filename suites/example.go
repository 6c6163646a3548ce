package suites

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/internal/jsonptr"
	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
)

// The steps of an example's contract, as the report names them.
const (
	stepRequest          = "request"
	stepResponse         = "response"
	stepEstablishing     = "notification:establishing"
	stepEstablished      = "notification:established"
	stepRoster           = "notification:roster"
	stepNoRoster         = "notification:no-roster"
	stepLobby            = "notification:lobby"
	stepLobbyNoRoster    = "lobby:no-roster-before-admission"
	stepAdmission        = "lobby:admission"
	stepDelete           = "cleanup:delete"
	stepTerminating      = "cleanup:terminating"
	stepTerminated       = "cleanup:terminated"
	stepGone             = "cleanup:gone"
	stepAllNotifications = "notifications:verified"
	stepNotAnswered      = "not-answered:terminated"
)

// exampleContract builds the contract of documented example n: its request
// (placeholders filled), the response, the notifications at callcheck's
// receiver, and the cleanup, in that order.
func exampleContract(n int, features []Feature, readings ...Reading) *Contract {
	ex, err := fixtures.ByNumber(n)
	if err != nil {
		panic(err)
	}
	c := &Contract{ID: ex.Name(), Title: ex.Title.English, Kind: KindExample, Example: n,
		Features: features, Readings: readings, Steps: exampleSteps(ex), Sources: exampleSources(ex)}
	if ex.Expect.Lobby {
		c.OptionalFeatures = []Feature{FeatureLobbyAdmission}
	}
	c.run = func(sp *spec) { (&exampleRun{spec: sp, ex: ex}).run() }
	return c
}

// exampleSteps are the steps an example's contract takes, from what the
// page says of it (fixtures.Expect).
func exampleSteps(ex fixtures.Example) []string {
	steps := []string{stepRequest, stepResponse, stepEstablishing}
	switch {
	case ex.Expect.Lobby:
		steps = append(steps, stepLobby, stepLobbyNoRoster, stepAdmission, stepEstablished, stepRoster)
	case ex.Expect.Roster:
		steps = append(steps, stepEstablished, stepRoster)
	default:
		steps = append(steps, stepEstablished, stepNoRoster)
	}
	return append(steps, stepDelete, stepTerminating, stepTerminated, stepGone, stepAllNotifications)
}

// exampleSources are the documentation an example's contract rests on.
func exampleSources(ex fixtures.Example) []Source {
	out := []Source{srcCreated, srcFullCall, srcLocation, srcRequestID}
	if _, err := ex.Block(fixtures.BlockResponse); err != nil {
		out = append(out, srcAllProperties, srcUnsetProperties)
	}
	out = append(out, srcNotificationToken, srcValidateToken, srcEnvelope, srcStateResource, srcOutOfOrder)
	switch {
	case ex.Expect.Lobby:
		out = append(out, srcLobby, srcLobbyRoster, srcNoRosterInLobby, srcRosterResource)
	case ex.Expect.Roster:
		out = append(out, srcMeetingRoster, srcRosterResource)
	default:
		out = append(out, srcP2PStatesOnly)
	}
	if ex.Media == graph.MediaAppHosted {
		out = append(out, srcAppHostedRole)
	}
	return append(out, srcDelete204, srcTerminating, srcTerminated, srcGone)
}

// exampleRun is one run of an example's contract.
type exampleRun struct {
	*spec
	ex fixtures.Example

	sent   any    // the filled request
	body   []byte // as sent
	resp   *response
	call   any // the response body
	id     string
	partID string // myParticipantId
	watch  *notify.CallWatch

	started time.Time // when the contract began
	deleted bool      // the contract sent its DELETE
	ending  bool      // the call is expected to end by itself (not answered)
}

// unanswered reports whether the call is to be left unanswered: a
// peer-to-peer or PSTN call (no roster, no lobby) with answer: none.
func (r *exampleRun) unanswered() bool {
	return r.env.values.Answer == AnswerNone && !r.ex.Expect.Roster && !r.ex.Expect.Lobby
}

// notAnswered is the not-answered path (answer: none): after establishing
// nothing but terminated, with a resultInfo; the call is gone after it. In
// the field such a call ends after about a minute (comms-samples #17); the
// documented no-answer results are 408/10057, 480/10037 and 480/10076
// (graph-calls-facts.md §3.2). The steps of the answered path are skipped.
func (r *exampleRun) notAnswered() {
	r.ending = true
	for _, s := range []string{stepEstablished, stepNoRoster, stepDelete, stepTerminating, stepTerminated} {
		i := r.rec.stepIndex(s)
		r.rec.steps[i].Evidence = []report.Evidence{{Message: "answer: none: the call is left unanswered"}}
	}
	r.step(stepNotAnswered, r.awaitUnanswered)
	r.client.forget(r.id)
	r.step(stepGone, r.awaitGone)
	r.step(stepAllNotifications, r.verifyAll)
}

// awaitUnanswered waits for terminated without established and judges its
// resultInfo.
func (r *exampleRun) awaitUnanswered() {
	ginkgo.GinkgoHelper()
	var found notify.Event
	err := r.poll(r.t.Unanswered, func() error {
		if len(r.rejections()) > 0 {
			return gomega.StopTrying(errRejected.Error())
		}
		for _, e := range r.callEvents() {
			switch {
			case notify.StateIs(graph.CallStateEstablished)(e):
				return gomega.StopTrying("the call was answered (established) though the values say answer: none")
			case notify.StateIs(graph.CallStateTerminated)(e):
				found = e
				return nil
			}
		}
		return errors.New("not yet")
	})
	if err != nil {
		if len(r.rejections()) > 0 {
			r.fail(r.rejectionEvidence()...)
		}
		r.rec.lost = append(r.rec.lost, string(graph.CallStateTerminated))
		r.fail(evidence(srcFieldNoAnswer, fmt.Sprintf("the unanswered call %s did not end within %s: %v", r.id, r.t.Unanswered, err),
			"establishing, then terminated", r.seen()))
	}
	var f findings
	r.judgeCallEvent(&f, found, graph.CallStateTerminated)
	call, _ := found.Notification.Call()
	switch {
	case call == nil || call.ResultInfo == nil:
		f.addf(srcTerminated, "resultInfo with a code", "none", "the terminated notification of the unanswered call has no resultInfo")
	case !noAnswerCode(call.ResultInfo.Code):
		f.addf(srcNoAnswerCodes.inferred(), "408 or 480 (no answer)", fmt.Sprint(call.ResultInfo.Code),
			"the unanswered call ended with a result code the documentation does not give for no answer")
	}
	r.failIf(&f)
}

// noAnswerCode reports whether code is one the documentation gives for a
// callee who does not answer (graph-calls-facts.md §3.2: 408, 480).
func noAnswerCode(code any) bool {
	s := strings.Trim(fmt.Sprint(code), `"`)
	return s == "408" || s == "480"
}

func (r *exampleRun) run() {
	r.started = time.Now()
	r.step(stepRequest, r.sendRequest)
	r.step(stepResponse, r.judgeResponse)
	r.step(stepEstablishing, func() { r.awaitState(graph.CallStateEstablishing, srcStateResource) })
	if r.unanswered() {
		r.notAnswered()
		return
	}
	switch {
	case r.ex.Expect.Lobby:
		r.lobby()
	case r.ex.Expect.Roster:
		r.step(stepEstablished, r.awaitEstablished)
		r.step(stepRoster, func() { r.awaitRoster(false) })
	default:
		r.step(stepEstablished, r.awaitEstablished)
		r.step(stepNoRoster, r.holdNoRoster)
	}
	r.step(stepDelete, r.deleteCall)
	r.step(stepTerminating, r.awaitTerminating)
	r.step(stepTerminated, r.awaitTerminated)
	r.step(stepGone, r.awaitGone)
	r.step(stepAllNotifications, r.verifyAll)
}

// sendRequest fills the documented request and POSTs it.
func (r *exampleRun) sendRequest() {
	ginkgo.GinkgoHelper()
	sent, err := fillRequest(r.ex, r.env.values, r.env.callbackURL, r.c.Readings)
	if err != nil {
		r.fail(evidence(Source{Doc: docPage, Where: fmt.Sprintf("Example %d", r.ex.Number), Basis: Documented}, "the documented request cannot be filled: "+err.Error(), "", ""))
	}
	r.sent, r.body = sent, encodeJSON(sent)
	resp, err := r.client.create(r.ctx, r.body, request{})
	if err != nil {
		r.fail(evidence(srcCreated, "POST "+callsPath+" failed: "+err.Error(), "a response", "a transport error"))
	}
	r.resp = resp
}

// lobby is Example 8 after establishing: the bot alone in the lobby, no
// roster before admission, and, if the target lets callcheck admit it,
// established and the meeting's roster after admission.
func (r *exampleRun) lobby() {
	r.step(stepLobby, func() { r.awaitRoster(true) })
	r.step(stepLobbyNoRoster, r.holdLobby)
	if ok, _ := r.env.claimed([]Feature{FeatureLobbyAdmission}); !ok || r.env.admitter == nil {
		reason := "the target does not claim " + string(FeatureLobbyAdmission) + ": callcheck cannot admit the guest, who stays in the lobby"
		for _, s := range []string{stepAdmission, stepEstablished, stepRoster} {
			r.notSupported(s, reason)
		}
		return
	}
	r.step(stepAdmission, r.admit)
	r.step(stepEstablished, r.awaitEstablished)
	r.step(stepRoster, func() { r.awaitRoster(false) })
}

func (r *exampleRun) admit() {
	ginkgo.GinkgoHelper()
	if err := r.env.admitter(r.ctx, r.id); err != nil {
		r.fail(evidence(srcLobby, "admitting the guest from the lobby failed: "+err.Error(), "admitted", "an error"))
	}
}

// sentIdentity returns the identity the request's source names (the bot
// as it called), or the bot's application identity when it names none.
func (r *exampleRun) sentIdentity() (member, id string) {
	ids, _ := jsonptr.Get(r.sent, "/source/identity")
	if m, ok := ids.(map[string]any); ok {
		for _, k := range sortedKeys(m) {
			if idv := jsonptr.String(m, "/"+k+"/id"); idv != "" {
				return k, idv
			}
		}
	}
	return "application", r.env.values.Application.ID
}

// expectsRoster reports whether a roster is documented for the example.
func (r *exampleRun) expectsRoster() bool { return r.ex.Expect.Roster || r.ex.Expect.Lobby }

// callEvents returns the watch's call events (not rosters).
func (r *exampleRun) callEvents() []notify.Event {
	return slices.DeleteFunc(r.watch.Events(), func(e notify.Event) bool { return !e.IsCall() })
}
