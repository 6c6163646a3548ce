package rules

import (
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
