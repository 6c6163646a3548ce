package suites

import (
	"net/http"

	"github.com/callcheck/callcheck/identity"
)

// The negative contracts on access tokens: Example 1's create with no
// token, a malformed one, an expired one, one for another audience, and a
// delegated (user) one. Against the embedded emulator the defective tokens
// come from its identity platform; against a remote target they are signed
// by a key of callcheck's own, so the target may refuse them for that too.
var (
	// NegativeTokenMissing: no Authorization header ("Bearer {token}. Required.").
	NegativeTokenMissing = tokenContract("token_missing", "Example 1 with no access token", nil, refusal{Statuses: []int{http.StatusUnauthorized}})
	// NegativeTokenMalformed: a bearer value that is not a JWT.
	NegativeTokenMalformed = tokenContract("token_malformed", "Example 1 with a malformed access token",
		defect(identity.DefectMalformed), refusal{Statuses: []int{http.StatusUnauthorized}})
	// NegativeTokenExpired: a token whose exp is an hour past.
	NegativeTokenExpired = tokenContract("token_expired", "Example 1 with an expired access token",
		defect(identity.DefectExpired), refusal{Statuses: []int{http.StatusUnauthorized}})
	// NegativeTokenWrongAudience: a token for another resource than Graph.
	NegativeTokenWrongAudience = tokenContract("token_wrong_audience", "Example 1 with an access token for another audience",
		defect(identity.DefectWrongAudience), refusal{Statuses: []int{http.StatusUnauthorized}})
	// NegativeTokenDelegated: a user token; "Delegated ... Not Supported"
	// (the permission table); the service answers a 4xx (§4.2, 7500).
	NegativeTokenDelegated = tokenContract("token_delegated", "Example 1 with a delegated (user) access token",
		defect(identity.DefectDelegated), refusal{Class: 4})
)

func init() {
	for _, c := range []*Contract{NegativeTokenMissing, NegativeTokenMalformed, NegativeTokenExpired, NegativeTokenWrongAudience, NegativeTokenDelegated} {
		register(c)
	}
}

// tokenMaker makes the Authorization of a token contract; nil sends none.
type tokenMaker func(sp *spec) (string, error)

func defect(d identity.Defect) tokenMaker {
	return func(sp *spec) (string, error) {
		tok, err := sp.env.defects.DefectiveToken(sp.env.values.Application.ID, d)
		return "Bearer " + tok, err
	}
}

func tokenContract(id, title string, mint tokenMaker, want refusal) *Contract {
	srcs := []Source{srcAuthHeader, srcStatusTable}
	if id == "token_delegated" {
		srcs = []Source{srcDelegated}
	}
	return negativeContract(negative{id: id, title: title, features: p2pFeatures, sources: srcs, want: want,
		build: func(sp *spec) (request, bool, string) {
			req := createOf(documentedBody(sp, 1))
			if mint == nil {
				req.Auth = authNone
				return req, true, ""
			}
			auth, err := mint(sp)
			if err != nil {
				sp.fail(evidence(srcAuthHeader, "minting the defective token failed: "+err.Error(), "", ""))
			}
			req.Auth, req.Authorization = authGiven, auth
			return req, true, ""
		}})
}
