package suites

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph/schema"
)

// The steps of a negative contract.
const (
	stepNegRequest  = "request"
	stepNegResponse = "response"
)

// refusal is what a negative contract expects: a status (one of Statuses,
// or any of class Class×100 when Statuses is empty), a Graph error body
// with a request-id, and, when Code is set, that error code.
//
// Source is what the exact status and code rest on. When it is zero the
// exact status is callcheck's reading (the page documents a refusal, not
// its number): any 4xx or 5xx with a Graph error body is then a refusal,
// and another status than Statuses is an inferred finding, which only warns
// against a remote target (real Graph answers malformed creates with
// 500/9999: msgraph-sdk-java#373, microsoft-graph-docs#16084).
type refusal struct {
	Statuses []int
	Class    int
	Code     string
	Source   Source
	// StatusInferred: Source shows the code but not the HTTP status it came
	// with (7504: the threads quote the code from SDK exceptions), so another
	// refusing status is an inferred finding.
	StatusInferred bool
}

// expects describes the refusal and its evidence, for the catalog.
func (w refusal) expects() string {
	if w.sourced() {
		return fmt.Sprintf("%s (%s: %s)", w.String(), w.Source.Basis, w.Source)
	}
	if w.Source.Basis != "" {
		return fmt.Sprintf("%s (the code: %s: %s; the status is inferred: another 4xx or 5xx is a warning against a remote target)", w.String(), w.Source.Basis, w.Source)
	}
	return w.String() + " (the exact status is inferred: against a remote target any 4xx or 5xx with a Graph error body is a refusal, another status than this one a warning)"
}

// sourced reports whether the exact status rests on a source.
func (w refusal) sourced() bool { return w.Source.Basis != "" && !w.StatusInferred }

func (w refusal) accepts(status int) bool {
	if len(w.Statuses) > 0 {
		return slices.Contains(w.Statuses, status)
	}
	return status/100 == w.Class
}

// String describes the refusal expected, for evidence.
func (w refusal) String() string {
	var s string
	if len(w.Statuses) > 0 {
		parts := make([]string, len(w.Statuses))
		for i, st := range w.Statuses {
			parts[i] = fmt.Sprint(st)
		}
		s = strings.Join(parts, " or ")
	} else {
		s = fmt.Sprintf("%dxx", w.Class)
	}
	if w.Code != "" {
		s += " with error code " + w.Code
	}
	return s + " and a Graph error body with innerError.request-id"
}

// negative describes a negative contract: a request the target must refuse.
type negative struct {
	id, title string
	features  []Feature
	sources   []Source
	want      refusal
	// build returns the request, or a reason to skip the contract (the run
	// has no way to make it, e.g. no app lacking a role on a remote target).
	build func(sp *spec) (req request, create bool, skip string)
}

// negativeContract builds a contract from n: send the request, then judge
// the status and the error body. A create the target wrongly accepts is
// tracked and deleted at cleanup.
func negativeContract(n negative) *Contract {
	c := &Contract{ID: "negative_" + n.id, Title: n.title, Kind: KindNegative, Features: n.features,
		Steps: []string{stepNegRequest, stepNegResponse}, Sources: append(slices.Clone(n.sources), srcErrorBody, srcErrorRequestID)}
	c.Expects = n.want.expects()
	c.run = func(sp *spec) { runNegative(sp, n) }
	return c
}

func runNegative(sp *spec, n negative) {
	var resp *response
	sp.step(stepNegRequest, func() {
		req, create, skip := n.build(sp)
		if skip != "" {
			sp.rec.reason = skip
			ginkgo.Skip(skip)
		}
		var err error
		if create {
			resp, err = sp.client.create(sp.ctx, req.Body, req)
		} else {
			resp, err = sp.client.do(sp.ctx, req)
		}
		if err != nil {
			sp.fail(evidence(n.sources[0], "the request failed: "+err.Error(), n.want.String(), "a transport error"))
		}
	})
	sp.step(stepNegResponse, func() { judgeRefusal(sp, n, resp) })
}

// judgeRefusal checks the refusal: status, Graph error body, request-id,
// code. Accepting the request fails whatever the target; another status
// than the one expected fails when that status is sourced, and is an
// inferred finding when it is not and the answer is still a refusal.
func judgeRefusal(sp *spec, n negative, resp *response) {
	ginkgo.GinkgoHelper()
	var f findings
	if !n.want.accepts(resp.Status) {
		msg := fmt.Sprintf("the target answered %d to %s", resp.Status, n.title)
		src := n.want.Source
		switch {
		case resp.Status/100 == 2:
			msg, src = fmt.Sprintf("the target accepted (%d) %s", resp.Status, n.title), n.sources[0]
		case resp.Status/100 != 4 && resp.Status/100 != 5:
			msg, src = msg+", which is not a refusal", srcStatusTable
		case !n.want.sourced():
			src = n.sources[0].inferred()
			src.URL = srcField9999.URL
		}
		f.add(withResponse(evidence(src, msg, n.want.String(), fmt.Sprint(resp.Status)), resp))
		if resp.Status/100 != 4 && resp.Status/100 != 5 {
			sp.failIf(&f)
		}
	}
	errorBodyFindings(&f, resp, n.want.Code, n.want.Source)
	for _, v := range sp.env.schema.Validate(schema.TypeODataError, resp.Body) {
		f.add(withResponse(evidence(srcErrorBody, "the error body does not conform to the OData error: "+v.Message, v.Type, string(v.Kind)), resp))
	}
	sp.failIf(&f)
}

// documentedBody returns example n's request filled for the run, as the
// starting point of a negative request.
func documentedBody(sp *spec, n int) any {
	ginkgo.GinkgoHelper()
	ex, err := fixtures.ByNumber(n)
	if err != nil {
		ginkgo.Fail(err.Error())
	}
	c, _ := ContractByID(ex.Name())
	var readings []Reading
	if c != nil {
		readings = c.Readings
	}
	body, err := fillRequest(ex, sp.env.values, sp.env.callbackURL, readings)
	if err != nil {
		sp.fail(evidence(srcCreated, "the documented request cannot be filled: "+err.Error(), "", ""))
	}
	return body
}

// createOf is a create request with body.
func createOf(body any) request {
	return request{Method: http.MethodPost, Path: callsPath, Body: encodeJSON(body)}
}

// p2pFeatures are the features of the negative contracts built on Example 1.
var p2pFeatures = []Feature{FeaturePeerToPeer, FeatureServiceHostedMedia}
