package emulator

import (
	"encoding/json"
	"maps"
	"testing"
)

var splitSeeds = []string{
	`{}`, ` { "a" : 1 , "b":[1,{"c":"}"}], "c\u0041":"x\"y", "d":null,"e":true,"f":-1.5e3 } `,
	`{"a":1,"a":{"b":2}}`, `{"\u00e9":{"x":[]},"é":1}`, `[1]`, `null`, `{"a":`, `"s"`, `{"a":1} x`,
}

// TestSplitObject: the one-pass split gives the members json.Unmarshal
// gives, and declines what is not a valid object.
func TestSplitObject(t *testing.T) {
	for _, s := range splitSeeds {
		compareSplit(t, []byte(s))
	}
	if _, ok := splitObject([]byte(`[1]`)); ok {
		t.Error("an array was split as an object")
	}
}

// FuzzSplitObject: on any input the split agrees with json.Unmarshal.
func FuzzSplitObject(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { compareSplit(t, body) })
}

func compareSplit(t *testing.T, body []byte) {
	t.Helper()
	got, ok := splitObject(body)
	var want fields
	err := json.Unmarshal(body, &want)
	if !ok {
		if err == nil && want != nil {
			t.Errorf("%s: not split, but it decodes to %v", body, want)
		}
		return
	}
	if err != nil || !maps.EqualFunc(got, want, func(a, b json.RawMessage) bool { return string(a) == string(b) }) {
		t.Errorf("%s: split %q, json.Unmarshal %q (%v)", body, got, want, err)
	}
}

// TestJSONString: quoting writes what json.Marshal writes.
func TestJSONString(t *testing.T) {
	for _, s := range []string{"", "abc-123", `a"b`, `a\b`, "<&>", "tab\t", "é", "\u2028", "\x7f", "~ "} {
		want, _ := json.Marshal(s)
		if got := jsonString(s); string(got) != string(want) {
			t.Errorf("jsonString(%q) = %s, want %s", s, got, want)
		}
	}
}
