package emulator

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/graph"
)

// notificationRef is notificationOut as encoding/json would write it.
type notificationRef struct {
	ODataType    string           `json:"@odata.type"`
	ChangeType   graph.ChangeType `json:"changeType"`
	ResourceURL  string           `json:"resourceUrl,omitempty"`
	Resource     string           `json:"resource,omitempty"`
	CallbackURI  string           `json:"callbackUri,omitempty"`
	ResourceData json.RawMessage  `json:"resourceData"`
}

// TestNotificationJSON: the hand-built encoding equals encoding/json's.
func TestNotificationJSON(t *testing.T) {
	established := callData{ODataType: graph.TypeCall, State: graph.CallStateEstablished, Direction: "outgoing", TenantID: "t<&>", ID: "c\\"}
	for _, n := range []notificationOut{
		{ODataType: graph.TypeCommsNotification, ChangeType: graph.ChangeUpdated, ResourceURL: [3]string{"/communications/calls/", "a\"b"},
			CallbackURI: "https://x/cb?a=<b>&c", ResourceData: json.RawMessage(`{"state":"established"}`)},
		{ODataType: graph.TypeCommsNotification, ChangeType: graph.ChangeDeleted, ResourceURL: [3]string{"/communications/calls/", "é\u2028", "/participants"},
			Resource: "/app/calls/x", ResourceData: json.RawMessage(`[]`)},
		{ODataType: graph.TypeCommsNotification, ChangeType: graph.ChangeUpdated, Resource: "/app/calls/y", data: established, plainData: true},
	} {
		ref := notificationRef{ODataType: n.ODataType, ChangeType: n.ChangeType, ResourceURL: strings.Join(n.ResourceURL[:], ""),
			Resource: n.Resource, CallbackURI: n.CallbackURI, ResourceData: n.ResourceData}
		if n.plainData {
			ref.ResourceData = mustJSON(n.data)
		}
		want, err := json.Marshal(ref)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		if err := json.Unmarshal(n.appendJSON(nil), &a); err != nil {
			t.Fatalf("hand-built JSON is invalid: %v: %s", err, n.appendJSON(nil))
		}
		_ = json.Unmarshal(want, &b)
		if ga, gb := mustJSON(a), mustJSON(b); string(ga) != string(gb) {
			t.Errorf("hand-built %s, encoding/json %s", ga, gb)
		}
	}
}
