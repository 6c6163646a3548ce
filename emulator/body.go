package emulator

import (
	"errors"
	"fmt"
	"github.com/callcheck/callcheck/graph/rules"
	"io"
	"net/http"
)

// readJSONBody reads a request body that must be JSON: the Content-Type
// (415 otherwise, the doc: "Content-type application/json. Required."),
// the Content-Encoding (415 for one the emulator does not decode), the size
// limit (413, on the bytes received and again after decoding), the nesting
// limit (400) and duplicate member names (400: echoing both copies would
// make the answer undecodable). It records the decoded body. False when it
// already answered.
func (e *Emulator) readJSONBody(rc *reqCtx) ([]byte, bool) {
	if v, ok := e.checkContentType(rc.r.Header.Get("Content-Type")); !ok && !e.vio.on(VWrongContentTypeAccepted) {
		e.reject(rc, v, http.StatusUnsupportedMediaType, CodeUnsupportedMedia)
		return nil, false
	}
	codings, v, ok := parseContentEncoding(rc.r.Header.Values("Content-Encoding"))
	if !ok {
		e.reject(rc, v, http.StatusUnsupportedMediaType, CodeUnsupportedMedia)
		return nil, false
	}
	limit := e.cfg.Limits.MaxBodyBytes
	body, err := readAll(http.MaxBytesReader(rc.w, rc.r.Body, limit), rc.r.ContentLength, limit)
	if err == nil && len(codings) > 0 {
		body, err = decodeBody(body, codings, limit)
	}
	e.recordBody(rc, body)
	if !e.bodyReadOK(rc, err) {
		return nil, false
	}
	if err := checkNesting(body, e.cfg.Limits.MaxNesting); err != nil {
		e.reject(rc, Verdict{Rule: string(rules.JSONNesting), Severity: SeverityError, Message: err.Error()},
			http.StatusBadRequest, CodeBadRequest)
		return nil, false
	}
	if f, bad := rules.CheckDuplicateMembers(body); bad {
		e.reject(rc, verdictOf(f), f.Status, f.Code)
		return nil, false
	}
	return body, true
}

// bodyReadOK answers 413 for a body over the limit (as received, or once
// decoded) and 400 for one that could not be read or decoded; true when err
// is nil.
func (e *Emulator) bodyReadOK(rc *reqCtx, err error) bool {
	if err == nil {
		return true
	}
	var tooLarge *http.MaxBytesError // on the heap (errors.As): only for errors
	switch {
	case errors.As(err, &tooLarge):
		e.reject(rc, Verdict{Rule: string(rules.BodySize), Severity: SeverityError,
			Message: fmt.Sprintf("The request body is larger than the limit of %d bytes.", e.cfg.Limits.MaxBodyBytes)},
			http.StatusRequestEntityTooLarge, CodeTooLarge)
	case errors.Is(err, errDecodedTooLarge):
		e.reject(rc, Verdict{Rule: string(rules.BodySize), Severity: SeverityError, Source: contentEncodingSource,
			Message: fmt.Sprintf("The request body is larger than the limit of %d bytes once decoded (Content-Encoding).", e.cfg.Limits.MaxBodyBytes)},
			http.StatusRequestEntityTooLarge, CodeTooLarge)
	default:
		e.reject(rc, Verdict{Rule: string(rules.BodyRead), Severity: SeverityError,
			Message: "The request body could not be read: " + err.Error()}, http.StatusBadRequest, CodeBadRequest)
	}
	return false
}

// readAll reads r into a buffer sized from the Content-Length (when given
// and within the limit), sparing io.ReadAll's growth steps.
func readAll(r io.Reader, length, limit int64) ([]byte, error) {
	if length <= 0 || length > limit {
		return io.ReadAll(r)
	}
	buf := make([]byte, length) // net/http ends the body after Content-Length bytes
	n, err := io.ReadFull(r, buf)
	return buf[:n], err
}

// checkContentType judges the Content-Type with the rulebook: false, and
// the verdict, when it is not application/json.
func (e *Emulator) checkContentType(ct string) (Verdict, bool) {
	f, bad := rules.CheckContentType(ct)
	return verdictOf(f), !bad
}

// recordBody keeps up to Limits.RecordBodyBytes of the body in the record.
func (e *Emulator) recordBody(rc *reqCtx, body []byte) {
	rc.rec.BodyBytes = int64(len(body))
	keep := body
	if len(keep) > e.cfg.Limits.RecordBodyBytes {
		keep, rc.rec.BodyTruncated = keep[:e.cfg.Limits.RecordBodyBytes], true
	}
	rc.rec.Body = string(keep)
}

// reject records v and answers with status and code.
func (e *Emulator) reject(rc *reqCtx, v Verdict, status int, code string) {
	rc.rec.Verdicts = append(rc.rec.Verdicts, v)
	e.fail(rc, status, code, v.Message)
}

// checkNesting refuses JSON nested deeper than limit (objects and arrays),
// before any decoder recurses into it. Brackets inside strings do not count.
func checkNesting(body []byte, limit int) error {
	depth, inString, escaped := 0, false, false
	for i, b := range body {
		switch {
		case inString && escaped:
			escaped = false
		case inString && b == '\\':
			escaped = true
		case inString && b == '"':
			inString = false
		case inString:
		case b == '"':
			inString = true
		case b == '{' || b == '[':
			if depth++; depth > limit {
				return fmt.Errorf("The JSON body is nested deeper than %d levels (at byte offset %d).", limit, i)
			}
		case b == '}' || b == ']':
			depth--
		}
	}
	return nil
}
