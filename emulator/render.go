package emulator

import (
	"encoding/json"
	"slices"
	"sync"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/internal/jsonscan"
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

// encodeMembers writes a call's members compactly, in key order: a JSON
// object of exactly the members set, in exactly the bytes needed. A call
// held keeps this, not its full object, and renders that on demand
// (renderFull fills in the unset properties).
func encodeMembers(f fields) []byte {
	keys := make([]string, 0, len(f))
	n := 2
	for k, v := range f {
		keys = append(keys, k)
		n += len(k) + len(v) + 8
	}
	slices.Sort(keys)
	buf := make([]byte, 0, n)
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, k)
		buf = append(buf, ':')
		buf = append(buf, f[k]...)
	}
	buf = append(buf, '}')
	return slices.Clip(buf)
}

// decodeMembers reads what encodeMembers wrote (or a full call object) back
// into members; the values share its bytes.
func decodeMembers(b []byte) fields {
	f, ok := splitValid(b) // encodeMembers or renderFull wrote it
	if !ok {
		f = fields{}
		_ = json.Unmarshal(b, &f)
	}
	return f
}

// fullObject renders the call's object as the 201 showed it. The members
// never change after creation but under c.mu.
func (c *callRecord) fullObject() []byte {
	return renderFull(decodeMembers(c.members), c.version == "beta")
}

// The members every created call starts with, encoded once: they are shared
// read-only by the calls' members (encodeMembers copies them).
var (
	jsonTypeCall     = jsonString(graph.TypeCall)
	jsonEstablishing = jsonString(string(graph.CallStateEstablishing))
	jsonOutgoing     = jsonString(string(graph.DirectionOutgoing))
)

// jsonString encodes s as a JSON string.
// A string of plain printable ASCII, without the characters encoding/json
// escapes, is quoted as is: the same bytes json.Marshal writes.
func jsonString(s string) json.RawMessage {
	return appendString(make([]byte, 0, len(s)+2), s)
}

// appendString appends s to buf as a JSON string, as json.Marshal writes it.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	buf = appendStringBody(buf, s)
	return append(buf, '"')
}

// appendStringBody appends s as the inside of a JSON string, escaped as
// json.Marshal escapes it.
func appendStringBody(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return append(buf, b[1:len(b)-1]...)
		}
	}
	return append(buf, s...)
}

// jsonStrings encodes several JSON strings into one array, so that they
// cost one allocation together when the capacity given holds them (the
// values stay valid when it does not: append leaves them the old array).
type jsonStrings struct{ buf []byte }

// add encodes the concatenation of parts as one JSON string.
func (j *jsonStrings) add(parts ...string) json.RawMessage {
	start := len(j.buf)
	j.buf = append(j.buf, '"')
	for _, p := range parts {
		j.buf = appendStringBody(j.buf, p)
	}
	j.buf = append(j.buf, '"')
	return j.buf[start:len(j.buf):len(j.buf)]
}

// fieldsPool keeps the member maps of create requests from one request to
// the next: a create's map is used only while its request is served, and
// released (releaseFields) once the answer is written.
var fieldsPool = sync.Pool{New: func() any { return make(fields, 24) }}

// releaseFields empties f and keeps it for another create; a map grown
// large by an unusual body is left to the collector.
func releaseFields(f fields) {
	if f == nil || len(f) > 64 {
		return
	}
	clear(f)
	fieldsPool.Put(f)
}

// clone copies the member map (values are shared and never modified).
func (f fields) clone() fields {
	out := make(fields, len(f)+4)
	for k, v := range f {
		out[k] = v
	}
	return out
}

// splitObject splits a JSON object into its members as json.Unmarshal into
// fields does (names decoded, values raw), in one pass over its bytes and
// sharing them; false when body is not a valid JSON object (the caller
// then decodes it to learn why). A later member of the same name wins, as
// with json.Unmarshal.
func splitObject(body []byte) (fields, bool) {
	if !json.Valid(body) {
		return nil, false
	}
	return splitValid(body)
}

// splitValid is splitObject on a body known to be valid JSON.
func splitValid(body []byte) (fields, bool) { return splitValidInto(body, make(fields, 24)) }

// splitValidInto is splitValid into f (empty).
func splitValidInto(body []byte, f fields) (fields, bool) {
	if !jsonscan.EachMember(body, 0, func(m jsonscan.Member) bool {
		f[memberName(body[m.Name-1:m.NameEnd+1])] = json.RawMessage(body[m.Value:m.End:m.End])
		return true
	}) {
		return nil, false
	}
	return f, true
}

// memberName decodes a quoted member name; a plain ASCII one is taken as is.
func memberName(quoted []byte) string {
	for _, c := range quoted[1 : len(quoted)-1] {
		if c >= 0x80 || c == '\\' {
			var s string
			_ = json.Unmarshal(quoted, &s) // valid: the body was checked
			return s
		}
	}
	if s, ok := documentedNames[string(quoted[1:len(quoted)-1])]; ok {
		return s
	}
	return string(quoted[1 : len(quoted)-1])
}

// documentedNames are the call's property names and the OData annotations
// a body carries: splitting a body reuses these strings.
var documentedNames = func() map[string]string {
	m := map[string]string{"@odata.type": "@odata.type", "@odata.context": "@odata.context"}
	for _, p := range graph.CallProperties(true) {
		m[p] = p
	}
	return m
}()
