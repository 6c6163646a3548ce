package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// Violation is a deliberate, targeted deviation from the documented contract
// that the emulator makes when it is switched on (Config.Violations,
// `callcheck emulate --violate name,name`). They are off by default. They
// exist to prove that the conformance suites and the bot certification can
// fail (proof that the suites can fail): each one breaks exactly
// one documented behaviour and leaves the rest intact. The names are stable.
type Violation string

// The violations. Each one-line description is what ViolationDescription
// returns and `callcheck emulate --list-violations` prints.
const (
	// Create response.
	VCreateStatus200           Violation = "create-status-200"
	VLocationIDMismatch        Violation = "location-id-mismatch"
	VLocationRelative          Violation = "location-relative"
	VMissingLocation           Violation = "missing-location"
	VMissingRequestID          Violation = "missing-request-id"
	VClientRequestIDNotEchoed  Violation = "client-request-id-not-echoed"
	VResponseStateEstablished  Violation = "response-state-established"
	VResponseDirectionIncoming Violation = "response-direction-incoming"
	VResponseMissingMyPartID   Violation = "response-missing-myParticipantId"
	VResponseMalformedID       Violation = "response-malformed-id"
	VCallbackURINotEchoed      Violation = "callbackUri-not-echoed"
	VTargetsNotEchoed          Violation = "targets-not-echoed"
	VMediaConfigTypeChanged    Violation = "mediaConfig-type-changed"
	VMissingODataType          Violation = "missing-odata-type"
	VUnsetPropertiesOmitted    Violation = "unset-properties-omitted"

	// Notification transport and tokens.
	VNotificationUnsigned      Violation = "notification-unsigned"
	VNotificationForeignKey    Violation = "notification-foreign-key"
	VNotificationWrongAudience Violation = "notification-wrong-audience"
	VNotificationWrongIssuer   Violation = "notification-wrong-issuer"
	VNotificationExpiredToken  Violation = "notification-expired-token"
	VNotificationNoTenant      Violation = "notification-no-tenant"
	VNotificationNoEnvelope    Violation = "notification-no-envelope"

	// Notification sequences and payloads.
	VNoEstablishing          Violation = "no-establishing"
	VNoEstablished           Violation = "no-established"
	VWrongNotificationState  Violation = "wrong-notification-state"
	VResourceURLWrongCall    Violation = "resourceUrl-wrong-call"
	VNoRoster                Violation = "no-roster"
	VRosterForP2P            Violation = "roster-for-p2p"
	VRosterWithoutBot        Violation = "roster-without-bot"
	VRosterBotIDMismatch     Violation = "roster-bot-id-mismatch"
	VGuestNotInLobby         Violation = "guest-not-in-lobby"
	VGuestRosterBeforeAdmit  Violation = "guest-roster-before-admit"
	VNoTerminated            Violation = "no-terminated"
	VTerminatedWithoutResult Violation = "terminated-without-resultInfo"

	// Delete and lookups.
	VDeleteStatus200    Violation = "delete-status-200"
	VCallSurvivesDelete Violation = "call-survives-delete"
	VUnknownCall200     Violation = "unknown-call-200"

	// Error responses and request checks.
	VErrorBodyWithoutRequestID Violation = "error-body-without-request-id"
	VErrorBodyNotJSON          Violation = "error-body-not-json"
	VMissingTokenAccepted      Violation = "missing-token-accepted"
	VExpiredTokenAccepted      Violation = "expired-token-accepted"
	VWrongAudienceAccepted     Violation = "wrong-audience-accepted"
	VDelegatedTokenAccepted    Violation = "delegated-token-accepted"
	VTenantMismatchAccepted    Violation = "tenant-mismatch-accepted"
	VMissingRoleAccepted       Violation = "missing-role-accepted"
	VNonJSONAccepted           Violation = "non-json-accepted"
	VMissingFieldsAccepted     Violation = "missing-fields-accepted"
	VTooManyTargetsAccepted    Violation = "too-many-targets-accepted"
	VHTTPCallbackAccepted      Violation = "http-callback-accepted"
	VWrongContentTypeAccepted  Violation = "wrong-content-type-accepted"
)

var violationDescriptions = map[Violation]string{
	VCreateStatus200:           "create answers 200 OK instead of 201 Created",
	VLocationIDMismatch:        "the create response's Location names another call id than the body",
	VLocationRelative:          "the create response's Location is a relative path, not an absolute URL",
	VMissingLocation:           "the create response has no Location header",
	VMissingRequestID:          "responses carry no request-id header",
	VClientRequestIDNotEchoed:  "responses do not echo the client-request-id the client sent",
	VResponseStateEstablished:  "the created call's state is established instead of establishing",
	VResponseDirectionIncoming: "the created call's direction is incoming instead of outgoing",
	VResponseMissingMyPartID:   "the created call has no myParticipantId",
	VResponseMalformedID:       "the created call's id (and Location) is not a GUID",
	VCallbackURINotEchoed:      "the created call's callbackUri is null instead of the request's",
	VTargetsNotEchoed:          "the created call's targets are [] instead of the request's",
	VMediaConfigTypeChanged:    "the created call's mediaConfig has the other @odata.type (service- and app-hosted swapped)",
	VMissingODataType:          "the created call has no @odata.type",
	VUnsetPropertiesOmitted:    "the created call omits unset properties instead of showing null or []",
	VNotificationUnsigned:      "notifications are posted without an Authorization header",
	VNotificationForeignKey:    "notification tokens are signed by a key that is not in the published JWKS",
	VNotificationWrongAudience: "notification tokens have an audience that is not the bot's app id",
	VNotificationWrongIssuer:   "notification tokens have an issuer that is not an accepted one",
	VNotificationExpiredToken:  "notification tokens are expired",
	VNotificationNoTenant:      "notification tokens have no tid claim",
	VNotificationNoEnvelope:    "notifications are posted as a bare commsNotification, not in a commsNotifications envelope",
	VNoEstablishing:            "the establishing notification is never sent",
	VNoEstablished:             "the established notification is never sent",
	VWrongNotificationState:    "the established notification says state incoming instead of established",
	VResourceURLWrongCall:      "notifications name another call's id in resourceUrl",
	VNoRoster:                  "group calls and meeting joins get no roster notification",
	VRosterForP2P:              "peer-to-peer and PSTN calls get a roster notification",
	VRosterWithoutBot:          "roster notifications leave out the bot's own participant",
	VRosterBotIDMismatch:       "the bot's participant in the roster has another id than myParticipantId",
	VGuestNotInLobby:           "a guest join's lobby roster says isInLobby false",
	VGuestRosterBeforeAdmit:    "a guest join gets the meeting's full roster before being admitted",
	VNoTerminated:              "no terminated notification follows a DELETE",
	VTerminatedWithoutResult:   "the terminated notification has no resultInfo",
	VDeleteStatus200:           "DELETE answers 200 OK instead of 204 No Content",
	VCallSurvivesDelete:        "a deleted call can still be read (GET 200) after it terminated",
	VUnknownCall200:            "GET and DELETE of an unknown call answer 200/204 instead of 404",
	VErrorBodyWithoutRequestID: "error bodies have no innerError.request-id",
	VErrorBodyNotJSON:          "error bodies are plain text, not a Graph error object",
	VMissingTokenAccepted:      "a request without a token is served as the default app",
	VExpiredTokenAccepted:      "expired access tokens are accepted",
	VWrongAudienceAccepted:     "access tokens for another audience are accepted",
	VDelegatedTokenAccepted:    "delegated (user) tokens are accepted",
	VTenantMismatchAccepted:    "7505 is never answered: a body tenantId other than the token's tenant, or a scheduled meeting's join without one, is accepted",
	VMissingRoleAccepted:       "creates whose token lacks the scenario's permission are accepted",
	VNonJSONAccepted:           "a create body that is not JSON is accepted (201)",
	VMissingFieldsAccepted:     "a create without callbackUri or mediaConfig is accepted",
	VTooManyTargetsAccepted:    "a group call with more than 5 targets is accepted",
	VHTTPCallbackAccepted:      "a plain-http (non-https) callbackUri is accepted",
	VWrongContentTypeAccepted:  "a create whose Content-Type is not application/json is accepted",
}

// Violations returns every violation, sorted by name.
func Violations() []Violation {
	out := make([]Violation, 0, len(violationDescriptions))
	for v := range violationDescriptions {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// Description returns the violation's one-line description, or "" for an
// unknown name.
func (v Violation) Description() string { return violationDescriptions[v] }

// Known reports whether v is one of the violations.
func (v Violation) Known() bool { _, ok := violationDescriptions[v]; return ok }

// ParseViolations parses a comma-separated list of violation names (spaces
// around names are ignored; an empty list is none). An unknown name is an
// error that names it and points at the list.
func ParseViolations(list string) ([]Violation, error) {
	var out []Violation
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		v := Violation(name)
		if !v.Known() {
			return nil, fmt.Errorf("unknown violation %q (see --list-violations for the %d known names)", name, len(violationDescriptions))
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// violationSet is the set of switched-on violations, read on hot paths.
type violationSet map[Violation]bool

func newViolationSet(vs []Violation) violationSet {
	s := violationSet{}
	for _, v := range vs {
		s[v] = true
	}
	return s
}

func (s violationSet) on(v Violation) bool { return s[v] }
