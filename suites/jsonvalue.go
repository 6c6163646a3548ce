package suites

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/internal/jsonptr"
)

// The suites handle bodies as decoded JSON values (map[string]any, []any,
// string, json.Number, bool, nil) addressed by RFC 6901 pointers: fixtures
// give canonical JSON, placeholders are set by pointer, and a target's
// response is compared member by member with what was sent.

// decodeJSON decodes one JSON value, keeping numbers exact.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("text after the JSON value")
	}
	return v, nil
}

// decodeBlock decodes a fixture block's canonical JSON (nil if unreadable;
// the fixtures' tests rule that out for the embedded data).
func decodeBlock(b fixtures.Block) any {
	v, err := decodeJSON(b.Canonical())
	if err != nil {
		return nil
	}
	return v
}

// encodeJSON encodes v without HTML escaping.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte(fmt.Sprintf("%v", v))
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// setAt sets the member at pointer p (see jsonptr.Set).
func setAt(v any, p string, value any) bool { return jsonptr.Set(v, p, value) }

// deleteAt removes the object member at pointer p (see jsonptr.Delete).
func deleteAt(v any, p string) bool { return jsonptr.Delete(v, p) }

// cloneJSON deep-copies a decoded JSON value.
func cloneJSON(v any) any {
	switch node := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(node))
		for k, x := range node {
			out[k] = cloneJSON(x)
		}
		return out
	case []any:
		out := make([]any, len(node))
		for i, x := range node {
			out[i] = cloneJSON(x)
		}
		return out
	}
	return v
}

// mismatch is one place where a response does not echo what was sent.
type mismatch struct {
	Pointer  string
	Expected string
	Got      string
}

// echoMismatches compares what a request sent (want) with what a response
// holds (got) at pointer p: every member sent must come back with an equal
// value; members the response adds are allowed, and a member sent as null
// asks for nothing. Strings that are GUIDs compare case-insensitively, and
// @odata.type values compare as types (graph.SameType), since Graph spells
// both in either case. Arrays compare item by item, in order.
func echoMismatches(p string, want, got any) []mismatch {
	switch w := want.(type) {
	case nil:
		return nil
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []mismatch{{p, "an object", describeJSON(got)}}
		}
		var out []mismatch
		for _, k := range sortedKeys(w) {
			if w[k] == nil {
				continue
			}
			gv, present := g[k]
			if !present {
				out = append(out, mismatch{jsonptr.Append(p, k), describeJSON(w[k]), "absent"})
				continue
			}
			out = append(out, echoMember(jsonptr.Append(p, k), k, w[k], gv)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []mismatch{{p, fmt.Sprintf("an array of %d items", len(w)), describeJSON(got)}}
		}
		var out []mismatch
		for i := range w {
			out = append(out, echoMismatches(jsonptr.Index(p, i), w[i], g[i])...)
		}
		return out
	}
	if !scalarEqual(want, got) {
		return []mismatch{{p, describeJSON(want), describeJSON(got)}}
	}
	return nil
}

func echoMember(p, key string, want, got any) []mismatch {
	ws, wok := want.(string)
	gs, gok := got.(string)
	if key == "@odata.type" && wok && gok {
		if graph.SameType(ws, gs) {
			return nil
		}
		return []mismatch{{p, describeJSON(want), describeJSON(got)}}
	}
	return echoMismatches(p, want, got)
}

// scalarEqual compares two JSON scalars; GUID strings ignore case.
func scalarEqual(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return as == bs || (graph.IsGUID(as) && strings.EqualFold(as, bs))
	}
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok {
		af, e1 := an.Float64()
		bf, e2 := bn.Float64()
		return an == bn || (e1 == nil && e2 == nil && af == bf)
	}
	return a == b
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// describeJSON renders a value for evidence, bounded.
func describeJSON(v any) string {
	if v == nil {
		return "null"
	}
	return truncate(string(encodeJSON(v)), 200)
}

// truncate bounds s to n bytes (on a rune boundary), marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
