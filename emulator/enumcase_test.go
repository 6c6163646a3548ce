package emulator

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestEnumCase checks that enum values in another case are accepted, as
// Graph matches them (rules.SrcEnumCase), and that the 201 echo and a later
// read spell them as the metadata does; a value no member matches, in any
// case, is still refused.
func TestEnumCase(t *testing.T) {
	h := newHarness(t, nil)
	body := strings.Replace(string(groupBody(h.callback, 2, serviceMedia)), `"requestedModalities":["audio"]`, `"requestedModalities":["Audio","VIDEO"]`, 1)
	body = strings.Replace(body, `"direction":"outgoing"`, `"direction":"Outgoing"`, 1)
	for _, version := range []string{"beta", "v1.0"} {
		r := h.create(version, []byte(body))
		if r.status != http.StatusCreated {
			t.Fatalf("%s: status %d, want 201: %s", version, r.status, r.body)
		}
		got := r.json(t)
		if m := got["requestedModalities"]; !reflect.DeepEqual(m, []any{"audio", "video"}) {
			t.Errorf("%s: the echo's requestedModalities = %v, want [audio video]", version, m)
		}
		if d := got["direction"]; d != "outgoing" {
			t.Errorf("%s: the echo's direction = %v, want outgoing", version, d)
		}
		read := h.do(h.client, http.MethodGet, "/"+version+"/communications/calls/"+got["id"].(string), nil, nil)
		if m := read.json(t)["requestedModalities"]; !reflect.DeepEqual(m, []any{"audio", "video"}) {
			t.Errorf("%s: GET's requestedModalities = %v, want [audio video]", version, m)
		}
	}
	bad := strings.Replace(body, `"Audio","VIDEO"`, `"Smell"`, 1)
	if r := h.create("v1.0", []byte(bad)); r.status != http.StatusBadRequest {
		t.Errorf("an unknown modality: status %d, want 400: %s", r.status, r.body)
	}
}
