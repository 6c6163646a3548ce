package graph

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/internal/race"
)

// openSeeds are objects whose members exercise the in-place walk: names in
// another case, escaped and non-ASCII names, repeated names, nested values
// holding quotes and brackets, every kind of value and odd whitespace.
var openSeeds = []string{
	`{"changeType":"updated","resourceUrl":"/communications/calls/1","resourceData":{"state":"established"}}`,
	`{"ChangeType":"created","RESOURCEURL":"/x","zeta":1,"Zeta":[1,{"a":"}]\""}],"callbackUri":"https://bot/cb"}`,
	` { "future" : { "nested" : [ "]" , "}" , { } ] } , "n" : -1.5e3 , "t" : true , "f" : false , "z" : null } `,
	"{\"a\\\"b\":\"\\u00e9\",\"\\u0072esource\":\"/r\",\"caf\u00e9\":1,\"dup\":1,\"dup\":2,\"\":\"empty\"}",
	`{"resourceData":[{"@odata.type":"#microsoft.graph.call"}],"resource":"/legacy","x":"\\"}`,
	"{\"\u212aelvin\":1,\"Kelvin\":2,\"" + strings.Repeat("long", 20) + "\":3}",
	`{}`, `null`, `[]`, `"s"`, `{"value":[{"changeType":"deleted"}]}`,
}

// extraByMap is what unmarshalOpen must find: the members of a map decode
// whose lower-cased names are not declared.
func extraByMap(t *testing.T, data []byte, typ reflect.Type) Extra {
	t.Helper()
	var all map[string]json.RawMessage
	if json.Unmarshal(data, &all) != nil {
		return nil
	}
	known := declaredNames(typ)
	var want Extra
	for k, raw := range all {
		if !known[strings.ToLower(k)] {
			if want == nil {
				want = Extra{}
			}
			want[k] = raw
		}
	}
	return want
}

func checkOpenAgrees(t *testing.T, data []byte) {
	var n CommsNotification
	err := json.Unmarshal(data, &n)
	type declaredOnly CommsNotification // its fields, without its UnmarshalJSON
	var plain declaredOnly
	if wantErr := json.Unmarshal(data, &plain); (err == nil) != (wantErr == nil) {
		t.Fatalf("%s: error %v, want %v", data, err, wantErr)
	}
	if err != nil {
		return
	}
	want := extraByMap(t, data, reflect.TypeFor[CommsNotification]())
	if !reflect.DeepEqual(n.Extra, want) {
		t.Errorf("%s:\nExtra %v\nwant  %v", data, n.Extra, want)
	}
}

func TestOpenExtraAgreesWithAMapDecode(t *testing.T) {
	for _, s := range openSeeds {
		checkOpenAgrees(t, []byte(s))
	}
}

func FuzzOpenExtraAgreesWithAMapDecode(f *testing.F) {
	for _, s := range openSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if json.Valid(data) {
			checkOpenAgrees(t, data)
		}
	})
}

// Finding that a notification has no undeclared members allocates nothing,
// names in another case included.
func TestCollectExtraOfDeclaredMembersAllocatesNothing(t *testing.T) {
	data := []byte(`{"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","ResourceUrl":"/communications/calls/1","resourceData":{"state":"established","x":["}"]}}`)
	known := declaredNames(reflect.TypeFor[CommsNotification]())
	var extra Extra
	if n := testing.AllocsPerRun(50, func() { collectExtra(data, known, &extra) }); n != 0 && !race.Enabled || extra != nil {
		t.Errorf("collectExtra: %.0f allocations, extra %v; want none", n, extra)
	}
}
