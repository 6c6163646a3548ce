package certify

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/report"
	tgt "github.com/callcheck/callcheck/target"
)

// contract judges one create request against the request contract of the
// documented examples of its key (create-call-doc.txt Examples 1–10), by
// the rulebook (graph/rules): the emulator refuses requests with the same
// rules, so a rule's certify check and its emulator answer agree.
//
// The conformance suites judge the service's responses, not a client's
// requests, so this contract is certify-bot's own, built on the same parts
// (fixtures, graph/schema, graph/rules).
type contract struct {
	s        *Session
	key      Key
	rec      tgt.RequestRecord
	call     *graph.Call     // nil when the body is not a call object
	findings []rules.Finding // the rulebook's findings on the body and its caller
}

// judgeCreate makes the outbound checks of one create request.
func (s *Session) judgeCreate(c *created) []report.Check {
	k := &contract{s: s, key: c.key, rec: c.rec, call: c.call}
	k.findings = k.judge()
	checks := []func() report.Check{k.scenario, k.headers, k.token, k.permissions, k.schema, k.readOnly,
		k.required, k.callback, k.identities, k.accepted}
	out := make([]report.Check, 0, len(checks))
	for _, f := range checks {
		out = append(out, f())
	}
	return out
}

// Policy is the rulebook's policy certify-bot judges a bot's requests by:
// the documented limits, https callbacks only (a bot's callback is public,
// so no loopback concession), and the rules of the bot's scope too.
func Policy() rules.Policy {
	p := rules.DefaultPolicy()
	p.BotRules = true
	return p
}

// Judge returns the rulebook's findings on a bot's create request: its
// schema violations (of the version called; a body they let pass that does
// not decode to a call object breaks json, as the service refuses it), then
// the rules of its members judged as the scenario of key (the body's own
// when key names none) and of its caller (when token is not nil).
func Judge(key Key, version string, body []byte, token *tgt.TokenInfo) []rules.Finding {
	fs := rules.FromSchema(violations(version, body))
	if f, bad := rules.CheckDuplicateMembers(body); bad {
		return append([]rules.Finding{f}, fs...)
	}
	var call graph.Call
	if err := json.Unmarshal(body, &call); err != nil {
		if _, bad := rules.FirstError(fs); !bad {
			fs = append(fs, rules.NotACall(err))
		}
		return fs
	}
	fs = rules.DropUsedReadOnly(fs, &call)
	r := rules.Request{Call: &call}
	if key != keyUnknown {
		want := key.Scenario()
		r.Want = &want
	}
	if token != nil {
		r.Caller = &rules.Caller{Roles: token.Roles, TenantID: token.TenantID, AppID: token.AppID, Delegated: token.Delegated}
	}
	return append(fs, rules.Check(r, Policy())...)
}

func (k *contract) judge() []rules.Finding {
	return Judge(k.key, k.rec.Version, []byte(k.rec.Body), k.rec.Token)
}

// checkOf names the outbound check each rule's findings belong to.
var checkOf = map[rules.ID][]string{
	rules.JSON: {"schema"}, rules.DuplicateMember: {"schema"}, rules.Schema: {"schema"}, rules.ReadOnly: {"read-only"},
	rules.CallbackRequired: {"required", "callback"}, rules.CallbackURL: {"callback"}, rules.CallbackHTTPS: {"callback"},
	rules.CallbackHost: {"callback"}, rules.MediaRequired: {"required"}, rules.MediaType: {"required"}, rules.MediaBlob: {"required"},
	rules.Modalities: {"required"}, rules.TargetsRequired: {"required"}, rules.TargetsPeerToPeer: {"required"},
	rules.TargetsGroup: {"required"}, rules.PSTNSource: {"required"}, rules.GuestSource: {"required"},
	rules.MeetingInfo: {"required"}, rules.ChatInfo: {"required"}, rules.RingingTimeout: {"required"},
	rules.RoutingPolicies: {"required"}, rules.TargetsMax: {"identities"}, rules.TargetIdentity: {"identities"},
	rules.TargetDuplicate: {"identities"}, rules.IdentityID: {"identities"}, rules.IdentityGUID: {"identities"},
	rules.IdentityPhone: {"identities"}, rules.IdentityTenant: {"identities"}, rules.SourceApplication: {"identities"},
	rules.Tenant: {"identities"}, rules.MeetingTenant: {"required"}, rules.Roles: {"permissions"},
}

// CheckOf returns the outbound checks (the last part of their ids) a
// finding belongs to: a PSTN call's missing phone target is a required
// member, a phone target that is not E.164 a malformed identity.
func CheckOf(f rules.Finding) []string {
	if f.Rule == rules.PSTNTarget {
		if f.Pointer == "/targets" {
			return []string{"required"}
		}
		return []string{"identities"}
	}
	return checkOf[f.Rule]
}

// quoteOf is the fact sheet's sentence each rule's evidence quotes.
var quoteOf = map[rules.ID]quote{
	rules.CallbackRequired: qCallbackAlways, rules.CallbackURL: qCallbackHTTPS, rules.CallbackHTTPS: qCallbackHTTPS,
	rules.CallbackHost: qCallbackHTTPS, rules.MediaRequired: qMediaAlways, rules.MediaType: qMediaTypes, rules.MediaBlob: qMediaTypes,
	rules.Modalities: qModalities, rules.TargetsRequired: qTargets, rules.TargetsPeerToPeer: qTargets, rules.TargetsGroup: qTargets,
	rules.TargetIdentity: qTargets, rules.PSTNSource: qSourceInPractice, rules.GuestSource: qSourceInPractice, rules.PSTNTarget: qPhone,
	rules.IdentityPhone: qPhone, rules.MeetingInfo: qMeetingInfo, rules.ChatInfo: qMeetingInfo, rules.RingingTimeout: qRinging,
	rules.RoutingPolicies: qRouting, rules.TargetsMax: qMaxTargets, rules.TargetDuplicate: qSameIdentity,
	rules.SourceApplication: qSourceFromToken, rules.Tenant: qTenantMismatch, rules.MeetingTenant: qTenantMismatch,
}

// report adds the findings of check name to ch: an error fails it, a
// warning warns.
func (k *contract) report(ch *check, name string) {
	for _, f := range k.findings {
		if !slices.Contains(CheckOf(f), name) {
			continue
		}
		ev := k.findingEvidence(f, name)
		if f.Severity == rules.Error {
			ch.fail(ev)
		} else {
			ch.warn(ev)
		}
	}
}

// findingEvidence is the evidence of a finding: its message, pointer,
// expected and got, with the fact sheet's sentence (or the documented
// value) it rests on.
func (k *contract) findingEvidence(f rules.Finding, name string) report.Evidence {
	q, ok := quoteOf[f.Rule]
	if f.Rule == rules.CallbackRequired && name == "callback" {
		q = qCallbackHTTPS
	}
	text, source := q.Text, ""
	if ok {
		source = q.source()
	}
	switch f.Rule {
	case rules.IdentityID:
		text, source = docValue(k.key, fixtures.RoleUserID)
	case rules.IdentityGUID:
		text, source = docValue(k.key, roleOfMember(memberOf(f.Pointer)))
	case rules.IdentityTenant:
		text, source = docValue(k.key, fixtures.RoleTenantID)
	}
	if source == "" {
		source = f.Source
	}
	return k.evidence(f.Message, f.Pointer, f.Expected, f.Got, text, source)
}

// memberOf is the identity set member a pointer ".../<member>/id" names.
func memberOf(pointer string) string {
	parts := strings.Split(pointer, "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-2]
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
	got, media := graph.InferKind(k.call), k.call.MediaConfig.Kind()
	switch {
	case k.key == keyUnknown:
		ch.fail(k.evidence("The request describes none of the documented scenarios: no target, no meeting, no guest (targets, meetingInfo, source.identity).",
			"/targets", "a documented scenario", string(got), "", "create-call-doc.txt Examples 1–10"))
	case got != k.key.Kind():
		ch.fail(k.evidence(fmt.Sprintf("The %s trigger made a %s request (from targets, meetingInfo, chatInfo and source.identity).", k.key, got),
			"", string(k.key.Kind()), string(got), title, source))
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
			if f, bad := rules.CheckContentType(v); bad {
				ch.fail(k.evidence(f.Message, "", f.Expected, v, text, source))
			}
		}
	}
	if _, f, bad := rules.CheckContentEncoding(k.rec.Headers.Values("Content-Encoding")); bad {
		ch.fail(k.evidence(f.Message, "", f.Expected, f.Got, "", f.Source))
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

// permissions: the token holds the roles the scenario needs (§5.1); the
// service answers 403 7504 otherwise.
func (k *contract) permissions() report.Check {
	ch := k.newCheck("permissions")
	if k.rec.Token == nil || k.key == keyUnknown {
		ch.skip("No token or no documented scenario: the permissions cannot be judged (see the token and scenario checks).")
		return ch.done()
	}
	for _, f := range k.findings {
		if f.Rule != rules.Roles {
			continue
		}
		text, source := k.permissionQuote(k.firstMissingRole())
		ch.fail(k.evidence(f.Message, f.Pointer, f.Expected, f.Got, text, source))
	}
	return ch.done()
}

// firstMissingRole is the first permission of the key's scenario the
// token lacks, whose documentation the evidence quotes.
func (k *contract) firstMissingRole() string {
	for _, role := range k.key.Scenario().Permissions() {
		if !slices.Contains(k.rec.Token.Roles, role) {
			return role
		}
	}
	return ""
}

// permissionQuote finds the page's sentence naming role for the key's
// example, or the fact sheet's scenario → permission line.
func (k *contract) permissionQuote(role string) (string, string) {
	if role == graph.RoleAccessMedia {
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
	q := map[string]quote{graph.RoleInitiate: qPermP2P, graph.RoleInitiateGroupCall: qPermGroup,
		graph.RoleJoinGroupCall: qPermMeeting, graph.RoleJoinGroupCallAsGuest: qPermGuest}[role]
	return q.Text, q.source()
}

// apiVersion is the API version the bot called.
func apiVersion(v string) schema.Version {
	if v == string(schema.Beta) {
		return schema.Beta
	}
	return schema.V1
}

// violations validates body as a create request of the version called.
func violations(ver string, body []byte) []schema.Violation {
	v, err := schema.Load(apiVersion(ver))
	if err != nil {
		return []schema.Violation{{Kind: schema.KindSchema, Message: "the schema could not be loaded: " + err.Error()}}
	}
	return rules.RequestSchema(v).ValidateRequest(schema.TypeCall, body)
}

// schema: strict JSON, valid against Microsoft's metadata.
func (k *contract) schema() report.Check {
	ch := k.newCheck("schema")
	source := fmt.Sprintf("Microsoft Graph metadata %s (graph-openapi/, the derived subset in graph/schema)", apiVersion(k.rec.Version))
	if k.rec.BodyTruncated {
		f := rules.BodyTooLarge(k.rec.BodyBytes)
		ch.fail(k.evidence("The body is larger than the emulated Graph accepts.", "", f.Expected, "", "", source))
	}
	for _, f := range k.findings {
		if f.Rule == rules.JSON || f.Rule == rules.Schema {
			ch.fail(k.evidence(f.Message, f.Pointer, "", excerptAt(k.rec.Body, f.Pointer), "", source))
		}
	}
	return ch.done()
}

// readOnly: no read-only property. The service ignores one (the rule's
// warning); certify-bot fails a bot that sends one, except where the
// documentation's own example for the scenario sends it too (Examples 3–6:
// direction, tenantId), which is a warning.
func (k *contract) readOnly() report.Check {
	ch := k.newCheck("read-only")
	documented := documentedReadOnly(k.key)
	for _, f := range k.findings {
		if f.Rule != rules.ReadOnly {
			continue
		}
		if ex, ok := documented[f.Pointer]; ok {
			ch.warn(k.quoted(qReadOnlySent, fmt.Sprintf("%s is read-only and the service ignores it; the documentation's Example %d sends it too, so this is a warning.",
				fieldName(f.Pointer), ex), f.Pointer, "not sent", excerptAt(k.rec.Body, f.Pointer)))
			continue
		}
		ch.fail(k.quoted(qReadOnlySet, f.Message, f.Pointer, "not sent", excerptAt(k.rec.Body, f.Pointer)))
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
	if k.call == nil {
		ch.skip("The body is not a call object (see the schema check).")
		return ch.done()
	}
	k.report(ch, "required")
	return ch.done()
}

// callback: an absolute https callbackUri.
func (k *contract) callback() report.Check {
	ch := k.newCheck("callback")
	if k.call == nil {
		ch.fail(k.quoted(qCallbackHTTPS, "callbackUri is missing.", "/callbackUri", "https://…", "(missing)"))
		return ch.done()
	}
	k.report(ch, "callback")
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
// the token's tenant and app (§3.3, §3.6, §4.2, §4.4).
func (k *contract) identities() report.Check {
	ch := k.newCheck("identities")
	if k.call == nil {
		ch.skip("The body is not a call object (see the schema check).")
		return ch.done()
	}
	k.report(ch, "identities")
	return ch.done()
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

func orNone(list []string) string {
	if len(list) == 0 {
		return "(none)"
	}
	return strings.Join(list, ", ")
}
