package refbot

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/internal/jsonptr"
)

// ParseScenario returns the scenario whose key is key ("p2p", "group-app",
// …: graph.Scenario.Key), as the control API's ?scenario= names it.
func ParseScenario(key string) (graph.Scenario, error) {
	s, err := graph.ParseScenario(key)
	if err != nil {
		return graph.Scenario{}, fmt.Errorf("refbot: %w", err)
	}
	return s, nil
}

// Permissions returns the application permissions the app registration must
// grant for the bot to make calls of scenarios (graph.Scenario.Permissions,
// graph-calls-facts.md §5.1), each once: what a vendor puts in the
// registration, and what certify-bot's --roles mirrors. A bot with
// FlawGroupCallP2PPermission declares Calls.Initiate.All for group calls.
func (c Config) Permissions(scenarios ...graph.Scenario) []string {
	var out []string
	for _, s := range scenarios {
		for _, p := range s.Permissions() {
			if p == graph.RoleInitiateGroupCall && c.has(FlawGroupCallP2PPermission) {
				p = graph.RoleInitiate
			}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// values returns what the bot fills the documented requests with: cfg.Values
// (fixtures.DocumentedValues when zero) with the bot's own callback URL,
// tenant and app id.
func (c Config) values() fixtures.RunValues {
	v := c.Values
	if reflect.ValueOf(v).IsZero() {
		v = fixtures.DocumentedValues()
	}
	v.CallbackURI, v.TenantID, v.Application.ID = c.CallbackURL, c.TenantID, c.ClientID
	return v
}

// request builds the create body of scenario s: the documentation's example
// of s (create-call-doc.txt Examples 1–10) filled by fixtures' one filler
// (Example.FillRequest) with the bot's values, its targets retyped where the
// page types one #microsoft.graph.participantInfo (Examples 3, 4: errata
// type-mismatch), and without the read-only members some examples send
// (direction, tenantId), which the generated SDK deletes before sending
// (graph-calls-facts.md §1.2, §9.3). A guest join with app-hosted media has
// no example of its own: it is Example 8 with Example 2's mediaConfig.
func (b *Bot) request(s graph.Scenario) (map[string]any, error) {
	ex, media, err := exampleOf(s)
	if err != nil {
		return nil, err
	}
	v := b.cfg.values()
	body, err := ex.FillRequest(fixtures.WithValues(v), fixtures.InvitationTargets, withoutReadOnlyButMeetingTenant)
	if err != nil {
		return nil, fmt.Errorf("refbot: the %s request: %w", s, err)
	}
	if media != nil {
		mc, err := media.FillRequest(fixtures.WithValues(v))
		if err != nil {
			return nil, fmt.Errorf("refbot: the %s request: %w", s, err)
		}
		body["mediaConfig"] = mc["mediaConfig"]
	}
	if b.cfg.has(FlawNoMediaConfig) {
		delete(body, "mediaConfig")
	}
	return body, nil
}

// exampleOf returns the documented example of scenario s and, when the page
// has none with s's media (a guest join with app-hosted media), the first
// example of s's kind and the first example with s's media, whose
// mediaConfig replaces the other's.
func exampleOf(s graph.Scenario) (ex fixtures.Example, media *fixtures.Example, err error) {
	var ofKind, ofMedia *fixtures.Example
	for _, e := range fixtures.All() {
		if e.Scenario() == s {
			return e, nil, nil
		}
		if e.Kind == s.Kind && ofKind == nil {
			ofKind = &e
		}
		if e.Media == s.Media && ofMedia == nil {
			ofMedia = &e
		}
	}
	if ofKind == nil || ofMedia == nil || s.Media == graph.MediaUnknown {
		_, err := ParseScenario(s.Key())
		if err == nil {
			err = fmt.Errorf("refbot: no documented example of a %s call", s)
		}
		return fixtures.Example{}, nil, err
	}
	return *ofKind, ofMedia, nil
}

// withoutReadOnlyButMeetingTenant is withoutReadOnly keeping the tenantId
// of a meeting join the page sends one with: read-only as the beta metadata
// calls it, the service refuses a scheduled meeting's join without it with
// 7505 (graph/rules meeting-tenant; field: microsoft-graph-docs issue 9481).
func withoutReadOnlyButMeetingTenant(ex fixtures.Example, body map[string]any) error {
	tenant, had := body["tenantId"]
	if err := withoutReadOnly(ex, body); err != nil {
		return err
	}
	if had && ex.Kind == graph.KindMeetingJoin {
		body["tenantId"] = tenant
	}
	return nil
}

// withoutReadOnly deletes every member that Microsoft's metadata (graph/schema,
// either version) or the fact sheet calls read-only in a create request: the
// generated SDK's MarshalJSON deletes them before sending
// (graph-calls-facts.md §1.2), and the service ignores them.
func withoutReadOnly(_ fixtures.Example, body map[string]any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	for _, version := range []schema.Version{schema.Beta, schema.V1} {
		val, err := schema.Load(version)
		if err != nil {
			return err
		}
		for _, vi := range val.ValidateRequest(schema.TypeCall, data) {
			if vi.Kind == schema.KindReadOnly {
				jsonptr.Delete(body, vi.Pointer)
			}
		}
	}
	return nil
}
