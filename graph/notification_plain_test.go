package graph

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// slowNotifications is the batch decoded by encoding/json alone.
func slowNotifications(data []byte) (CommsNotifications, error) {
	var n CommsNotifications
	type plain CommsNotifications
	err := unmarshalOpen(data, (*plain)(&n), &n.Extra)
	return n, err
}

const sampleBatch = `{"@odata.type":"#microsoft.graph.commsNotifications","value":[` +
	`{"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":"/communications/calls/1",` +
	`"resourceData":{"@odata.type":"#microsoft.graph.call","state":"established","x":["}\""]}},` +
	`{"ChangeType":"Deleted","RESOURCEURL":"/communications/calls/2/participants","resourceData":[{"id":"p"}],"future":{"a":1},"callbackUri":"https://bot/cb","resource":"/app/calls/2"}` +
	`],"extra":[1,2]}`

var notificationSeeds = []string{
	sampleBatch, `{"value":[]}`, `{}`, `{"value":null}`, `null`, `[]`, `{"value":[{}]}`, `{"value":[5]}`,
	`{"value":[{"changeType":"created"}],"value":[{"resource":"/r"}]}`,
	`{"value":[{"changeType":null,"resourceData":null}]}`, `{"value":[{"changeType":"notAMember","resourceData":"s"}]}`,
	`{"value":[{"resourceUrl":"/communications/calls/\u0031"}]}`, `{"VALUE":[{"resourceurl":"/a","ResourceUrl":"/b"}]}`,
	"{\"value\":[{\"resourceUrl\":\"\xff\"}]}", `{"value":[{"r\u0065source":"/x"}]}`, `{"` + strings.Repeat("n", 70) + `":1}`,
	`{"@odata.type":5}`, `{"value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":5}]}`,
}

func checkNotificationsAgree(t *testing.T, data []byte) {
	var fast CommsNotifications
	plain := fast.decodePlain(data)
	slow, err := slowNotifications(data)
	if plain && (err != nil || !reflect.DeepEqual(fast, slow)) {
		t.Fatalf("%s:\none pass: %+v\nencoding/json: %+v, %v", data, fast, slow, err)
	}
	if !plain && !reflect.DeepEqual(fast, CommsNotifications{}) {
		t.Fatalf("%s: left to encoding/json but changed the batch: %+v", data, fast)
	}
	var got CommsNotifications
	gotErr := json.Unmarshal(data, &got)
	if (gotErr == nil) != (err == nil) || err == nil && !reflect.DeepEqual(got, slow) {
		t.Fatalf("%s: json.Unmarshal %+v, %v; want %+v, %v", data, got, gotErr, slow, err)
	}
}

func TestNotificationsDecodeAgrees(t *testing.T) {
	for _, s := range notificationSeeds {
		checkNotificationsAgree(t, []byte(s))
	}
	var n CommsNotifications
	if !n.decodePlain([]byte(sampleBatch)) {
		t.Errorf("the sample batch was not decoded in one pass")
	}
}

// FuzzNotificationsDecodeAgrees holds the one-pass decoding of a batch to
// encoding/json's.
func FuzzNotificationsDecodeAgrees(f *testing.F) {
	for _, s := range notificationSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkNotificationsAgree(t, data) })
}
