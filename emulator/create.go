package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// deprecationWarning is what POST /beta/app/calls says about itself (the
// doc: "The /app path is deprecated. Going forward, use the /communications path.").
const deprecationWarning = `299 - "The /app path is deprecated. Going forward, use the /communications path."`

// serveCreate serves POST /{ver}/communications/calls (and the deprecated
// POST /beta/app/calls).
func (e *Emulator) serveCreate(rc *reqCtx, cl *identity.GraphClaims, deprecated bool) {
	if deprecated {
		rc.w.Header().Set("Deprecation", "true")
		rc.w.Header().Set("Warning", deprecationWarning)
	}
	if !cl.HasAnyRole(createRoles...) && !e.vio.on(VMissingRoleAccepted) {
		e.reject(rc, errorVerdict(RuleRoles, "", srcRoles, "%s The token holds none of %s.", msgMissingRole,
			strings.Join(createRoles, ", ")), http.StatusForbidden, CodeMissingRole)
		return
	}
	body, ok := e.readJSONBody(rc)
	if !ok {
		return
	}
	call, ok := e.parseCreate(rc, body, cl)
	if !ok {
		return
	}
	e.create(rc, cl, call)
}

// parseCreate decodes and judges a create body; false when it already
// answered with the first error verdict.
func (e *Emulator) parseCreate(rc *reqCtx, body []byte, cl *identity.GraphClaims) (*graph.Call, bool) {
	vs := e.schemaVerdicts(rc.version, body)
	call := new(graph.Call)
	if err := json.Unmarshal(body, call); err != nil {
		if _, bad := firstError(vs); !bad {
			vs = append(vs, errorVerdict(RuleJSON, "", "issue 3 (the service is strict JSON)", "The request body is not a JSON call object: %v", err))
		}
		if e.vio.on(VNonJSONAccepted) {
			rc.rec.Verdicts = append(rc.rec.Verdicts, warning(RuleJSON, "", "", "body accepted although not JSON (violation %s)", VNonJSONAccepted))
			return new(graph.Call), true
		}
		return nil, e.refuse(rc, vs)
	}
	s := InferScenario(call)
	rc.rec.Scenario, rc.rec.Media = s, call.MediaConfig.Kind()
	vs = append(vs, e.callVerdicts(call, s)...)
	vs = append(vs, e.authorizationVerdicts(call, s, cl)...)
	e.tolerate(vs)
	if !e.refuse(rc, vs) {
		return nil, false
	}
	return call, true
}

// refuse records vs and, when one is an error, answers with the first; it
// returns whether the request may go on.
func (e *Emulator) refuse(rc *reqCtx, vs []Verdict) bool {
	rc.rec.Verdicts = append(rc.rec.Verdicts, vs...)
	v, bad := firstError(vs)
	if !bad {
		return true
	}
	status, code := verdictStatus(v)
	e.fail(rc, status, code, v.Message)
	return false
}

// create stores the call, answers 201 with the full call object, and starts
// its notifications.
func (e *Emulator) create(rc *reqCtx, cl *identity.GraphClaims, obj *graph.Call) {
	id := graph.NewGUID()
	if e.vio.on(VResponseMalformedID) {
		id = "call-" + strings.ReplaceAll(id[:13], "-", "")
	}
	e.fillCall(obj, id, cl, rc)
	c := &callRecord{id: id, ordinal: e.callOrdinal.Add(1), version: rc.version, scenario: InferScenario(obj),
		media: obj.MediaConfig.Kind(), appID: cl.AppID, tenantID: cl.TenantID, callbackURI: e.deliverableCallback(obj.CallbackURI),
		created: e.now(), obj: obj, keepAlive: e.now()}
	if !e.store.put(c, e.cfg.Limits.MaxLiveCalls) {
		rc.w.Header().Set("Retry-After", "1")
		e.fail(rc, http.StatusServiceUnavailable, CodeServiceUnavailable, "The emulator holds its maximum of live calls (limits.maxLiveCalls).")
		return
	}
	body := e.renderCreated(obj, rc.version)
	e.setLocation(rc, id)
	status := http.StatusCreated
	if e.vio.on(VCreateStatus200) {
		status = http.StatusOK
	}
	rc.rec.CallID = id
	// Hold WaitIdle until the sequence is scheduled: a client that has the
	// 201 must not see the emulator idle before the first notification.
	e.pendingSteps.Add(1)
	defer e.releasePending()
	e.writeJSON(rc, status, body)
	if f, ok := rc.w.(http.Flusher); ok {
		f.Flush() // the 201 is on the wire before the first notification is scheduled
	}
	e.stats.creates.Add(1)
	e.schedule(c, e.initialSteps(c)...)
}

// fillCall completes the request body into the created call (facts §3.1):
// server-assigned id, state establishing, direction outgoing,
// myParticipantId, callChainId, tenantId, source from the token's app when
// the request has none, @odata.type and @odata.context; read-only
// properties the client sent are dropped.
func (e *Emulator) fillCall(c *graph.Call, id string, cl *identity.GraphClaims, rc *reqCtx) {
	c.ODataType, c.ID = graph.TypeCall, id
	c.State, c.Direction = graph.CallStateEstablishing, graph.DirectionOutgoing
	c.MyParticipantID, c.TenantID = graph.NewGUID(), cl.TenantID
	if c.CallChainID == "" {
		c.CallChainID = graph.NewGUID()
	}
	if c.Source == nil {
		c.Source = &graph.ParticipantInfo{ODataType: graph.TypeParticipantInfo, Identity: &graph.IdentitySet{
			ODataType: graph.TypeIdentitySet, Application: &graph.Identity{ODataType: graph.TypeIdentity,
				DisplayName: e.appName(cl.AppID), ID: cl.AppID}}}
	}
	c.ResultInfo, c.CallRoutes, c.ActiveModalities, c.AnsweredBy = nil, nil, nil, nil
	c.MediaState, c.Transcription, c.MeetingCapability, c.ToneInfo, c.IncomingContext = nil, nil, nil, nil, nil
	c.TerminationReason = ""
	c.ODataContext = e.baseURL(rc) + "/" + rc.version + "/$metadata#" + e.cfg.Behaviour.ContextEntitySet + "/$entity"
}

func (e *Emulator) appName(appID string) string {
	for _, a := range e.apps {
		if strings.EqualFold(a.ClientID, appID) {
			return a.DisplayName
		}
	}
	return ""
}

// deliverableCallback returns the callback the emulator will post to: ""
// when its host is not allowed (a violation may have accepted it anyway;
// the emulator still never posts there).
func (e *Emulator) deliverableCallback(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || !e.callbackAllowed(u.Hostname()) {
		return ""
	}
	if !strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, "http") {
		return ""
	}
	return raw
}

// baseURL is the configured public URL, else the request's scheme and host.
func (e *Emulator) baseURL(rc *reqCtx) string {
	if u := e.PublicURL(); u != "" {
		return u
	}
	scheme := "http"
	if rc.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + rc.r.Host
}

// setLocation sets Location to the new call's absolute URL under the version
// called (facts §3.1).
func (e *Emulator) setLocation(rc *reqCtx, id string) {
	switch {
	case e.vio.on(VMissingLocation):
		return
	case e.vio.on(VLocationIDMismatch):
		id = derivedID(id, "another-call")
	}
	loc := "/" + rc.version + "/communications/calls/" + id
	if !e.vio.on(VLocationRelative) {
		loc = e.baseURL(rc) + loc
	}
	rc.w.Header().Set("Location", loc)
}

// renderCreated renders the 201 body: the full call (every property, null or
// [] where unset, in documented order), with the response violations applied.
func (e *Emulator) renderCreated(obj *graph.Call, version string) []byte {
	c := *obj
	if e.vio.on(VResponseStateEstablished) {
		c.State = graph.CallStateEstablished
	}
	if e.vio.on(VResponseDirectionIncoming) {
		c.Direction = graph.DirectionIncoming
	}
	if e.vio.on(VResponseMissingMyPartID) {
		c.MyParticipantID = ""
	}
	if e.vio.on(VCallbackURINotEchoed) {
		c.CallbackURI = ""
	}
	if e.vio.on(VTargetsNotEchoed) {
		c.Targets = nil
	}
	if e.vio.on(VMediaConfigTypeChanged) && c.MediaConfig != nil {
		m := *c.MediaConfig
		m.ODataType = map[bool]string{true: graph.TypeServiceHostedMediaConfig, false: graph.TypeAppHostedMediaConfig}[m.Kind() == graph.MediaAppHosted]
		c.MediaConfig = &m
	}
	if e.vio.on(VMissingODataType) {
		c.ODataType = ""
	}
	if e.vio.on(VUnsetPropertiesOmitted) {
		return mustJSON(c)
	}
	return e.renderFull(&c, version)
}

// renderFull renders a call as Graph shows it: every property of the version.
func (e *Emulator) renderFull(c *graph.Call, version string) []byte {
	b, err := graph.MarshalFull(c, version == "beta")
	if err != nil {
		return mustJSON(c)
	}
	return b
}
