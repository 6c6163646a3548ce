package emulator

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/callcheck/callcheck/graph"
)

// fields are a call object's top-level members as raw JSON.
type fields map[string]json.RawMessage

// readOnlyCallProperties are dropped from a create body before the 201 is
// rendered: the service sets them (facts §1.2).
var readOnlyCallProperties = []string{"id", "state", "direction", "myParticipantId", "tenantId", "resultInfo",
	"callRoutes", "activeModalities", "answeredBy", "mediaState", "transcription", "meetingCapability", "toneInfo",
	"incomingContext", "terminationReason", "@odata.context", "@odata.type"}

// collectionCallProperties are shown as [] when unset, the others as null
// (create-call-doc.txt Example 1's response).
var collectionCallProperties = map[string]bool{
	"callRoutes": true, "targets": true, "requestedModalities": true, "activeModalities": true, "routingPolicies": true,
}

// The documented call properties per version, computed once.
var callPropertiesBeta, callPropertiesV1 = graph.CallProperties(true), graph.CallProperties(false)

// renderFull writes the full call object Graph shows: every property of
// the version in documented order (graph.CallProperties), null or [] where
// unset, then any other member in key order; beta-only members are left out
// of v1.0. It is graph.MarshalFull over raw members.
func renderFull(f fields, beta bool) []byte {
	var buf bytes.Buffer
	buf.Grow(2048)
	buf.WriteByte('{')
	first := true
	write := func(k string, v json.RawMessage) {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.WriteString(strconv.Quote(k))
		buf.WriteByte(':')
		buf.Write(v)
	}
	known := callPropertiesV1
	if beta {
		known = callPropertiesBeta
	}
	for _, p := range known {
		v, ok := f[p]
		switch {
		case ok:
		case collectionCallProperties[p]:
			v = json.RawMessage("[]")
		default:
			v = json.RawMessage("null")
		}
		write(p, v)
	}
	rest := make([]string, 0, len(f))
	for k := range f {
		if !slices.Contains(known, k) && (beta || !graph.IsBetaOnlyCallProperty(k)) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		write(k, f[k])
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

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
