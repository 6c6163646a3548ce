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

// TestMembersRenderTheSameObject: a call kept as its members renders the
// object its 201 showed, and a full object read back as members renders
// itself.
func TestMembersRenderTheSameObject(t *testing.T) {
	for _, body := range [][]byte{p2pBody("https://127.0.0.1/cb"), groupBody("https://127.0.0.1/cb", 3, appMedia),
		[]byte(`{"callbackUri":"https://x/<cb>","targets":null,"x-extra":{"a":[1,2]},"\u0073ubject":"é"}`)} {
		_, f, err := readCreate(body, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, beta := range []bool{true, false} {
			full := renderFull(f, beta)
			if got := renderFull(decodeMembers(encodeMembers(f)), beta); string(got) != string(full) {
				t.Errorf("from members:\n%s\nwant\n%s", got, full)
			}
			if got := renderFull(decodeMembers(full), beta); string(got) != string(full) {
				t.Errorf("from the full object:\n%s\nwant\n%s", got, full)
			}
		}
	}
}

// TestCallDataMarshal: the hand-written encoding of a call-state
// resourceData of strings is json.Marshal's.
func TestCallDataMarshal(t *testing.T) {
	for _, d := range []callData{{ODataType: "#microsoft.graph.call", State: "established", Direction: "outgoing", TenantID: "t<&>", ID: "id"},
		{ODataType: "#microsoft.graph.call", State: "Establishing"}, {State: "x", ID: "é\u2028"}} {
		want, _ := json.Marshal(d)
		if got := d.appendJSON([]byte("prefix")); string(got) != "prefix"+string(want) {
			t.Errorf("appendJSON = %s, want %s", got, want)
		}
	}
}
