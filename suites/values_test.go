package suites

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocumentedValues: the defaults are the page's own ids.
func TestDocumentedValues(t *testing.T) {
	v := DocumentedValues()
	for _, c := range []struct{ field, got, want string }{
		{"apiVersion", v.APIVersion, "beta"},
		{"tenantId", v.TenantID, "aa67bd4c-8475-432d-bd41-39f255720e0a"},             // Example 1's response
		{"application.id", v.Application.ID, "2891555a-92ff-42e6-80fa-6e1300c6b5c6"}, // "Calling Bot"
		{"application.displayName", v.Application.DisplayName, "Calling Bot"},
		{"users[0].id", v.Users[0].ID, "112f7296-5fa4-42ca-bae8-6a692b15d4b8"}, // John, Example 1
		{"users[1].id", v.Users[1].ID, "98da8a1a-1b87-452c-a713-65d3f10b5555"}, // user1, Example 3
		{"users[2].id", v.Users[2].ID, "bf5aae9a-d11d-47a8-93b1-782504c95555"}, // user2, Example 3
		{"meeting.threadId", v.Meeting.ThreadID, "19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2"},
		{"meeting.organizer.id", v.Meeting.Organizer.ID, "5810cede-f3cc-42eb-b2c1-e9bd5d53ec96"},
		// Example 5's organizer has two tenantIds; the last is not a GUID and is dropped.
		{"meeting.organizer.tenantId", v.Meeting.Organizer.TenantID, ""},
		{"channelMeeting.threadId", v.ChannelMeeting.ThreadID, "19:cbee7c1c860e465f8258e3cebf7bee0d@thread.skype"},
		{"channelMeeting.messageId", v.ChannelMeeting.MessageID, "1533758867081"},
		{"channelMeeting.organizer.tenantId", v.ChannelMeeting.Organizer.TenantID, "aa67bd4c-8475-432d-bd41-39f255720e0a"},
		{"guest.id", v.Guest.ID, "d7a3b999-17ac-4bca-9e77-e6a730d2ec2e"},
		{"applicationInstance.id", v.ApplicationInstance.ID, "3d913abb-aec0-4964-8fa6-3c6850c4f278"},
		{"phone", v.Phone, "+12345678901"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	var blob map[string]any
	if err := json.Unmarshal([]byte(v.MediaSessionBlob), &blob); err != nil || blob["mpUri"] != "net.tcp://bot.contoso.com:18732/MediaProcessor" {
		t.Errorf("mediaSessionBlob is not Example 2's sample blob: %v %v", err, blob["mpUri"])
	}
	if err := v.validate(); err != nil {
		t.Errorf("the documented values do not validate: %v", err)
	}
}

func TestLoadValues(t *testing.T) {
	for _, tc := range []struct {
		name    string
		file    string
		check   func(Values) string // "" when right
		wantErr string
	}{
		// A YAML file replaces what it names and keeps the rest.
		{"yaml override", "tenantId: 11111111-2222-3333-4444-555555555555\nphone: \"+4930123456\"\n", func(v Values) string {
			if v.TenantID != "11111111-2222-3333-4444-555555555555" || v.Phone != "+4930123456" || v.Guest.ID == "" {
				return "tenant, phone or guest wrong"
			}
			return ""
		}, ""},
		// JSON is YAML too; nested fields and lists replace whole.
		{"json", `{"users":[{"id":"a"},{"id":"b"}],"meeting":{"threadId":"19:x@thread.v2"}}`, func(v Values) string {
			if len(v.Users) != 2 || v.Users[1].ID != "b" || v.Meeting.ThreadID != "19:x@thread.v2" || v.Meeting.MessageID != "0" {
				return "users or meeting wrong"
			}
			return ""
		}, ""},
		// An empty file changes nothing.
		{"empty", "", func(v Values) string {
			if v.TenantID != DocumentedValues().TenantID {
				return "tenant changed"
			}
			return ""
		}, ""},
		// An unknown field is an error naming it and its line.
		{"unknown field", "apiVersion: beta\ntenantID: x\n", nil, "line 2: field tenantID not found"},
		// Malformed YAML names the file.
		{"malformed", "users: [\n", nil, "values file test.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := DocumentedValues()
			err := v.LoadValues([]byte(tc.file), "test.yaml")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg := tc.check(v); msg != "" {
				t.Fatal(msg)
			}
		})
	}
}

func TestLoadValuesFile(t *testing.T) {
	v := DocumentedValues()
	if err := v.LoadValuesFile(filepath.Join(t.TempDir(), "absent.yaml")); err == nil || !strings.Contains(err.Error(), "values file") {
		t.Fatalf("a missing file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "v.yaml")
	if err := os.WriteFile(path, []byte("guest:\n  id: g-1\n  displayName: Robot\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := v.LoadValuesFile(path); err != nil || v.Guest != (Identity{ID: "g-1", DisplayName: "Robot"}) {
		t.Fatalf("guest = %+v, %v", v.Guest, err)
	}
}

// TestValuesExampleFile: the example values file of the documentation
// loads and validates.
func TestValuesExampleFile(t *testing.T) {
	v := DocumentedValues()
	if err := v.LoadValuesFile("../docs/values.example.yaml"); err != nil {
		t.Fatal(err)
	}
	if err := v.validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseFeatures(strings.Join(v.Features, ",")); err != nil {
		t.Fatal(err)
	}
}

func TestValuesValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*Values)
		wantErr string
	}{
		// The tenant must be a GUID.
		{"tenant", func(v *Values) { v.TenantID = "contoso" }, `tenantId "contoso" is not a GUID`},
		// A group call needs two users.
		{"users", func(v *Values) { v.Users = v.Users[:1] }, "users needs at least 2 entries"},
		// Every user needs an id.
		{"user id", func(v *Values) { v.Users[1].ID = "" }, "users[1].id is empty"},
		// PSTN needs an E.164 number.
		{"phone", func(v *Values) { v.Phone = "12345" }, "not an E.164 number"},
		// Only the two versions exist.
		{"version", func(v *Values) { v.APIVersion = "v2" }, `apiVersion "v2"`},
		// The guest needs an id.
		{"guest", func(v *Values) { v.Guest.ID = "" }, "guest.id is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := DocumentedValues()
			tc.change(&v)
			if err := v.validate(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
