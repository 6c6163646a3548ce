package suites

import (
	"fmt"
	"os"
	"strings"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/internal/yamlfile"
)

// Values are the real ids a target needs in place of the documented ones
// ("The values of authorization token, callback URL, application ID,
// application name, user ID, user name, and tenant ID must be replaced with
// actual values to make the example work", create-call-doc.txt Example 1).
// They fill the documented requests at load time; the fixture JSON is never
// edited. DocumentedValues holds the page's own values, which the embedded
// emulator (and `callcheck emulate`) accept. A values file (YAML or JSON,
// docs/conformance.md) sets the fields it names over them.
type Values struct {
	// APIVersion is "beta" (the page's version, default) or "v1.0". For a
	// remote target the version segment of its URL wins.
	APIVersion string `yaml:"apiVersion" json:"apiVersion"`
	// TenantID is the tenant the calls are made in (tenantId members,
	// organizer tenant, the tid of notification tokens).
	TenantID string `yaml:"tenantId" json:"tenantId"`
	// Application is the bot: its app (client) id and display name, as a
	// call's source.identity.application.
	Application Identity `yaml:"application" json:"application"`
	// Users are the Teams users called, by position: users[0] for a
	// peer-to-peer call (Examples 1, 2), users[0] and users[1] for a group
	// call (Examples 3, 4); more pad the "too many targets" contract.
	Users []Identity `yaml:"users" json:"users"`
	// Meeting is the scheduled meeting joined by Examples 5 and 6 (from the
	// Get Online Meetings API, as Example 5 says).
	Meeting Meeting `yaml:"meeting" json:"meeting"`
	// ChannelMeeting is the channel meeting joined by Examples 7 and 8.
	ChannelMeeting Meeting `yaml:"channelMeeting" json:"channelMeeting"`
	// ApplicationInstance is the application instance with a phone number
	// that PSTN calls come from (Examples 9, 10).
	ApplicationInstance Identity `yaml:"applicationInstance" json:"applicationInstance"`
	// Phone is the E.164 number PSTN calls go to (Examples 9, 10).
	Phone string `yaml:"phone" json:"phone"`
	// Guest is the guest identity of Example 8 (any unique id and the name
	// shown in the meeting).
	Guest Identity `yaml:"guest" json:"guest"`
	// MediaSessionBlob is the serialized media-session configuration sent as
	// mediaConfig.blob for app-hosted media (Examples 2, 4, 6, 10); default:
	// the sample blob Example 2 prints. A real tenant needs the blob of a
	// running media stack.
	MediaSessionBlob string `yaml:"mediaSessionBlob" json:"mediaSessionBlob"`
	// Features are the claimed features and profiles (see ParseFeatures);
	// --features overrides them.
	Features []string `yaml:"features" json:"features"`
	// Lobby says how callcheck admits a guest from the lobby, for targets
	// claiming lobby-admission-control.
	Lobby Lobby `yaml:"lobby" json:"lobby"`
	// AppsLackingRole are credentials of apps in the same tenant that lack
	// one calling permission each, keyed by the permission they lack
	// ("Calls.Initiate.All"), for the "role missing" negative contracts.
	// The embedded emulator registers such apps by itself.
	AppsLackingRole map[string]AppCredentials `yaml:"appsLackingRole" json:"appsLackingRole"`
	// Answer says how the callee of a peer-to-peer or PSTN call answers
	// (Examples 1, 2, 9, 10), since such a call stays establishing until it
	// is answered (field: comms-samples #17): "auto" (the default) when a
	// callcheck answering bot or a test user answers, "none" to assert the
	// not-answered path instead: establishing, then terminated with the
	// reason Graph gives. The embedded emulator answers by itself.
	Answer string `yaml:"answer" json:"answer"`
}

// The answer modes of Values.Answer.
const (
	AnswerAuto = "auto"
	AnswerNone = "none"
)

// Identity is an identity of an identitySet: an id, a display name and,
// for a meeting organizer, a tenant.
type Identity = fixtures.Identity

// Meeting identifies a Teams meeting to join: its chat thread and message,
// and its organizer.
type Meeting = fixtures.Meeting

// Lobby configures admitting a guest from the lobby.
type Lobby struct {
	// AdmitURL is POSTed to admit a call from the lobby; "{id}" stands for
	// the call id (`callcheck emulate`:
	// http://127.0.0.1:8080/_callcheck/calls/{id}/admit).
	AdmitURL string `yaml:"admitURL" json:"admitURL"`
	// AdmitTokenEnv names the environment variable holding the bearer token
	// the admit URL requires, if any (never written in the file itself).
	AdmitTokenEnv string `yaml:"admitTokenEnv" json:"admitTokenEnv"`
}

// AppCredentials are client credentials of an app, with its secret in an
// environment variable so that values files can be committed.
type AppCredentials struct {
	ClientID        string `yaml:"clientId" json:"clientId"`
	ClientSecretEnv string `yaml:"clientSecretEnv" json:"clientSecretEnv"`
}

// DocumentedValues returns the values the page itself uses
// (fixtures.DocumentedValues), with the page's API version, beta.
func DocumentedValues() Values {
	d := fixtures.DocumentedValues()
	return Values{
		APIVersion: "beta", TenantID: d.TenantID, Application: d.Application, Users: d.Users,
		Meeting: d.Meeting, ChannelMeeting: d.ChannelMeeting, ApplicationInstance: d.ApplicationInstance,
		Phone: d.Phone, Guest: d.Guest, MediaSessionBlob: d.MediaSessionBlob,
	}
}

// LoadValuesFile reads a values file (YAML, or JSON) over v: the fields the
// file sets replace v's, the others stay. Unknown fields are an error that
// names them, with the file's name and line.
func (v *Values) LoadValuesFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("values file: %w", err)
	}
	return v.LoadValues(data, path)
}

// LoadValues is LoadValuesFile for data already read; name labels errors.
func (v *Values) LoadValues(data []byte, name string) error {
	if err := yamlfile.Decode(data, v); err != nil {
		return fmt.Errorf("values file %s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return nil
}

// validate reports the first malformed value, naming its field.
func (v Values) validate() error {
	checks := []struct {
		field, value string
		guid         bool
	}{
		{"tenantId", v.TenantID, true}, {"application.id", v.Application.ID, true},
		{"meeting.threadId", v.Meeting.ThreadID, false}, {"channelMeeting.threadId", v.ChannelMeeting.ThreadID, false},
		{"guest.id", v.Guest.ID, false}, {"applicationInstance.id", v.ApplicationInstance.ID, false},
		{"phone", v.Phone, false},
	}
	for _, c := range checks {
		if c.value == "" {
			return fmt.Errorf("values: %s is empty", c.field)
		}
		if c.guid && !graph.IsGUID(c.value) {
			return fmt.Errorf("values: %s %q is not a GUID", c.field, c.value)
		}
	}
	if len(v.Users) < 2 {
		return fmt.Errorf("values: users needs at least 2 entries (a group call calls two), got %d", len(v.Users))
	}
	for i, u := range v.Users {
		if u.ID == "" {
			return fmt.Errorf("values: users[%d].id is empty", i)
		}
	}
	if v.APIVersion != "beta" && v.APIVersion != "v1.0" {
		return fmt.Errorf("values: apiVersion %q is not \"beta\" or \"v1.0\"", v.APIVersion)
	}
	if v.Answer != "" && v.Answer != AnswerAuto && v.Answer != AnswerNone {
		return fmt.Errorf("values: answer %q is not %q or %q", v.Answer, AnswerAuto, AnswerNone)
	}
	if !strings.HasPrefix(v.Phone, "+") {
		return fmt.Errorf("values: phone %q is not an E.164 number (+ and digits)", v.Phone)
	}
	return nil
}
