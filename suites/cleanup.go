package suites

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
)

// deleteCall hangs up: DELETE answers 204 No Content with no body (§3.8).
func (r *exampleRun) deleteCall() {
	ginkgo.GinkgoHelper()
	r.deleted = true
	resp, err := r.client.do(r.ctx, request{Method: http.MethodDelete, Path: callPath(r.id)})
	if err != nil {
		r.fail(evidence(srcDelete204, "DELETE of the call failed: "+err.Error(), "204", "a transport error"))
	}
	var f findings
	if resp.Status != http.StatusNoContent {
		f.add(withResponse(evidence(srcDelete204, "DELETE of the call did not answer 204 No Content", "204", fmt.Sprint(resp.Status)), resp))
	} else {
		r.client.forget(r.id)
	}
	if len(resp.Body) > 0 && resp.Status/100 == 2 {
		f.add(withResponse(evidence(srcDelete204, "DELETE answered with a body", "no body", fmt.Sprintf("%d bytes", len(resp.Body))), resp))
	}
	if resp.RequestID() == "" {
		f.add(evidence(srcRequestID, "the DELETE response has no request-id header", "a request-id header", "none"))
	}
	r.failIf(&f)
}

// awaitGone waits until GET of the terminated call answers 404 with a
// Graph error body (§3.10).
func (r *exampleRun) awaitGone() {
	ginkgo.GinkgoHelper()
	var last *response
	err := r.poll(r.t.Gone, func() error {
		resp, err := r.client.do(r.ctx, request{Method: http.MethodGet, Path: callPath(r.id)})
		if err != nil {
			return gomega.StopTrying(err.Error())
		}
		last = resp
		if resp.Status != http.StatusNotFound {
			return errors.New("still there")
		}
		return nil
	})
	if err != nil {
		status := "no response"
		if last != nil {
			status = fmt.Sprint(last.Status)
		}
		r.fail(withResponse(evidence(srcGone, fmt.Sprintf("GET of the terminated call did not answer 404 within %s (%v)", r.t.Gone, err), "404", status), last))
	}
	var f findings
	errorBodyFindings(&f, last, "", srcGone)
	r.failIf(&f)
}
