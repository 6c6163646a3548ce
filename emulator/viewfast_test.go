package emulator

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph/rules"
)

// viewBodies are create bodies fastView reads and bodies it must leave to
// decodeView: names in another case or with escapes, strings with escapes
// or bad UTF-8, numbers that are not integers, nulls everywhere, members of
// the wrong kind, chat and meeting joins.
func viewBodies() []string {
	out := []string{
		string(p2pBody("https://bot.example.com/cb")), string(groupBody("https://bot.example.com/cb", 3, serviceMedia)),
		`{}`, `[]`, `"x"`, `null`, `{"callbackUri":null,"tenantId":null,"source":null,"targets":null,"mediaConfig":null,"requestedModalities":null,"ringingTimeoutInSeconds":null,"routingPolicies":null}`,
		`{"targets":[],"requestedModalities":[],"routingPolicies":[]}`,
		`{"CallbackUri":"https://x"}`, `{"callback\u0055ri":"https://x"}`, `{"callbackUri":"https:\/\/x"}`, "{\"callbackUri\":\"\xff\"}",
		`{"callbackUri":5}`, `{"callbackUri":{}}`, `{"tenantId":["a"]}`, `{"ringingTimeoutInSeconds":1.0}`, `{"ringingTimeoutInSeconds":1e2}`,
		`{"ringingTimeoutInSeconds":-0}`, `{"ringingTimeoutInSeconds":"5"}`, `{"ringingTimeoutInSeconds":99999999999999999999}`,
		`{"ringingTimeoutInSeconds":45}`, `{"requestedModalities":["audio",null]}`, `{"requestedModalities":"audio"}`, `{"requestedModalities":[5]}`,
		`{"source":{"identity":null}}`, `{"source":{"identity":"x"}}`, `{"source":{"identity":{}}}`, `{"source":{"Identity":{}}}`,
		`{"source":{"identity":{"application":null,"user":{"id":null},"guest":{"id":"g","displayName":"G"}}}}`,
		`{"source":{"identity":{"application":{"id":5}}}}`, `{"source":{"identity":{"application":"x"}}}`, `{"source":[]}`,
		`{"targets":[null]}`, `{"targets":[{}]}`, `{"targets":[{"identity":{"phone":{"id":"+1"}}},{"identity":{"applicationInstance":{"id":"a"}}}]}`,
		`{"targets":{}}`, `{"mediaConfig":{"@odata.type":"#microsoft.graph.appHostedMediaConfig","blob":"b"}}`,
		`{"mediaConfig":{"@odata.type":"#microsoft.graph.appHostedMediaConfig","blob":null}}`, `{"mediaConfig":{"@ODATA.type":"x"}}`,
		`{"mediaConfig":{"blob":5}}`, `{"mediaConfig":"x"}`, `{"chatInfo":{"threadId":"t"}}`, `{"chatInfo":null}`, `{"meetingInfo":null}`,
		`{"meetingInfo":{"@odata.type":"#microsoft.graph.joinMeetingIdMeetingInfo","joinMeetingId":"1"}}`,
		`{"unknown":{"deep":[{"callbackUri":5}]},"callbackUri":"https://x"}`, "{\"targe\u017fs\":[]}", `{"targets":[{"identity":{"user":{"id":"u"},"USER2":{}}}]}`,
		` { "callbackUri" : "https://x" , "targets" : [ { "identity" : { "user" : { "id" : "u" } } } ] } `,
	}
	for _, ex := range fixtures.All() {
		out = append(out, ex.Request().Body)
	}
	return out
}

// TestFastViewAgrees: on every body that is JSON without duplicate
// members, decodeViewValid gives decodeView's view and error; fastView
// itself reads the documented peer-to-peer body and a group call (so the
// comparison is not between decodeView and itself).
func TestFastViewAgrees(t *testing.T) {
	compared := 0
	for _, b := range viewBodies() {
		compared += compareViews(t, []byte(b))
	}
	if compared < 20 {
		t.Errorf("only %d bodies compared", compared)
	}
	for _, b := range [][]byte{p2pBody("https://bot.example.com/cb"), groupBody("https://bot.example.com/cb", 3, serviceMedia)} {
		if _, ok := fastView(b); !ok {
			t.Errorf("fastView left a plain body to decodeView: %s", b)
		}
	}
}

// FuzzFastViewAgrees is TestFastViewAgrees on any body.
func FuzzFastViewAgrees(f *testing.F) {
	for _, b := range viewBodies() {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) { compareViews(t, body) })
}

// compareViews compares the two decodings of body, when it is JSON
// without duplicate members (decodeViewValid's precondition); 1 when it
// compared.
func compareViews(t *testing.T, body []byte) int {
	t.Helper()
	if !json.Valid(body) {
		return 0
	}
	if _, dup := rules.CheckDuplicateMembers(body); dup {
		return 0
	}
	want, werr := decodeView(body)
	got, gerr := decodeViewValid(body)
	if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
		t.Fatalf("%s: error %v, decodeView's %v", body, gerr, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\nfast   %s\ndecode %s", body, dumpView(got), dumpView(want))
	}
	return 1
}

func dumpView(v *createView) string {
	if v == nil {
		return "nil"
	}
	var b strings.Builder
	j, _ := json.Marshal(v)
	b.Write(j)
	for _, s := range []*viewInfo{v.Source} {
		if s != nil {
			j, _ = json.Marshal(s.ids)
			b.WriteString(" source.ids=" + string(j))
		}
	}
	for i := range v.Targets {
		j, _ = json.Marshal(v.Targets[i].ids)
		b.WriteString(" target.ids=" + string(j))
	}
	return b.String()
}
