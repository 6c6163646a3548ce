package emulator

import (
	"encoding/json"
	"testing"

	"github.com/callcheck/callcheck/graph"
)

// TestNotificationJSON: the hand-built encoding equals encoding/json's.
func TestNotificationJSON(t *testing.T) {
	for _, n := range []notificationOut{
		{ODataType: graph.TypeCommsNotification, ChangeType: graph.ChangeUpdated, ResourceURL: "/communications/calls/a\"b",
			CallbackURI: "https://x/cb?a=<b>&c", ResourceData: json.RawMessage(`{"state":"established"}`)},
		{ODataType: graph.TypeCommsNotification, ChangeType: graph.ChangeDeleted, ResourceURL: "/communications/calls/é\u2028",
			Resource: "/app/calls/x", ResourceData: json.RawMessage(`[]`)},
	} {
		want, err := json.Marshal(n)
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
