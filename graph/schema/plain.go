package schema

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/callcheck/callcheck/internal/jsonscan"
)

// PlainRequest reports whether body is a request of typeName (a structured
// type; a leading '#' is accepted) that CheckRequest certainly finds
// conforming, with no violation and no enum value to fix, judged from its
// bytes alone: nothing is decoded. It answers true only for what the fast
// path (fastObject) accepts everywhere in the body: every object's type is
// its declared one or an @odata.type naming a concrete type derived from it,
// every declared property holds a plain value of its kind, no read-only
// property is set, and nothing is written in a way the bytes alone leave in
// doubt (escaped names or enum values, a name repeated in an object, an
// object of more than maxPlainMembers members). false says only "not
// certain": the caller decodes the body and checks it (Decode,
// CheckRequest), which finds the violations or none.
//
// FuzzPlainRequestAgrees holds it to CheckRequest with kin-openapi
// (WithoutFastPath). Why: building the decoded tree was about 25
// allocations of the emulator's 120 per create, spent on bodies that are
// valid.
func (v *Validator) PlainRequest(typeName string, body []byte) bool {
	if v.opts.noFastPath || !json.Valid(body) {
		return false
	}
	t := v.lookup(typeName)
	if t == nil || !t.object {
		return false
	}
	w := plainWalker{types: v.model.types, b: body}
	i := jsonscan.SkipSpace(body, 0)
	return body[i] == '{' && w.object(i, t)
}

// maxPlainMembers bounds the members of one object the plain walker
// compares for repeats; a larger object is left to the decoder.
const maxPlainMembers = 64

// plainWalker walks a valid JSON body as walker walks its decoded tree,
// answering false at the first thing it cannot be sure is conforming.
type plainWalker struct {
	types map[string]*typeInfo
	b     []byte
}

// object checks the object at b[i], declared as declared (nil under an
// undeclared property).
func (w *plainWalker) object(i int, declared *typeInfo) bool {
	var buf [maxPlainMembers]jsonscan.Member
	ms, ok := w.members(i, buf[:0])
	if !ok {
		return false
	}
	t, ok := w.concrete(ms, declared)
	if !ok {
		return false
	}
	if t == nil {
		for _, m := range ms {
			if name := w.b[m.Name:m.NameEnd]; bytes.IndexByte(name, '@') < 0 && !w.dynamic(m.Value) {
				return false
			}
		}
		return true
	}
	if t.fast == nil {
		return false
	}
	for _, r := range t.fast.required {
		if !hasMember(w.b, ms, r) {
			return false
		}
	}
	for _, m := range ms {
		name := w.b[m.Name:m.NameEnd]
		if p, declared := t.fast.props[string(name)]; declared && !w.accepts(&p, m.Value, m.End) {
			return false
		}
		p, ok := t.props[string(name)]
		switch {
		case !ok:
			if bytes.IndexByte(name, '@') < 0 && !w.dynamic(m.Value) {
				return false
			}
		case p.readOnly && !w.isNull(m.Value):
			return false // a violation in a request: the walker words it
		case p.elem != nil:
			if !w.structured(m.Value, p) {
				return false
			}
		}
	}
	return true
}

// members lists the members of the object at b[i]; false when a name is
// escaped, repeated, or there are more than fit in ms.
func (w *plainWalker) members(i int, ms []jsonscan.Member) ([]jsonscan.Member, bool) {
	ok := jsonscan.EachMember(w.b, i, func(m jsonscan.Member) bool {
		if m.Escaped || len(ms) == cap(ms) {
			return false
		}
		for _, o := range ms {
			if bytes.Equal(w.b[o.Name:o.NameEnd], w.b[m.Name:m.NameEnd]) {
				return false
			}
		}
		ms = append(ms, m)
		return true
	})
	return ms, ok
}

func hasMember(b []byte, ms []jsonscan.Member, name string) bool {
	for _, m := range ms {
		if string(b[m.Name:m.NameEnd]) == name {
			return true
		}
	}
	return false
}

// concrete is walker.concrete for a body without violations: the type
// the object is checked as, false when its @odata.type (or its absence)
// would be reported or cannot be read from the bytes.
func (w *plainWalker) concrete(ms []jsonscan.Member, declared *typeInfo) (*typeInfo, bool) {
	for _, m := range ms {
		if string(w.b[m.Name:m.NameEnd]) != odataType {
			continue
		}
		s, ok := w.plainString(m.Value, m.End)
		if !ok || len(s) == 0 || s[0] != '#' {
			return nil, false
		}
		t := w.types[string(s[1:])]
		if t == nil || !t.object || t.abstract || (declared != nil && !t.isA(declared)) {
			return nil, false
		}
		return t, true
	}
	if declared != nil && declared.abstract {
		return nil, false
	}
	return declared, true
}

// structured is walker.structured.
func (w *plainWalker) structured(i int, p *propInfo) bool {
	if !p.collection {
		if w.b[i] == '{' {
			return w.object(i, p.elem)
		}
		return true
	}
	if w.b[i] != '[' {
		return true
	}
	return w.items(i, func(j int) bool { return w.b[j] != '{' || w.object(j, p.elem) })
}

// dynamic is walker.dynamic: the objects under an undeclared property are
// checked when they name their type.
func (w *plainWalker) dynamic(i int) bool {
	switch w.b[i] {
	case '{':
		return w.object(i, nil)
	case '[':
		return w.items(i, w.dynamic)
	}
	return true
}

// items calls each with the offset of every item of the array at b[i],
// stopping at the first false.
func (w *plainWalker) items(i int, each func(int) bool) bool {
	return jsonscan.EachItem(w.b, i, each)
}

func (w *plainWalker) isNull(i int) bool { return w.b[i] == 'n' }

// plainString returns the content of the string value at b[i:end]; false
// when it is not a string written plainly (jsonscan.PlainString).
func (w *plainWalker) plainString(i, end int) ([]byte, bool) {
	return jsonscan.PlainString(w.b[i:end])
}

// accepts is fastValue.accepts for the value at b[i:end].
func (w *plainWalker) accepts(p *fastValue, i, end int) bool {
	if w.isNull(i) {
		return p.nullable && p.kind != fastNone
	}
	switch p.kind {
	case fastString:
		return w.b[i] == '"'
	case fastEnum:
		s, ok := w.plainString(i, end)
		if !ok {
			return false
		}
		_, ok = p.members[string(s)]
		return ok
	case fastBoolean:
		return w.b[i] == 't' || w.b[i] == 'f'
	case fastInt32, fastInt64:
		n, ok := plainInteger(w.b[i:end])
		if !ok {
			return false
		}
		if p.kind == fastInt32 {
			return n >= math.MinInt32 && n <= math.MaxInt32
		}
		return n >= -(1<<53) && n <= 1<<53
	case fastObjectK:
		return w.b[i] == '{'
	case fastArray:
		return w.b[i] == '[' && w.items(i, func(j int) bool { return w.accepts(p.item, j, jsonscan.ValueEnd(w.b, j)) })
	}
	return false
}

// plainInteger reads a JSON number written as an integer of at most 16
// digits (all within ±2^53); false for anything else, which the decoder
// then judges.
func plainInteger(num []byte) (int64, bool) {
	neg := len(num) > 0 && num[0] == '-'
	if neg {
		num = num[1:]
	}
	if len(num) == 0 || len(num) > 16 {
		return 0, false
	}
	var n int64
	for _, c := range num {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
