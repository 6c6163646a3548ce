package emulator

import (
	"encoding/json"

	"github.com/callcheck/callcheck/graph"
)

// fields are a call object's top-level members as raw JSON.
type fields map[string]json.RawMessage

// readOnlyCallProperties are dropped from a create body before the 201 is
// rendered: the service sets them (facts §1.2).
var readOnlyCallProperties = []string{"id", "state", "direction", "myParticipantId", "tenantId", "resultInfo",
	"callRoutes", "activeModalities", "answeredBy", "mediaState", "transcription", "meetingCapability", "toneInfo",
	"incomingContext", "terminationReason", "@odata.context", "@odata.type"}

// renderFull writes the full call object Graph shows
// (graph.MarshalFullMembers): every property of the version in documented
// order, null or [] where unset, then any other member in key order;
// beta-only members are left out of v1.0.
func renderFull(f fields, beta bool) []byte { return graph.MarshalFullMembers(f, beta) }

// jsonString encodes s as a JSON string.
func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// clone copies the member map (values are shared and never modified).
func (f fields) clone() fields {
	out := make(fields, len(f)+4)
	for k, v := range f {
		out[k] = v
	}
	return out
}
