package load

import (
	"encoding/json"

	"github.com/callcheck/callcheck/fixtures"
)

// BodyValues are what a load request's body takes from the run rather than
// from the documentation.
type BodyValues struct {
	// CallbackURI replaces the documented callbackUri: callcheck's receiver.
	CallbackURI string
	// TenantID replaces the body's tenantId and any malformed tenant id.
	TenantID string
	// AppID replaces source.identity.application.id (the bot's app id).
	AppID string
}

// CreateBody returns the request body a load run sends for example ex: the
// documented body (its canonical JSON, never edited at the source) filled by
// fixtures (Example.FillRequest), read the consistent way the conformance
// suites read it:
//
//   - callbackUri is the run's receiver;
//   - the top-level tenantId is the run's tenant, and a tenantId that is not
//     a GUID (Example 5's organizer, "…63f3esaa1edb") is too;
//   - a targets entry typed #microsoft.graph.participantInfo (Examples 3
//     and 4) is typed #microsoft.graph.invitationParticipantInfo, the type of
//     the targets collection;
//   - source.identity.application.id is the run's app id, which Graph fills
//     from the token anyway (graph-calls-facts §1.2).
//
// Everything else is sent as documented.
func CreateBody(ex fixtures.Example, v BodyValues) ([]byte, error) {
	body, err := ex.FillRequest(fixtures.WithCallback(v.CallbackURI), fixtures.WithTenant(v.TenantID),
		fixtures.InvitationTargets, fixtures.WithApplicationID(v.AppID))
	if err != nil {
		return nil, err
	}
	return json.Marshal(body)
}

// CheckBodies fills the body of every example of mix with v, without
// sending anything, so a value a body needs and the run lacks (a tenant id
// for a remote target) is found before any work.
func CheckBodies(mix Mix, v BodyValues) error {
	_, err := newCreateTargets("http://check.invalid", mix, nil, v)
	return err
}
