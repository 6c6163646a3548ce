package emulator

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/identity"
)

// Rules: the stable names of the emulator's checks, as Verdict.Rule carries them.
const (
	RuleContentType       = "content-type"
	RuleBodySize          = "body-size"
	RuleBodyRead          = "body-read"
	RuleJSONNesting       = "json-nesting"
	RuleJSON              = "json"
	RuleSchema            = "schema"
	RuleReadOnly          = "read-only"
	RuleCallbackRequired  = "callbackUri-required"
	RuleCallbackURL       = "callbackUri-url"
	RuleCallbackHTTPS     = "callbackUri-https"
	RuleCallbackHost      = "callbackUri-host"
	RuleMediaRequired     = "mediaConfig-required"
	RuleMediaType         = "mediaConfig-type"
	RuleMediaBlob         = "mediaConfig-blob"
	RuleTargetsRequired   = "targets-required"
	RuleTargetsMax        = "targets-max"
	RuleTargetIdentity    = "targets-identity"
	RuleTargetDuplicate   = "targets-duplicate"
	RulePSTNSource        = "pstn-source"
	RulePSTNTarget        = "pstn-target"
	RuleMeetingInfo       = "meeting-info"
	RuleChatInfo          = "chat-info"
	RuleRingingTimeout    = "ringingTimeoutInSeconds"
	RuleRoutingPolicies   = "routingPolicies"
	RuleModalities        = "requestedModalities"
	RuleSourceApplication = "source-application"
	RuleTenant            = "tenant"
	RuleRoles             = "roles"
)

// Sources cited by verdicts.
const (
	srcCallbackHTTPS = "graph-calls-facts.md §1.1 (callbackUri: \"Must be an HTTPS URL.\")"
	srcMedia         = "graph-calls-facts.md §1.1 (mediaConfig: \"Required.\")"
	srcTargets       = "graph-calls-facts.md §1.2 (targets: required for P2P and group calls)"
	srcMaxTargets    = "create-call-doc.txt Example 3 (\"This supports up to 5 VoIP users.\")"
	srcDuplicate     = "graph-calls-facts.md §4.4 (\"The same identity can't be invited twice.\")"
	srcPSTN          = "create-call-doc.txt Examples 9, 10; graph-calls-facts.md §3.6"
	srcMeeting       = "create-call-doc.txt Example 5; graph-calls-facts.md §3.4"
	srcRinging       = "graph-calls-facts.md §1.2 (ringingTimeoutInSeconds: max 115)"
	srcRoles         = "graph-calls-facts.md §5.1 (scenario → permission); issue 3"
	srcTenant        = "graph-calls-facts.md §4.2 (7505 tenant mismatch)"
	srcReadOnly      = "graph-calls-facts.md §1.2 (read-only properties)"
)

// verdictStatus maps an error verdict onto the HTTP status and Graph code
// that refuse the request.
func verdictStatus(v Verdict) (int, string) {
	switch v.Rule {
	case RuleTenant:
		return http.StatusForbidden, CodeTenantMismatch
	case RuleRoles:
		return http.StatusForbidden, CodeMissingRole
	case RulePSTNSource:
		return http.StatusBadRequest, CodeSourceInvalid
	}
	return http.StatusBadRequest, CodeBadRequest
}

func errorVerdict(rule, pointer, source, format string, args ...any) Verdict {
	return Verdict{Rule: rule, Severity: SeverityError, Pointer: pointer, Source: source, Message: fmt.Sprintf(format, args...)}
}

func warning(rule, pointer, source, format string, args ...any) Verdict {
	v := errorVerdict(rule, pointer, source, format, args...)
	v.Severity = SeverityWarning
	return v
}

// schemaVerdicts validates body against the derived schema of version
// (issue 3: "schema violations → 400 naming the field"); read-only
// properties sent are warnings (the doc's own examples send them).
func (e *Emulator) schemaVerdicts(version string, body []byte) []Verdict {
	var out []Verdict
	for _, v := range e.validators[version].ValidateRequest(schema.TypeCall, body) {
		switch v.Kind {
		case schema.KindInvalidJSON:
			out = append(out, errorVerdict(RuleJSON, "", "issue 3 (the service is strict JSON)", "The request body is not valid JSON: %s", v.Message))
		case schema.KindReadOnly:
			out = append(out, warning(RuleReadOnly, v.Pointer, srcReadOnly, "%s is read-only; the service ignores it: %s", pointerName(v.Pointer), v.Message))
		default:
			out = append(out, errorVerdict(RuleSchema, v.Pointer, "graph/schema (Microsoft's metadata)", "%s: %s", pointerName(v.Pointer), v.Message))
		}
	}
	return out
}

func pointerName(p string) string {
	if p == "" {
		return "The body"
	}
	return p
}

// callVerdicts applies the semantic rules of issue 3 "Validation" to a
// decoded create body of scenario s.
func (e *Emulator) callVerdicts(c *createView, s Scenario) []Verdict {
	out := e.callbackVerdicts(c.CallbackURI)
	out = append(out, mediaVerdicts(c.MediaConfig)...)
	out = append(out, e.targetVerdicts(c, s)...)
	out = append(out, meetingVerdicts(c, s)...)
	out = append(out, e.optionVerdicts(c, s)...)
	return out
}

// callbackVerdicts: callbackUri required, absolute, https (loopback http by
// setting), and a host the emulator may post to.
func (e *Emulator) callbackVerdicts(raw string) []Verdict {
	const p = "/callbackUri"
	if raw == "" {
		return []Verdict{errorVerdict(RuleCallbackRequired, p, srcCallbackHTTPS, "callbackUri is required.")}
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return []Verdict{errorVerdict(RuleCallbackURL, p, srcCallbackHTTPS, "callbackUri %q is not an absolute URL.", raw)}
	}
	host := u.Hostname()
	var out []Verdict
	switch {
	case strings.EqualFold(u.Scheme, "https"):
	case strings.EqualFold(u.Scheme, "http") && e.cfg.Safety.AllowHTTPLoopback && isLoopback(host):
	default:
		out = append(out, errorVerdict(RuleCallbackHTTPS, p, srcCallbackHTTPS, "callbackUri %q must be an https URL.", raw))
	}
	if !e.callbackAllowed(host) {
		out = append(out, errorVerdict(RuleCallbackHost, p, "issue 3 Safety (loopback callbacks only unless allowed)",
			"callbackUri host %q is not allowed: the emulator posts only to loopback hosts and to hosts allowed by configuration (safety.allowedCallbackHosts, --allow-callback-host).", host))
	}
	return out
}

// callbackAllowed reports whether the emulator may post to host.
func (e *Emulator) callbackAllowed(host string) bool { return e.cfg.Safety.AllowsHost(host) }

// AllowsHost reports whether a callback on host may be posted to: loopback
// hosts always, others when AllowAnyCallbackHost is set or one of
// AllowedCallbackHosts (an exact name or a "*.example.com" pattern) matches.
func (s Safety) AllowsHost(host string) bool {
	if isLoopback(host) || s.AllowAnyCallbackHost {
		return true
	}
	for _, pat := range s.AllowedCallbackHosts {
		if hostMatches(pat, host) {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostMatches matches an exact host or a "*.example.com" pattern.
func hostMatches(pattern, host string) bool {
	pattern, host = strings.ToLower(pattern), strings.ToLower(host)
	if suffix, ok := strings.CutPrefix(pattern, "*."); ok {
		return strings.HasSuffix(host, "."+suffix)
	}
	return pattern == host
}

func mediaVerdicts(m *viewMedia) []Verdict {
	switch {
	case m == nil:
		return []Verdict{errorVerdict(RuleMediaRequired, "/mediaConfig", srcMedia, "mediaConfig is required.")}
	case m.kind() == graph.MediaUnknown:
		return []Verdict{errorVerdict(RuleMediaType, "/mediaConfig/@odata.type", srcMedia,
			"mediaConfig @odata.type %q is not a known media configuration (want %s or %s).", m.ODataType,
			graph.TypeServiceHostedMediaConfig, graph.TypeAppHostedMediaConfig)}
	case m.kind() == graph.MediaAppHosted && (m.Blob == nil || *m.Blob == ""):
		return []Verdict{warning(RuleMediaBlob, "/mediaConfig/blob", "create-call-doc.txt Example 2",
			"appHostedMediaConfig has no blob (the serialized media session configuration).")}
	}
	return nil
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// targetVerdicts: targets required for calls that are not meeting joins, at
// most MaxTargets, each with an identity, no identity twice; PSTN needs an
// applicationInstance source and a phone target.
func (e *Emulator) targetVerdicts(c *createView, s Scenario) []Verdict {
	var out []Verdict
	if s == ScenarioUnknown {
		out = append(out, errorVerdict(RuleTargetsRequired, "/targets", srcTargets,
			"targets is required: a peer-to-peer or group call needs at least one target (or chatInfo and meetingInfo to join a meeting)."))
	}
	if n := len(c.Targets); n > e.cfg.Limits.MaxTargets {
		out = append(out, errorVerdict(RuleTargetsMax, "/targets", srcMaxTargets,
			"targets has %d entries; a group call supports at most %d.", n, e.cfg.Limits.MaxTargets))
	}
	seen := map[string]int{}
	for i, t := range c.Targets {
		p := "/targets/" + strconv.Itoa(i) + "/identity"
		members := t.ids.members()
		if len(members) == 0 {
			out = append(out, errorVerdict(RuleTargetIdentity, p, srcTargets, "%s names no identity (user, phone, application, ...).", p))
		}
		for kind, id := range members {
			key := kind + "\x00" + strings.ToLower(id.ID)
			if j, dup := seen[key]; dup && id.ID != "" {
				out = append(out, errorVerdict(RuleTargetDuplicate, p, srcDuplicate, "%s invites %s %q again (already at /targets/%d).", p, kind, id.ID, j))
			}
			seen[key] = i
		}
		if t.ids != nil && t.ids.Phone != nil && !e164.MatchString(t.ids.Phone.ID) {
			out = append(out, errorVerdict(RulePSTNTarget, p+"/phone/id", srcPSTN, "%s/phone/id %q is not an E.164 phone number (+ and 7 to 15 digits).", p, t.ids.Phone.ID))
		}
	}
	if s == ScenarioPSTN {
		out = append(out, pstnVerdicts(c)...)
	}
	return out
}

func pstnVerdicts(c *createView) []Verdict {
	var out []Verdict
	f := c.facts()
	if !f.appInstanceSource {
		out = append(out, errorVerdict(RulePSTNSource, "/source/identity/applicationInstance", srcPSTN,
			"Call source identity invalid. A PSTN call needs source.identity.applicationInstance (an application instance with a phone number)."))
	}
	if !f.phoneTarget {
		out = append(out, errorVerdict(RulePSTNTarget, "/targets", srcPSTN,
			"A PSTN call (applicationInstance source) needs a target with identity.phone."))
	}
	return out
}

// meetingVerdicts: a meeting or guest join needs meetingInfo, and chatInfo
// with a threadId unless it joins by meeting id (facts §1.2).
func meetingVerdicts(c *createView, s Scenario) []Verdict {
	if s != ScenarioMeetingJoin && s != ScenarioGuestJoin {
		return nil
	}
	var out []Verdict
	mi := c.meeting
	switch {
	case mi == nil:
		out = append(out, errorVerdict(RuleMeetingInfo, "/meetingInfo", srcMeeting, "meetingInfo is required to join a meeting (%s).", s))
	case mi.kind() == graph.MeetingUnknown:
		out = append(out, errorVerdict(RuleMeetingInfo, "/meetingInfo/@odata.type", srcMeeting, "meetingInfo @odata.type %q is not a known meeting info type.", mi.ODataType))
	case mi.kind() == graph.MeetingOrganizer && len(mi.organizer.members()) == 0:
		out = append(out, errorVerdict(RuleMeetingInfo, "/meetingInfo/organizer", srcMeeting, "organizerMeetingInfo needs an organizer identity."))
	case mi.kind() == graph.MeetingJoinMeetingID && mi.JoinMeetingID == "":
		out = append(out, errorVerdict(RuleMeetingInfo, "/meetingInfo/joinMeetingId", srcMeeting, "joinMeetingIdMeetingInfo needs a joinMeetingId."))
	}
	needChat := mi == nil || mi.kind() == graph.MeetingOrganizer
	switch {
	case c.chat == nil && needChat:
		out = append(out, errorVerdict(RuleChatInfo, "/chatInfo", srcMeeting, "chatInfo is required to join a meeting with organizerMeetingInfo."))
	case c.chat != nil && c.chat.ThreadID == "":
		out = append(out, errorVerdict(RuleChatInfo, "/chatInfo/threadId", srcMeeting, "chatInfo.threadId is required."))
	}
	return out
}

// optionVerdicts: ringingTimeoutInSeconds bounds, routingPolicies and
// requestedModalities advice.
func (e *Emulator) optionVerdicts(c *createView, s Scenario) []Verdict {
	var out []Verdict
	if r := c.RingingTimeoutInSeconds; r != nil && (*r < 0 || int(*r) > e.cfg.Limits.MaxRingingTimeout) {
		out = append(out, errorVerdict(RuleRingingTimeout, "/ringingTimeoutInSeconds", srcRinging,
			"ringingTimeoutInSeconds %d is out of range; the maximum is %d seconds.", *r, e.cfg.Limits.MaxRingingTimeout))
	}
	if len(c.RoutingPolicies) > 0 && s != ScenarioPeerToPeer && s != ScenarioPSTN {
		out = append(out, warning(RuleRoutingPolicies, "/routingPolicies", "graph-calls-facts.md §1.2 (\"applicable for peer to peer calls only\")",
			"routingPolicies applies to peer-to-peer calls only; this is a %s.", s))
	}
	if len(c.RequestedModalities) == 0 {
		out = append(out, warning(RuleModalities, "/requestedModalities", "create-call-doc.txt (every example sends [\"audio\"])",
			"requestedModalities is missing or empty; every documented example requests [\"audio\"]."))
	}
	return out
}

// authorizationVerdicts: the body's tenant must be the token's (403 7505)
// and the token must hold the scenario's roles (403 7504).
func (e *Emulator) authorizationVerdicts(c *createView, s Scenario, cl *identity.GraphClaims) []Verdict {
	var out []Verdict
	if c.TenantID != "" && !strings.EqualFold(c.TenantID, cl.TenantID) {
		out = append(out, errorVerdict(RuleTenant, "/tenantId", srcTenant, "%s The body's tenantId %q is not the token's tenant %q.", msgTenantMismatch, c.TenantID, cl.TenantID))
	}
	media := c.MediaConfig.kind()
	if missing := cl.MissingRoles(RequiredRoles(s, media)...); len(missing) > 0 {
		out = append(out, errorVerdict(RuleRoles, "", srcRoles, "%s A %s call with %s media needs %s; the token lacks %s.", msgMissingRole,
			s, mediaName(media), strings.Join(RequiredRoles(s, media), " and "), strings.Join(missing, ", ")))
	}
	if src := c.Source; src != nil && src.ids != nil && src.ids.Application != nil &&
		src.ids.Application.ID != "" && !strings.EqualFold(src.ids.Application.ID, cl.AppID) {
		out = append(out, warning(RuleSourceApplication, "/source/identity/application/id", "graph-calls-facts.md §1.2 (source is filled from the token)",
			"source.identity.application.id %q is not the token's app %q.", src.ids.Application.ID, cl.AppID))
	}
	return out
}

func mediaName(k graph.MediaKind) string {
	if k == graph.MediaUnknown {
		return "unknown"
	}
	return string(k)
}

// tolerate downgrades the error verdicts a switched-on violation accepts.
func (e *Emulator) tolerate(vs []Verdict) {
	accepts := map[string]Violation{
		RuleCallbackRequired: VMissingFieldsAccepted, RuleMediaRequired: VMissingFieldsAccepted,
		RuleTargetsMax: VTooManyTargetsAccepted, RuleCallbackHTTPS: VHTTPCallbackAccepted,
		// Accepting an http callback on a host nobody allowed: the create
		// succeeds, but the emulator still never posts there (deliverableCallback).
		RuleCallbackHost: VHTTPCallbackAccepted,
		RuleRoles:        VMissingRoleAccepted, RuleTenant: VTenantMismatchAccepted,
	}
	for i, v := range vs {
		if vio, ok := accepts[v.Rule]; ok && v.Severity == SeverityError && e.vio.on(vio) {
			vs[i].Severity = SeverityWarning
			vs[i].Message += " (accepted: violation " + string(vio) + ")"
		}
	}
}

// firstError returns the first error verdict.
func firstError(vs []Verdict) (Verdict, bool) {
	for _, v := range vs {
		if v.Severity == SeverityError {
			return v, true
		}
	}
	return Verdict{}, false
}
