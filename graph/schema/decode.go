package schema

import (
	"encoding/json"
	"unicode/utf8"
)

// maxBuildDepth is encoding/json's nesting limit: json.Valid refuses a
// value nested deeper, and so does jsonBuild.
const maxBuildDepth = 10000

// jsonBuild decodes a body into what encoding/json's Decoder with UseNumber
// decodes it into (map[string]any, []any, string, json.Number, bool, nil),
// in one pass over its bytes that also checks them as json.Valid does:
// decoding a request body is on the emulator's path for every create. It
// stops at the first byte that is not JSON (bad), leaving the wording of
// the error to encoding/json.
type jsonBuild struct {
	b     []byte
	i     int
	depth int
	bad   bool
	names map[string]string // strings to reuse (Validator.Decode)
}

// build decodes b as exactly one JSON value; false when b is not JSON.
func (d *jsonBuild) build() (any, bool) {
	v := d.value()
	d.space()
	if d.bad || d.i != len(d.b) {
		return nil, false
	}
	return v, true
}

func (d *jsonBuild) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// fail marks the body as not JSON; it returns nil for the value.
func (d *jsonBuild) fail() any {
	d.bad = true
	return nil
}

// next reports whether the byte at d.i (after spaces) is c, and if so
// steps over it.
func (d *jsonBuild) next(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *jsonBuild) value() any {
	d.space()
	if d.i >= len(d.b) {
		return d.fail()
	}
	switch c := d.b[d.i]; c {
	case '{', '[':
		if d.depth++; d.depth > maxBuildDepth {
			return d.fail()
		}
		defer func() { d.depth-- }()
		d.i++
		if c == '{' {
			return d.object()
		}
		return d.array()
	case '"':
		s, ok := d.str()
		if !ok {
			return d.fail()
		}
		return s
	case 't':
		return d.literal("true", true)
	case 'f':
		return d.literal("false", false)
	case 'n':
		return d.literal("null", nil)
	}
	return d.number()
}

// object decodes the members after '{'.
func (d *jsonBuild) object() any {
	m := make(map[string]any)
	if d.next('}') {
		return m
	}
	for {
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return d.fail()
		}
		k, ok := d.str()
		if !ok || !d.next(':') {
			return d.fail()
		}
		v := d.value()
		if d.bad {
			return nil
		}
		m[k] = v
		if d.next('}') {
			return m
		}
		if !d.next(',') {
			return d.fail()
		}
	}
}

// array decodes the items after '['.
func (d *jsonBuild) array() any {
	a := make([]any, 0)
	if d.next(']') {
		return a
	}
	for {
		v := d.value()
		if d.bad {
			return nil
		}
		a = append(a, v)
		if d.next(']') {
			return a
		}
		if !d.next(',') {
			return d.fail()
		}
	}
}

func (d *jsonBuild) literal(word string, v any) any {
	if len(d.b)-d.i < len(word) || string(d.b[d.i:d.i+len(word)]) != word {
		return d.fail()
	}
	d.i += len(word)
	return v
}

// number reads a number as JSON writes it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *jsonBuild) number() any {
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.b) && d.b[d.i] == '0':
		d.i++
	case d.digits() == 0:
		return d.fail()
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		if d.digits() == 0 {
			return d.fail()
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if d.digits() == 0 {
			return d.fail()
		}
	}
	return json.Number(d.b[start:d.i])
}

// digits steps over the digits at d.i and returns how many there were.
func (d *jsonBuild) digits() int {
	start := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	return d.i - start
}

// str decodes the string at d.i: as is when it has no escape and is valid
// UTF-8, else as encoding/json decodes it (escapes, U+FFFD for bad bytes).
// False when it is not a JSON string (a control character, a bad escape,
// no closing quote).
func (d *jsonBuild) str() (string, bool) {
	start, plain := d.i, true
	j := d.i + 1
	for ; ; j++ {
		if j >= len(d.b) {
			return "", false
		}
		c := d.b[j]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return "", false
		}
		if c != '\\' {
			continue
		}
		plain = false
		if j++; j >= len(d.b) {
			return "", false
		}
		switch d.b[j] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if j+4 >= len(d.b) || !isHex(d.b[j+1]) || !isHex(d.b[j+2]) || !isHex(d.b[j+3]) || !isHex(d.b[j+4]) {
				return "", false
			}
			j += 4
		default:
			return "", false
		}
	}
	d.i = j + 1
	raw := d.b[start+1 : j]
	if s, ok := d.names[string(raw)]; ok && plain {
		return s, true
	}
	if plain && utf8.Valid(raw) {
		return string(raw), true
	}
	var s string
	_ = json.Unmarshal(d.b[start:j+1], &s) // a valid string literal, checked above
	return s, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
