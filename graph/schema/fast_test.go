package schema_test

import (
	"reflect"
	"testing"

	"github.com/callcheck/callcheck/graph/schema"
)

// FuzzFastPathAgreesWithKin: every entry point answers the same, violation
// for violation and enum fix for enum fix, with the fast path as without it
// (every object to kin-openapi). The seeds are the documented blocks, as
// published and with their values swapped for other kinds.
func FuzzFastPathAgreesWithKin(f *testing.F) {
	for _, b := range docBlocks {
		f.Add(b.text, b.typeName)
		f.Add(withoutTrailingCommas(b.text), b.typeName)
	}
	for _, s := range []string{
		`{"@odata.type":"#microsoft.graph.call","callbackUri":null,"requestedModalities":["Audio",5],"direction":"Outgoing"}`,
		`{"@odata.type":"#microsoft.graph.call","ringingTimeoutInSeconds":2147483648,"targets":[{"identity":null}]}`,
		`{"@odata.type":"#microsoft.graph.call","ringingTimeoutInSeconds":1.0,"isContentSharingNotificationEnabled":"true"}`,
		`{"value":[{"changeType":"Updated","resourceData":{"@odata.type":"#microsoft.graph.call","state":"Established","resultInfo":{"code":"500"}}}]}`,
		`{"error":{"code":5}}`, `{"error":{"message":"m"}}`,
	} {
		f.Add(s, schema.TypeCall)
		f.Add(s, schema.TypeCommsNotifications)
		f.Add(s, schema.TypeODataError)
	}
	pairs := [][2]*schema.Validator{}
	for _, ver := range []schema.Version{schema.Beta, schema.V1} {
		v := mustLoad(f, ver)
		pairs = append(pairs, [2]*schema.Validator{v, v.With(schema.WithoutFastPath())},
			[2]*schema.Validator{v.With(schema.CaseInsensitiveEnums()), v.With(schema.CaseInsensitiveEnums(), schema.WithoutFastPath())})
	}
	f.Fuzz(func(t *testing.T, body, typeName string) {
		for _, p := range pairs {
			fast, kin := p[0], p[1]
			if a, b := fast.ValidateRequest(typeName, []byte(body)), kin.ValidateRequest(typeName, []byte(body)); !reflect.DeepEqual(a, b) {
				t.Fatalf("ValidateRequest differs:\nfast path: %v\nkin only:  %v", a, b)
			}
			if a, b := fast.Validate(typeName, []byte(body)), kin.Validate(typeName, []byte(body)); !reflect.DeepEqual(a, b) {
				t.Fatalf("Validate differs:\nfast path: %v\nkin only:  %v", a, b)
			}
			value, bad := fast.Decode([]byte(body))
			if bad != nil {
				continue
			}
			va, fa := fast.CheckRequest(typeName, value)
			vb, fb := kin.CheckRequest(typeName, value)
			if !reflect.DeepEqual(va, vb) || !reflect.DeepEqual(fa, fb) {
				t.Fatalf("CheckRequest differs:\nfast path: %v %v\nkin only:  %v %v", va, fa, vb, fb)
			}
		}
	})
}
