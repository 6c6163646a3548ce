package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
)

// madeValid fills a documented request's placeholders (callback, tenant)
// and repairs its type errata (a target typed participantInfo, Examples 3
// and 4: the property is Collection(invitationParticipantInfo)), without
// touching anything else.
func madeValid(t *testing.T, canonical []byte, callback string) []byte {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(canonical, &body); err != nil {
		t.Fatalf("canonical JSON: %v", err)
	}
	body["callbackUri"] = callback
	if _, ok := body["tenantId"]; ok {
		body["tenantId"] = DefaultTenantID
	}
	targets, _ := body["targets"].([]any)
	for _, tg := range targets {
		tg.(map[string]any)["@odata.type"] = graph.TypeInvitationParticipantInfo
	}
	out, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDocumentedRequests: every documented request, made valid, creates a
// call classified as the example's scenario, needs exactly the permissions
// the page names (normalised to the real singular names), and gets the
// notification sequence the page's prose promises.
func TestDocumentedRequests(t *testing.T) {
	h := newHarness(t, nil)
	for _, ex := range fixtures.All() {
		t.Run(ex.Name(), func(t *testing.T) {
			canonical := ex.Request().Canonical()
			if canonical == nil {
				t.Fatalf("example %d's request body has no canonical JSON", ex.Number)
			}
			r := h.create("beta", madeValid(t, canonical, h.callback))
			if r.status != http.StatusCreated {
				t.Fatalf("status %d, want 201: %s", r.status, r.body)
			}
			var call graph.Call
			if err := json.Unmarshal(r.body, &call); err != nil {
				t.Fatal(err)
			}
			// A channel meeting is joined as a scheduled one: the body does not tell them apart.
			if got, want := graph.InferKind(&call), ex.Kind.Rules(); got != want {
				t.Errorf("scenario %q, want %q", got, want)
			}
			var wantRoles []string
			for _, p := range ex.Permissions {
				wantRoles = append(wantRoles, p.Real)
			}
			if ex.Media == graph.MediaAppHosted { // the Permissions note: "in addition to one of the permissions listed"
				wantRoles = append(wantRoles, graph.RoleAccessMedia)
			}
			gotRoles := graph.InferScenario(&call).Permissions()
			slices.Sort(wantRoles)
			slices.Sort(gotRoles)
			if !slices.Equal(slices.Compact(wantRoles), gotRoles) {
				t.Errorf("required roles %v, the page names %v", gotRoles, wantRoles)
			}
			w := h.watch(call.ID)
			h.waitIdle()
			got := kinds(t, w.Events())
			if !slices.Equal(states(got), ex.Expect.States) && !ex.Expect.Lobby {
				t.Errorf("states %v, the page promises %v", states(got), ex.Expect.States)
			}
			if hasRoster := slices.ContainsFunc(got, func(k string) bool { return k == "roster" || k == "lobby-roster" }); hasRoster != ex.Expect.Roster {
				t.Errorf("notifications %v: roster %v, the page says %v", got, hasRoster, ex.Expect.Roster)
			}
		})
	}
}

func states(kinds []string) []string {
	var out []string
	for _, k := range kinds {
		if k != "roster" && k != "lobby-roster" {
			out = append(out, k)
		}
	}
	return out
}
