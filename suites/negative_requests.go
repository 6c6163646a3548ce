package suites

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
)

// The negative contracts on request bodies: not JSON, a required member
// missing, too many group targets, a non-https callback, a wrong content
// type.
var (
	// NegativeBodyNotJSON: a body that is not JSON at all.
	NegativeBodyNotJSON = negativeContract(negative{id: "body_not_json", title: "A create whose body is not JSON",
		features: p2pFeatures, sources: []Source{srcContentType, srcStatusTable}, want: refusal{Statuses: []int{http.StatusBadRequest}},
		build: func(sp *spec) (request, bool, string) {
			return request{Method: http.MethodPost, Path: callsPath, Body: []byte("this is not JSON {")}, true, ""
		}})
	// NegativeMissingCallbackURI: Example 1 without callbackUri.
	NegativeMissingCallbackURI = ruleContract(rules.CallbackRequired, "missing_callbackUri", srcCallbackRequired, srcStatusTable)
	// NegativeMissingMediaConfig: Example 1 without mediaConfig.
	NegativeMissingMediaConfig = ruleContract(rules.MediaRequired, "missing_mediaConfig", srcMediaRequired, srcStatusTable)
	// NegativeTooManyTargets: Example 3 with six targets ("This supports up
	// to 5 VoIP users").
	NegativeTooManyTargets = ruleContract(rules.TargetsMax, "too_many_targets", srcGroupMax, srcStatusTable)
	// NegativeHTTPCallback: Example 1 with a plain-http callbackUri.
	NegativeHTTPCallback = ruleContract(rules.CallbackHTTPS, "non_https_callback", srcHTTPS, srcStatusTable)
	// NegativeWrongContentType: Example 1's body as text/plain
	// ("Content-type application/json. Required."); 415 or 400.
	NegativeWrongContentType = negativeContract(negative{id: "wrong_content_type", title: "Example 1 sent as text/plain",
		features: p2pFeatures, sources: []Source{srcContentType, srcStatusTable},
		want: refusal{Statuses: []int{http.StatusUnsupportedMediaType, http.StatusBadRequest}},
		build: func(sp *spec) (request, bool, string) {
			req := createOf(documentedBody(sp, 1))
			req.ContentType = "text/plain"
			return req, true, ""
		}})
)

func init() {
	for _, c := range []*Contract{NegativeBodyNotJSON, NegativeMissingCallbackURI, NegativeMissingMediaConfig,
		NegativeTooManyTargets, NegativeHTTPCallback, NegativeWrongContentType} {
		register(c)
	}
}

// sixTargets returns six user targets: the configured users, then new ids.
func sixTargets(users []Identity) []any {
	var out []any
	for i := 0; i < 6; i++ {
		u := Identity{ID: graph.NewGUID(), DisplayName: fmt.Sprintf("user%d", i+1)}
		if i < len(users) {
			u = users[i]
		}
		out = append(out, map[string]any{
			"@odata.type": graph.TypeInvitationParticipantInfo,
			"identity": map[string]any{"@odata.type": graph.TypeIdentitySet,
				"user": map[string]any{"@odata.type": graph.TypeIdentity, "id": u.ID, "displayName": u.DisplayName}},
		})
	}
	return out
}

// plainHTTP returns an http:// callback URL: the run's own with its scheme
// changed when it is https, else the documented callback over http (the
// embedded run's receiver is already plain-http loopback, which the
// emulator allows as a harness concession).
func plainHTTP(callback string) string {
	if rest, ok := strings.CutPrefix(callback, "https://"); ok {
		return "http://" + rest
	}
	return "http://bot.contoso.com/callback"
}
