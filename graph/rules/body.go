package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strings"

	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/internal/jsonptr"
)

// RequestSchema returns v as the rulebook validates a request body with it:
// enum values match their members whatever their case, as Graph matches
// them (SrcEnumCase). The emulator and certify-bot both validate through it.
func RequestSchema(v *schema.Validator) *schema.Validator {
	return v.With(schema.CaseInsensitiveEnums())
}

// CanonicalEnums returns body (a JSON call object) with every enum value
// sent in another case spelled as its member ("Audio" becomes "audio"), as
// Graph answers it (SrcEnumCase), and the values changed; body itself when
// there are none, it is not JSON or v is nil.
func CanonicalEnums(v *schema.Validator, body []byte) ([]byte, []schema.EnumFix) {
	if v == nil {
		return body, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return body, nil
	}
	fixes := v.CanonicalEnums(schema.TypeCall, doc)
	if len(fixes) == 0 {
		return body, nil
	}
	for _, f := range fixes {
		jsonptr.Set(doc, f.Pointer, f.Member)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return body, nil
	}
	return out, fixes
}

// CheckBody judges a create request body against the request schema of v
// (RequestSchema) from one decoding of it: the findings (FromSchema), and
// the body with every enum value sent in another case spelled as its member
// (what CanonicalEnums returns) and the values changed. A body that is not
// JSON comes back unchanged with the json finding.
func CheckBody(v *schema.Validator, body []byte) ([]Finding, []byte, []schema.EnumFix) {
	// A body that certainly conforms is judged from its bytes, without
	// decoding it; enums are matched exactly there, so v's case option does
	// not change the answer.
	if v.PlainRequest(schema.TypeCall, body) {
		return FromSchema(nil), body, nil
	}
	doc, bad := v.Decode(body)
	if bad != nil {
		return FromSchema([]schema.Violation{*bad}), body, nil
	}
	vs, fixes := RequestSchema(v).CheckRequest(schema.TypeCall, doc)
	if len(fixes) == 0 {
		return FromSchema(vs), body, nil
	}
	for _, f := range fixes {
		jsonptr.Set(doc, f.Pointer, f.Member)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return FromSchema(vs), body, nil
	}
	return FromSchema(vs), out, fixes
}

// CheckContentType judges a request's Content-Type: application/json with
// any parameters (media types match case-insensitively, RFC 9110 §8.3.1).
// It returns the finding, false when there is none.
func CheckContentType(ct string) (Finding, bool) {
	switch {
	case ct == "application/json": // what clients send: no parsing needed
	case ct == "":
		return finding(ContentType, "", "application/json", "(none)", "The request has no Content-Type; application/json is required."), true
	default:
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !strings.EqualFold(mt, "application/json") {
			return finding(ContentType, "", "application/json", ct, fmt.Sprintf("Content-Type %q is not supported; application/json is required.", ct)), true
		}
	}
	return Finding{}, false
}

// CheckContentEncoding judges a request's Content-Encoding header values:
// identity (or none), gzip (x-gzip) and deflate are what the service decodes
// (SrcContentEncoding), listed in the order they were applied. It returns the
// codings to undo, in that order, and a finding for any other coding.
func CheckContentEncoding(values []string) ([]string, Finding, bool) {
	var codings []string
	for _, value := range values {
		for _, c := range strings.Split(value, ",") {
			switch name := strings.ToLower(strings.TrimSpace(c)); name {
			case "", "identity":
			case "gzip", "x-gzip": // x-gzip: RFC 9110 §8.4.1.3
				codings = append(codings, "gzip")
			case "deflate":
				codings = append(codings, "deflate")
			default:
				return nil, finding(ContentEncoding, "", "gzip, deflate or identity", strings.TrimSpace(c),
					fmt.Sprintf("Content-Encoding %q is not supported; send gzip, deflate or identity.", strings.TrimSpace(c))), true
			}
		}
	}
	return codings, Finding{}, false
}

// BodyTooLarge is the finding of a body larger than limit bytes.
func BodyTooLarge(limit int64) Finding {
	return finding(BodySize, "", fmt.Sprintf("at most %d bytes", limit), "", fmt.Sprintf("The request body is larger than the limit of %d bytes.", limit))
}

// NotACall is the finding of a body that decodes to no call object.
func NotACall(err error) Finding {
	return finding(JSON, "", "a JSON call object", "", fmt.Sprintf("The request body is not a JSON call object: %v", err))
}

// FromSchema turns the violations of a create body's schema validation
// (graph/schema's ValidateRequest of microsoft.graph.call) into findings:
// a body that is not JSON breaks json, a read-only property sent is a
// read-only warning (the page's own examples send some), anything else
// breaks schema.
func FromSchema(vs []schema.Violation) []Finding {
	out := make([]Finding, 0, len(vs))
	for _, v := range vs {
		switch v.Kind {
		case schema.KindInvalidJSON:
			out = append(out, finding(JSON, "", "strict JSON", "", "The request body is not valid JSON: "+v.Message))
		case schema.KindReadOnly:
			out = append(out, finding(ReadOnly, v.Pointer, "not sent", "", fmt.Sprintf("%s is read-only; the service ignores it: %s", pointerName(v.Pointer), v.Message)))
		default:
			out = append(out, finding(Schema, v.Pointer, "", "", fmt.Sprintf("%s: %s", pointerName(v.Pointer), v.Message)))
		}
	}
	return out
}

func pointerName(p string) string {
	if p == "" {
		return "The body"
	}
	return p
}

// finding is a finding of rule id with the table's severity, status, code
// and source.
func finding(id ID, pointer, expected, got, msg string) Finding {
	r, _ := Lookup(id)
	return Finding{Rule: id, Severity: r.Severity, Pointer: pointer, Message: msg, Expected: expected, Got: got,
		Source: r.Source, Status: r.Status, Code: r.Code}
}
