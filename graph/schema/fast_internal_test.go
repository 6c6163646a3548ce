package schema

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// probes are the values tried for every property: each JSON kind, integers
// at and past int32's and float64's exact bounds, numbers kin-openapi and
// the fast path could read differently, and the empty forms.
var probes = []any{nil, true, false, "", "x", json.Number("0"), json.Number("-0"), json.Number("1"), json.Number("-1"),
	json.Number("1.0"), json.Number("1.5"), json.Number("1e2"), json.Number("2147483647"), json.Number("2147483648"),
	json.Number("-2147483648"), json.Number("-2147483649"), json.Number("9007199254740992"), json.Number("9007199254740993"),
	json.Number("99999999999999999999"), 1.0, 7, map[string]any{}, map[string]any{"a": "b"}, []any{}, []any{nil},
	[]any{"x"}, []any{map[string]any{}}, []any{[]any{}}, []any{json.Number("3")}, []any{true}}

// TestFastPathAgreesWithKinOnEveryProperty tries, for every object type of
// both versions and every property, every probe, every enum member and
// each member in another case (alone and in an array): whatever the fast
// path accepts, kin-openapi must find valid against the shallow schema.
// It also counts what the fast path accepted of each kind, so that a fast
// path that accepts nothing (and proves nothing) fails.
func TestFastPathAgreesWithKinOnEveryProperty(t *testing.T) {
	accepted := map[fastKind]int{}
	for _, ver := range []Version{Beta, V1} {
		v, err := Load(ver)
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range v.model.types {
			if !ti.object {
				continue
			}
			for name, ref := range ti.shallow.Properties {
				values := append([]any(nil), probes...)
				for _, m := range enumMembers(ref.Value) {
					values = append(values, m, strings.ToUpper(m), []any{m}, []any{strings.ToUpper(m)}, []any{m, 5})
				}
				for _, val := range values {
					obj := map[string]any{name: val}
					for _, r := range ti.shallow.Required {
						if r != name {
							obj[r] = "x"
						}
					}
					if !ti.fast.accepts(obj) {
						continue
					}
					accepted[ti.fast.props[name].kind]++
					if err := ti.shallow.VisitJSON(obj, openapi3.MultiErrors()); err != nil {
						t.Errorf("%s %s.%s = %#v: the fast path accepts it, kin-openapi does not: %v", ver, ti.name, name, val, err)
					}
				}
			}
		}
	}
	for _, k := range []fastKind{fastString, fastEnum, fastBoolean, fastInt32, fastInt64, fastObjectK, fastArray} {
		if accepted[k] == 0 {
			t.Errorf("the fast path accepted no value of kind %d: it is not exercised", k)
		}
	}
}

// TestFastPathDefersWhatItDoesNotCover: a property with a pattern (a flags
// enum) or a string format is always kin-openapi's to decide, and a
// missing required property sends the object to kin-openapi.
func TestFastPathDefersWhatItDoesNotCover(t *testing.T) {
	pattern := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Pattern: "^a$"}
	format := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Format: "date-time"}
	bounded := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeInteger}, Format: "int32", Min: new(float64)}
	for name, s := range map[string]*openapi3.Schema{"pattern": pattern, "format": format, "bounds": bounded} {
		if k := compileFastValue(s, true).kind; k != fastNone {
			t.Errorf("%s: kind %d, want fastNone", name, k)
		}
	}
	f := compileFast(&openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Required: []string{"code"},
		Properties: openapi3.Schemas{"code": openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}})}})
	if f.accepts(map[string]any{}) {
		t.Error("an object without its required property was accepted")
	}
	if !f.accepts(map[string]any{"code": "x", "other": 1}) {
		t.Error("a valid object with an undeclared member was not accepted")
	}
}

func enumMembers(s *openapi3.Schema) []string {
	if s.Items != nil {
		s = s.Items.Value
	}
	var out []string
	for _, m := range s.Enum {
		if ms, ok := m.(string); ok {
			out = append(out, ms)
		}
	}
	return out
}
