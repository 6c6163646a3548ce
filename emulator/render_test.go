package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

// The JSON strings written in place are json.Marshal's, whatever the
// characters, and jsonStrings' values stay whole when its array grows.
func TestJSONStringsAreMarshals(t *testing.T) {
	parts := [][]string{
		{"3d913abb-aec0-4964-8fa6-3c6850c4f278"}, {"http", "://", "emulator.test", "/beta/$metadata#calls/$entity"},
		{"a\"b", "c\\d", "<&>", "\x01\n"}, {"caf\u00e9", "\xff", "\u2028"}, {""}, {},
	}
	js := jsonStrings{buf: make([]byte, 0, 8)} // too small: the array grows under earlier values
	var got []json.RawMessage
	for _, p := range parts {
		got = append(got, js.add(p...))
	}
	for i, p := range parts {
		want, _ := json.Marshal(strings.Join(p, ""))
		if string(got[i]) != string(want) {
			t.Errorf("add(%q) = %s, want %s", p, got[i], want)
		}
		if one := jsonString(strings.Join(p, "")); string(one) != string(want) {
			t.Errorf("jsonString(%q) = %s, want %s", p, one, want)
		}
	}
}
