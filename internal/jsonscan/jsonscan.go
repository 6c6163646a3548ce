// Package jsonscan steps over the values of a JSON text that is already
// known to be valid (json.Valid, or a successful decode), without decoding
// them: the offsets of an object's members and an array's items, so that
// hot paths can look at a body's bytes in place. It checks nothing; on
// invalid JSON its answers are meaningless but it never reads past the
// slice.
//
// It also reads, in place, what needs no decoding: a string value written
// without escapes (PlainString) and a name lower-cased as ASCII
// (LowerASCII), for the case-insensitive name matching encoding/json does.
//
// Hand-written because the libraries that walk JSON without decoding it
// (buger/jsonparser, tidwall/gjson) unescape names and strip the quotes of
// string values, while their callers here need to know whether a name was
// escaped and the exact bytes of each value.
package jsonscan

import (
	"bytes"
	"unicode/utf8"
)

// SkipSpace returns the offset of the first byte at or after i that is not
// JSON white space.
func SkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// StringEnd returns the offset just past the string that opens at b[i],
// and whether it holds an escape.
func StringEnd(b []byte, i int) (int, bool) {
	escaped := false
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			return i + 1, escaped
		}
	}
	return len(b), escaped
}

// ValueEnd returns the offset just past the value that starts at b[i].
func ValueEnd(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		end, _ := StringEnd(b, i)
		return end
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i, _ = StringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	for i < len(b) { // a number or a literal
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// Member is one member of an object: the offsets of its name between the
// quotes, and of its value.
type Member struct {
	Name, NameEnd int  // b[Name:NameEnd] is the name as written
	Escaped       bool // the name holds an escape
	Value, End    int  // b[Value:End] is the value
}

// EachMember calls fn with each member of the object that opens at b[i]
// (after white space), in order, stopping when fn returns false. It
// returns false when fn did, or b[i] is not an object.
func EachMember(b []byte, i int, fn func(Member) bool) bool {
	i = SkipSpace(b, i)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = SkipSpace(b, i+1)
	for i < len(b) && b[i] == '"' {
		end, escaped := StringEnd(b, i)
		m := Member{Name: i + 1, NameEnd: max(end-1, i+1), Escaped: escaped}
		m.Value = SkipSpace(b, min(SkipSpace(b, end)+1, len(b))) // past the colon
		m.End = ValueEnd(b, m.Value)
		if !fn(m) {
			return false
		}
		i = SkipSpace(b, m.End)
		if i >= len(b) || b[i] != ',' {
			break
		}
		i = SkipSpace(b, i+1)
	}
	return true
}

// EachItem calls fn with the offset of each item of the array that opens
// at b[i] (after white space), in order, stopping when fn returns false.
// It returns false when fn did, or b[i] is not an array.
func EachItem(b []byte, i int, fn func(int) bool) bool {
	i = SkipSpace(b, i)
	if i >= len(b) || b[i] != '[' {
		return false
	}
	i = SkipSpace(b, i+1)
	for i < len(b) && b[i] != ']' {
		if !fn(i) {
			return false
		}
		i = SkipSpace(b, ValueEnd(b, i))
		if i >= len(b) || b[i] != ',' {
			break
		}
		i = SkipSpace(b, i+1)
	}
	return true
}

// PlainString returns the content of the string value v (its bytes,
// quotes included) when encoding/json would decode it to those very bytes:
// no escape, valid UTF-8. false for anything else, which the caller
// decodes.
func PlainString(v []byte) ([]byte, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, false
	}
	s := v[1 : len(v)-1]
	return s, bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s)
}

// LowerASCII appends name lower-cased to dst when name is ASCII and fits
// dst's capacity (a stack array's, so nothing is allocated); nil otherwise.
func LowerASCII(dst, name []byte) []byte {
	if len(name) > cap(dst)-len(dst) {
		return nil
	}
	for _, c := range name {
		switch {
		case c >= 0x80:
			return nil
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
