package schema

import (
	"encoding/json"
	"unicode/utf8"
)

// jsonBuild decodes a body that is valid JSON into what encoding/json's
// Decoder with UseNumber decodes it into (map[string]any, []any, string,
// json.Number, bool, nil), in one pass over its bytes: decoding a request
// body is on the emulator's path for every create.
type jsonBuild struct {
	b     []byte
	i     int
	names map[string]string // strings to reuse (Validator.Decode)
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

func (d *jsonBuild) value() any {
	d.space()
	switch c := d.b[d.i]; c {
	case '{':
		d.i++
		m := make(map[string]any)
		for {
			d.space()
			if d.b[d.i] == '}' {
				d.i++
				return m
			}
			if d.b[d.i] == ',' {
				d.i++
				d.space()
			}
			k := d.str()
			d.space()
			d.i++ // the colon
			m[k] = d.value()
		}
	case '[':
		d.i++
		a := make([]any, 0)
		for {
			d.space()
			if d.b[d.i] == ']' {
				d.i++
				return a
			}
			if d.b[d.i] == ',' {
				d.i++
			}
			a = append(a, d.value())
		}
	case '"':
		return d.str()
	case 't':
		d.i += 4
		return true
	case 'f':
		d.i += 5
		return false
	case 'n':
		d.i += 4
		return nil
	}
	start := d.i
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return json.Number(d.b[start:d.i])
		}
		d.i++
	}
	return json.Number(d.b[start:d.i])
}

// str decodes the string at d.i: as is when it has no escape and is valid
// UTF-8, else as encoding/json decodes it (escapes, U+FFFD for bad bytes).
func (d *jsonBuild) str() string {
	start, plain := d.i, true
	j := d.i + 1
	for ; d.b[j] != '"'; j++ {
		if d.b[j] == '\\' {
			plain = false
			j++
		}
	}
	d.i = j + 1
	raw := d.b[start+1 : j]
	if s, ok := d.names[string(raw)]; ok && plain {
		return s
	}
	if plain && utf8.Valid(raw) {
		return string(raw)
	}
	var s string
	_ = json.Unmarshal(d.b[start:j+1], &s) // valid: the body was checked
	return s
}
