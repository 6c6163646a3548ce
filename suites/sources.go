package suites

import (
	"fmt"

	"github.com/callcheck/callcheck/report"
)

// Source is what a check rests on: a sentence of the documentation or of
// the fact sheet quoted verbatim with where it is (its section and line),
// its basis (documented, schema, field or inferred) and, for a field
// report, the public thread that shows it. Evidence of a failed check
// carries it, and the catalog lists the sources of every contract. A test
// checks that each quote is on its line of its document (the copies under
// fixtures/data) and that every field source names its thread.
type Source struct {
	// Doc is the document: "create-call-doc.txt" or "graph-calls-facts.md".
	Doc string
	// Where is the place in it: "Response", "Example 2", "§3.8".
	Where string
	// Line is the line of Doc the quote is on.
	Line int
	// Quote is the English text, verbatim.
	Quote string
	// Basis is the kind of evidence the check rests on.
	Basis Basis
	// URL is the public report a field source cites ("" otherwise).
	URL string
}

// Basis is the kind of evidence a check rests on (report.Basis).
type Basis = report.Basis

// The bases, from the strongest: the documented page (or the Graph
// documentation the fact sheet quotes), Microsoft's metadata, a cited public
// field report, callcheck's own reading. Against a remote target an
// inferred check only warns unless the run is strict.
const (
	Documented = report.BasisDocumented
	Schema     = report.BasisSchema
	Field      = report.BasisField
	Inferred   = report.BasisInferred
)

// String renders the source as "doc line N (where)", with the field
// report's URL when there is one.
func (s Source) String() string {
	out := s.Doc
	if s.Line > 0 {
		out += fmt.Sprintf(" line %d", s.Line)
	}
	if s.Where != "" {
		out += " (" + s.Where + ")"
	}
	if s.URL != "" {
		out += "; " + s.URL
	}
	return out
}

// inferred returns s as callcheck's own reading of it: the same words, with
// the inferred basis (a check that goes beyond what the words say).
func (s Source) inferred() Source {
	s.Basis = Inferred
	return s
}

// The documents.
const (
	docPage  = "create-call-doc.txt"
	docFacts = "graph-calls-facts.md"
)

// The sources of the checks.
var (
	srcCreated = Source{Doc: docPage, Where: "Response", Line: 43, Basis: Documented,
		Quote: "If successful, this method returns a 201 Created response code and a call object in the response body."}
	srcAuthHeader = Source{Doc: docPage, Where: "Request headers", Line: 34, Basis: Documented,
		Quote: "Bearer {token}. Required."}
	srcContentType = Source{Doc: docPage, Where: "Request headers", Line: 35, Basis: Documented,
		Quote: "application/json. Required."}
	srcAllProperties = Source{Doc: docPage, Where: "Example 2", Line: 262, Basis: Documented,
		Quote: "All the properties will be returned from an actual call."}
	srcP2PStatesOnly = Source{Doc: docPage, Where: "Example 2", Line: 258, Basis: Documented,
		Quote: "Note: For peer-to-peer calls, the expected notifications are for call state changes only."}
	srcGroupMax = Source{Doc: docPage, Where: "Example 3", Line: 329, Basis: Documented,
		Quote: "This supports up to 5 VoIP users."}
	srcMeetingRoster = Source{Doc: docPage, Where: "Example 5", Line: 734, Basis: Documented,
		Quote: "Note: For join meeting scenarios apart from call state notifications, we receive roster notifications."}
	srcLobby = Source{Doc: docPage, Where: "Example 8", Line: 886, Basis: Documented,
		Quote: "The application might be put in lobby waiting to be admitted by a user."}
	srcNoRosterInLobby = Source{Doc: docPage, Where: "Example 8", Line: 931, Basis: Documented,
		Quote: "Note: The application will not receive the roster for participants in the meeting until its admitted from lobby"}
	srcAppHostedRole = Source{Doc: docPage, Where: "Permissions", Line: 22, Basis: Documented,
		Quote: "Note: For a call with app-hosted media, you need the Calls.AccessMedia.All permission in addition to one of the permissions listed."}

	srcLocation = Source{Doc: docFacts, Where: "§3.1", Line: 251, Basis: Documented,
		Quote: "Headers: `Location: https://graph.microsoft.com/{ver}/communications/calls/{id}`, `Content-Type: application/json`."}
	srcFullCall = Source{Doc: docFacts, Where: "§3.1", Line: 252, Basis: Documented,
		Quote: "The body is the full call with `\"state\": \"establishing\"`, `\"direction\": \"outgoing\"`, the server-assigned `id`, `myParticipantId`, `callChainId`, `tenantId` and echoed inputs."}
	srcUnsetProperties = Source{Doc: docFacts, Where: "§3.1", Line: 253, Basis: Documented,
		Quote: "Unset properties appear as `null` or `[]`"}
	srcRequestID = Source{Doc: docFacts, Where: "§7", Line: 522, Basis: Field, URL: "https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/22",
		Quote: "`request-id` (GUID), `client-request-id` (echoes the caller's `client-request-id` if sent; otherwise equal to request-id)"}
	srcEnvelope = Source{Doc: docFacts, Where: "§2", Line: 191, Basis: Schema,
		Quote: "`commsNotifications { value: Collection(commsNotification) }` — \"List of notifications used by the Communications servers for sending multiple notifications in a single batch.\""}
	srcStateResource = Source{Doc: docFacts, Where: "§2", Line: 213, Basis: Documented,
		Quote: "| call state change (establishing/established/terminating/hold…) | `updated` | `/communications/calls/{callId}` |"}
	srcRosterResource = Source{Doc: docFacts, Where: "§2", Line: 216, Basis: Documented,
		Quote: "| roster | `updated` (full roster mode) | `/communications/calls/{callId}/participants` | **array** of `#microsoft.graph.participant` (id, info, mediaStreams, isMuted, isInLobby, …) |"}
	srcNotificationToken = Source{Doc: docFacts, Where: "§6", Line: 480, Basis: Documented,
		Quote: "Every time the API posts to the webhook, the HTTP POST message contains an OAuth token in the **Authorization** header as a bearer token, with the audience as your application's App ID."}
	srcValidateToken = Source{Doc: docFacts, Where: "§6", Line: 488, Basis: Documented,
		Quote: "Validate the token, ensure it has not expired, check whether it has been signed by the published OpenID configuration. You must also check whether aud matches your App ID."}
	srcOutOfOrder = Source{Doc: docFacts, Where: "§8", Line: 260, Basis: Documented,
		Quote: "Call establishing/established notifications may arrive out of order"}
	srcLobbyRoster = Source{Doc: docFacts, Where: "§3.5", Line: 289, Basis: Documented,
		Quote: "The roster notification contains only the bot, with `\"isInLobby\": true`."}
	srcDelete204 = Source{Doc: docFacts, Where: "§3.8", Line: 308, Basis: Documented,
		Quote: "Returns `204 No Content` with no body."}
	srcTerminating = Source{Doc: docFacts, Where: "§3.8", Line: 312, Basis: Documented,
		Quote: "1. `updated` `/communications/calls/{id}` with `{state:\"terminating\"}`;"}
	srcTerminated = Source{Doc: docFacts, Where: "§3.8", Line: 313, Basis: Documented,
		Quote: "2. `deleted` `/communications/calls/{id}` with `{state:\"terminated\", resultInfo}`"}
	srcGone = Source{Doc: docFacts, Where: "§3.10", Line: 357, Basis: Documented,
		Quote: "\"Attempting to send a request to a call that has already ended will result in a `404 Not-Found` error\""}
	srcCallNotFound = Source{Doc: docFacts, Where: "§4.2", Line: 390, Basis: Field, URL: "https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/173",
		Quote: "| 404 | `Code: 8522 Message: Call not found.` | call no longer exists |"}
	srcErrorBody = Source{Doc: docFacts, Where: "§4.1", Line: 365, Basis: Documented,
		Quote: "The body is a single JSON object with one property `error` (OData v4 error). It holds:"}
	srcErrorRequestID = Source{Doc: docFacts, Where: "§4.1", Line: 374, Basis: Field, URL: "https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/173",
		Quote: "Real Graph responses use **`\"request-id\"`, `\"date\"`, `\"client-request-id\"`** inside `innerError`."}
	srcStatusTable = Source{Doc: docFacts, Where: "§4.1", Line: 378, Basis: Documented,
		Quote: "The status code table is 400, 401, 403, 404, 405, 406, 409, 410, 411, 412, 413, 415, 416, 422, 423, 429, 500, 501, 503 (may carry Retry-After), 504, 507, 509"}
	srcMissingRole = Source{Doc: docFacts, Where: "§4.2", Line: 386, Basis: Field, URL: "https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/276 https://github.com/MicrosoftDocs/msteams-docs/issues/13004",
		Quote: "| 403 | `Code: 7504 Message: Insufficient enterprise tenant permissions, cannot access this API.` | missing Calls.* role / consent |"}
	srcTenantMismatch = Source{Doc: docFacts, Where: "§4.2", Line: 385, Basis: Field, URL: "https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/5874 https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/171",
		Quote: "| 403 | `{\"error\":{\"code\":\"7505\",\"message\":\"Request authorization tenant mismatch.\",\"innerError\":{\"request-id\":\"…\",\"date\":\"2020-02-13T17:30:24\"}}}` | token tenant ≠ target tenant |"}
	srcDelegated = Source{Doc: docFacts, Where: "§4.4", Line: 413, Basis: Documented,
		Quote: "Delegated permissions are \"Not supported\". App-only tokens only."}
	srcCallbackRequired = Source{Doc: docFacts, Where: "§1.2", Line: 105, Basis: Schema,
		Quote: "`callbackUri`: always. It is non-nullable in CSDL and must be https."}
	srcMediaRequired = Source{Doc: docFacts, Where: "§1.1", Line: 52, Basis: Schema,
		Quote: "\"The media configuration. **Required.**\""}
	srcHTTPS = Source{Doc: docFacts, Where: "§4.4", Line: 408, Basis: Documented,
		Quote: "`callbackUri` \"Must be `https`\"."}
)

// The field reports the tolerant checks rest on: public issue threads that
// show real Graph behaving otherwise than the page (quoted from the thread;
// these quotes are not in the documents under fixtures/data).
var (
	// srcFieldNoAnswer: an unanswered peer-to-peer call stays establishing,
	// then terminates after about a minute, with no terminating before it.
	srcFieldNoAnswer = Source{Doc: "microsoft-graph-comms-samples issue 17", Where: "description (2018-10-17)", Basis: Field,
		URL:   "https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/17",
		Quote: "After getting the \"Establishing\" state notification, there is no more activity for about a minute. After that, I receive the Terminated state notification and a missed call notification in the client."}
	// srcNoAnswerCodes: the result codes Graph documents for a callee who
	// does not answer.
	srcNoAnswerCodes = Source{Doc: docFacts, Where: "§3.2", Line: 265, Basis: Documented,
		Quote: "If the callee doesn't answer: `terminated` with e.g. 408/10057 \"Call timed out due to no signaling from callee endpoints\", 480/10037 \"No callee endpoints were found\", 480/10076 \"Callee couldn't be reached\" [S-LEARN-DELETE]."}
	// srcField9999: real Graph answers malformed creates with 500 and code
	// 9999 rather than the 4xx a reader of the page expects.
	srcField9999 = Source{Doc: "msgraph-sdk-java issue 373; microsoft-graph-docs issue 16084", Where: "descriptions (2020-05-26; 2022-03-07)", Basis: Field,
		URL:   "https://github.com/microsoftgraph/msgraph-sdk-java/issues/373 https://github.com/microsoftgraph/microsoft-graph-docs/issues/16084",
		Quote: "500 : Internal Server Error ... Error code: 9999 Error message: Unkown internal Server Error. POST https://graph.microsoft.com/v1.0/communications/calls"}
	// srcTerminatingOptional: whether terminating precedes terminated. The
	// fact sheet lists it (§3.8, from the old call-delete page); the field
	// shows terminated with nothing before it, so its absence only warns.
	// Also comms-samples #433 and #725: establishing, then terminated, with
	// no terminating reported (fixtures/field comms-samples-433-establishing,
	// comms-samples-725-terminated).
	srcTerminatingOptional = Source{Doc: docFacts, Where: "§3.8", Line: 312, Basis: Inferred,
		URL:   "https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/17 https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/433 https://github.com/microsoftgraph/microsoft-graph-comms-samples/issues/725",
		Quote: "1. `updated` `/communications/calls/{id}` with `{state:\"terminating\"}`;"}
	// srcDuplicates: whether a notification may come twice. Nothing says;
	// callcheck counts duplicates and, under --strict, fails them.
	srcDuplicates = Source{Doc: docFacts, Where: "§8", Line: 553, Basis: Inferred,
		Quote: "no Microsoft documentation was found that states whether, how often, or how long comms (calling) notifications are retried."}
	// srcFieldMeetingTenant: a scheduled meeting's join with chatInfo and
	// meetingInfo "as the docs says" and no tenantId was refused with 7505
	// (the page's Example 5 gained its tenantId the next day); the same
	// refusal for a join whose tenantId sat inside meetingInfo
	// (Microsoft-Teams-Samples #1785, 2025-09-30).
	srcFieldMeetingTenant = Source{Doc: "microsoft-graph-docs issue 9481; Microsoft-Teams-Samples issue 1785", Where: "descriptions (2020-08-12; 2025-09-30)", Basis: Field,
		URL:   "https://github.com/microsoftgraph/microsoft-graph-docs/issues/9481 https://github.com/OfficeDev/Microsoft-Teams-Samples/issues/1785",
		Quote: "I'm putting the chatInfo and meetingInfo as the docs says but the service response ... \"code\": \"7505\", \"message\": \"Request authorization tenant mismatch.\""}
	// srcThrottle: Graph answers 429 with Retry-After, which a client honours.
	srcThrottle = Source{Doc: docFacts, Where: "§4.3", Line: 396, Basis: Documented,
		Quote: "The response is 429 with a `Retry-After` header in seconds."}
)
