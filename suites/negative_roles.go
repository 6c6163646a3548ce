package suites

import (
	"net/http"
	"strconv"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/identity"
)

// The negative contracts on permissions: each scenario's documented create
// sent with the token of an app that holds every calling permission but the
// one the scenario needs (graph-calls-facts.md §5.1), and the tenant check.
var (
	// NegativeRoleMissingPeerToPeer: Example 1 without Calls.Initiate.All.
	NegativeRoleMissingPeerToPeer = roleContract("role_missing_peer_to_peer", "peer-to-peer", 1, emulator.RoleInitiate, p2pFeatures)
	// NegativeRoleMissingAppHostedMedia: Example 2 without Calls.AccessMedia.All.
	NegativeRoleMissingAppHostedMedia = roleContract("role_missing_app_hosted_media", "app-hosted media", 2, emulator.RoleAccessMedia,
		[]Feature{FeaturePeerToPeer, FeatureAppHostedMedia})
	// NegativeRoleMissingGroupCall: Example 3 without Calls.InitiateGroupCall.All.
	NegativeRoleMissingGroupCall = roleContract("role_missing_group_call", "group call", 3, emulator.RoleInitiateGroupCall,
		[]Feature{FeatureGroupCall, FeatureServiceHostedMedia})
	// NegativeRoleMissingMeetingJoin: Example 5 without Calls.JoinGroupCall.All.
	NegativeRoleMissingMeetingJoin = roleContract("role_missing_meeting_join", "meeting join", 5, emulator.RoleJoinGroupCall,
		[]Feature{FeatureMeetingJoin, FeatureServiceHostedMedia})
	// NegativeRoleMissingGuestJoin: Example 8 without Calls.JoinGroupCallAsGuest.All.
	NegativeRoleMissingGuestJoin = roleContract("role_missing_guest_join", "guest join", 8, emulator.RoleJoinGroupCallAsGuest,
		[]Feature{FeatureGuestJoin, FeatureChannelMeeting, FeatureServiceHostedMedia})
	// NegativeRoleMissingPSTN: Example 9 without Calls.Initiate.All.
	NegativeRoleMissingPSTN = roleContract("role_missing_pstn", "PSTN call", 9, emulator.RoleInitiate,
		[]Feature{FeaturePSTN, FeatureServiceHostedMedia})

	// NegativeTenantMismatch: Example 1 with a tenantId other than the
	// token's (§4.2: 403 "7505" "Request authorization tenant mismatch.").
	NegativeTenantMismatch = negativeContract(negative{id: "tenant_mismatch", title: "Example 1 for another tenant than the token's",
		features: p2pFeatures, sources: []Source{srcTenantMismatch}, want: refusal{Statuses: []int{http.StatusForbidden}, Code: "7505"},
		build: func(sp *spec) (request, bool, string) {
			body := documentedBody(sp, 1)
			setAt(body, "/tenantId", identity.ForeignTenantID)
			return createOf(body), true, ""
		}})
)

func init() {
	for _, c := range []*Contract{NegativeRoleMissingPeerToPeer, NegativeRoleMissingAppHostedMedia, NegativeRoleMissingGroupCall,
		NegativeRoleMissingMeetingJoin, NegativeRoleMissingGuestJoin, NegativeRoleMissingPSTN, NegativeTenantMismatch} {
		register(c)
	}
}

// roleContract: example n's create with the token of an app lacking role:
// 403 with code 7504 (§4.2: "Insufficient enterprise tenant permissions").
func roleContract(id, scenario string, example int, role string, features []Feature) *Contract {
	return negativeContract(negative{id: id, title: "Example " + strconv.Itoa(example) + " (" + scenario + ") without " + role,
		features: features, sources: []Source{srcMissingRole, srcAppHostedRole},
		want: refusal{Statuses: []int{http.StatusForbidden}, Code: "7504"},
		build: func(sp *spec) (request, bool, string) {
			ts := sp.env.lacking[role]
			if ts == nil {
				return request{}, false, "no app lacking " + role + " is configured (values: appsLackingRole)"
			}
			req := createOf(documentedBody(sp, example))
			req.Tokens = ts
			return req, true, ""
		}})
}
