package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/callcheck/callcheck/graph"
)

// Graph error codes the emulator answers with: the calling service's numeric
// codes where graph-calls-facts.md §4.2 records them, documented basic codes
// (§4.1) elsewhere.
const (
	CodeBadRequest         = "BadRequest"
	CodeInvalidToken       = "InvalidAuthenticationToken"
	CodeUnknownError       = "UnknownError" // wraps 7500 for delegated tokens (§4.2)
	CodeMissingRole        = "7504"
	CodeTenantMismatch     = "7505"
	CodeSourceInvalid      = "7507"
	CodeCallNotFound       = "8522"
	CodeItemNotFound       = "itemNotFound"
	CodeNotAllowed         = "notAllowed"
	CodeUnsupportedMedia   = "UnsupportedMediaType"
	CodeTooLarge           = "RequestEntityTooLarge"
	CodeTooManyRequests    = "TooManyRequests"
	CodeServiceUnavailable = "serviceNotAvailable"
	CodeGeneralException   = "generalException"
)

// Messages of the calling service's codes, as the field reports quote them.
const (
	msgMissingRole    = "Insufficient enterprise tenant permissions, cannot access this API."
	msgTenantMismatch = "Request authorization tenant mismatch."
	msgCallNotFound   = "Call not found."
	msgDelegated      = `{"errorCode":"7500","message":"Unsupported AAD Identity.","instanceAnnotations":[]}`
)

// reqCtx is one Graph request being served and its record.
type reqCtx struct {
	w       http.ResponseWriter
	r       *http.Request
	rec     RequestRecord
	version string // "beta" or "v1.0"
	start   time.Time
	done    bool
}

// setIDs writes request-id and client-request-id (facts §7: echoed, or equal
// to request-id when the client sent none).
func (e *Emulator) setIDs(rc *reqCtx) {
	// Keys written in their canonical form (what Set would make of
	// "request-id"), which spares Set's canonicalizing copy.
	h := rc.w.Header()
	cid := rc.rec.ClientRequestID
	if cid == "" {
		cid = rc.rec.RequestID
	}
	ids := []string{rc.rec.RequestID, cid} // one array for both values
	if !e.vio.on(VMissingRequestID) {
		h["Request-Id"] = ids[0:1:1]
	}
	if !e.vio.on(VClientRequestIDNotEchoed) || rc.rec.ClientRequestID == "" {
		h["Client-Request-Id"] = ids[1:2:2]
	}
}

// contentTypeJSON is the Content-Type of every JSON answer, shared (net/http
// only reads a response's header values).
var contentTypeJSON = []string{"application/json"}

// writeJSON answers with status and a JSON body.
func (e *Emulator) writeJSON(rc *reqCtx, status int, body []byte) {
	e.setIDs(rc)
	h := rc.w.Header()
	h["Content-Type"] = contentTypeJSON
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	e.record(rc, status)
	rc.w.WriteHeader(status)
	_, _ = rc.w.Write(body)
}

// writeEmpty answers with status and no body.
func (e *Emulator) writeEmpty(rc *reqCtx, status int) {
	e.setIDs(rc)
	e.record(rc, status)
	rc.w.WriteHeader(status)
}

// record completes the request's record with status and stores it, before
// the response leaves, so a client that has the response finds the record.
func (e *Emulator) record(rc *reqCtx, status int) {
	rc.rec.Status, rc.done = status, true
	if status >= 400 {
		e.stats.rejected.Add(1)
	}
	rc.rec.Latency = e.now().Sub(rc.start)
	e.requests.add(rc.rec, func(r *RequestRecord, seq uint64) { r.Seq = seq })
}

// fail answers with a Graph error body (facts §4.1) and records it.
func (e *Emulator) fail(rc *reqCtx, status int, code, message string) {
	rc.rec.ErrorCode, rc.rec.ErrorMessage = code, message
	if e.vio.on(VErrorBodyNotJSON) {
		e.setIDs(rc)
		rc.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		e.record(rc, status)
		rc.w.WriteHeader(status)
		_, _ = rc.w.Write([]byte(code + ": " + message + "\n"))
		return
	}
	cid := rc.rec.ClientRequestID
	if cid == "" {
		cid = rc.rec.RequestID
	}
	body := graph.NewError(code, message, rc.rec.RequestID, cid, e.now())
	if e.vio.on(VErrorBodyWithoutRequestID) {
		body.Error.InnerError.RequestID, body.Error.InnerError.ClientRequestID = "", ""
	}
	if status == http.StatusTooManyRequests {
		// The throttling example's innerError adds code and status (facts §4.3, §9.14).
		body.Error.InnerError.Extra = graph.Extra{"code": json.RawMessage(`"429"`), "status": json.RawMessage(`"429"`),
			"message": json.RawMessage(`"Please retry after"`)}
	}
	e.writeJSON(rc, status, mustJSON(body))
}

// failVerdict refuses the request for the first error verdict.
func (e *Emulator) failVerdict(rc *reqCtx, v Verdict, status int, code string) {
	e.fail(rc, status, code, v.Message)
}
