package certify

import (
	"fmt"
	"maps"
	"mime"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/report"
)

// contract judges one create request against the request contract of the
// documented examples of its key (create-call-doc.txt Examples 1–10, the
// create rules of graph-calls-facts.md §1.2, §4.4, §5).
//
// The conformance suites judge the service's responses, not a client's
// requests, so this contract is certify-bot's own, built on the same parts
// (fixtures, graph/schema, emulator.InferScenario and RequiredRoles).
type contract struct {
	s    *Session
	key  Key
	rec  emulator.RequestRecord
	call *graph.Call // nil when the body is not a call object
}

// judgeCreate makes the outbound checks of one create request.
func (s *Session) judgeCreate(c *created) []report.Check {
	k := &contract{s: s, key: c.key, rec: c.rec, call: c.call}
	checks := []func() report.Check{k.scenario, k.headers, k.token, k.permissions, k.schema, k.readOnly,
		k.required, k.callback, k.identities, k.accepted}
	out := make([]report.Check, 0, len(checks))
	for _, f := range checks {
		out = append(out, f())
	}
	return out
}

func (k *contract) newCheck(name string) *check {
	return k.s.newCheck("outbound."+string(k.key)+"."+name, k.key)
}

// evidence is an Evidence about the request, naming its request-id.
func (k *contract) evidence(msg, pointer, expected, got, docQuote, source string) report.Evidence {
	return report.Evidence{Message: k.s.redact(msg), Pointer: pointer, Expected: expected, Got: k.s.redact(got), RequestID: k.rec.RequestID,
		DocQuote: docQuote, Source: source}
}

func (k *contract) quoted(q quote, msg, pointer, expected, got string) report.Evidence {
	return k.evidence(msg, pointer, expected, got, q.Text, q.source())
}

// scenario: the request is the scenario it was triggered for.
func (k *contract) scenario() report.Check {
	ch := k.newCheck("scenario")
	title, source := exampleTitle(k.key)
	if k.call == nil {
		ch.fail(k.evidence("The request body is not a call object, so it describes no scenario.", "", "a microsoft.graph.call", excerptOf(k.rec.Body), title, source))
		return ch.done()
	}
	got, media := emulator.InferScenario(k.call), k.call.MediaConfig.Kind()
	switch {
	case k.key == keyUnknown:
		ch.fail(k.evidence("The request describes none of the documented scenarios: no target, no meeting, no guest (targets, meetingInfo, source.identity).",
			"/targets", "a documented scenario", string(got), "", "create-call-doc.txt Examples 1–10"))
	case got != k.key.Scenario():
		ch.fail(k.evidence(fmt.Sprintf("The %s trigger made a %s request (from targets, meetingInfo, chatInfo and source.identity).", k.key, got),
			"", string(k.key.Scenario()), string(got), title, source))
	case media != graph.MediaUnknown && media != k.key.Media():
		ch.fail(k.evidence(fmt.Sprintf("mediaConfig asks for %s media; the %s scenario is %s media.", media, k.key, k.key.Media()),
			"/mediaConfig/@odata.type", string(k.key.Media()), string(media), title, source))
	}
	return ch.done()
}

// headers: the request headers the page calls Required.
func (k *contract) headers() report.Check {
	ch := k.newCheck("headers")
	for _, h := range fixtures.Default().Page().RequiredHeaders {
		text, source := fixtureQuote(h.Quote)
		v := k.rec.Headers.Get(h.Name)
		switch h.Name {
		case "Authorization":
			if scheme, _, _ := strings.Cut(v, " "); !strings.EqualFold(scheme, "Bearer") {
				ch.fail(k.evidence("The Authorization header is not a Bearer token.", "", "Bearer {token}", redactedHeader(v), text, source))
			}
		case "Content-Type":
			if mt, _, err := mime.ParseMediaType(v); err != nil || mt != "application/json" {
				ch.fail(k.evidence("The Content-Type header is not application/json.", "", "application/json", v, text, source))
			}
		}
	}
	return ch.done()
}

// redactedHeader shows an Authorization value without its credentials.
func redactedHeader(v string) string {
	if v == "" {
		return "(none)"
	}
	return identity.RedactAuthorization(v)
}

// token: an application token from the client-credentials grant.
func (k *contract) token() report.Check {
	ch := k.newCheck("token")
	t, app := k.rec.Token, k.s.cfg.App
	switch {
	case t == nil:
		ch.fail(k.quoted(qDefaultScope, "The request carries no access token.", "", "Authorization: Bearer <application token>", "none"))
	case !t.Valid:
		ch.fail(k.quoted(qDefaultScope, "The access token does not verify: "+t.Error, "", "a token from the token endpoint", t.Error))
	case t.Delegated:
		ch.fail(k.quoted(qDelegated, "The access token is a delegated (user) token (it has an scp claim).", "", "an application token", "a delegated token"))
	case !strings.EqualFold(t.AppID, app.ClientID):
		ch.fail(k.quoted(qDefaultScope, "The token's appid is not the registered app's client id.", "", app.ClientID, t.AppID))
	}
	return ch.done()
}

// permissions: the token holds the roles the scenario needs (§5.1).
func (k *contract) permissions() report.Check {
	ch := k.newCheck("permissions")
	if k.rec.Token == nil || k.key == keyUnknown {
		ch.skip("No token or no documented scenario: the permissions cannot be judged (see the token and scenario checks).")
		return ch.done()
	}
	need := emulator.RequiredRoles(k.key.Scenario(), k.key.Media())
	for _, role := range need {
		if slices.Contains(k.rec.Token.Roles, role) {
			continue
		}
		text, source := k.permissionQuote(role)
		ch.fail(k.evidence(fmt.Sprintf("The token's roles claim lacks %s, which a %s call needs; the service answers 403 7504.", role, k.key),
			"", strings.Join(need, ", "), orNone(k.rec.Token.Roles), text, source))
	}
	return ch.done()
}

// permissionQuote finds the page's sentence naming role for the key's
// example, or the fact sheet's scenario → permission line.
func (k *contract) permissionQuote(role string) (string, string) {
	if role == emulator.RoleAccessMedia {
		return fixtureQuote(fixtures.Default().Page().AppHostedMediaPermission.Quote)
	}
	for _, n := range k.key.Examples() {
		ex, err := fixtures.ByNumber(n)
		if err != nil {
			continue
		}
		for _, p := range ex.Permissions {
			if p.Real == role && !p.Inherited {
				text, source := fixtureQuote(p.Quote)
				if p.Printed != p.Real {
					source += fmt.Sprintf("; the page prints %s, the real permission is %s (graph-calls-facts.md §9.1)", p.Printed, p.Real)
				}
				return text, source
			}
		}
	}
	q := map[string]quote{emulator.RoleInitiate: qPermP2P, emulator.RoleInitiateGroupCall: qPermGroup,
		emulator.RoleJoinGroupCall: qPermMeeting, emulator.RoleJoinGroupCallAsGuest: qPermGuest}[role]
	return q.Text, q.source()
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "(none)"
	}
	return strings.Join(list, ", ")
}

// version is the API version the bot called.
func (k *contract) version() schema.Version {
	if k.rec.Version == string(schema.Beta) {
		return schema.Beta
	}
	return schema.V1
}

// violations validates the body as a create request.
func (k *contract) violations() []schema.Violation {
	v, err := schema.Load(k.version())
	if err != nil {
		return []schema.Violation{{Kind: schema.KindSchema, Message: "the schema could not be loaded: " + err.Error()}}
	}
	return v.ValidateRequest(schema.TypeCall, []byte(k.rec.Body))
}

// schema: strict JSON, valid against Microsoft's metadata.
func (k *contract) schema() report.Check {
	ch := k.newCheck("schema")
	source := fmt.Sprintf("Microsoft Graph metadata %s (graph-openapi/, the derived subset in graph/schema)", k.version())
	if k.rec.BodyTruncated {
		ch.fail(k.evidence("The body is larger than the emulated Graph accepts.", "", "at most "+strconv.FormatInt(k.rec.BodyBytes, 10)+" bytes", "", "", source))
	}
	for _, v := range k.violations() {
		if v.Kind == schema.KindReadOnly {
			continue
		}
		ch.fail(k.evidence(fieldName(v.Pointer)+": "+v.Message, v.Pointer, "", excerptAt(k.rec.Body, v.Pointer), "", source))
	}
	return ch.done()
}

// readOnly: no read-only property; a warning where the documentation's own
// example for the scenario sends it (Examples 3–6: direction, tenantId).
func (k *contract) readOnly() report.Check {
	ch := k.newCheck("read-only")
	documented := documentedReadOnly(k.key)
	for _, v := range k.violations() {
		if v.Kind != schema.KindReadOnly {
			continue
		}
		if ex, ok := documented[v.Pointer]; ok {
			ch.warn(k.quoted(qReadOnlySent, fmt.Sprintf("%s is read-only and the service ignores it; the documentation's Example %d sends it too, so this is a warning.",
				fieldName(v.Pointer), ex), v.Pointer, "not sent", excerptAt(k.rec.Body, v.Pointer)))
			continue
		}
		ch.fail(k.quoted(qReadOnlySet, fieldName(v.Pointer)+" is read-only: "+v.Message, v.Pointer, "not sent", excerptAt(k.rec.Body, v.Pointer)))
	}
	return ch.done()
}

// documentedReadOnly maps each read-only property the key's documented
// examples send to the first example that does.
func documentedReadOnly(key Key) map[string]int {
	out := map[string]int{}
	v, err := schema.Load(schema.Beta)
	if err != nil {
		return out
	}
	for _, n := range key.Examples() {
		ex, err := fixtures.ByNumber(n)
		if err != nil {
			continue
		}
		for _, vi := range v.ValidateRequest(schema.TypeCall, ex.Request().Canonical()) {
			if _, seen := out[vi.Pointer]; vi.Kind == schema.KindReadOnly && !seen {
				out[vi.Pointer] = n
			}
		}
	}
	return out
}

// required: what every create and what the scenario needs (§1.2).
func (k *contract) required() report.Check {
	ch := k.newCheck("required")
	c := k.call
	if c == nil {
		ch.skip("The body is not a call object (see the schema check).")
		return ch.done()
	}
	if c.CallbackURI == "" {
		ch.fail(k.quoted(qCallbackAlways, "callbackUri is missing.", "/callbackUri", "an https URL", "(missing)"))
	}
	k.requireMedia(ch, c.MediaConfig)
	if len(c.RequestedModalities) == 0 {
		ch.warn(k.quoted(qModalities, "requestedModalities is missing or empty; every documented example requests [\"audio\"].", "/requestedModalities", "[\"audio\"]", "(missing)"))
	}
	k.requireScenario(ch, c)
	return ch.done()
}

func (k *contract) requireMedia(ch *check, m *graph.MediaConfig) {
	switch {
	case m == nil:
		ch.fail(k.quoted(qMediaAlways, "mediaConfig is missing.", "/mediaConfig", "a serviceHostedMediaConfig or appHostedMediaConfig", "(missing)"))
	case m.Kind() == graph.MediaUnknown:
		ch.fail(k.quoted(qMediaTypes, "mediaConfig's @odata.type names no media configuration.", "/mediaConfig/@odata.type",
			graph.TypeServiceHostedMediaConfig+" or "+graph.TypeAppHostedMediaConfig, m.ODataType))
	case m.Kind() == graph.MediaAppHosted && (m.Blob == nil || *m.Blob == ""):
		ch.warn(k.quoted(qMediaTypes, "appHostedMediaConfig has no blob (the serialized media session configuration).", "/mediaConfig/blob", "a blob", "(missing)"))
	}
}

// requireScenario checks what the key's scenario needs.
func (k *contract) requireScenario(ch *check, c *graph.Call) {
	n := len(c.Targets)
	switch k.key.Scenario() {
	case emulator.ScenarioPeerToPeer:
		if n != 1 {
			ch.fail(k.quoted(qTargets, fmt.Sprintf("targets has %d entries; a peer-to-peer call has exactly one.", n), "/targets", "1 target", strconv.Itoa(n)))
		}
	case emulator.ScenarioGroupCall:
		if n < 2 {
			ch.fail(k.quoted(qTargets, fmt.Sprintf("targets has %d entries; a group call has at least two.", n), "/targets", "2 to 5 targets", strconv.Itoa(n)))
		}
	case emulator.ScenarioPSTN:
		if !hasMember(c.Source, "applicationInstance") {
			ch.fail(k.quoted(qSourceInPractice, "source.identity.applicationInstance is missing; a PSTN call comes from an application instance.",
				"/source/identity/applicationInstance", "an application instance", "(missing)"))
		}
		if !slices.ContainsFunc(c.Targets, func(t graph.InvitationParticipantInfo) bool { return t.Identity != nil && t.Identity.Phone != nil }) {
			ch.fail(k.quoted(qPhone, "No target has identity.phone; a PSTN call calls a phone number.", "/targets", "a phone target", "(none)"))
		}
	case emulator.ScenarioGuestJoin:
		if !hasMember(c.Source, "guest") {
			ch.fail(k.quoted(qSourceInPractice, "source.identity.guest is missing; a guest join names the guest.", "/source/identity/guest", "a guest identity", "(missing)"))
		}
		k.requireMeeting(ch, c)
	case emulator.ScenarioMeetingJoin:
		k.requireMeeting(ch, c)
	}
}

func (k *contract) requireMeeting(ch *check, c *graph.Call) {
	if c.MeetingInfo == nil {
		ch.fail(k.quoted(qMeetingInfo, "meetingInfo is missing; joining a meeting needs it.", "/meetingInfo", "a meetingInfo", "(missing)"))
		return
	}
	if c.MeetingInfo.Kind() != graph.MeetingJoinMeetingID && (c.ChatInfo == nil || c.ChatInfo.ThreadID == "") {
		ch.fail(k.quoted(qMeetingInfo, "chatInfo.threadId is missing; joining by organizer needs the meeting's chat.", "/chatInfo/threadId", "the meeting's thread id", "(missing)"))
	}
}

func hasMember(p *graph.ParticipantInfo, member string) bool {
	if p == nil || p.Identity == nil {
		return false
	}
	return p.Identity.Members()[member] != nil
}

// callback: an absolute https callbackUri.
func (k *contract) callback() report.Check {
	ch := k.newCheck("callback")
	raw := ""
	if k.call != nil {
		raw = k.call.CallbackURI
	}
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		ch.fail(k.quoted(qCallbackHTTPS, "callbackUri is missing.", "/callbackUri", "https://…", "(missing)"))
	case err != nil || !u.IsAbs() || u.Host == "":
		ch.fail(k.quoted(qCallbackHTTPS, "callbackUri is not an absolute URL.", "/callbackUri", "https://…", raw))
	case !strings.EqualFold(u.Scheme, "https"):
		ch.fail(k.quoted(qCallbackHTTPS, "callbackUri is not an https URL.", "/callbackUri", "https://…", raw))
	}
	return ch.done()
}

// accepted: the emulated Graph created the call. Where it created it only
// because it is lenient, the rule it let pass is noted (the check of that
// rule fails on its own).
func (k *contract) accepted() report.Check {
	ch := k.newCheck("accepted")
	text, source := fixtureQuote(fixtures.Default().Page().CreatedStatus)
	if k.rec.Status != 201 {
		ch.fail(k.evidence(fmt.Sprintf("The emulated Graph refused the request: %d %s: %s", k.rec.Status, k.rec.ErrorCode, k.rec.ErrorMessage),
			"", "201 Created", strconv.Itoa(k.rec.Status), text, source))
	}
	for _, v := range k.rec.Verdicts {
		if strings.Contains(v.Message, "(accepted: violation") {
			ch.note(report.Evidence{Message: "Accepted only because certify-bot's Graph is lenient; Microsoft Graph refuses it: " + v.Message,
				Pointer: v.Pointer, RequestID: k.rec.RequestID, Source: v.Source})
		}
	}
	return ch.done()
}

// identities: well-formed identities, no duplicates, at most 5 targets,
// the token's tenant (§3.3, §3.6, §4.2, §4.4).
func (k *contract) identities() report.Check {
	ch := k.newCheck("identities")
	c := k.call
	if c == nil {
		ch.skip("The body is not a call object (see the schema check).")
		return ch.done()
	}
	if n := len(c.Targets); n > emulator.DefaultMaxTargets {
		ch.fail(k.quoted(qMaxTargets, fmt.Sprintf("targets has %d entries; at most %d are supported.", n, emulator.DefaultMaxTargets), "/targets", "at most 5", strconv.Itoa(n)))
	}
	seen := map[string]string{}
	for i, t := range c.Targets {
		p := "/targets/" + strconv.Itoa(i) + "/identity"
		k.checkSet(ch, p, t.Identity, seen)
	}
	if c.Source != nil {
		k.checkSet(ch, "/source/identity", c.Source.Identity, nil)
		k.checkSourceApp(ch, c.Source.Identity)
	}
	if c.MeetingInfo != nil {
		k.checkSet(ch, "/meetingInfo/organizer", c.MeetingInfo.Organizer, nil)
	}
	k.checkTenant(ch, c.TenantID)
	return ch.done()
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// checkSet checks the identities of one identity set; seen (targets only)
// finds an identity invited twice.
func (k *contract) checkSet(ch *check, p string, set *graph.IdentitySet, seen map[string]string) {
	if set == nil {
		if seen != nil {
			ch.fail(k.quoted(qTargets, p+" is missing: a target names whom to call.", p, "an identity set", "(missing)"))
		}
		return
	}
	members := set.Members()
	for _, name := range slices.Sorted(maps.Keys(members)) {
		id, mp := members[name], p+"/"+name
		k.checkIdentity(ch, mp, name, id)
		key := name + "\x00" + strings.ToLower(id.ID)
		if prev, dup := seen[key]; seen != nil && dup && id.ID != "" {
			ch.fail(k.quoted(qSameIdentity, fmt.Sprintf("%s invites %s %s again (already at %s).", mp, name, id.ID, prev), mp+"/id", "distinct identities", id.ID))
		} else if seen != nil {
			seen[key] = mp
		}
	}
}

// checkIdentity checks one identity: an id, a GUID for directory objects,
// E.164 for a phone, a GUID tenant.
func (k *contract) checkIdentity(ch *check, p, member string, id *graph.Identity) {
	switch {
	case id.ID == "":
		text, source := docValue(k.key, fixtures.RoleUserID)
		ch.fail(k.evidence(p+"/id is missing: an identity names whom it stands for.", p+"/id", "an id", "(missing)", text, source))
	case member == "phone" && !e164.MatchString(id.ID):
		ch.fail(k.quoted(qPhone, fmt.Sprintf("%s/id %q is not an E.164 phone number (+ and 7 to 15 digits).", p, id.ID), p+"/id", "+E164", id.ID))
	case guidMember(member) && !graph.IsGUID(id.ID):
		text, source := docValue(k.key, roleOfMember(member))
		ch.fail(k.evidence(fmt.Sprintf("%s/id %q is not a GUID; directory object ids are GUIDs.", p, id.ID), p+"/id", "a GUID", id.ID, text, source))
	}
	if id.TenantID != "" && !graph.IsGUID(id.TenantID) {
		text, source := docValue(k.key, fixtures.RoleTenantID)
		ch.fail(k.evidence(fmt.Sprintf("%s/tenantId %q is not a GUID.", p, id.TenantID), p+"/tenantId", "a GUID", id.TenantID, text, source))
	}
}

func guidMember(m string) bool {
	return m == "user" || m == "application" || m == "applicationInstance" || m == "guest"
}

func roleOfMember(m string) fixtures.Role {
	switch m {
	case "application":
		return fixtures.RoleApplicationID
	case "applicationInstance":
		return fixtures.RoleApplicationInstanceID
	case "guest":
		return fixtures.RoleGuestID
	}
	return fixtures.RoleUserID
}

// checkSourceApp warns when the source names another app than the token's.
func (k *contract) checkSourceApp(ch *check, set *graph.IdentitySet) {
	if set == nil || set.Application == nil || set.Application.ID == "" || k.rec.Token == nil {
		return
	}
	if !strings.EqualFold(set.Application.ID, k.rec.Token.AppID) {
		ch.warn(k.quoted(qSourceFromToken, "source.identity.application.id is not the token's app.", "/source/identity/application/id", k.rec.Token.AppID, set.Application.ID))
	}
}

// checkTenant: a tenantId sent must be the token's (403 7505, §4.2).
func (k *contract) checkTenant(ch *check, tenant string) {
	if tenant == "" || k.rec.Token == nil {
		return
	}
	if !strings.EqualFold(tenant, k.rec.Token.TenantID) {
		ch.fail(k.quoted(qTenantMismatch, "tenantId is not the token's tenant; the service answers 403 7505 \"Request authorization tenant mismatch.\"",
			"/tenantId", k.rec.Token.TenantID, tenant))
	}
}
