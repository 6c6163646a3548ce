package certify

import (
	"strings"

	"github.com/callcheck/callcheck/report"
)

// CheckInfo describes one check of the catalog. In an ID, "<key>" stands for
// a scenario key (outbound.<key>.schema is outbound.p2p.schema for Example 1's
// scenario).
type CheckInfo struct {
	// ID is the check's id, or its pattern with "<key>".
	ID string
	// Group is GroupOutbound, GroupInbound, GroupRobustness or GroupNegative.
	Group string
	// Title says what the check asks of the bot.
	Title string
	// RestsOn says which documentation the check rests on.
	RestsOn string
}

// Recommended reports whether the check is of what only official samples do:
// not met, it is a warning, never a failure (report.RequirementRecommended).
// Every other check is of what the documentation requires.
func (c CheckInfo) Recommended() bool {
	for _, f := range forgeries {
		if c.ID == "negative."+f.name {
			return f.recommended
		}
	}
	return false
}

// Catalog returns every check certify-bot makes, in the order certificates
// list them (docs/certify-bot.md renders it).
func Catalog() []CheckInfo {
	out := []CheckInfo{
		{"outbound.request", GroupOutbound, "The bot creates a call (--wait, when none came)", "certify-bot (inferred: a bot under test must call)"},
		{"outbound.<key>.request", GroupOutbound, "The trigger makes the bot send a create request", "certify-bot (inferred: the trigger must make the bot call)"},
		{"outbound.<key>.scenario", GroupOutbound, "The request describes the scenario it was made for", "create-call-doc.txt example titles"},
		{"outbound.<key>.headers", GroupOutbound, "Authorization and Content-Type are sent as the page requires", "create-call-doc.txt request headers"},
		{"outbound.<key>.token", GroupOutbound, "The access token is an application token of the registered app", "graph-calls-facts.md §5"},
		{"outbound.<key>.permissions", GroupOutbound, "The app holds the permissions the scenario needs", "create-call-doc.txt permissions; graph-calls-facts.md §5.1, §9.1"},
		{"outbound.<key>.schema", GroupOutbound, "The body is JSON valid against Microsoft's schema of a call", "Microsoft's metadata (graph/schema)"},
		{"outbound.<key>.read-only", GroupOutbound, "No read-only property is sent (a warning where the documented example sends it)", "graph-calls-facts.md §1.2, §9.3"},
		{"outbound.<key>.required", GroupOutbound, "The fields every create and the scenario need are present", "graph-calls-facts.md §1.2, §3.6"},
		{"outbound.<key>.callback", GroupOutbound, "callbackUri is an absolute https URL", "graph-calls-facts.md §1.1"},
		{"outbound.<key>.identities", GroupOutbound, "Every identity is well formed, no one is invited twice, the tenant is the token's", "graph-calls-facts.md §3.3, §3.6, §4.2, §4.4"},
		{"outbound.<key>.accepted", GroupOutbound, "The emulated Graph creates the call", "create-call-doc.txt (201 Created)"},
		{"inbound.<key>.sequence", GroupInbound, "The bot acknowledges the documented notification sequence with a 2xx in time", "create-call-doc.txt Examples 1, 5, 8; graph-calls-facts.md §3, §6, §8"},
		{"inbound.<key>.end", GroupInbound, "The call ends: the bot hangs up when told (or the far side ends it) and acknowledges the end", "graph-calls-facts.md §3.8, §3.9"},
		{incomingCheckID, GroupInbound, "The bot answers (or rejects) an incoming call before Graph's deadline, and the time it took (--incoming-callback only)", "graph-calls-facts.md §3.7 (line 303)"},
		{"robustness.duplicate", GroupRobustness, "A duplicated notification is acknowledged both times", "graph-calls-facts.md §2, §8"},
		{"robustness.out-of-order", GroupRobustness, "A late establishing does not undo established", "graph-calls-facts.md §8"},
		{"robustness.batch", GroupRobustness, "A batch of several notifications in one POST is acknowledged", "graph-calls-facts.md §2"},
		{"robustness.enum-casing", GroupRobustness, "Enum values in PascalCase are understood", "graph-calls-facts.md §2"},
		{"robustness.unknown-fields", GroupRobustness, "Unknown properties never cause a 5xx (a 4xx is a warning)", "graph-calls-facts.md §1.1, §2"},
		{"robustness.malformed-json", GroupRobustness, "A body that is not JSON never causes a 5xx", "graph-calls-facts.md §6"},
		{"robustness.unknown-call", GroupRobustness, "A notification for a call the bot does not know never causes a 5xx", "certify-bot (inferred: a notification the bot cannot place is no reason to fail)"},
		{"robustness.large-roster", GroupRobustness, "A large roster is acknowledged in time", "graph-calls-facts.md §2"},
	}
	for _, f := range forgeries {
		out = append(out, CheckInfo{ID: "negative." + f.name, Group: GroupNegative, Title: "A notification with " + f.what + " is refused with 401 or 403",
			RestsOn: f.quote.source()})
	}
	return append(out, CheckInfo{ID: "negative.view-unchanged", Group: GroupNegative, Title: "The forged notifications the page requires refusing do not change the bot's view of the call",
		RestsOn: qValidateToken.source()})
}

// catalogIndex finds a check's catalog entry by its pattern.
var catalogIndex = func() map[string]CheckInfo {
	m := map[string]CheckInfo{}
	for _, c := range Catalog() {
		m[c.ID] = c
	}
	return m
}()

// Pattern returns the catalog id of a check id: its key replaced by "<key>".
func Pattern(id string) string {
	parts := strings.Split(id, ".")
	if len(parts) == 3 && (parts[0] == GroupOutbound || parts[0] == GroupInbound) && parts[1] != "incoming" {
		parts[1] = "<key>"
	}
	return strings.Join(parts, ".")
}

// newCheck starts check id (about key's call), titled and grouped as the
// catalog says.
func (s *Session) newCheck(id string, key Key) *check {
	info, ok := catalogIndex[Pattern(id)]
	if !ok {
		info = CheckInfo{ID: id, Group: strings.SplitN(id, ".", 2)[0], Title: id} // TestCatalogComplete keeps this from happening
	}
	c := reportCheck(id, info, key)
	c.Requirement = report.RequirementRequired
	if info.Recommended() {
		c.Requirement = report.RequirementRecommended
	}
	return &check{c: c, start: s.now(), now: s.now}
}
