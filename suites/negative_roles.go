package suites

import (
	"github.com/callcheck/callcheck/graph/rules"
)

// The negative contracts on permissions: each scenario's documented create
// sent with the token of an app that holds every calling permission but the
// one the scenario needs (graph-calls-facts.md §5.1), and the tenant check.
var (
	// NegativeRoleMissingPeerToPeer: Example 1 without Calls.Initiate.All.
	NegativeRoleMissingPeerToPeer = roleContract("role_missing_peer_to_peer")
	// NegativeRoleMissingAppHostedMedia: Example 2 without Calls.AccessMedia.All.
	NegativeRoleMissingAppHostedMedia = roleContract("role_missing_app_hosted_media")
	// NegativeRoleMissingGroupCall: Example 3 without Calls.InitiateGroupCall.All.
	NegativeRoleMissingGroupCall = roleContract("role_missing_group_call")
	// NegativeRoleMissingMeetingJoin: Example 5 without Calls.JoinGroupCall.All.
	NegativeRoleMissingMeetingJoin = roleContract("role_missing_meeting_join")
	// NegativeRoleMissingGuestJoin: Example 8 without Calls.JoinGroupCallAsGuest.All.
	NegativeRoleMissingGuestJoin = roleContract("role_missing_guest_join")
	// NegativeRoleMissingPSTN: Example 9 without Calls.Initiate.All.
	NegativeRoleMissingPSTN = roleContract("role_missing_pstn")

	// NegativeTenantMismatch: Example 1 with a tenantId other than the
	// token's (§4.2: 403 "7505" "Request authorization tenant mismatch.").
	NegativeTenantMismatch = ruleContract(rules.Tenant, "tenant_mismatch", srcTenantMismatch)

	// NegativeMeetingWithoutTenant: Example 5 (a scheduled meeting's join)
	// without its top-level tenantId: 403 with code 7505, as the field
	// reports show (graph/rules meeting-tenant).
	NegativeMeetingWithoutTenant = ruleContract(rules.MeetingTenant, "meeting_join_without_tenantId", srcFieldMeetingTenant, srcTenantMismatch)
)

func init() {
	for _, c := range []*Contract{NegativeRoleMissingPeerToPeer, NegativeRoleMissingAppHostedMedia, NegativeRoleMissingGroupCall,
		NegativeRoleMissingMeetingJoin, NegativeRoleMissingGuestJoin, NegativeRoleMissingPSTN, NegativeTenantMismatch, NegativeMeetingWithoutTenant} {
		register(c)
	}
}

// roleContract: the roles rule's negative called name, its example's
// create with the token of an app lacking the role: 403 with code 7504
// (§4.2: "Insufficient enterprise tenant permissions").
func roleContract(name string) *Contract {
	return ruleContract(rules.Roles, name, srcMissingRole, srcAppHostedRole)
}
