package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// Option changes how a Validator matches values; see With.
type Option func(*options)

type options struct {
	caseInsensitiveEnums bool
	noFastPath           bool // every object to kin-openapi (the tests comparing the two)
}

// CaseInsensitiveEnums makes enum values match their members whatever the casing: the service and field
// traffic send both "establishing" and "Establishing", "updated" and "Updated" (graph-calls-facts.md §2).
func CaseInsensitiveEnums() Option {
	return func(o *options) { o.caseInsensitiveEnums = true }
}

// EnumFix is an enum value that matches a member of its enum only when case
// is ignored ("Audio" for "audio"), with the member's spelling in the
// metadata.
type EnumFix struct {
	Pointer string // where the value is in the body (RFC 6901)
	Got     string // the value as sent
	Member  string // the member it matches, as the metadata spells it
}

// CanonicalEnums returns every enum value of value (decoded JSON validated
// as typeName) that matches a member only when case is ignored, with the
// member's spelling, sorted by pointer: what a service that matches enums
// case-insensitively answers in place of what was sent. It reports nothing
// else: use Validate for violations.
func (v *Validator) CanonicalEnums(typeName string, value any) []EnumFix {
	t := v.lookup(typeName)
	if t == nil || !t.object {
		return nil
	}
	w := walker{v: v.With(CaseInsensitiveEnums())}
	w.root(value, t)
	sort.SliceStable(w.fixes, func(i, j int) bool { return w.fixes[i].Pointer < w.fixes[j].Pointer })
	return w.fixes
}

// With returns a Validator sharing v's compiled schema with the options applied.
func (v *Validator) With(opts ...Option) *Validator {
	out := *v
	for _, o := range opts {
		o(&out.opts)
	}
	return &out
}

// Validate decodes body as one JSON value and validates it as typeName (microsoft.graph.call; a leading
// '#' is accepted). It returns nil when the body conforms; otherwise the violations, sorted by pointer.
func (v *Validator) Validate(typeName string, body []byte) []Violation {
	value, bad := decode(body)
	if bad != nil {
		return []Violation{*bad}
	}
	return v.ValidateValue(typeName, value)
}

// ValidateValue validates an already decoded JSON value (what encoding/json decodes into an any, with or
// without UseNumber) as typeName.
func (v *Validator) ValidateValue(typeName string, value any) []Violation {
	return v.validate(typeName, value, false)
}

// ValidateRequest validates a request body as typeName like Validate, and also reports every read-only
// property the body sets to a non-null value (KindReadOnly): a create request sending "tenantId" or
// "direction" (create-call-doc.txt group-call examples; graph-calls-facts.md §9.3).
func (v *Validator) ValidateRequest(typeName string, body []byte) []Violation {
	value, bad := decode(body)
	if bad != nil {
		return []Violation{*bad}
	}
	return v.validate(typeName, value, true)
}

// CheckRequest validates an already decoded request body as typeName like ValidateRequest, and also
// returns, sorted by pointer, the enum values that match their members only when case is ignored (what
// CanonicalEnums returns; none unless v has CaseInsensitiveEnums): both from one walk of the value.
func (v *Validator) CheckRequest(typeName string, value any) ([]Violation, []EnumFix) {
	t := v.lookup(typeName)
	if t == nil || !t.object {
		return v.validate(typeName, value, true), nil
	}
	w := walker{v: v, request: true}
	w.root(value, t)
	sortViolations(w.out)
	sort.SliceStable(w.fixes, func(i, j int) bool { return w.fixes[i].Pointer < w.fixes[j].Pointer })
	return w.out, w.fixes
}

// Decode reads body as exactly one JSON value, numbers kept as json.Number, as Validate decodes it; the
// violation (KindInvalidJSON) when it is not. Strings that are names of the subset share their memory.
func (v *Validator) Decode(body []byte) (any, *Violation) { return decodeNames(body, v.model.names) }

func (v *Validator) validate(typeName string, value any, request bool) []Violation {
	t := v.lookup(typeName)
	if t == nil || !t.object {
		return []Violation{{Kind: KindUnknownType, Message: fmt.Sprintf("no structured type %q in the %s schema subset", typeName, v.version)}}
	}
	w := walker{v: v, request: request}
	w.root(value, t)
	sortViolations(w.out)
	return w.out
}

// decode reads exactly one JSON value, keeping numbers as json.Number.
func decode(body []byte) (any, *Violation) { return decodeNames(body, nil) }

// decodeNames is decode; a string equal to one of names is that string.
func decodeNames(body []byte, names map[string]string) (any, *Violation) {
	d := jsonBuild{b: body, names: names}
	if v, ok := d.build(); ok {
		return v, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var value any
	if err := dec.Decode(&value); err != nil {
		return nil, &Violation{Kind: KindInvalidJSON, Message: jsonError(err, body)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &Violation{Kind: KindInvalidJSON, Message: fmt.Sprintf("data after the JSON value at byte %d", dec.InputOffset())}
	}
	return value, nil
}

// jsonError names the position of a decoding error.
func jsonError(err error, body []byte) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		line, col := position(body, syntax.Offset)
		return fmt.Sprintf("invalid JSON at line %d, column %d (byte %d): %v", line, col, syntax.Offset, err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "invalid JSON: the body ends before the value does"
	}
	return "invalid JSON: " + err.Error()
}

// position converts a byte offset (as json.SyntaxError counts it: bytes read) to a line and column.
func position(body []byte, offset int64) (line, col int) {
	if offset > int64(len(body)) {
		offset = int64(len(body))
	}
	before := body[:max(offset-1, 0)]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

func sortViolations(out []Violation) {
	if len(out) < 2 {
		return
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pointer != out[j].Pointer {
			return out[i].Pointer < out[j].Pointer
		}
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Message < out[j].Message
	})
}
