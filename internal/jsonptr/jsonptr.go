// Package jsonptr is callcheck's one implementation of RFC 6901 JSON
// pointers: escaping and unescaping reference tokens ("~" is "~0", "/" is
// "~1"), building and splitting pointers, and reading and writing the value
// a pointer names in a decoded JSON document (map[string]any, []any and
// scalars, as encoding/json decodes into any).
//
// It is a leaf: it imports no callcheck package, so fixtures, the JSON
// parser, the schema validator, the rulebook and the suites all share it.
package jsonptr

import (
	"strconv"
	"strings"

	"github.com/go-openapi/jsonpointer"
)

// Escape returns member name s as a reference token: "~" becomes "~0" and
// "/" becomes "~1" (RFC 6901 §3).
func Escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return jsonpointer.Escape(s)
}

// Unescape returns the member name a reference token stands for: "~1"
// becomes "/" and "~0" becomes "~", in that order (RFC 6901 §4).
func Unescape(tok string) string {
	if !strings.Contains(tok, "~") {
		return tok
	}
	return jsonpointer.Unescape(tok)
}

// Append returns pointer p followed by the member names or indices toks,
// each escaped.
func Append(p string, toks ...string) string {
	var b strings.Builder
	b.WriteString(p)
	for _, t := range toks {
		b.WriteByte('/')
		b.WriteString(Escape(t))
	}
	return b.String()
}

// Index returns pointer p followed by array index i.
func Index(p string, i int) string { return p + "/" + strconv.Itoa(i) }

// Join returns the pointer made of the member names or indices toks; the
// root ("") when there are none.
func Join(toks ...string) string { return Append("", toks...) }

// Split returns the unescaped reference tokens of pointer p: none for the
// root "" (and, leniently, for "/"), and p read as if it started with "/"
// otherwise.
func Split(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = Unescape(t)
	}
	return toks
}

// Parent returns the pointer of the value that holds the one p names: p
// without its last token ("" for the root and for a member of the root).
func Parent(p string) string {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return ""
	}
	return p[:i]
}

// Last returns the unescaped last token of p ("" for the root).
func Last(p string) string {
	toks := Split(p)
	if len(toks) == 0 {
		return ""
	}
	return toks[len(toks)-1]
}

// Get returns the value pointer p names in doc, and whether there is one.
// An array index is a decimal number without sign or leading zeros.
func Get(doc any, p string) (any, bool) {
	v := doc
	for _, tok := range Split(p) {
		next, ok := child(v, tok)
		if !ok {
			return nil, false
		}
		v = next
	}
	return v, true
}

// String returns the string pointer p names in doc, or "".
func String(doc any, p string) string {
	v, _ := Get(doc, p)
	s, _ := v.(string)
	return s
}

// Set replaces the value pointer p names in doc, or adds the member p names
// to an existing object; it reports whether it could (the parent must
// exist, and an array index must be in range). The root cannot be set.
func Set(doc any, p string, value any) bool {
	toks := Split(p)
	if len(toks) == 0 {
		return false
	}
	parent, ok := Get(doc, Join(toks[:len(toks)-1]...))
	if !ok {
		return false
	}
	last := toks[len(toks)-1]
	switch node := parent.(type) {
	case map[string]any:
		node[last] = value
		return true
	case []any:
		i, ok := index(last, len(node))
		if ok {
			node[i] = value
		}
		return ok
	}
	return false
}

// Delete removes the object member pointer p names; it reports whether the
// member was there.
func Delete(doc any, p string) bool {
	toks := Split(p)
	if len(toks) == 0 {
		return false
	}
	parent, _ := Get(doc, Join(toks[:len(toks)-1]...))
	m, ok := parent.(map[string]any)
	if !ok {
		return false
	}
	last := toks[len(toks)-1]
	_, had := m[last]
	delete(m, last)
	return had
}

// child returns the member or element tok of v.
func child(v any, tok string) (any, bool) {
	switch node := v.(type) {
	case map[string]any:
		next, ok := node[tok]
		return next, ok
	case []any:
		i, ok := index(tok, len(node))
		if !ok {
			return nil, false
		}
		return node[i], true
	}
	return nil, false
}

// index reads tok as an index of an array of n elements.
func index(tok string, n int) (int, bool) {
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 || i >= n || strconv.Itoa(i) != tok {
		return 0, false
	}
	return i, true
}
