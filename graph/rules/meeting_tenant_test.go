package rules_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/fixtures/field"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
)

// documentedCall decodes example n's request as the page shows it
// (its JSON read leniently: Examples 7 and 8 carry trailing commas).
func documentedCall(t *testing.T, n int) *graph.Call {
	t.Helper()
	ex, err := fixtures.ByNumber(n)
	if err != nil {
		t.Fatal(err)
	}
	var c graph.Call
	if err := json.Unmarshal(ex.Request().Canonical(), &c); err != nil {
		t.Fatalf("Example %d: %v", n, err)
	}
	return &c
}

func meetingTenantFindings(c *graph.Call) []rules.Finding {
	var out []rules.Finding
	for _, f := range rules.Check(rules.Request{Call: c}, rules.DefaultPolicy()) {
		if f.Rule == rules.MeetingTenant {
			out = append(out, f)
		}
	}
	return out
}

// TestMeetingTenant: a scheduled meeting's join without a top-level
// tenantId is refused with 403 7505, as the field reports show (the page's
// Example 5 without its tenantId, and the request of Microsoft-Teams-Samples
// #1785 as posted); the page's own joins are not, nor the shapes no report
// shows (a channel meeting's join, Examples 7 and 8, which send no tenantId).
func TestMeetingTenant(t *testing.T) {
	for n := 1; n <= 10; n++ {
		if fs := meetingTenantFindings(documentedCall(t, n)); len(fs) > 0 {
			t.Errorf("Example %d as documented breaks the meeting-tenant rule: %+v", n, fs)
		}
	}
	ex5 := documentedCall(t, 5)
	ex5.TenantID = ""
	fs := meetingTenantFindings(ex5)
	if len(fs) != 1 || fs[0].Status != 403 || fs[0].Code != "7505" || fs[0].Pointer != "/tenantId" || fs[0].Severity != rules.Error {
		t.Fatalf("Example 5 without tenantId: %+v, want one 403 7505 error at /tenantId", fs)
	}
	if want := "Request authorization tenant mismatch."; len(fs[0].Message) < len(want) || fs[0].Message[:len(want)] != want {
		t.Errorf("message %q does not start with Graph's %q", fs[0].Message, want)
	}

	e, ok := field.Lookup("teams-samples-1785-join")
	if !ok {
		t.Fatal("the field corpus has no teams-samples-1785-join")
	}
	var posted graph.Call
	if err := json.Unmarshal(e.Body(), &posted); err != nil {
		t.Fatal(err)
	}
	if fs := meetingTenantFindings(&posted); len(fs) != 1 || fs[0].Code != "7505" {
		t.Errorf("the request of %s (tenantId inside meetingInfo): %+v, want a 7505", e.Cite(), fs)
	}

	// Shapes no report shows are left alone: a guest's join, a join by
	// meeting id, a join whose thread is a channel's.
	guest := documentedCall(t, 5)
	guest.TenantID = ""
	guest.Source = &graph.ParticipantInfo{Identity: &graph.IdentitySet{Guest: &graph.Identity{ID: graph.NewGUID(), DisplayName: "Guest"}}}
	byID := documentedCall(t, 5)
	byID.TenantID = ""
	byID.MeetingInfo = &graph.MeetingInfo{ODataType: graph.TypeJoinMeetingIDMeetingInfo, JoinMeetingID: "1234567890"}
	channel := documentedCall(t, 5)
	channel.TenantID = ""
	channel.ChatInfo.ThreadID = documentedCall(t, 7).ChatInfo.ThreadID
	for name, c := range map[string]*graph.Call{"guest join": guest, "join by meeting id": byID, "channel meeting": channel} {
		if fs := meetingTenantFindings(c); len(fs) > 0 {
			t.Errorf("%s without tenantId: %+v, want none (no report shows it)", name, fs)
		}
	}

	r, _ := rules.Lookup(rules.MeetingTenant)
	if r.Basis != rules.BasisField || len(r.URLs) == 0 || !slices.Contains(r.URLs, e.Source) {
		t.Errorf("the rule's basis %q, URLs %v: want field, citing %s", r.Basis, r.URLs, e.Source)
	}
}
