package suites

// Source is a sentence of the documentation that a check rests on, quoted
// verbatim, with where it is. Evidence of a failed check carries it, and the
// catalog lists the sources of every contract. A test checks that each quote
// is in its document (the copies under fixtures/data).
type Source struct {
	// Doc is the document: "create-call-doc.txt" or "graph-calls-facts.md".
	Doc string
	// Where is the place in it: "Response", "Example 2", "§3.8".
	Where string
	// Quote is the English text, verbatim.
	Quote string
}

// String renders the source as "doc where".
func (s Source) String() string { return s.Doc + " " + s.Where }

// The documents.
const (
	docPage  = "create-call-doc.txt"
	docFacts = "graph-calls-facts.md"
)

// The sources of the checks.
var (
	srcCreated = Source{docPage, "Response",
		"If successful, this method returns a 201 Created response code and a call object in the response body."}
	srcAuthHeader    = Source{docPage, "Request headers", "Bearer {token}. Required."}
	srcContentType   = Source{docPage, "Request headers", "application/json. Required."}
	srcAllProperties = Source{docPage, "Example 2",
		"All the properties will be returned from an actual call."}
	srcP2PStatesOnly = Source{docPage, "Example 2",
		"Note: For peer-to-peer calls, the expected notifications are for call state changes only."}
	srcGroupMax      = Source{docPage, "Example 3", "This supports up to 5 VoIP users."}
	srcMeetingRoster = Source{docPage, "Example 5",
		"Note: For join meeting scenarios apart from call state notifications, we receive roster notifications."}
	srcLobby = Source{docPage, "Example 8",
		"The application might be put in lobby waiting to be admitted by a user."}
	srcNoRosterInLobby = Source{docPage, "Example 8",
		"Note: The application will not receive the roster for participants in the meeting until its admitted from lobby"}
	srcAppHostedRole = Source{docPage, "Permissions",
		"Note: For a call with app-hosted media, you need the Calls.AccessMedia.All permission in addition to one of the permissions listed."}

	srcLocation = Source{docFacts, "§3.1",
		"Headers: `Location: https://graph.microsoft.com/{ver}/communications/calls/{id}`, `Content-Type: application/json`."}
	srcFullCall = Source{docFacts, "§3.1",
		"The body is the full call with `\"state\": \"establishing\"`, `\"direction\": \"outgoing\"`, the server-assigned `id`, `myParticipantId`, `callChainId`, `tenantId` and echoed inputs."}
	srcUnsetProperties = Source{docFacts, "§3.1", "Unset properties appear as `null` or `[]`"}
	srcRequestID       = Source{docFacts, "§7",
		"`request-id` (GUID), `client-request-id` (echoes the caller's `client-request-id` if sent; otherwise equal to request-id)"}
	srcEnvelope = Source{docFacts, "§2",
		"`commsNotifications { value: Collection(commsNotification) }` — \"List of notifications used by the Communications servers for sending multiple notifications in a single batch.\""}
	srcStateResource = Source{docFacts, "§2",
		"| call state change (establishing/established/terminating/hold…) | `updated` | `/communications/calls/{callId}` |"}
	srcRosterResource = Source{docFacts, "§2",
		"| roster | `updated` (full roster mode) | `/communications/calls/{callId}/participants` | **array** of `#microsoft.graph.participant` (id, info, mediaStreams, isMuted, isInLobby, …) |"}
	srcNotificationToken = Source{docFacts, "§6",
		"Every time the API posts to the webhook, the HTTP POST message contains an OAuth token in the **Authorization** header as a bearer token, with the audience as your application's App ID."}
	srcValidateToken = Source{docFacts, "§6",
		"Validate the token, ensure it has not expired, check whether it has been signed by the published OpenID configuration. You must also check whether aud matches your App ID."}
	srcOutOfOrder = Source{docFacts, "§8",
		"Call establishing/established notifications may arrive out of order"}
	srcLobbyRoster = Source{docFacts, "§3.5",
		"The roster notification contains only the bot, with `\"isInLobby\": true`."}
	srcDelete204   = Source{docFacts, "§3.8", "Returns `204 No Content` with no body."}
	srcTerminating = Source{docFacts, "§3.8",
		"1. `updated` `/communications/calls/{id}` with `{state:\"terminating\"}`;"}
	srcTerminated = Source{docFacts, "§3.8",
		"2. `deleted` `/communications/calls/{id}` with `{state:\"terminated\", resultInfo}`"}
	srcGone = Source{docFacts, "§3.10",
		"\"Attempting to send a request to a call that has already ended will result in a `404 Not-Found` error\""}
	srcCallNotFound = Source{docFacts, "§4.2", "| 404 | `Code: 8522 Message: Call not found.` | call no longer exists |"}
	srcErrorBody    = Source{docFacts, "§4.1",
		"The body is a single JSON object with one property `error` (OData v4 error). It holds:"}
	srcErrorRequestID = Source{docFacts, "§4.1",
		"Real Graph responses use **`\"request-id\"`, `\"date\"`, `\"client-request-id\"`** inside `innerError`."}
	srcStatusTable = Source{docFacts, "§4.1",
		"The status code table is 400, 401, 403, 404, 405, 406, 409, 410, 411, 412, 413, 415, 416, 422, 423, 429, 500, 501, 503 (may carry Retry-After), 504, 507, 509"}
	srcMissingRole = Source{docFacts, "§4.2",
		"| 403 | `Code: 7504 Message: Insufficient enterprise tenant permissions, cannot access this API.` | missing Calls.* role / consent |"}
	srcTenantMismatch = Source{docFacts, "§4.2",
		"| 403 | `{\"error\":{\"code\":\"7505\",\"message\":\"Request authorization tenant mismatch.\",\"innerError\":{\"request-id\":\"…\",\"date\":\"2020-02-13T17:30:24\"}}}` | token tenant ≠ target tenant |"}
	srcDelegated        = Source{docFacts, "§4.4", "Delegated permissions are \"Not supported\". App-only tokens only."}
	srcCallbackRequired = Source{docFacts, "§1.2", "`callbackUri`: always. It is non-nullable in CSDL and must be https."}
	srcMediaRequired    = Source{docFacts, "§1.1", "\"The media configuration. **Required.**\""}
	srcHTTPS            = Source{docFacts, "§4.4", "`callbackUri` \"Must be `https`\"."}
)
