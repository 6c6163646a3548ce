package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph/schema"
)

// TestEnumCase: RequestSchema accepts enum values in any case, which
// CanonicalEnums spells as the metadata does; a body with none, or not
// JSON, is left as sent.
func TestEnumCase(t *testing.T) {
	v, err := schema.Load(schema.V1)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"@odata.type":"#microsoft.graph.call","requestedModalities":["Audio"],"direction":"OUTGOING","vendor":"Kept"}`)
	if vs := RequestSchema(v).ValidateRequest(schema.TypeCall, body); len(FromSchema(vs)) != 1 || FromSchema(vs)[0].Rule != ReadOnly {
		t.Errorf("RequestSchema: %v, want only the read-only warning of direction", vs)
	}
	got, fixes := CanonicalEnums(v, body)
	if len(fixes) != 2 || !strings.Contains(string(got), `"requestedModalities":["audio"]`) || !strings.Contains(string(got), `"direction":"outgoing"`) ||
		!strings.Contains(string(got), `"vendor":"Kept"`) {
		t.Errorf("CanonicalEnums = %s, %v", got, fixes)
	}
	for _, same := range []string{`{"requestedModalities":["audio"]}`, `{"requestedModalities":`} {
		if got, fixes := CanonicalEnums(v, []byte(same)); string(got) != same || fixes != nil {
			t.Errorf("CanonicalEnums(%s) = %s, %v; want it unchanged", same, got, fixes)
		}
	}
}

// TestCheckBodyIsCanonicalThenValidate: CheckBody's one walk finds what
// CanonicalEnums and then the request schema find on its result.
func TestCheckBodyIsCanonicalThenValidate(t *testing.T) {
	for _, ver := range []schema.Version{schema.V1, schema.Beta} {
		v, err := schema.Load(ver)
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{
			`{"@odata.type":"#microsoft.graph.call","requestedModalities":["Audio"],"direction":"OUTGOING","vendor":"Kept"}`,
			`{"@odata.type":"#microsoft.graph.call","callbackUri":"https://x/cb","requestedModalities":["audio"],"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"},"source":{"identity":{"application":{"id":"a"}}},"targets":[{"identity":{"user":{"id":"u"}}}],"tenantId":"t"}`,
			`{"@odata.type":"#microsoft.graph.call","requestedModalities":["Video","bogus"],"mediaConfig":{"@odata.type":"#microsoft.graph.appHostedMediaConfig","blob":1},"targets":{"x":1}}`,
			`{"requestedModalities":`, `[1]`, `{"a":1} 2`,
		} {
			want, _ := CanonicalEnums(v, []byte(body))
			wantF := FromSchema(RequestSchema(v).ValidateRequest(schema.TypeCall, want))
			gotF, got, _ := CheckBody(v, []byte(body))
			if string(got) != string(want) && body != `{"a":1} 2` {
				t.Errorf("%s %s: CheckBody's body %s, CanonicalEnums' %s", ver, body, got, want)
			}
			if fmt.Sprint(gotF) != fmt.Sprint(wantF) {
				t.Errorf("%s %s: CheckBody's findings\n%v\nwant\n%v", ver, body, gotF, wantF)
			}
		}
	}
}
