package graph

import (
	"bytes"
	"encoding/json"
	"sort"
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

// MarshalFull encodes c as the full call object a create response carries:
// every property of CallProperties(beta) present, null or [] where unset, in
// documented order, followed by any other properties c has, in key order.
func MarshalFull(c *Call, beta bool) ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var have map[string]json.RawMessage
	if err := json.Unmarshal(b, &have); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	write := func(k string, v json.RawMessage) {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(v)
	}
	for _, p := range CallProperties(beta) {
		v, ok := have[p]
		switch {
		case ok:
			delete(have, p)
		case collectionCallProperties[p]:
			v = json.RawMessage("[]")
		default:
			v = json.RawMessage("null")
		}
		write(p, v)
	}
	rest := make([]string, 0, len(have))
	for k := range have {
		if beta || !betaOnlyCallProperties[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		write(k, have[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
