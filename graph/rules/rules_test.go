package rules

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
)

// TestTable: one entry per rule, each with its source and description; an
// error maps onto a status and code, a warning onto none; every negative
// names what it changes.
func TestTable(t *testing.T) {
	seen, names := map[ID]bool{}, map[string]bool{}
	for _, r := range All() {
		if seen[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Source == "" || r.Description == "" || (r.Scope != ScopeService && r.Scope != ScopeBot) {
			t.Errorf("rule %s: source %q, description %q, scope %q", r.ID, r.Source, r.Description, r.Scope)
		}
		switch r.Severity {
		case Error:
			if r.Status < 400 || r.Status > 499 || r.Code == "" {
				t.Errorf("error rule %s maps to %d %q", r.ID, r.Status, r.Code)
			}
		case Warning:
			if r.Status != 0 || r.Code != "" || len(r.Negatives) > 0 {
				t.Errorf("warning rule %s maps to %d %q or has negatives", r.ID, r.Status, r.Code)
			}
		default:
			t.Errorf("rule %s has severity %q", r.ID, r.Severity)
		}
		for _, n := range r.Negatives {
			if names[n.Name] || n.Title == "" || n.Example < 1 || n.Example > 10 || r.Scope != ScopeService {
				t.Errorf("rule %s: negative %+v is a duplicate, untitled, of no example, or of a rule the service does not apply", r.ID, n)
			}
			names[n.Name] = true
			switch n.Mutation {
			case MutateDelete:
				if !strings.HasPrefix(n.Pointer, "/") {
					t.Errorf("negative %s deletes no pointer", n.Name)
				}
			case MutateWithoutRole:
				if !slices.Contains(n.Scenario.Permissions(), n.Role) {
					t.Errorf("negative %s withholds %s, which a %s call does not need", n.Name, n.Role, n.Scenario)
				}
			case MutateHTTPCallback, MutateSixTargets, MutateForeignTenant:
			default:
				t.Errorf("negative %s: unknown mutation %q", n.Name, n.Mutation)
			}
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup found an unknown rule")
	}
	if st, code := StatusOf("nope"); st != StatusBadRequest || code != CodeBadRequest {
		t.Errorf("StatusOf(unknown) = %d %s", st, code)
	}
	if st, code := StatusOf(Roles); st != StatusForbidden || code != CodeMissingRole {
		t.Errorf("StatusOf(roles) = %d %s, want 403 7504", st, code)
	}
}

// TestSourcesQuoteTheirLines: a source that cites a line of the page or
// of the fact sheet quotes what that line says.
func TestSourcesQuoteTheirLines(t *testing.T) {
	for _, c := range []struct {
		source, file string
		line         int
		text         string
	}{
		{SrcContentType, "create-call-doc.txt", 35, "application/json. Required."},
		{SrcStrictJSON, "graph-calls-facts.md", 378, "The status code table is 400"},
		{SrcPSTNSource, "graph-calls-facts.md", 389, "Call source identity invalid."},
		{SrcGuest, "graph-calls-facts.md", 112, "required in practice** for guest join"},
		{SrcIdentity, "graph-calls-facts.md", 108, "`targets`: required for P2P"},
		{SrcRoles, "create-call-doc.txt", 22, "Calls.AccessMedia.All permission in addition"},
		{SrcMaxTargets, "create-call-doc.txt", 329, "This supports up to 5 VoIP users."},
		{SrcDuplicate, "graph-calls-facts.md", 414, "The same identity can't be invited twice."},
		{SrcRinging, "graph-calls-facts.md", 95, "The max value for this attribute is **115 seconds**."},
		{SrcRouting, "graph-calls-facts.md", 96, "applicable for peer to peer calls only"},
		{SrcCallback, "graph-calls-facts.md", 45, "Must be an HTTPS URL."},
	} {
		data, err := os.ReadFile("../../fixtures/data/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		if c.line > len(lines) || !strings.Contains(lines[c.line-1], c.text) {
			t.Errorf("%s line %d does not say %q (cited by %q)", c.file, c.line, c.text, c.source)
		}
	}
}

func ids(set graph.IdentitySet) *graph.IdentitySet { return &set }

func user(id string) graph.InvitationParticipantInfo {
	return graph.InvitationParticipantInfo{Identity: ids(graph.IdentitySet{User: &graph.Identity{ID: id}})}
}

const (
	u1     = "8e8a4b9c-0000-4000-8000-000000000001"
	u2     = "8e8a4b9c-0000-4000-8000-000000000002"
	tenant = "aa67bd4c-8475-432d-bd41-39f255720e0a"
)

// p2pCall is a valid peer-to-peer call with service-hosted media.
func p2pCall() *graph.Call {
	return &graph.Call{CallbackURI: "https://bot.contoso.com/callback", Targets: []graph.InvitationParticipantInfo{user(u1)},
		RequestedModalities: []graph.Modality{"audio"}, MediaConfig: &graph.MediaConfig{ODataType: graph.TypeServiceHostedMediaConfig}}
}

func rulesOf(fs []Finding) []ID {
	var out []ID
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

// TestCheck: the rules a request breaks, in table order, under the
// service's policy and under certify-bot's.
func TestCheck(t *testing.T) {
	all := graph.CallingRoles()
	p2p := graph.Scenario{Kind: graph.KindPeerToPeer, Media: graph.MediaServiceHosted}
	guest := graph.Scenario{Kind: graph.KindGuestJoin, Media: graph.MediaServiceHosted}
	service, bot := DefaultPolicy(), DefaultPolicy()
	bot.BotRules = true
	loopback := DefaultPolicy()
	loopback.AllowHTTPLoopback = true
	hosts := DefaultPolicy()
	hosts.AllowsHost = IsLoopback
	with := func(f func(c *graph.Call)) *graph.Call { c := p2pCall(); f(c); return c }
	for _, tc := range []struct {
		name   string
		r      Request
		p      Policy
		want   []ID
		status int
	}{
		{"valid", Request{Call: p2pCall(), Caller: &Caller{Roles: all, TenantID: tenant}}, bot, nil, 0},
		{"nil call", Request{}, bot, nil, 0},
		{"no callback", Request{Call: with(func(c *graph.Call) { c.CallbackURI = "" })}, service, []ID{CallbackRequired}, 400},
		{"http callback", Request{Call: with(func(c *graph.Call) { c.CallbackURI = "http://127.0.0.1/cb" })}, service, []ID{CallbackHTTPS}, 400},
		{"http loopback allowed", Request{Call: with(func(c *graph.Call) { c.CallbackURI = "http://127.0.0.1/cb" })}, loopback, nil, 0},
		{"host not allowed", Request{Call: p2pCall()}, hosts, []ID{CallbackHost}, 400},
		{"no host rule without a host policy", Request{Call: p2pCall()}, bot, nil, 0},
		{"six targets", Request{Call: with(func(c *graph.Call) {
			for i := 0; i < 5; i++ {
				c.Targets = append(c.Targets, user(graph.NewGUID()))
			}
		})}, service, []ID{TargetsMax}, 400},
		{"two targets asked as p2p: a bot rule", Request{Call: with(func(c *graph.Call) { c.Targets = append(c.Targets, user(u2)) }), Want: &p2p},
			bot, []ID{TargetsPeerToPeer}, 400},
		{"two targets asked as p2p: not the service's", Request{Call: with(func(c *graph.Call) { c.Targets = append(c.Targets, user(u2)) }), Want: &p2p},
			service, nil, 0},
		{"guest asked, no guest source", Request{Call: with(func(c *graph.Call) {
			c.Targets = nil
			c.MeetingInfo = &graph.MeetingInfo{ODataType: graph.TypeJoinMeetingIDMeetingInfo, JoinMeetingID: "123"}
		}), Want: &guest}, bot, []ID{GuestSource}, 400},
		{"user id not a GUID", Request{Call: with(func(c *graph.Call) { c.Targets = []graph.InvitationParticipantInfo{user("john")} })},
			bot, []ID{IdentityGUID}, 400},
		{"phone target not E.164", Request{Call: with(func(c *graph.Call) {
			c.Targets = []graph.InvitationParticipantInfo{{Identity: ids(graph.IdentitySet{Phone: &graph.Identity{ID: "123"}})}}
		})}, bot, []ID{PSTNTarget, PSTNSource}, 400},
		{"tenant mismatch", Request{Call: with(func(c *graph.Call) { c.TenantID = "86dc81db-c112-4228-9222-63f3e5aa1edb" }),
			Caller: &Caller{Roles: all, TenantID: tenant}}, service, []ID{Tenant}, 403},
		{"no caller, no caller rules", Request{Call: with(func(c *graph.Call) { c.TenantID = "86dc81db-c112-4228-9222-63f3e5aa1edb" })}, service, nil, 0},
		{"app-hosted media without Calls.AccessMedia.All", Request{Call: with(func(c *graph.Call) {
			blob := "<blob>"
			c.MediaConfig = &graph.MediaConfig{ODataType: graph.TypeAppHostedMediaConfig, Blob: &blob}
		}), Caller: &Caller{Roles: []string{graph.RoleInitiate}, TenantID: tenant}}, service, []ID{Roles}, 403},
		{"warnings only", Request{Call: with(func(c *graph.Call) {
			c.RequestedModalities = nil
			c.Targets = append(c.Targets, user(u2))
			c.RoutingPolicies = []string{"noMissedCall"}
		})}, service, []ID{RoutingPolicies, Modalities}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := Check(tc.r, tc.p)
			if got := rulesOf(fs); !slices.Equal(got, tc.want) {
				t.Fatalf("rules %v, want %v: %+v", got, tc.want, fs)
			}
			f, bad := FirstError(fs)
			if status := map[bool]int{true: f.Status}[bad]; status != tc.status {
				t.Errorf("first error's status %d, want %d", status, tc.status)
			}
			for _, f := range fs {
				if f.Message == "" || f.Source == "" {
					t.Errorf("finding %+v has no message or source", f)
				}
			}
		})
	}
}

// TestMessages: the wording Graph's and the emulator's answers carry.
func TestMessages(t *testing.T) {
	fs := Check(Request{Call: p2pCall(), Caller: &Caller{TenantID: tenant, Roles: []string{graph.RoleJoinGroupCall}}}, DefaultPolicy())
	want := "Insufficient enterprise tenant permissions, cannot access this API. A peer-to-peer call with service-hosted media needs Calls.Initiate.All; the token lacks Calls.Initiate.All."
	if len(fs) != 1 || fs[0].Message != want || fs[0].Code != CodeMissingRole {
		t.Errorf("findings %+v, want one roles finding %q", fs, want)
	}
}

// TestBodyRules: the Content-Type, the size and the schema's violations.
func TestBodyRules(t *testing.T) {
	for ct, bad := range map[string]bool{"": true, "text/plain": true, "application/json": false,
		"Application/JSON; charset=utf-8": false, "application/json;;": true} {
		if f, got := CheckContentType(ct); got != bad || (bad && (f.Status != StatusUnsupportedMediaType || f.Code != CodeUnsupportedMedia)) {
			t.Errorf("CheckContentType(%q) = %+v, %v; want refused %v", ct, f, got, bad)
		}
	}
	if f := BodyTooLarge(10); f.Rule != BodySize || f.Status != StatusRequestEntityTooLarge {
		t.Errorf("BodyTooLarge = %+v", f)
	}
	if f := NotACall(errors.New("x")); f.Rule != JSON || f.Status != StatusBadRequest {
		t.Errorf("NotACall = %+v", f)
	}
	fs := FromSchema([]schema.Violation{{Kind: schema.KindInvalidJSON, Message: "m"}, {Kind: schema.KindReadOnly, Pointer: "/direction", Message: "m"},
		{Kind: schema.KindTypeMismatch, Pointer: "/targets/0/@odata.type", Message: "m"}})
	if got := rulesOf(fs); !slices.Equal(got, []ID{JSON, ReadOnly, Schema}) || fs[1].Severity != Warning || fs[2].Pointer != "/targets/0/@odata.type" {
		t.Errorf("FromSchema = %+v", fs)
	}
}

// TestFieldAlternatives: a field alternative answers for its rule (and its
// pointer only, where it names one), cites a field source, and differs from
// the table's answer; rules without one answer as StatusOf.
func TestFieldAlternatives(t *testing.T) {
	n := 0
	for _, r := range All() {
		if r.Field == nil {
			continue
		}
		n++
		if !strings.Contains(r.Field.Source, "fixtures/field") || r.Field.Status == 0 || r.Field.Code == "" || r.Field.Message == "" {
			t.Errorf("%s: field alternative %+v lacks status, code, message or a fixtures/field source", r.ID, r.Field)
		}
		if r.Field.Status == r.Status && r.Field.Code == r.Code {
			t.Errorf("%s: the field alternative repeats the table's answer", r.ID)
		}
	}
	if n == 0 {
		t.Fatal("no rule has a field alternative")
	}
	if s, c, _ := FieldStatusOf(Schema, "/mediaConfig"); s != 500 || c != "9999" {
		t.Errorf("Schema at /mediaConfig: %d %s, want 500 9999", s, c)
	}
	if s, c, m := FieldStatusOf(Schema, "/callbackUri"); s != 400 || c != CodeBadRequest || m != "" {
		t.Errorf("Schema at /callbackUri: %d %s %q, want the table's 400 BadRequest", s, c, m)
	}
	if s, c, _ := FieldStatusOf(Tenant, ""); s != 403 || c != CodeTenantMismatch {
		t.Errorf("Tenant: %d %s, want the table's 403 7505", s, c)
	}
}
