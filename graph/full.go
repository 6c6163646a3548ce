package graph

import (
	"bytes"
	"encoding/json"
	"slices"
)

// callProperties lists the call properties a create response shows, in the
// order the documentation's responses show them (create-call-doc.txt Example 1).
var callProperties = []string{
	"@odata.type", "state", "direction", "callbackUri", "callChainId", "callRoutes", "source", "targets",
	"requestedModalities", "activeModalities", "mediaConfig", "routingPolicies", "tenantId", "myParticipantId",
	"id", "@odata.context", "subject", "terminationReason", "ringingTimeoutInSeconds", "mediaState", "resultInfo",
	"answeredBy", "chatInfo", "meetingInfo", "transcription", "meetingCapability", "toneInfo",
}

// betaOnlyCallProperties are the call properties v1.0 lacks (graph-calls-facts.md §1.2).
var betaOnlyCallProperties = map[string]bool{
	"activeModalities": true, "answeredBy": true, "meetingCapability": true,
	"ringingTimeoutInSeconds": true, "routingPolicies": true, "terminationReason": true,
}

// collectionCallProperties are shown as [] rather than null when unset.
var collectionCallProperties = map[string]bool{
	"callRoutes": true, "targets": true, "requestedModalities": true, "activeModalities": true, "routingPolicies": true,
}

// CallProperties returns the call properties a full call object shows, in
// documented order: the beta set, or without the beta-only ones for v1.0.
func CallProperties(beta bool) []string {
	var out []string
	for _, p := range callProperties {
		if beta || !betaOnlyCallProperties[p] {
			out = append(out, p)
		}
	}
	return out
}

// IsBetaOnlyCallProperty reports whether a call property exists in beta only.
func IsBetaOnlyCallProperty(name string) bool { return betaOnlyCallProperties[name] }

// The documented properties per version, computed once.
var fullPropertiesBeta, fullPropertiesV1 = CallProperties(true), CallProperties(false)

// isCallProperty holds every documented call property (callProperties).
var isCallProperty = func() map[string]bool {
	m := make(map[string]bool, len(callProperties))
	for _, p := range callProperties {
		m[p] = true
	}
	return m
}()

// MarshalFull encodes c as the full call object a create response carries:
// every property of CallProperties(beta) present, null or [] where unset, in
// documented order, followed by any other properties c has, in key order
// (MarshalFullMembers of c's members).
func MarshalFull(c *Call, beta bool) ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return nil, err
	}
	return MarshalFullMembers(members, beta), nil
}

// MarshalFullMembers is MarshalFull over a call's members already encoded
// (each a valid JSON value), as the emulator holds them: every property of
// CallProperties(beta), the member's value or null ([] for a collection)
// where it has none, in documented order; then every other member in key
// order, beta-only properties left out of v1.0. members is not changed.
func MarshalFullMembers(members map[string]json.RawMessage, beta bool) []byte {
	var buf bytes.Buffer
	buf.Grow(2048)
	buf.WriteByte('{')
	first := true
	write := func(k string, v json.RawMessage) {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		writeKey(&buf, k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	known := fullPropertiesV1
	if beta {
		known = fullPropertiesBeta
	}
	for _, p := range known {
		v, ok := members[p]
		switch {
		case ok:
		case collectionCallProperties[p]:
			v = json.RawMessage("[]")
		default:
			v = json.RawMessage("null")
		}
		write(p, v)
	}
	rest := make([]string, 0, len(members))
	for k := range members {
		if !isCallProperty[k] { // written above, or beta-only and left out of v1.0
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		write(k, members[k])
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// writeKey writes k as a JSON string, as encoding/json does: verbatim
// between quotes when it needs no escape, else through json.Marshal (a
// member name from a client may hold any character).
func writeKey(buf *bytes.Buffer, k string) {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(k)
			buf.Write(b)
			return
		}
	}
	buf.WriteByte('"')
	buf.WriteString(k)
	buf.WriteByte('"')
}
