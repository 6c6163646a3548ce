package suites

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/jsonptr"
	"github.com/callcheck/callcheck/notify"
)

// TestDocumentedResponsesPass: the responses the page documents (Examples
// 1, 2, 5, 9, 10), judged against their requests filled with the page's own
// values, pass every response check once the errata are read the consistent
// way. The contracts ask for what the documentation shows, no more.
func TestDocumentedResponsesPass(t *testing.T) {
	for _, ex := range fixtures.All() {
		if _, err := ex.Block(fixtures.BlockResponse); err != nil {
			continue
		}
		t.Run(ex.Name(), func(t *testing.T) {
			if f := documentedRun(t, ex.Number).responseFindings(); !f.empty() {
				t.Fatal(summarize(f.list))
			}
		})
	}
}

// TestResponseChecksFail: each response check fails a response that departs
// from the documented one in what it checks.
func TestResponseChecksFail(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(r *exampleRun)
		want   string
	}{
		{"state", func(r *exampleRun) { jsonptr.Set(r.call, "/state", "established") }, `state is not "establishing"`},
		{"direction", func(r *exampleRun) { jsonptr.Set(r.call, "/direction", "incoming") }, `direction is not "outgoing"`},
		{"type", func(r *exampleRun) { jsonptr.Delete(r.call, "/@odata.type") }, "@odata.type is not"},
		{"ids", func(r *exampleRun) { jsonptr.Set(r.call, "/myParticipantId", "me") }, "myParticipantId is not a GUID"},
		{"tenant", func(r *exampleRun) { jsonptr.Set(r.call, "/tenantId", "11111111-1111-4111-8111-111111111111") }, "tenantId is not the tenant"},
		{"location", func(r *exampleRun) { r.resp.Header.Set("Location", "/communications/calls/"+r.id) }, "not an absolute URL"},
		{"location id", func(r *exampleRun) { r.id = "22222222-2222-4222-8222-222222222222" }, "does not name the created call"},
		{"callback echo", func(r *exampleRun) { jsonptr.Set(r.call, "/callbackUri", nil) }, "does not echo the request's /callbackUri"},
		{"media echo", func(r *exampleRun) {
			jsonptr.Set(r.call, "/mediaConfig/@odata.type", "#microsoft.graph.appHostedMediaConfig")
		}, "/mediaConfig/@odata.type"},
		{"chat echo", func(r *exampleRun) { jsonptr.Set(r.call, "/chatInfo/threadId", "19:other@thread.v2") }, "/chatInfo/threadId"},
		{"properties", func(r *exampleRun) { jsonptr.Delete(r.call, "/toneInfo"); jsonptr.Delete(r.call, "/callRoutes") }, "lacks properties a full call shows: callRoutes, toneInfo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := documentedRun(t, 5)
			tc.change(r)
			r.resp.Body = encodeJSON(r.call)
			f := r.responseFindings()
			if f.empty() || !strings.Contains(summarize(f.list), tc.want) {
				t.Fatalf("findings %q, want one containing %q", summarize(f.list), tc.want)
			}
		})
	}
}

// documentedEvents turns a documented notification block into the events
// callcheck's receiver would stream, with a token for the page's tenant.
func documentedEvents(t *testing.T, ex fixtures.Example, block string) []notify.Event {
	t.Helper()
	b, err := ex.Block(block)
	if err != nil {
		t.Fatal(err)
	}
	var batch graph.CommsNotifications
	if err := json.Unmarshal(b.Canonical(), &batch); err != nil {
		t.Fatal(err)
	}
	var out []notify.Event
	for _, n := range batch.Value {
		res, _ := graph.ParseResourceURL(n.ResourceURL)
		out = append(out, notify.Event{Notification: n, Resource: res, CallID: res.CallID,
			Claims: &identity.NotificationClaims{TenantID: DocumentedValues().TenantID}})
	}
	return out
}

// notificationRun is an exampleRun for example n's documented notifications,
// the call being the one the documented response created (or, for Example
// 8, which shows none, the call its roster names).
func notificationRun(t *testing.T, n int) *exampleRun {
	t.Helper()
	ex, _ := fixtures.ByNumber(n)
	v, err := schema.Load(schema.Beta)
	if err != nil {
		t.Fatal(err)
	}
	env := &environment{notifySchema: v.With(schema.CaseInsensitiveEnums()), values: DocumentedValues(), callbackURL: "https://bot.contoso.com/callback"}
	c, _ := ContractByID(ex.Name())
	sent, _ := fillRequest(ex, env.values, env.callbackURL, c.Readings)
	r := &exampleRun{spec: &spec{env: env}, ex: ex, sent: sent}
	if resp, err := ex.Block(fixtures.BlockResponse); err == nil {
		call := decodeBlock(resp)
		r.id, r.partID = jsonptr.String(call, "/id"), jsonptr.String(call, "/myParticipantId")
	} else {
		e := documentedEvents(t, ex, fixtures.BlockRoster)[0]
		ps, _ := e.Notification.Participants()
		r.id, r.partID = e.CallID, ps[0].ID
	}
	return r
}

// TestDocumentedNotifications: the notifications the page documents pass
// the notification checks, except where an erratum makes them contradict
// the call (Example 1's established notification names another call).
func TestDocumentedNotifications(t *testing.T) {
	for _, tc := range []struct {
		example int
		block   string
		want    string // "" when the documented notification conforms
	}{
		{1, fixtures.BlockEstablishing, ""},
		{1, fixtures.BlockEstablished, "resourceUrl is not /communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab"},
		{5, fixtures.BlockEstablishing, ""},
		{5, fixtures.BlockEstablished, ""},
		{5, fixtures.BlockRoster, ""},
		{8, fixtures.BlockRoster, ""},
	} {
		t.Run(fmt.Sprintf("example %d %s", tc.example, tc.block), func(t *testing.T) {
			r := notificationRun(t, tc.example)
			var f findings
			for _, e := range documentedEvents(t, r.ex, tc.block) {
				if e.IsRoster() {
					r.judgeRoster(&f, e, r.isLobbyRoster(e))
				} else {
					r.judgeCallEvent(&f, e, e.State())
				}
			}
			got := summarize(f.list)
			if (tc.want == "") != f.empty() || !strings.Contains(got, tc.want) {
				t.Fatalf("findings %q, want %q", got, tc.want)
			}
		})
	}
}
