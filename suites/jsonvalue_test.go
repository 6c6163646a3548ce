package suites

import (
	"strings"
	"testing"

	"github.com/callcheck/callcheck/internal/jsonptr"
)

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	v, err := decodeJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEchoMismatches(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sent, got string
		want      []string // pointers that mismatch
	}{
		// What was sent comes back: no mismatch.
		{"equal", `{"a":"x","b":[1,2]}`, `{"a":"x","b":[1,2]}`, nil},
		// The response may add members.
		{"additions", `{"a":"x"}`, `{"a":"x","z":null}`, nil},
		// A member sent as null asks for nothing.
		{"null sent", `{"a":null}`, `{}`, nil},
		// A member sent must come back.
		{"missing", `{"a":"x","b":"y"}`, `{"a":"x"}`, []string{"/b"}},
		// Another value is a mismatch, at its pointer.
		{"changed nested", `{"m":{"t":"1"}}`, `{"m":{"t":"2"}}`, []string{"/m/t"}},
		// GUIDs compare case-insensitively.
		{"guid case", `{"id":"2e1a0b00-2db4-4022-9570-243709c565ab"}`, `{"id":"2E1A0B00-2DB4-4022-9570-243709C565AB"}`, nil},
		// Other strings do not.
		{"string case", `{"s":"Audio"}`, `{"s":"audio"}`, []string{"/s"}},
		// @odata.type compares as a type: case and the leading # do not matter.
		{"odata type", `{"@odata.type":"#microsoft.graph.call"}`, `{"@odata.type":"Microsoft.Graph.Call"}`, nil},
		// A different type is a mismatch.
		{"odata type differs", `{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}`, `{"@odata.type":"#microsoft.graph.appHostedMediaConfig"}`, []string{"/@odata.type"}},
		// Arrays compare item by item and by length.
		{"array length", `{"t":[1,2]}`, `{"t":[1]}`, []string{"/t"}},
		// Numbers compare by value.
		{"numbers", `{"n":1.0}`, `{"n":1}`, nil},
		// An object where a scalar came back.
		{"type changed", `{"o":{"a":1}}`, `{"o":"a"}`, []string{"/o"}},
		// Keys with / and ~ are escaped in the pointer.
		{"escaped keys", `{"a/b":{"c~d":1}}`, `{"a/b":{"c~d":2}}`, []string{"/a~1b/c~0d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := echoMismatches("", mustJSON(t, tc.sent), mustJSON(t, tc.got))
			var got []string
			for _, m := range ms {
				got = append(got, m.Pointer)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("mismatches at %v, want %v (%+v)", got, tc.want, ms)
			}
		})
	}
}

func TestCloneJSONCopiesNestedValues(t *testing.T) {
	v := mustJSON(t, `{"a":{"b/c":[10,{"d~e":"y"}]}}`)
	c := cloneJSON(v)
	jsonptr.Set(c, "/a/b~1c/1/d~0e", "changed")
	if jsonptr.String(v, "/a/b~1c/1/d~0e") != "y" {
		t.Fatal("cloneJSON shares nested values")
	}
}

func TestDecodeJSON(t *testing.T) {
	for _, bad := range []string{``, `{`, `{} {}`, `nul`} {
		if _, err := decodeJSON([]byte(bad)); err == nil {
			t.Errorf("decodeJSON(%q) succeeded", bad)
		}
	}
	if got := string(encodeJSON(map[string]any{"u": "<a&b>"})); got != `{"u":"<a&b>"}` {
		t.Errorf("encodeJSON escapes HTML: %s", got)
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("héllo wörld", 2); got != "h…" {
		t.Errorf("truncate cut inside a rune: %q", got)
	}
	if got := truncate("short", 10); got != "short" {
		t.Errorf("truncate changed a short string: %q", got)
	}
}
