package certify

import (
	"fmt"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/report"
)

// factsFile is the fact sheet the checks quote (embedded verbatim by the
// fixtures package, fixtures/data/graph-calls-facts.md).
const factsFile = "graph-calls-facts.md"

// quote is a sentence of graph-calls-facts.md a check rests on: verbatim
// text found on the line cited (TestQuotesAreVerbatim keeps them honest).
type quote struct {
	Section string
	Line    int
	Text    string
}

// source formats where the quote is.
func (q quote) source() string { return fmt.Sprintf("%s %s (line %d)", factsFile, q.Section, q.Line) }

// The quotes of graph-calls-facts.md the checks cite.
var (
	qCallbackHTTPS     = quote{"§1.1", 45, "The callback URL on which callbacks are delivered. Must be an HTTPS URL."}
	qOpenType          = quote{"§1.1", 41, "The `call` entity is `BaseType graph.entity` and `OpenType=\"true\"`."}
	qCallbackAlways    = quote{"§1.2", 105, "`callbackUri`: always. It is non-nullable in CSDL and must be https."}
	qMediaAlways       = quote{"§1.2", 106, "`mediaConfig`: always. The v1.0 doc says \"Required\"."}
	qMediaTypes        = quote{"§1.2", 106, "Use `@odata.type` `#microsoft.graph.serviceHostedMediaConfig` or `#microsoft.graph.appHostedMediaConfig` (+ `blob`)."}
	qModalities        = quote{"§1.2", 107, "`requestedModalities`: present in every example (e.g. `[\"audio\"]`). It is not marked required."}
	qSourceFromToken   = quote{"§1.2", 111, "`source`: optional. The service fills in `source.identity.application` from the token."}
	qTenantMismatch    = quote{"§4.2", 385, "token tenant ≠ target tenant"}
	qPermP2P           = quote{"§5.1", 442, "P2P: Calls.Initiate.All."}
	qPermGroup         = quote{"§5.1", 443, "Group call: Calls.InitiateGroupCall.All."}
	qPermMeeting       = quote{"§5.1", 444, "Join meeting: Calls.JoinGroupCall.All."}
	qPermGuest         = quote{"§5.1", 445, "Guest join: Calls.JoinGroupCallasGuest.All."}
	qPermMedia         = quote{"§5.1", 446, "App-hosted media: + Calls.AccessMedia.All."}
	qRinging           = quote{"§1.2", 95, "Ringing timeout in seconds for outgoing peer to peer calls. The max value for this attribute is **115 seconds**."}
	qRouting           = quote{"§1.2", 96, "\"applicable for peer to peer calls only\""}
	qTargets           = quote{"§1.2", 108, "`targets`: required for P2P and bot-created group calls. It is absent or empty for meeting joins."}
	qMeetingInfo       = quote{"§1.2", 109, "`chatInfo` + `meetingInfo`: required for meeting joins. With `joinMeetingIdMeetingInfo`, `chatInfo` is omitted."}
	qSourceInPractice  = quote{"§1.2", 112, "It is **required in practice** for guest join (`identity.guest`) and for PSTN (`identity.applicationInstance`)."}
	qReadOnlySet       = quote{"§1.2", 100, "The **read-only set** enforced by the generated SDK (`MarshalJSON` deletes these before sending) is:"}
	qReadOnlySent      = quote{"§9", 570, "`tenantId` (beta: \"Read-only\") and `direction` (read-only) are sent in the create examples."}
	qMaxTargets        = quote{"§3.3", 270, "This supports **up to 5 VoIP users**."}
	qSameIdentity      = quote{"§4.4", 414, "The same identity can't be invited twice."}
	qPhone             = quote{"§3.6", 295, "`targets[0].identity.phone{id: \"+E164\"}`. Requires an application instance with an assigned phone number."}
	qDelegated         = quote{"§5.1", 437, "Delegated: not supported."}
	qDefaultScope      = quote{"§5.2", 458, "`.default` means \"all application permissions configured for the app\". The granted ones appear in the token's **`roles`** claim (array of strings)."}
	qAppHostedMedia    = quote{"§5.1", 440, "\"For a call with app-hosted media, you need the Calls.AccessMedia.All permission in addition to one of the permissions listed.\""}
	qBearerToken       = quote{"§6", 480, "Every time the API posts to the webhook, the HTTP POST message contains an OAuth token in the **Authorization** header as a bearer token, with the audience as your application's App ID."}
	qValidateToken     = quote{"§6", 488, "Validate the token, ensure it has not expired, check whether it has been signed by the published OpenID configuration. You must also check whether aud matches your App ID."}
	qValidIssuers      = quote{"§6", 495, "ValidIssuers = authIssuers"}
	qSampleTenant      = quote{"§6", 498, "missing tenant claim -> invalid"}
	qAnswer15s         = quote{"§3.7", 303, "The current timeout value is **15 seconds** for regular scenarios"}
	qAccepted202       = quote{"§6", 505, "Valid and processed → **`202 Accepted`**."}
	qRefuse401         = quote{"§6", 506, "Token missing or invalid → **`401 Unauthorized`**. The SDK interface comment says \"Returning invalid result will trigger a Forbidden response\", but the controller code returns 401."}
	qBadBody400        = quote{"§6", 507, "Body can't be parsed → `400 Bad Request`."}
	qRegionRedirect    = quote{"§6", 510, "Region affinity: the docs say reply `HTTP/1.1 302 Found` + `Location: new-location` [S-TEAMS-NOTIF]."}
	qRespondIn5s       = quote{"§8", 551, "Respond to the notification HTTP request within ~5 s"}
	qOutOfOrder        = quote{"§8", 545, "\"Call establishing/established notifications may arrive out of order\""}
	qBatch             = quote{"§2", 191, "\"List of notifications used by the Communications servers for sending multiple notifications in a single batch.\""}
	qResourceData      = quote{"§2", 195, "\"`resourceData` is available as additional data. It is either an entity or a collection of entities depending on the number of changes packaged in the notification.\""}
	qLegacyResource    = quote{"§2", 197, "Real traffic also carries the legacy `\"resource\": \"/app/calls/{id}\"` alongside `resourceUrl`"}
	qCaseInsensitive   = quote{"§2", 200, "Receivers should parse enum strings **case-insensitively**."}
	qPascalCase        = quote{"§2", 199, "Real traffic sometimes uses PascalCase, e.g. `\"changeType\": \"Created\"`/`\"Updated\"` and `\"state\": \"Establishing\"`"}
	qP2PNoRoster       = quote{"§3.2", 261, "\"For peer-to-peer calls, the expected notifications are for call state changes only\" (no roster)"}
	qGuestLobbyRoster  = quote{"§3.5", 289, "The roster notification contains only the bot, with `\"isInLobby\": true`."}
	qDelete204         = quote{"§3.8", 308, "Returns `204 No Content` with no body."}
	qDeleteTerminating = quote{"§3.8", 312, "`updated` `/communications/calls/{id}` with `{state:\"terminating\"}`;"}
)

// evidence returns an Evidence quoting q.
func (q quote) evidence(msg, expected, got string) report.Evidence {
	return report.Evidence{Message: msg, Expected: expected, Got: got, DocQuote: q.Text, Source: q.source()}
}

// fixtureQuote turns a quote of the fixtures into DocQuote and Source.
func fixtureQuote(q fixtures.Quote) (string, string) {
	if q.Section != "" {
		return q.Text, fmt.Sprintf("%s %s (line %d)", q.Source, q.Section, q.Line)
	}
	return q.Text, fmt.Sprintf("%s line %d", q.Source, q.Line)
}
