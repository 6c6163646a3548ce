package graph

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
)

// TestMarshalFullMembers: member names from a client are written as valid
// JSON strings whatever they hold, the members are not changed, and the
// result is MarshalFull's for the same call.
func TestMarshalFullMembers(t *testing.T) {
	members := map[string]json.RawMessage{
		"callbackUri":     json.RawMessage(`"https://bot.example/cb"`),
		"a\u0001b":        json.RawMessage(`1`),    // a control character: escaped, never raw
		`quo"te`:          json.RawMessage(`2`),    // a quote
		"<tag>&":          json.RawMessage(`3`),    // escaped as encoding/json escapes it
		"zeta":            json.RawMessage(`true`), // an unknown member, after the documented ones
		"routingPolicies": json.RawMessage(`["none"]`),
	}
	before := maps.Clone(members)
	for _, beta := range []bool{true, false} {
		out := MarshalFullMembers(members, beta)
		var got map[string]json.RawMessage
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("beta=%v: not JSON: %v\n%s", beta, err, out)
		}
		for k := range members {
			if _, ok := got[k]; !ok && (beta || k != "routingPolicies") {
				t.Errorf("beta=%v: %q is missing", beta, k)
			}
		}
		if _, ok := got["routingPolicies"]; ok != beta {
			t.Errorf("beta=%v: routingPolicies (beta only) present=%v", beta, ok)
		}
		if !strings.Contains(string(out), `"\u003ctag\u003e\u0026":3`) {
			t.Errorf("beta=%v: <tag>& not escaped as encoding/json does: %s", beta, out)
		}
	}
	if !maps.EqualFunc(members, before, func(a, b json.RawMessage) bool { return string(a) == string(b) }) {
		t.Error("MarshalFullMembers changed its argument")
	}
	c := &Call{ODataType: TypeCall, CallbackURI: "https://bot.example/cb"}
	full, err := MarshalFull(c, true)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(mustMarshal(t, c), &m)
	if got := MarshalFullMembers(m, true); string(got) != string(full) {
		t.Errorf("MarshalFull and MarshalFullMembers differ:\n%s\n%s", full, got)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
