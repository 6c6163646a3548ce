package load

import (
	"encoding/json"
	"fmt"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
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
// documented body (its canonical JSON, never edited at the source) read the
// consistent way the conformance suites read it:
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
	canonical := ex.Request().Canonical()
	if canonical == nil {
		return nil, fmt.Errorf("example %d: its request body cannot be read", ex.Number)
	}
	var body map[string]any
	if err := json.Unmarshal(canonical, &body); err != nil {
		return nil, fmt.Errorf("example %d: %w", ex.Number, err)
	}
	if v.CallbackURI != "" {
		body["callbackUri"] = v.CallbackURI
	}
	if err := fixTenants(ex.Number, body, v.TenantID, true); err != nil {
		return nil, err
	}
	fixTargetTypes(body)
	if v.AppID != "" {
		if app := dig(body, "source", "identity", "application"); app != nil {
			app["id"] = v.AppID
		}
	}
	return json.Marshal(body)
}

// fixTenants sets tenantId members: the top-level one to tenant, and any
// other that is not a GUID to tenant. Without a tenant, a malformed one is an
// error that says which flag supplies it.
func fixTenants(example int, obj map[string]any, tenant string, top bool) error {
	for k, val := range obj {
		switch x := val.(type) {
		case map[string]any:
			if err := fixTenants(example, x, tenant, false); err != nil {
				return err
			}
		case []any:
			for _, item := range x {
				if m, ok := item.(map[string]any); ok {
					if err := fixTenants(example, m, tenant, false); err != nil {
						return err
					}
				}
			}
		case string:
			if k != "tenantId" || (!top && graph.IsGUID(x)) {
				continue
			}
			if tenant == "" {
				if graph.IsGUID(x) {
					continue
				}
				return fmt.Errorf("example %d: its tenantId %q is not a GUID; give the tenant (--tenant-id, or a --token carrying tid)", example, x)
			}
			obj[k] = tenant
		}
	}
	return nil
}

// fixTargetTypes types every targets entry as invitationParticipantInfo.
func fixTargetTypes(body map[string]any) {
	targets, _ := body["targets"].([]any)
	for _, t := range targets {
		if m, ok := t.(map[string]any); ok {
			m["@odata.type"] = graph.TypeInvitationParticipantInfo
		}
	}
}

// dig returns the object at path in obj, or nil.
func dig(obj map[string]any, path ...string) map[string]any {
	for _, k := range path {
		next, ok := obj[k].(map[string]any)
		if !ok {
			return nil
		}
		obj = next
	}
	return obj
}
