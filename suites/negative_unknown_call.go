package suites

import (
	"net/http"

	"github.com/onsi/ginkgo/v2"

	"github.com/callcheck/callcheck/graph"
)

// NegativeUnknownCall: GET and DELETE of a call id the target never made
// answer 404 with a Graph error body (§3.10, §4.2: 8522 "Call not found.").
var NegativeUnknownCall = &Contract{ID: "negative_unknown_call", Title: "GET and DELETE of an unknown call id",
	Kind: KindNegative, Steps: []string{"get", "delete"}, Sources: []Source{srcGone, srcCallNotFound, srcErrorBody, srcErrorRequestID},
	Expects: refusal{Statuses: []int{http.StatusNotFound}, Source: srcGone}.expects(), run: runUnknownCall}

func init() { register(NegativeUnknownCall) }

func runUnknownCall(sp *spec) {
	id := graph.NewGUID()
	want := refusal{Statuses: []int{http.StatusNotFound}, Source: srcGone}
	n := negative{title: "a request for unknown call " + id, sources: []Source{srcGone}, want: want}
	for _, method := range []string{http.MethodGet, http.MethodDelete} {
		sp.step(map[string]string{http.MethodGet: "get", http.MethodDelete: "delete"}[method], func() {
			ginkgo.GinkgoHelper()
			resp, err := sp.client.do(sp.ctx, request{Method: method, Path: callPath(id)})
			if err != nil {
				sp.fail(evidence(srcGone, method+" failed: "+err.Error(), want.String(), "a transport error"))
			}
			judgeRefusal(sp, n, resp)
		})
	}
}
