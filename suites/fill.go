package suites

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/internal/jsonptr"
)

// blobPlaceholder is what the app-hosted examples put where the serialized
// media-session configuration goes (create-call-doc.txt Example 2).
const blobPlaceholder = "<Media Session Configuration>"

// fillRequest returns the documented request of ex with its documented
// values replaced by v's and the callback URL, then changed by the
// contract's readings. The fixture is never edited: the canonical JSON is
// decoded afresh and filled by pointer, at load time.
func fillRequest(ex fixtures.Example, v Values, callback string, readings []Reading) (any, error) {
	body := decodeBlock(ex.Request())
	if body == nil {
		return nil, fmt.Errorf("example %d: the documented request cannot be read", ex.Number)
	}
	f := filler{v: v, callback: callback, meeting: v.Meeting}
	if ex.Scenario == fixtures.ChannelMeetingJoin || ex.Scenario == fixtures.GuestJoin {
		f.meeting = v.ChannelMeeting
	}
	for _, val := range ex.Values() {
		if val.Block != fixtures.BlockRequest || val.Pointer == "" {
			continue
		}
		if err := f.fill(body, val); err != nil {
			return nil, fmt.Errorf("example %d: %s at %s: %w", ex.Number, val.Role, val.Pointer, err)
		}
	}
	if jsonptr.String(body, "/mediaConfig/blob") == blobPlaceholder {
		jsonptr.Set(body, "/mediaConfig/blob", v.MediaSessionBlob)
	}
	for _, r := range readings {
		if r.apply != nil {
			r.apply(body)
		}
	}
	return body, nil
}

// filler replaces documented values by role.
type filler struct {
	v        Values
	callback string
	meeting  Meeting
}

func (f filler) fill(body any, val fixtures.Value) error {
	p := val.Pointer
	switch val.Role {
	case fixtures.RoleCallbackURI:
		return set(body, p, f.callback)
	case fixtures.RoleTenantID:
		return set(body, p, f.tenantAt(p))
	case fixtures.RoleApplicationID:
		return setIdentityAt(body, jsonptr.Parent(p), f.v.Application)
	case fixtures.RoleApplicationInstanceID:
		return setIdentityAt(body, jsonptr.Parent(p), f.v.ApplicationInstance)
	case fixtures.RoleGuestID:
		return setIdentityAt(body, jsonptr.Parent(p), f.v.Guest)
	case fixtures.RolePhone:
		return set(body, p, f.v.Phone)
	case fixtures.RoleThreadID:
		return set(body, p, f.meeting.ThreadID)
	case fixtures.RoleMessageID:
		return set(body, p, f.meeting.MessageID)
	case fixtures.RoleUserID:
		return f.fillUser(body, p)
	}
	return nil
}

// tenantAt is the tenant for a tenantId member: the organizer's for the
// organizer, the run's elsewhere.
func (f filler) tenantAt(p string) string {
	if strings.HasPrefix(p, "/meetingInfo/organizer/") && f.meeting.Organizer.TenantID != "" {
		return f.meeting.Organizer.TenantID
	}
	return f.v.TenantID
}

// fillUser replaces a user: targets by position (users[i] for /targets/i),
// the organizer by the meeting's.
func (f filler) fillUser(body any, p string) error {
	if strings.HasPrefix(p, "/meetingInfo/organizer/") {
		org := f.meeting.Organizer
		org.TenantID = ""
		return setIdentityAt(body, jsonptr.Parent(p), org)
	}
	toks := jsonptr.Split(p)
	if len(toks) < 2 || toks[0] != "targets" {
		return fmt.Errorf("no configured user for this place")
	}
	i, err := strconv.Atoi(toks[1])
	if err != nil || i >= len(f.v.Users) {
		return fmt.Errorf("values: users has %d entries, target %s needs one more", len(f.v.Users), toks[1])
	}
	return setIdentityAt(body, jsonptr.Parent(p), f.v.Users[i])
}

func set(body any, p, value string) error {
	if value == "" {
		return fmt.Errorf("no value configured")
	}
	if !jsonptr.Set(body, p, value) {
		return fmt.Errorf("cannot set")
	}
	return nil
}

// setIdentityAt sets the id (and the display name, when configured) of the
// identity object at p.
func setIdentityAt(body any, p string, id Identity) error {
	if err := set(body, p+"/id", id.ID); err != nil {
		return err
	}
	if id.DisplayName != "" {
		jsonptr.Set(body, p+"/displayName", id.DisplayName)
	}
	return nil
}

// retypeTargets gives every target the declared type of the targets
// property, #microsoft.graph.invitationParticipantInfo (Examples 3 and 4
// type their second target #microsoft.graph.participantInfo, which does not
// derive from it: errata type-mismatch).
func retypeTargets(body any) {
	targets, _ := jsonptr.Get(body, "/targets")
	list, _ := targets.([]any)
	for i := range list {
		jsonptr.Set(body, fmt.Sprintf("/targets/%d/@odata.type", i), "#microsoft.graph.invitationParticipantInfo")
	}
}
