package suites

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/internal/jsonptr"
	"github.com/callcheck/callcheck/internal/testkit"
)

// customValues differ from the page's in every field.
func customValues() Values {
	return Values{
		APIVersion:  "beta",
		TenantID:    "10000000-0000-4000-8000-000000000001",
		Application: Identity{ID: "10000000-0000-4000-8000-000000000002", DisplayName: "My Bot"},
		Users: []Identity{{ID: "10000000-0000-4000-8000-000000000003", DisplayName: "Ann"},
			{ID: "10000000-0000-4000-8000-000000000004", DisplayName: "Ben"}},
		Meeting: Meeting{ThreadID: "19:meeting_custom@thread.v2", MessageID: "7",
			Organizer: Identity{ID: "10000000-0000-4000-8000-000000000005", DisplayName: "Org", TenantID: "10000000-0000-4000-8000-000000000006"}},
		ChannelMeeting: Meeting{ThreadID: "19:channel_custom@thread.skype", MessageID: "99",
			Organizer: Identity{ID: "10000000-0000-4000-8000-000000000007", DisplayName: "ChanOrg"}},
		ApplicationInstance: Identity{ID: "10000000-0000-4000-8000-000000000008", DisplayName: "My Instance"},
		Phone:               "+4930123456",
		Guest:               Identity{ID: "guest-custom", DisplayName: "Visitor"},
		MediaSessionBlob:    `{"mpUri":"net.tcp://custom"}`,
	}
}

// TestFillRequest: for every example, every documented value of the
// request is replaced by the configured one, the blob placeholder by the
// blob, and the fixture itself is left untouched.
func TestFillRequest(t *testing.T) {
	v := customValues()
	const callback = "https://callcheck.example/callback"
	for _, ex := range fixtures.All() {
		t.Run(ex.Name(), func(t *testing.T) {
			before := ex.Request().Canonical()
			c, _ := ContractByID(ex.Name())
			body, err := fillRequest(ex, v, callback, c.Readings)
			if err != nil {
				t.Fatal(err)
			}
			sent := string(encodeJSON(body))
			for _, val := range ex.Values() {
				if val.Block == fixtures.BlockRequest && val.Pointer != "" && strings.Contains(sent, `"`+val.Value+`"`) {
					t.Errorf("documented %s %q is still in the request", val.Role, val.Value)
				}
			}
			if strings.Contains(sent, fixtures.MediaSessionPlaceholder) {
				t.Error("the blob placeholder is still in the request")
			}
			if got := jsonptr.String(body, "/callbackUri"); got != callback {
				t.Errorf("callbackUri = %q", got)
			}
			if !bytes.Equal(before, ex.Request().Canonical()) {
				t.Error("filling changed the fixture")
			}
		})
	}
}

// TestFillRequestPlaces checks where the values go in a few examples.
func TestFillRequestPlaces(t *testing.T) {
	v := customValues()
	for _, tc := range []struct {
		example int
		pointer string
		want    string
		why     string
	}{
		{1, "/targets/0/identity/user/id", v.Users[0].ID, "the peer-to-peer target is users[0]"},
		{1, "/targets/0/identity/user/displayName", "Ann", "display names follow the ids"},
		{2, "/source/identity/application/id", v.Application.ID, "the source application is the bot"},
		{2, "/mediaConfig/blob", v.MediaSessionBlob, "the blob placeholder takes the configured blob"},
		{3, "/targets/1/identity/user/id", v.Users[1].ID, "group targets by position"},
		{3, "/targets/1/@odata.type", "#microsoft.graph.invitationParticipantInfo", "the type-mismatch reading retypes targets"},
		{3, "/source/identity/application/displayName", "My Bot", "TestBot becomes the bot"},
		{3, "/tenantId", v.TenantID, "the call's tenant"},
		{5, "/tenantId", v.TenantID, "Example 5's malformed tenant becomes the run's"},
		{5, "/meetingInfo/organizer/user/tenantId", v.Meeting.Organizer.TenantID, "the organizer's tenant"},
		{5, "/meetingInfo/organizer/user/id", v.Meeting.Organizer.ID, "the organizer"},
		{5, "/chatInfo/threadId", v.Meeting.ThreadID, "the scheduled meeting"},
		{7, "/chatInfo/messageId", v.ChannelMeeting.MessageID, "the channel meeting"},
		{7, "/meetingInfo/organizer/user/tenantId", v.TenantID, "an organizer without a tenant takes the run's"},
		{8, "/source/identity/guest/id", v.Guest.ID, "the guest"},
		{9, "/source/identity/applicationInstance/id", v.ApplicationInstance.ID, "the application instance"},
		{9, "/targets/0/identity/phone/id", v.Phone, "the phone number"},
	} {
		ex, _ := fixtures.ByNumber(tc.example)
		c, _ := ContractByID(ex.Name())
		body, err := fillRequest(ex, v, "https://cb/x", c.Readings)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonptr.String(body, tc.pointer); got != tc.want {
			t.Errorf("Example %d %s = %q, want %q (%s)", tc.example, tc.pointer, got, tc.want, tc.why)
		}
	}
}

func TestFillRequestErrors(t *testing.T) {
	v := customValues()
	v.Users = v.Users[:1]
	ex, _ := fixtures.ByNumber(3)
	if _, err := fillRequest(ex, v, "https://cb", nil); err == nil || !strings.Contains(err.Error(), "users has 1 entries") {
		t.Fatalf("a group call with one user: %v", err)
	}
	v = customValues()
	v.Phone = ""
	ex, _ = fixtures.ByNumber(9)
	if _, err := fillRequest(ex, v, "https://cb", nil); err == nil || !strings.Contains(err.Error(), "phone at /targets/0/identity/phone/id: no value configured") {
		t.Fatalf("no phone: %v", err)
	}
}

// TestFilledRequestsGolden: the bodies the contracts send, for every
// example with the page's values and with values that differ in every
// field, are those of testdata/filled-requests.golden, and so are the errors
// of values that lack a user or a phone number.
func TestFilledRequestsGolden(t *testing.T) {
	lacking := customValues()
	lacking.Users, lacking.Phone = lacking.Users[:1], ""
	sets := []struct {
		name     string
		v        Values
		callback string
	}{
		{"documented", DocumentedValues(), "https://bot.contoso.com/callback"},
		{"custom", customValues(), "https://callcheck.example/callback"},
		{"lacking", lacking, "https://cb/x"},
	}
	var b strings.Builder
	for _, set := range sets {
		for _, ex := range fixtures.All() {
			c, _ := ContractByID(ex.Name())
			body, err := fillRequest(ex, set.v, set.callback, c.Readings)
			fmt.Fprintf(&b, "%s %s:\n", set.name, ex.Name())
			if err != nil {
				fmt.Fprintf(&b, "error: %v\n", err)
				continue
			}
			fmt.Fprintf(&b, "%s\n", encodeJSON(body))
		}
	}
	testkit.Golden(t, "testdata/filled-requests.golden", []byte(b.String()))
}
