package schema

import (
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/internal/jsonptr"
)

// ViolationKind classifies a Violation.
type ViolationKind string

// The kinds of violation.
const (
	// KindInvalidJSON: the body is not one JSON value (RFC 8259).
	KindInvalidJSON ViolationKind = "invalid-json"
	// KindSchema: a value does not satisfy its type's schema (type, nullability, enum, required, bounds),
	// or an object of an abstract type does not name a concrete type.
	KindSchema ViolationKind = "schema"
	// KindUnknownType: an @odata.type (or the type asked for) names no type of the subset.
	KindUnknownType ViolationKind = "unknown-type"
	// KindTypeMismatch: an @odata.type names a type that is neither the property's declared type nor derives from it.
	KindTypeMismatch ViolationKind = "type-mismatch"
	// KindReadOnly: a request sets a read-only property (only ValidateRequest reports it).
	KindReadOnly ViolationKind = "read-only"
)

// Violation is one way a body departs from the schema.
type Violation struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value in the body ("" for the whole body). For
	// unknown-type and type-mismatch it points at the @odata.type member.
	Pointer string
	// Kind classifies the violation.
	Kind ViolationKind
	// Type is the type whose schema the value was validated against (microsoft.graph.resultInfo), when known.
	Type string
	// Message names the field, what was expected and what was found.
	Message string
}

// String renders the violation on one line: pointer, kind and message.
func (v Violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "(body)"
	}
	return p + ": " + string(v.Kind) + ": " + v.Message
}

// segment is one step of a JSON pointer: an object member or an array index.
type segment struct {
	key   string
	index int // -1 for an object member
}

// pointer renders segments as an RFC 6901 JSON pointer.
func pointer(path []segment, extra []string) string {
	var b strings.Builder
	for _, s := range path {
		b.WriteByte('/')
		if s.index >= 0 {
			b.WriteString(strconv.Itoa(s.index))
		} else {
			b.WriteString(jsonptr.Escape(s.key))
		}
	}
	return jsonptr.Append(b.String(), extra...)
}
