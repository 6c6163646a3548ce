package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/callcheck/callcheck/graph/rules"
	"net/http"
	"strings"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// lookup finds the call id for the token's app; false when it answered 404
// (facts §3.10: 8522 "Call not found.") or 403 (another tenant's call).
func (e *Emulator) lookup(rc *reqCtx, cl *identity.GraphClaims, id string) (*callRecord, bool) {
	c, ok := e.store.get(id)
	if ok && !strings.EqualFold(c.tenantID, cl.TenantID) {
		e.fail(rc, http.StatusForbidden, CodeTenantMismatch, msgTenantMismatch)
		return nil, false
	}
	if !ok || !strings.EqualFold(c.appID, cl.AppID) {
		e.notFound(rc, id)
		return nil, false
	}
	return c, true
}

// notFound answers an unknown call: 404 8522, or what a violation says.
func (e *Emulator) notFound(rc *reqCtx, id string) {
	if !e.vio.on(VUnknownCall200) {
		e.fail(rc, http.StatusNotFound, CodeCallNotFound, msgCallNotFound)
		return
	}
	if rc.r.Method == http.MethodDelete {
		e.writeEmpty(rc, http.StatusNoContent)
		return
	}
	e.writeJSON(rc, http.StatusOK, mustJSON(&graph.Call{ODataType: graph.TypeCall, ID: id, State: graph.CallStateEstablished}))
}

// serveGet serves GET …/calls/{id}: the full call in its current state.
func (e *Emulator) serveGet(rc *reqCtx, cl *identity.GraphClaims, id string) {
	c, ok := e.lookup(rc, cl, id)
	if !ok {
		return
	}
	c.mu.Lock()
	if c.ended && !e.vio.on(VCallSurvivesDelete) {
		c.mu.Unlock()
		e.notFound(rc, id)
		return
	}
	body := e.currentCall(c)
	c.mu.Unlock()
	e.writeJSON(rc, http.StatusOK, body)
}

// serveDelete serves DELETE …/calls/{id}: 204, then terminating and
// terminated notifications (facts §3.8).
func (e *Emulator) serveDelete(rc *reqCtx, cl *identity.GraphClaims, id string) {
	c, ok := e.lookup(rc, cl, id)
	if !ok {
		return
	}
	c.mu.Lock()
	if c.ending {
		c.mu.Unlock()
		e.notFound(rc, id)
		return
	}
	c.ending = true
	c.state = graph.CallStateTerminating
	e.replaceStepsLocked(c, e.deleteSteps(c)...)
	c.mu.Unlock()
	e.stats.deletes.Add(1)
	if e.vio.on(VDeleteStatus200) {
		e.writeEmpty(rc, http.StatusOK)
		return
	}
	e.writeEmpty(rc, http.StatusNoContent)
}

// serveParticipants serves GET …/calls/{id}/participants: the roster as the
// bot currently sees it (only itself while in the lobby).
func (e *Emulator) serveParticipants(rc *reqCtx, cl *identity.GraphClaims, id string) {
	c, ok := e.lookup(rc, cl, id)
	if !ok {
		return
	}
	c.mu.Lock()
	roster := e.roster(c, c.scenario == graph.KindGuestJoin && !c.admitted)
	c.mu.Unlock()
	body := mustJSON(map[string]any{
		"@odata.context": e.baseURL(rc) + "/" + rc.version + "/$metadata#communications/calls('" + id + "')/participants",
		"value":          roster,
	})
	e.writeJSON(rc, http.StatusOK, body)
}

// serveKeepAlive serves POST …/calls/{id}/keepAlive: 200, and the call's
// inactivity clock restarts (facts §3.10).
func (e *Emulator) serveKeepAlive(rc *reqCtx, cl *identity.GraphClaims, id string) {
	c, ok := e.lookup(rc, cl, id)
	if !ok {
		return
	}
	c.mu.Lock()
	ending := c.ending
	if !ending {
		c.keepAlive = e.now()
	}
	c.mu.Unlock()
	if ending {
		e.notFound(rc, id)
		return
	}
	e.writeEmpty(rc, http.StatusOK)
}

// answerBody is the body of POST …/calls/{id}/answer (facts §1.1 actions).
type answerBody struct {
	CallbackURI        string             `json:"callbackUri"`
	MediaConfig        *graph.MediaConfig `json:"mediaConfig"`
	AcceptedModalities []graph.Modality   `json:"acceptedModalities"`
}

// serveAnswer serves POST …/calls/{id}/answer for an injected incoming
// call: 202, then establishing and established.
func (e *Emulator) serveAnswer(rc *reqCtx, cl *identity.GraphClaims, id string) {
	body, ok := e.readJSONBody(rc)
	if !ok {
		return
	}
	var a answerBody
	if err := json.Unmarshal(body, &a); err != nil {
		e.reject(rc, errorVerdict(rules.JSON, "", "", "The answer body is not valid JSON: %v", err), http.StatusBadRequest, CodeBadRequest)
		return
	}
	vs := verdictsOf(append(rules.CheckCallback(a.CallbackURI, e.policy()), rules.CheckMedia(a.MediaConfig)...))
	if !e.refuse(rc, vs) {
		return
	}
	c, ok := e.lookup(rc, cl, id)
	if !ok {
		return
	}
	if err := e.answer(c, a); err != nil {
		e.fail(rc, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	e.writeEmpty(rc, http.StatusAccepted)
}

var errNotIncoming = errors.New("the call is not an incoming call waiting to be answered")

func (e *Emulator) answer(c *callRecord, a answerBody) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != graph.CallStateIncoming || c.ending {
		return errNotIncoming
	}
	f := decodeMembers(c.members)
	f["callbackUri"], f["mediaConfig"] = jsonString(a.CallbackURI), mustJSON(a.MediaConfig)
	c.members = encodeMembers(f)
	c.callbackURI = e.deliverableCallback(a.CallbackURI)
	c.state = graph.CallStateEstablishing
	t := e.cfg.Timing
	c.pending = append(c.pending, step{kind: stepEstablishing, delay: e.dice.delay(t.Establishing, streamTiming, c.ordinal*16)},
		step{kind: stepEstablished, delay: e.dice.delay(t.Established, streamTiming, c.ordinal*16+1)})
	e.advanceLocked(c)
	return nil
}

// serveReject serves POST …/calls/{id}/reject for an injected incoming
// call: 202, then the call ends.
func (e *Emulator) serveReject(rc *reqCtx, cl *identity.GraphClaims, id string) {
	c, ok := e.lookup(rc, cl, id)
	if !ok {
		return
	}
	c.mu.Lock()
	incoming := c.state == graph.CallStateIncoming && !c.ending
	if incoming {
		c.ending = true
		e.replaceStepsLocked(c, e.endSteps(c, resultIncomingRejected())...)
	}
	c.mu.Unlock()
	if !incoming {
		e.fail(rc, http.StatusBadRequest, CodeBadRequest, errNotIncoming.Error())
		return
	}
	e.writeEmpty(rc, http.StatusAccepted)
}

// IncomingCall describes a call to inject as if someone called the bot.
type IncomingCall struct {
	// AppID is the bot's app id (default: the default app's).
	AppID string `json:"appId,omitempty"`
	// CallbackURI is where the bot gets the created notification (its
	// incoming-call webhook); its host must be allowed.
	CallbackURI string `json:"callbackUri"`
	// Caller is who calls (default: a user "Caller").
	Caller *graph.IdentitySet `json:"caller,omitempty"`
	// Version is the API version of the call ("v1.0" default, or "beta").
	Version string `json:"version,omitempty"`
}

// InjectIncoming makes an incoming call to the bot: the bot gets a created
// notification with the call in state incoming (facts §3.7) and may answer
// or reject it. It returns the call's id.
func (e *Emulator) InjectIncoming(in IncomingCall) (string, error) {
	app, err := e.incomingApp(in.AppID)
	if err != nil {
		return "", err
	}
	if vs := rules.CheckCallback(in.CallbackURI, e.policy()); len(vs) > 0 {
		return "", fmt.Errorf("emulator: inject incoming call: %s", vs[0].Message)
	}
	if in.Version == "" {
		in.Version = "v1.0"
	}
	if in.Version != "v1.0" && in.Version != "beta" {
		return "", fmt.Errorf("emulator: inject incoming call: version %q is not beta or v1.0", in.Version)
	}
	c := e.incomingRecord(in, app)
	if !e.store.put(c, e.cfg.Limits.MaxLiveCalls) {
		return "", errors.New("emulator: inject incoming call: the emulator holds its maximum of live calls")
	}
	e.schedule(c, step{kind: stepIncoming})
	return c.id, nil
}

func (e *Emulator) incomingApp(appID string) (App, error) {
	if appID == "" {
		return e.DefaultApp(), nil
	}
	for _, a := range e.apps {
		if strings.EqualFold(a.ClientID, appID) {
			return a, nil
		}
	}
	return App{}, fmt.Errorf("emulator: inject incoming call: no registered app %q", appID)
}

func (e *Emulator) incomingRecord(in IncomingCall, app App) *callRecord {
	caller := in.Caller
	if caller == nil {
		caller = &graph.IdentitySet{ODataType: graph.TypeIdentitySet, User: &graph.Identity{ODataType: graph.TypeIdentity,
			ID: graph.NewGUID(), DisplayName: "Caller", TenantID: app.TenantID}}
	}
	bot := &graph.IdentitySet{ODataType: graph.TypeIdentitySet, Application: &graph.Identity{ODataType: graph.TypeIdentity,
		ID: app.ClientID, DisplayName: app.DisplayName}}
	id := graph.NewGUID()
	obj := &graph.Call{ODataType: graph.TypeCall, ID: id, State: graph.CallStateIncoming, Direction: graph.DirectionIncoming,
		CallbackURI: in.CallbackURI, CallChainID: graph.NewGUID(), TenantID: app.TenantID, MyParticipantID: graph.NewGUID(),
		Source:              &graph.ParticipantInfo{ODataType: graph.TypeParticipantInfo, Identity: caller},
		Targets:             []graph.InvitationParticipantInfo{{ODataType: graph.TypeInvitationParticipantInfo, Identity: bot}},
		RequestedModalities: []graph.Modality{graph.ModalityAudio}}
	full, err := graph.MarshalFull(obj, in.Version == "beta")
	if err != nil {
		full = mustJSON(obj)
	}
	return &callRecord{id: id, ordinal: e.callOrdinal.Add(1), version: in.Version, scenario: graph.KindPeerToPeer,
		appID: app.ClientID, tenantID: app.TenantID, callbackURI: e.deliverableCallback(in.CallbackURI),
		created: e.now(), direction: graph.DirectionIncoming, myParticipantID: obj.MyParticipantID, callChainID: obj.CallChainID,
		botIdentity: mustJSON(bot), others: []json.RawMessage{mustJSON(caller)},
		state: graph.CallStateIncoming, members: bytes.Clone(full), keepAlive: e.now()}
}

// currentCall renders the call as GET shows it: the created object with
// its current state (and resultInfo once it ended). The caller holds c.mu.
func (e *Emulator) currentCall(c *callRecord) []byte {
	f := decodeMembers(c.members)
	f["state"] = jsonString(string(c.state))
	if c.result != nil {
		f["resultInfo"] = mustJSON(c.result)
	}
	return renderFull(f, c.version == "beta")
}
