package schema_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/internal/race"
)

// The documented requests that conform are answered from their bytes, but
// for what the fast path leaves to kin-openapi.
func TestPlainRequestOfTheDocumentedRequests(t *testing.T) {
	notPlain := map[string]string{
		"example09/request": "null members of enum types (endpointType): kin-openapi decides",
		"example10/request": "a name repeated in an object, as published",
	}
	for _, ver := range []schema.Version{schema.Beta, schema.V1} {
		v := mustLoad(t, ver)
		plain := 0
		for _, b := range docBlocks {
			if !strings.HasSuffix(b.name, "/request") {
				continue
			}
			body := []byte(withoutTrailingCommas(b.text))
			value, bad := v.Decode(body)
			if bad != nil {
				t.Fatalf("%s: %v", b.name, bad)
			}
			vs, fixes := v.CheckRequest(schema.TypeCall, value)
			conforms := len(vs) == 0 && len(fixes) == 0
			got := v.PlainRequest(schema.TypeCall, body)
			_, excepted := notPlain[b.name]
			switch {
			case got && !conforms:
				t.Errorf("%s %s: plain, but CheckRequest finds %v %v", ver, b.name, vs, fixes)
			case !got && conforms && !excepted:
				t.Errorf("%s %s: conforms but is not answered from its bytes", ver, b.name)
			case got:
				plain++
				if race.Enabled {
					continue // the race detector allocates
				}
				if n := testing.AllocsPerRun(20, func() { v.PlainRequest(schema.TypeCall, body) }); n != 0 {
					t.Errorf("%s %s: PlainRequest allocates %.0f times", ver, b.name, n)
				}
			}
		}
		if plain == 0 {
			t.Errorf("%s: no documented request answered from its bytes", ver)
		}
	}
}

// What the bytes leave in doubt, or what CheckRequest reports, is never
// plain.
func TestPlainRequestLeavesTheRestToTheDecoder(t *testing.T) {
	v := mustLoad(t, schema.Beta)
	base := `"@odata.type":"#microsoft.graph.call","callbackUri":"https://bot.contoso.com/callback","requestedModalities":["audio"],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}`
	if !v.PlainRequest(schema.TypeCall, []byte("{"+base+"}")) {
		t.Fatalf("the base body is not plain")
	}
	for name, body := range map[string]string{
		"enum in another case":       `{` + base + `,"direction":"Outgoing"}`,
		"escaped enum value":         `{` + base + `,"direction":"outgo\u0069ng"}`,
		"escaped name":               `{` + base + `,"dir\u0065ction":"outgoing"}`,
		"repeated name":              `{` + base + `,"direction":"outgoing","direction":"incoming"}`,
		"read-only property":         `{` + base + `,"state":"established"}`,
		"wrong kind":                 `{` + base + `,"ringingTimeoutInSeconds":"30"}`,
		"int32 out of range":         `{` + base + `,"ringingTimeoutInSeconds":2147483648}`,
		"integer written as decimal": `{` + base + `,"ringingTimeoutInSeconds":30.0}`,
		"abstract without a type":    `{"@odata.type":"#microsoft.graph.call","callbackUri":"https://bot/cb","mediaConfig":{"removeFromDefaultAudioGroup":false}}`,
		"unknown @odata.type":        `{"@odata.type":"#microsoft.graph.nothing","callbackUri":"https://bot/cb"}`,
		"@odata.type without #":      `{"@odata.type":"microsoft.graph.call","callbackUri":"https://bot/cb"}`,
		"typed object, undeclared":   `{` + base + `,"future":{"@odata.type":"#microsoft.graph.identity","id":5}}`,
		"not an object":              `["audio"]`,
		"not JSON":                   `{` + base,
		"many members":               `{` + base + manyMembers(70) + `}`,
	} {
		if v.PlainRequest(schema.TypeCall, []byte(body)) {
			t.Errorf("%s: plain, want it left to the decoder: %s", name, body)
		}
	}
	if !v.With(schema.CaseInsensitiveEnums()).PlainRequest(schema.TypeCall, []byte("{"+base+"}")) ||
		v.With(schema.WithoutFastPath()).PlainRequest(schema.TypeCall, []byte("{"+base+"}")) {
		t.Errorf("options: case-insensitive enums keep the plain answer; WithoutFastPath turns it off")
	}
}

func manyMembers(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(`,"m` + strings.Repeat("x", i) + `":1`)
	}
	return b.String()
}

// FuzzPlainRequestAgrees: whatever PlainRequest answers from the bytes,
// CheckRequest with kin-openapi alone finds no violation and no enum fix.
func FuzzPlainRequestAgrees(f *testing.F) {
	for _, b := range docBlocks {
		f.Add(withoutTrailingCommas(b.text), b.typeName)
	}
	f.Add(`{"@odata.type":"#microsoft.graph.call","targets":[{"identity":{"user":{"id":"1"}}}],"mediaConfig":{"@odata.type":"#microsoft.graph.appHostedMediaConfig"}}`, schema.TypeCall)
	f.Add(`{"value":[{"changeType":"updated","resourceData":{"@odata.type":"#microsoft.graph.call","state":"established"}}]}`, schema.TypeCommsNotifications)
	type pair struct{ v, kin *schema.Validator }
	var pairs []pair
	for _, ver := range []schema.Version{schema.Beta, schema.V1} {
		v := mustLoad(f, ver)
		pairs = append(pairs, pair{v, v.With(schema.WithoutFastPath())},
			pair{v.With(schema.CaseInsensitiveEnums()), v.With(schema.CaseInsensitiveEnums(), schema.WithoutFastPath())})
	}
	f.Fuzz(func(t *testing.T, body, typeName string) {
		for _, p := range pairs {
			if !p.v.PlainRequest(typeName, []byte(body)) {
				continue
			}
			value, bad := p.kin.Decode([]byte(body))
			if bad != nil {
				t.Fatalf("plain, but not JSON: %v", bad)
			}
			if vs, fixes := p.kin.CheckRequest(typeName, value); len(vs) > 0 || len(fixes) > 0 {
				t.Fatalf("plain, but CheckRequest finds %v %v", vs, fixes)
			}
			if vs := p.kin.ValidateRequest(typeName, []byte(body)); !reflect.DeepEqual(vs, []schema.Violation(nil)) && len(vs) > 0 {
				t.Fatalf("plain, but ValidateRequest finds %v", vs)
			}
		}
	})
}
