package rules

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/graph"
)

// Finding is one way a request breaks a rule.
type Finding struct {
	// Rule is the rule broken.
	Rule ID
	// Severity is Error (the request is refused) or Warning.
	Severity Severity
	// Pointer is the RFC 6901 JSON pointer of the member at fault ("" for
	// the whole request).
	Pointer string
	// Message says what is wrong, naming the member.
	Message string
	// Expected and Got are what the rule wants and what the request has,
	// when they can be told briefly ("" otherwise).
	Expected, Got string
	// Source cites where the rule comes from.
	Source string
	// Status and Code are the HTTP status and Graph error code an error
	// refuses the request with (0 and "" for a warning).
	Status int
	Code   string
}

// Caller is who sends the request, as the access token says.
type Caller struct {
	// Roles are the token's application permissions (its roles claim).
	Roles []string
	// TenantID is the token's tenant.
	TenantID string
	// AppID is the token's application (client) id.
	AppID string
	// Delegated is true for a user token.
	Delegated bool
}

// Policy holds what a judge may set of the rules.
type Policy struct {
	// MaxTargets is the most targets a call may have.
	MaxTargets int
	// MaxRingingTimeout is the largest ringingTimeoutInSeconds.
	MaxRingingTimeout int
	// AllowHTTPLoopback accepts http callbacks on loopback hosts (a
	// harness concession; Graph demands https).
	AllowHTTPLoopback bool
	// AllowsHost reports whether callbacks may be posted to a host; nil
	// leaves the callbackUri-host rule out.
	AllowsHost func(host string) bool
	// BotRules applies the ScopeBot rules too (certify-bot does, the
	// emulator does not).
	BotRules bool
}

// The documented limits (create-call-doc.txt Example 3; graph-calls-facts.md §1.2).
const (
	DefaultMaxTargets        = 5
	DefaultMaxRingingTimeout = 115
)

// DefaultPolicy returns the documented limits, https callbacks only, no
// host rule and the service's rules only.
func DefaultPolicy() Policy {
	return Policy{MaxTargets: DefaultMaxTargets, MaxRingingTimeout: DefaultMaxRingingTimeout}
}

// Request is a decoded Create call request and what is known around it.
type Request struct {
	// Call is the decoded body.
	Call *graph.Call
	// Want is the scenario the request was asked to make, when known
	// (certify-bot's trigger); nil judges the scenario the body describes.
	Want *graph.Scenario
	// Caller is who sent it; nil when not known (the caller's rules are
	// left out).
	Caller *Caller
	// RingingTimeoutInSeconds is the value sent, for a decoder that reads
	// it wider than the call's Edm.Int32 (the emulator's); nil judges the
	// call's.
	RingingTimeoutInSeconds *int64
}

// ringing returns the ringingTimeoutInSeconds sent, nil when none was.
func (r Request) ringing() *int64 {
	if r.RingingTimeoutInSeconds != nil {
		return r.RingingTimeoutInSeconds
	}
	if v := r.Call.RingingTimeoutInSeconds; v != nil {
		w := int64(*v)
		return &w
	}
	return nil
}

// Scenario returns the scenario r is judged as: Want when set, else the
// one its body describes.
func (r Request) Scenario() graph.Scenario {
	if r.Want != nil {
		return *r.Want
	}
	return graph.InferScenario(r.Call)
}

// Check judges r against the rulebook under p and returns its findings, in
// the order of the table: the call's members, then the caller's.
func Check(r Request, p Policy) []Finding {
	if r.Call == nil {
		return nil
	}
	j := judge{r: r, c: r.Call, p: p, kind: graph.InferKind(r.Call), want: r.Scenario()}
	j.callback()
	j.media()
	j.targets()
	j.meeting()
	j.options()
	j.identities()
	j.caller()
	return j.out
}

// judge collects the findings of one request.
type judge struct {
	r    Request
	c    *graph.Call
	p    Policy
	kind graph.Kind     // what the body describes
	want graph.Scenario // what it is judged as
	out  []Finding
}

func (j *judge) add(id ID, pointer, expected, got, format string, args ...any) {
	if r, _ := Lookup(id); r.Scope == ScopeBot && !j.p.BotRules {
		return
	}
	j.out = append(j.out, finding(id, pointer, expected, got, fmt.Sprintf(format, args...)))
}

// callback: callbackUri required, absolute, https (loopback http by
// policy), and a host the policy allows.
func (j *judge) callback() {
	const p = "/callbackUri"
	raw := j.c.CallbackURI
	if raw == "" {
		j.add(CallbackRequired, p, "an https URL", "(missing)", "callbackUri is required.")
		return
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		j.add(CallbackURL, p, "https://…", raw, "callbackUri %q is not an absolute URL.", raw)
		return
	}
	host := u.Hostname()
	switch {
	case strings.EqualFold(u.Scheme, "https"):
	case strings.EqualFold(u.Scheme, "http") && j.p.AllowHTTPLoopback && IsLoopback(host):
	default:
		j.add(CallbackHTTPS, p, "https://…", raw, "callbackUri %q must be an https URL.", raw)
	}
	if j.p.AllowsHost != nil && !j.p.AllowsHost(host) {
		j.add(CallbackHost, p, "an allowed host", host,
			"callbackUri host %q is not allowed: the emulator posts only to loopback hosts and to hosts allowed by configuration (safety.allowedCallbackHosts, --allow-callback-host).", host)
	}
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (j *judge) media() {
	m := j.c.MediaConfig
	switch {
	case m == nil:
		j.add(MediaRequired, "/mediaConfig", "a serviceHostedMediaConfig or appHostedMediaConfig", "(missing)", "mediaConfig is required.")
	case m.Kind() == graph.MediaUnknown:
		j.add(MediaType, "/mediaConfig/@odata.type", graph.TypeServiceHostedMediaConfig+" or "+graph.TypeAppHostedMediaConfig, m.ODataType,
			"mediaConfig @odata.type %q is not a known media configuration (want %s or %s).", m.ODataType,
			graph.TypeServiceHostedMediaConfig, graph.TypeAppHostedMediaConfig)
	case m.Kind() == graph.MediaAppHosted && (m.Blob == nil || *m.Blob == ""):
		j.add(MediaBlob, "/mediaConfig/blob", "a blob", "(missing)", "appHostedMediaConfig has no blob (the serialized media session configuration).")
	}
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// IsE164 reports whether s is an E.164 phone number: + and 7 to 15 digits.
func IsE164(s string) bool { return e164.MatchString(s) }

// targets: required for calls that join no meeting, at most MaxTargets,
// each with an identity, no identity twice, E.164 phones; the scenario
// asked for fixes their number; PSTN needs an applicationInstance source
// and a phone target.
func (j *judge) targets() {
	n := len(j.c.Targets)
	if j.kind == graph.KindUnknown {
		j.add(TargetsRequired, "/targets", "at least one target", "(none)",
			"targets is required: a peer-to-peer or group call needs at least one target (or chatInfo and meetingInfo to join a meeting).")
	}
	if n > j.p.MaxTargets {
		j.add(TargetsMax, "/targets", "at most "+strconv.Itoa(j.p.MaxTargets), strconv.Itoa(n),
			"targets has %d entries; a group call supports at most %d.", n, j.p.MaxTargets)
	}
	seen := map[string]int{}
	for i, t := range j.c.Targets {
		p := "/targets/" + strconv.Itoa(i) + "/identity"
		members := 0
		for kind, id := range t.Identity.All() {
			members++
			key := kind + "\x00" + strings.ToLower(id.ID)
			if prev, dup := seen[key]; dup && id.ID != "" {
				j.add(TargetDuplicate, p, "distinct identities", id.ID, "%s invites %s %q again (already at /targets/%d).", p, kind, id.ID, prev)
			}
			seen[key] = i
		}
		if members == 0 {
			j.add(TargetIdentity, p, "an identity set", "(missing)", "%s names no identity (user, phone, application, ...).", p)
		}
		if t.Identity != nil && t.Identity.Phone != nil && !IsE164(t.Identity.Phone.ID) {
			j.add(PSTNTarget, p+"/phone/id", "+E164", t.Identity.Phone.ID, "%s/phone/id %q is not an E.164 phone number (+ and 7 to 15 digits).", p, t.Identity.Phone.ID)
		}
	}
	j.count(n)
	if j.kind == graph.KindPSTN || j.want.Kind == graph.KindPSTN {
		j.pstn()
	}
}

// count: the scenario asked for fixes the number of targets.
func (j *judge) count(n int) {
	if j.r.Want == nil || n == 0 {
		return
	}
	switch j.want.Kind {
	case graph.KindPeerToPeer:
		if n != 1 {
			j.add(TargetsPeerToPeer, "/targets", "1 target", strconv.Itoa(n), "targets has %d entries; a peer-to-peer call has exactly one.", n)
		}
	case graph.KindGroupCall:
		if n < 2 {
			j.add(TargetsGroup, "/targets", "2 to 5 targets", strconv.Itoa(n), "targets has %d entries; a group call has at least two.", n)
		}
	}
}

func (j *judge) pstn() {
	var appInstance, phone bool
	if s := j.c.Source; s != nil && s.Identity != nil {
		appInstance = s.Identity.ApplicationInstance != nil
	}
	for _, t := range j.c.Targets {
		phone = phone || (t.Identity != nil && t.Identity.Phone != nil)
	}
	if !appInstance {
		j.add(PSTNSource, "/source/identity/applicationInstance", "an application instance", "(missing)",
			"Call source identity invalid. A PSTN call needs source.identity.applicationInstance (an application instance with a phone number).")
	}
	if !phone {
		j.add(PSTNTarget, "/targets", "a phone target", "(none)", "A PSTN call (applicationInstance source) needs a target with identity.phone.")
	}
}

// meeting: a meeting or guest join needs meetingInfo, and chatInfo with a
// threadId unless it joins by meeting id (graph-calls-facts.md §1.2 line
// 109); a guest join asked for names the guest.
func (j *judge) meeting() {
	k := j.kind
	if j.r.Want != nil && j.want.Kind.JoinsMeeting() {
		k = j.want.Kind.Rules()
	}
	if j.want.Kind == graph.KindGuestJoin && j.r.Want != nil {
		if s := j.c.Source; s == nil || s.Identity == nil || s.Identity.Guest == nil {
			j.add(GuestSource, "/source/identity/guest", "a guest identity", "(missing)", "source.identity.guest is missing; a guest join names the guest.")
		}
	}
	if k != graph.KindMeetingJoin && k != graph.KindGuestJoin {
		return
	}
	mi := j.c.MeetingInfo
	switch {
	case mi == nil:
		j.add(MeetingInfo, "/meetingInfo", "a meetingInfo", "(missing)", "meetingInfo is required to join a meeting (%s).", k)
	case mi.Kind() == graph.MeetingUnknown:
		j.add(MeetingInfo, "/meetingInfo/@odata.type", "a known meeting info type", mi.ODataType, "meetingInfo @odata.type %q is not a known meeting info type.", mi.ODataType)
	case mi.Kind() == graph.MeetingOrganizer && len(mi.Organizer.Members()) == 0:
		j.add(MeetingInfo, "/meetingInfo/organizer", "an organizer identity", "(missing)", "organizerMeetingInfo needs an organizer identity.")
	case mi.Kind() == graph.MeetingJoinMeetingID && mi.JoinMeetingID == "":
		j.add(MeetingInfo, "/meetingInfo/joinMeetingId", "a joinMeetingId", "(missing)", "joinMeetingIdMeetingInfo needs a joinMeetingId.")
	}
	needChat := mi == nil || mi.Kind() == graph.MeetingOrganizer
	switch ch := j.c.ChatInfo; {
	case ch == nil && needChat:
		j.add(ChatInfo, "/chatInfo", "the meeting's chatInfo", "(missing)", "chatInfo is required to join a meeting with organizerMeetingInfo.")
	case ch != nil && ch.ThreadID == "":
		j.add(ChatInfo, "/chatInfo/threadId", "the meeting's thread id", "(missing)", "chatInfo.threadId is required.")
	}
	if k == graph.KindMeetingJoin && j.c.TenantID == "" && scheduledMeeting(j.c) {
		j.add(MeetingTenant, "/tenantId", "the meeting's tenant", "(missing)",
			"%s A scheduled meeting's join (organizerMeetingInfo, chatInfo.threadId %q) sends no tenantId at the call's top level.",
			MsgTenantMismatch, j.c.ChatInfo.ThreadID)
	}
}

// UsesReadOnly reports whether the service uses the read-only member at
// pointer of c, so that sending it is no read-only advice: the tenantId of
// a scheduled meeting's join, which the beta metadata calls read-only and
// the generated SDK strips, and without which the join is refused (the
// meeting-tenant rule).
func UsesReadOnly(c *graph.Call, pointer string) bool {
	return pointer == "/tenantId" && c != nil && graph.InferKind(c) == graph.KindMeetingJoin && scheduledMeeting(c)
}

// DropUsedReadOnly returns fs without the read-only findings about members
// the service uses in c (UsesReadOnly).
func DropUsedReadOnly(fs []Finding, c *graph.Call) []Finding {
	return slices.DeleteFunc(fs, func(f Finding) bool { return f.Rule == ReadOnly && UsesReadOnly(c, f.Pointer) })
}

// scheduledMeeting reports whether c joins a scheduled meeting by its
// organizer: organizerMeetingInfo and the meeting's chat thread
// (19:meeting_…@thread.v2), the request shape of the field reports the
// meeting-tenant rule rests on.
func scheduledMeeting(c *graph.Call) bool {
	if c.MeetingInfo == nil || c.MeetingInfo.Kind() != graph.MeetingOrganizer || c.ChatInfo == nil {
		return false
	}
	t := strings.ToLower(c.ChatInfo.ThreadID)
	return strings.HasPrefix(t, "19:meeting_") && strings.HasSuffix(t, "@thread.v2")
}

// options: ringingTimeoutInSeconds bounds, routingPolicies and
// requestedModalities advice.
func (j *judge) options() {
	c := j.c
	if r := j.r.ringing(); r != nil && (*r < 0 || *r > int64(j.p.MaxRingingTimeout)) {
		j.add(RingingTimeout, "/ringingTimeoutInSeconds", "0 to "+strconv.Itoa(j.p.MaxRingingTimeout), strconv.FormatInt(*r, 10),
			"ringingTimeoutInSeconds %d is out of range; the maximum is %d seconds.", *r, j.p.MaxRingingTimeout)
	}
	if len(c.RoutingPolicies) > 0 && !j.kind.PeerToPeer() {
		j.add(RoutingPolicies, "/routingPolicies", "peer-to-peer calls only", string(j.kind),
			"routingPolicies applies to peer-to-peer calls only; this is a %s.", j.kind)
	}
	if len(c.RequestedModalities) == 0 {
		j.add(Modalities, "/requestedModalities", "[\"audio\"]", "(missing)",
			"requestedModalities is missing or empty; every documented example requests [\"audio\"].")
	}
}

// identities: every identity of the source and the organizer (and the
// targets' ids) has an id, directory ids are GUIDs, phones E.164 and
// tenants GUIDs.
func (j *judge) identities() {
	if !j.p.BotRules {
		return
	}
	for i, t := range j.c.Targets {
		j.identitySet("/targets/"+strconv.Itoa(i)+"/identity", t.Identity, true)
	}
	if s := j.c.Source; s != nil {
		j.identitySet("/source/identity", s.Identity, false)
	}
	if mi := j.c.MeetingInfo; mi != nil {
		j.identitySet("/meetingInfo/organizer", mi.Organizer, false)
	}
}

func (j *judge) identitySet(p string, set *graph.IdentitySet, target bool) {
	for name, id := range set.All() {
		mp := p + "/" + name
		switch {
		case name == "phone" && target:
			// pstn-target judges a target's phone.
		case id.ID == "":
			j.add(IdentityID, mp+"/id", "an id", "(missing)", "%s/id is missing: an identity names whom it stands for.", mp)
		case name == "phone" && !IsE164(id.ID):
			j.add(IdentityPhone, mp+"/id", "+E164", id.ID, "%s/id %q is not an E.164 phone number (+ and 7 to 15 digits).", mp, id.ID)
		case guidMember(name) && !graph.IsGUID(id.ID):
			j.add(IdentityGUID, mp+"/id", "a GUID", id.ID, "%s/id %q is not a GUID; directory object ids are GUIDs.", mp, id.ID)
		}
		if id.TenantID != "" && !graph.IsGUID(id.TenantID) {
			j.add(IdentityTenant, mp+"/tenantId", "a GUID", id.TenantID, "%s/tenantId %q is not a GUID.", mp, id.TenantID)
		}
	}
}

// guidMember reports whether an identity set's member names a directory
// object, whose id is a GUID.
func guidMember(m string) bool {
	return m == "user" || m == "application" || m == "applicationInstance" || m == "guest"
}

// caller: the body's tenant is the token's (403 7505), the token holds
// the scenario's roles (403 7504), and the source's app is the token's.
func (j *judge) caller() {
	cl := j.r.Caller
	if cl == nil {
		return
	}
	c := j.c
	if c.TenantID != "" && !strings.EqualFold(c.TenantID, cl.TenantID) {
		j.add(Tenant, "/tenantId", cl.TenantID, c.TenantID, "%s The body's tenantId %q is not the token's tenant %q.", MsgTenantMismatch, c.TenantID, cl.TenantID)
	}
	s := j.want
	need := s.Permissions()
	if missing := missingRoles(cl.Roles, need); len(missing) > 0 {
		j.add(Roles, "", strings.Join(need, ", "), orNone(cl.Roles), "%s A %s call with %s media needs %s; the token lacks %s.", MsgMissingRole,
			s.Kind, mediaName(s.Media), strings.Join(need, " and "), strings.Join(missing, ", "))
	}
	if src := c.Source; src != nil && src.Identity != nil && src.Identity.Application != nil &&
		src.Identity.Application.ID != "" && !strings.EqualFold(src.Identity.Application.ID, cl.AppID) {
		j.add(SourceApplication, "/source/identity/application/id", cl.AppID, src.Identity.Application.ID,
			"source.identity.application.id %q is not the token's app %q.", src.Identity.Application.ID, cl.AppID)
	}
}

// The messages Graph answers the caller's rules with (graph-calls-facts.md §4.2).
const (
	MsgMissingRole    = "Insufficient enterprise tenant permissions, cannot access this API."
	MsgTenantMismatch = "Request authorization tenant mismatch."
)

// missingRoles returns the roles of need that held lacks (exact match, as
// the roles claim is compared).
func missingRoles(held, need []string) []string {
	var out []string
	for _, r := range need {
		if !slices.Contains(held, r) {
			out = append(out, r)
		}
	}
	return out
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "(none)"
	}
	return strings.Join(list, ", ")
}

func mediaName(k graph.MediaKind) string {
	if k == graph.MediaUnknown {
		return "unknown"
	}
	return string(k)
}

// FirstError returns the first error of fs.
func FirstError(fs []Finding) (Finding, bool) {
	for _, f := range fs {
		if f.Severity == Error {
			return f, true
		}
	}
	return Finding{}, false
}

// CheckCallback judges a callbackUri alone (an answer's, an incoming
// call's) by the callbackUri rules.
func CheckCallback(raw string, p Policy) []Finding {
	j := judge{c: &graph.Call{CallbackURI: raw}, p: p}
	j.callback()
	return j.out
}

// CheckMedia judges a mediaConfig alone (an answer's) by the mediaConfig
// rules.
func CheckMedia(m *graph.MediaConfig) []Finding {
	j := judge{c: &graph.Call{MediaConfig: m}}
	j.media()
	return j.out
}
