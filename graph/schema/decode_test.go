package schema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var decodeSeeds = []string{
	`{}`, `[]`, ` {"a" : [1, -2.5e3, "x", true, false, null, {}, []], "b":{"c":"\u00e9\"\\/\ud83d\ude00"}} `,
	`"s"`, `12`, `null`, "\"\xff\"", `{"a":1,"a":2}`, `{"a":1} {"b":2}`, `{"a":`, `[1,2,]`, "{\"\xc3\xa9\":[0]}",
	// not JSON, each in its own way
	`01`, `-`, `-0`, `1.`, `1e`, `1e+`, `.5`, `+1`, `tru`, `nul`, `falsey`, "\"\x01\"", `"\u12"`, `"\u12g4"`, `"\q"`, `"abc`,
	`[1 2]`, `{"a" 1}`, `{,}`, `{"a":1,}`, `[`, `{"a":1`, `{1:2}`, ``, ` `, `[]]`, `"\`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000), strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

// TestBuildDecodesAsEncodingJSON: the one-pass decoding gives what
// encoding/json's Decoder with UseNumber gives, and an invalid body the
// same violation as before.
func TestBuildDecodesAsEncodingJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		compareDecode(t, []byte(s))
	}
}

// FuzzBuild: on any input decode agrees with encoding/json.
func FuzzBuild(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { compareDecode(t, body) })
}

func compareDecode(t *testing.T, body []byte) {
	t.Helper()
	got, bad := decode(body)
	d := jsonBuild{b: body}
	if _, ok := d.build(); ok != json.Valid(body) {
		t.Errorf("%.80q: jsonBuild says valid %v, json.Valid %v", body, ok, !ok)
	}
	if !json.Valid(body) {
		if bad == nil {
			t.Errorf("%q: invalid JSON decoded to %#v", body, got)
		}
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("%q: %v", body, err)
	}
	if bad != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%q: decode = %#v (%v), encoding/json %#v", body, got, bad, want)
	}
}

// TestValidatorDecodeSharesNames: decoding through a Validator, which
// reuses the subset's names, gives the same values.
func TestValidatorDecodeSharesNames(t *testing.T) {
	v, err := Load(V1)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.model.names) < 10 || v.model.names["callbackUri"] != "callbackUri" || v.model.names["#microsoft.graph.call"] == "" {
		t.Fatalf("names %d: no callbackUri or #microsoft.graph.call", len(v.model.names))
	}
	for _, s := range append(decodeSeeds, `{"@odata.type":"#microsoft.graph.call","callbackUri":"callbackUri","call\u0062ackUri":1,"targets":[{"identity":{"user":{"id":"u"}}}]}`) {
		got, bad := v.Decode([]byte(s))
		want, wantBad := decode([]byte(s))
		if !reflect.DeepEqual(got, want) || (bad == nil) != (wantBad == nil) {
			t.Errorf("%q: Validator.Decode = %#v, decode %#v", s, got, want)
		}
	}
}
