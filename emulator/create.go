package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
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
		e.reject(rc, errorVerdict(rules.Roles, "", rules.SrcRoles, "%s The token holds none of %s.", msgMissingRole,
			strings.Join(createRoles, ", ")), http.StatusForbidden, CodeMissingRole)
		return
	}
	body, ok := e.readJSONBody(rc)
	if !ok {
		return
	}
	// One decoding judges the body against the schema and spells enum
	// values sent in another case as Graph's members: the call is stored
	// and echoed in the members' spelling (rules.SrcEnumCase).
	findings, body, _ := rules.CheckBody(e.validators[rc.version], body)
	view, f, ok := e.parseCreate(rc, body, !hasRule(findings, rules.JSON), cl, verdictsOf(findings))
	if !ok {
		return
	}
	e.create(rc, cl, view, f)
	releaseFields(f) // the call keeps its members encoded (newCall), the 201 is written
}

// parseCreate decodes and judges a create body; false when it already
// answered with the first error verdict.
// vs are the schema's verdicts on it; valid is whether it is JSON.
func (e *Emulator) parseCreate(rc *reqCtx, body []byte, valid bool, cl *identity.GraphClaims, vs []Verdict) (*createView, fields, bool) {
	v, f, err := readCreate(body, valid)
	if err != nil {
		if _, bad := firstError(vs); !bad {
			vs = append(vs, verdictOf(rules.NotACall(err)))
		}
		if e.vio.on(VNonJSONAccepted) {
			rc.rec.Verdicts = append(rc.rec.Verdicts, warning(rules.JSON, "", "", "body accepted although not JSON (violation %s)", VNonJSONAccepted))
			return new(createView), fields{}, true
		}
		return nil, nil, e.refuse(rc, vs)
	}
	rc.rec.Scenario, rc.rec.Media = v.kind(), v.MediaConfig.kind()
	vs = slices.DeleteFunc(vs, func(vd Verdict) bool {
		return rules.ID(vd.Rule) == rules.ReadOnly && rules.UsesReadOnly(v.call(), vd.Pointer)
	})
	vs = append(vs, e.callVerdicts(v, cl)...)
	e.tolerate(vs)
	if !e.refuse(rc, vs) {
		return nil, nil, false
	}
	return v, f, true
}

// readCreate decodes a create body into its view and its raw members, whose
// names are put in their documented spelling (JSON names match
// case-insensitively, as encoding/json and the service do). valid says the
// body is known to be JSON without duplicate members.
func readCreate(body []byte, valid bool) (*createView, fields, error) {
	decode := decodeView
	if valid {
		decode = decodeViewValid
	}
	v, err := decode(body) // an error here is the one decoding the members would meet first
	if err != nil {
		return nil, nil, err
	}
	f, ok := splitValidInto(body, fieldsPool.Get().(fields)) // valid: decodeView read it
	if !ok {
		if err := json.Unmarshal(body, &f); err != nil {
			return nil, nil, err
		}
	}
	for k, raw := range f {
		if canonicalProperty[k] == k {
			continue // spelled as documented
		}
		if canon, ok := canonicalProperty[strings.ToLower(k)]; ok && canon != k {
			delete(f, k)
			f[canon] = raw
		}
	}
	return v, f, nil
}

// hasRule reports whether one of fs breaks rule.
func hasRule(fs []rules.Finding, rule rules.ID) bool {
	for _, f := range fs {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

// canonicalProperty maps the call property names, lower-cased and as
// documented, to their documented spelling: a name spelled as documented is
// found without lower-casing it.
var canonicalProperty = func() map[string]string {
	m := map[string]string{}
	for _, p := range graph.CallProperties(true) {
		m[strings.ToLower(p)], m[p] = p, p
	}
	return m
}()

// refuse records vs and, when one is an error, answers with the first; it
// returns whether the request may go on.
func (e *Emulator) refuse(rc *reqCtx, vs []Verdict) bool {
	rc.rec.Verdicts = append(rc.rec.Verdicts, vs...)
	v, bad := firstError(vs)
	if !bad {
		return true
	}
	status, code, msg := e.verdictStatus(v)
	e.fail(rc, status, code, msg)
	return false
}

// create stores the call, answers 201 with the full call object, and starts
// its notifications.
func (e *Emulator) create(rc *reqCtx, cl *identity.GraphClaims, v *createView, f fields) {
	var ids [3]string // the call's id, participant id and chain id, in one string
	graph.NewGUIDs(ids[:])
	id := ids[0]
	if e.vio.on(VResponseMalformedID) {
		id = "call-" + strings.ReplaceAll(id[:13], "-", "")
	}
	c := e.newCall(rc, cl, v, f, id, ids[1], ids[2])
	if !e.store.put(c, e.cfg.Limits.MaxLiveCalls) {
		rc.w.Header().Set("Retry-After", "1")
		e.fail(rc, http.StatusServiceUnavailable, CodeServiceUnavailable, "The emulator holds its maximum of live calls (limits.maxLiveCalls).")
		return
	}
	body := renderFull(f, rc.version == "beta")
	if e.responseViolations() {
		body = e.renderCreated(f, rc.version)
	}
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
	if fl, ok := rc.w.(http.Flusher); ok {
		fl.Flush() // the 201 is on the wire before the first notification is scheduled
	}
	e.stats.creates.Add(1)
	e.schedule(c, e.initialSteps(c)...)
}

// newCall completes the request's members into the created call (facts
// §3.1): server-assigned id, state establishing, direction outgoing,
// myParticipantId, callChainId, tenantId, source from the token's app when
// the request has none, @odata.type and @odata.context; read-only
// properties the client sent are dropped. f is changed in place.
// participantID and chainID are new GUIDs: the call's myParticipantId, and
// its callChainId when the request has none.
func (e *Emulator) newCall(rc *reqCtx, cl *identity.GraphClaims, v *createView, f fields, id, participantID, chainID string) *callRecord {
	for _, p := range readOnlyCallProperties {
		delete(f, p)
	}
	c := &callRecord{id: id, ordinal: e.callOrdinal.Add(1), version: rc.version, scenario: v.kind(),
		media: v.MediaConfig.kind(), appID: cl.AppID, tenantID: cl.TenantID, callbackURI: e.deliverableCallback(v.CallbackURI),
		created: e.now(), direction: graph.DirectionOutgoing, myParticipantID: participantID,
		chatInfo: v.ChatInfo, meetingInfo: v.MeetingInfo, state: graph.CallStateEstablishing, keepAlive: e.now()}
	if present(f["callChainId"]) {
		_ = json.Unmarshal(f["callChainId"], &c.callChainID)
	}
	scheme, sep, host := e.origin(rc)
	set := e.cfg.Behaviour.ContextEntitySet
	js := jsonStrings{buf: make([]byte, 0, 96+len(id)+len(participantID)+len(chainID)+len(cl.TenantID)+len(scheme)+len(host)+len(rc.version)+len(set))}
	if c.callChainID == "" {
		c.callChainID = chainID
		f["callChainId"] = js.add(chainID)
	}
	if r := v.RingingTimeoutInSeconds; r != nil && *r > 0 {
		c.ringFor = time.Duration(*r) * time.Second
	}
	c.botIdentity = e.botIdentity(v, f, cl.AppID)
	f["@odata.type"], f["id"], f["state"] = jsonTypeCall, js.add(id), jsonEstablishing // c.state
	f["direction"], f["myParticipantId"] = jsonOutgoing, js.add(c.myParticipantID)     // c.direction
	f["tenantId"] = js.add(cl.TenantID)
	f["@odata.context"] = js.add(scheme, sep, host, "/", rc.version, "/$metadata#", set, "/$entity")
	c.members = encodeMembers(f)
	return c
}

// botIdentity returns the bot's identitySet: the request's source's, or,
// when the request has no source, the token's app's, which also becomes the
// call's source (facts §1.2: "The service fills in
// source.identity.application from the token").
func (e *Emulator) botIdentity(v *createView, f fields, appID string) json.RawMessage {
	if present(f["source"]) && v.Source != nil {
		return v.Source.Identity
	}
	src := e.appSource(appID)
	f["source"] = src.info
	return src.identity
}

// appSourceJSON is an app's source participantInfo and its identitySet.
type appSourceJSON struct{ info, identity json.RawMessage }

// appSource renders an app's source once and caches it.
func (e *Emulator) appSource(appID string) appSourceJSON {
	if s, ok := e.sources.Load(appID); ok {
		return s.(appSourceJSON)
	}
	ident := &graph.IdentitySet{ODataType: graph.TypeIdentitySet, Application: &graph.Identity{ODataType: graph.TypeIdentity,
		DisplayName: e.appName(appID), ID: appID}}
	s := appSourceJSON{info: mustJSON(&graph.ParticipantInfo{ODataType: graph.TypeParticipantInfo, Identity: ident}), identity: mustJSON(ident)}
	e.sources.Store(appID, s)
	return s
}

// othersOf returns the other participants' identitySets as raw JSON: the
// targets', and a meeting's organizer.
func othersOf(v *createView, callID string) []json.RawMessage {
	var others []json.RawMessage
	for _, t := range v.Targets {
		if present(t.Identity) {
			others = append(others, t.Identity)
		}
	}
	if v.meeting != nil || v.chat != nil {
		org := json.RawMessage(nil)
		if v.meeting != nil && present(v.meeting.Organizer) {
			org = v.meeting.Organizer
		}
		if org == nil {
			org = mustJSON(&graph.IdentitySet{ODataType: graph.TypeIdentitySet, User: &graph.Identity{ODataType: graph.TypeIdentity,
				ID: derivedID(callID, "organizer"), DisplayName: "Meeting Organizer"}})
		}
		others = append(others, org)
	}
	return others
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
	scheme, sep, host := e.origin(rc)
	return scheme + sep + host
}

// origin is baseURL in three parts, for callers that build a URL on it in
// one concatenation (one allocation): the public URL, or the scheme, "://"
// and the Host the client called.
func (e *Emulator) origin(rc *reqCtx) (string, string, string) {
	if u := e.PublicURL(); u != "" {
		return u, "", ""
	}
	if rc.r.TLS != nil {
		return "https", "://", rc.r.Host
	}
	return "http", "://", rc.r.Host
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
	var scheme, sep, host string
	if !e.vio.on(VLocationRelative) {
		scheme, sep, host = e.origin(rc)
	}
	rc.w.Header()["Location"] = []string{scheme + sep + host + "/" + rc.version + "/communications/calls/" + id}
}

// responseViolations reports whether a violation changes the 201 body.
func (e *Emulator) responseViolations() bool {
	for _, v := range []Violation{VResponseStateEstablished, VResponseDirectionIncoming, VResponseMissingMyPartID,
		VCallbackURINotEchoed, VTargetsNotEchoed, VMediaConfigTypeChanged, VMissingODataType, VUnsetPropertiesOmitted} {
		if e.vio.on(v) {
			return true
		}
	}
	return false
}

// renderCreated renders the 201 body with the response violations applied.
func (e *Emulator) renderCreated(f fields, version string) []byte {
	f = f.clone()
	set := func(v Violation, k string, raw json.RawMessage) {
		if e.vio.on(v) {
			f[k] = raw
		}
	}
	set(VResponseStateEstablished, "state", jsonString(string(graph.CallStateEstablished)))
	set(VResponseDirectionIncoming, "direction", jsonString(string(graph.DirectionIncoming)))
	set(VResponseMissingMyPartID, "myParticipantId", json.RawMessage("null"))
	set(VCallbackURINotEchoed, "callbackUri", json.RawMessage("null"))
	set(VTargetsNotEchoed, "targets", json.RawMessage("[]"))
	set(VMissingODataType, "@odata.type", json.RawMessage("null"))
	if e.vio.on(VMediaConfigTypeChanged) {
		var m map[string]json.RawMessage
		if json.Unmarshal(f["mediaConfig"], &m) == nil && m != nil {
			other := graph.TypeAppHostedMediaConfig
			if (&viewMedia{ODataType: strings.Trim(string(m["@odata.type"]), `"`)}).kind() == graph.MediaAppHosted {
				other = graph.TypeServiceHostedMediaConfig
			}
			m["@odata.type"] = jsonString(other)
			f["mediaConfig"] = mustJSON(m)
		}
	}
	if e.vio.on(VUnsetPropertiesOmitted) {
		for k, raw := range f {
			if string(raw) == "null" {
				delete(f, k)
			}
		}
		return mustJSON(f)
	}
	return renderFull(f, version == "beta")
}
