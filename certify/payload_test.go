package certify

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/schema"
)

// meetingBody is a meeting join as Example 5 sends it (shape only).
func meetingBody() *graph.Call {
	var c graph.Call
	ex, _ := fixtures.ByNumber(5)
	_ = json.Unmarshal(ex.Request().Canonical(), &c)
	return &c
}

// guestBody is Example 8's guest join.
func guestBody() *graph.Call {
	var c graph.Call
	ex, _ := fixtures.ByNumber(8)
	_ = json.Unmarshal(ex.Request().Canonical(), &c)
	return &c
}

func testTarget(key Key, body *graph.Call) *target {
	return &target{key: key, callID: "2e1a0b00-2db4-4022-9570-243709c565ab", callbackURI: "https://bot.contoso.com/callback",
		tenantID: "aa67bd4c-8475-432d-bd41-39f255720e0a", appID: "2891555a-92ff-42e6-80fa-6e1300c6b5c6", appName: "Calling Bot",
		myParticipantID: "05491616-385f-44a8-9974-18cc5f9933c1", body: body}
}

// TestPayloadShapes compares what certify-bot posts with the documented
// notifications: the same members at every level the doc shows.
func TestPayloadShapes(t *testing.T) {
	s := &Session{rng: rand.New(rand.NewPCG(1, 2))}
	p2p, meeting := testTarget(KeyP2P, nil), testTarget(KeyMeeting, meetingBody())
	guest := testTarget(KeyGuest, guestBody())
	for _, tc := range []struct {
		example int
		block   string
		got     graph.CommsNotification
	}{
		{1, fixtures.BlockEstablishing, p2p.state(graph.CallStateEstablishing)},
		{1, fixtures.BlockEstablished, p2p.state(graph.CallStateEstablished)},
		{5, fixtures.BlockEstablishing, meeting.state(graph.CallStateEstablishing)},
		{5, fixtures.BlockEstablished, meeting.state(graph.CallStateEstablished)},
		{5, fixtures.BlockRoster, meeting.roster(append([]obj{meeting.botParticipant(false)}, meeting.others(s, 0)...))},
		{8, fixtures.BlockRoster, guest.roster([]obj{guest.botParticipant(true)})},
	} {
		ex, _ := fixtures.ByNumber(tc.example)
		b, err := ex.Block(tc.block)
		if err != nil {
			t.Fatal(err)
		}
		var doc graph.CommsNotifications
		if err := json.Unmarshal(b.Canonical(), &doc); err != nil {
			t.Fatal(err)
		}
		want, got := shape(t, doc.Value[0]), shape(t, tc.got)
		if !slices.Equal(want, got) {
			t.Errorf("Example %d %s:\n got members %v\nwant members %v", tc.example, tc.block, got, want)
		}
	}
}

// shape lists the member paths of a notification (array items merged).
func shape(t *testing.T, n graph.CommsNotification) []string {
	t.Helper()
	raw, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	_ = json.Unmarshal(raw, &v)
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, m := range x {
				p := prefix + "/" + k
				if !slices.Contains(out, p) {
					out = append(out, p)
				}
				walk(p, m)
			}
		case []any:
			for _, m := range x {
				walk(prefix+"/*", m)
			}
		}
	}
	walk("", v)
	slices.Sort(out)
	return out
}

// TestPayloadsValidate validates every kind of notification certify-bot
// posts against the schema.
func TestPayloadsValidate(t *testing.T) {
	v, err := schema.Load(schema.Beta)
	if err != nil {
		t.Fatal(err)
	}
	s := &Session{rng: rand.New(rand.NewPCG(1, 2))}
	for _, tg := range []*target{testTarget(KeyP2P, nil), testTarget(KeyMeeting, meetingBody()), testTarget(KeyGuest, guestBody())} {
		ns := []graph.CommsNotification{tg.state(graph.CallStateEstablishing), tg.state(graph.CallStateEstablished),
			tg.state(graph.CallStateTerminating), tg.terminated(resultHangup), tg.terminated(farEndResult(tg.key)),
			tg.roster(append([]obj{tg.botParticipant(true)}, tg.others(s, 3)...))}
		body, err := json.Marshal(batchOf(ns...))
		if err != nil {
			t.Fatal(err)
		}
		for _, vi := range v.Validate(schema.TypeCommsNotifications, body) {
			t.Errorf("%s: %s", tg.key, vi)
		}
	}
}

// TestGUIDsAreSeeded: the same seed draws the same ids.
func TestGUIDsAreSeeded(t *testing.T) {
	a, b, c := &Session{rng: rand.New(rand.NewPCG(7, 0x63657274))}, &Session{rng: rand.New(rand.NewPCG(7, 0x63657274))}, &Session{rng: rand.New(rand.NewPCG(8, 0x63657274))}
	ga, gb, gc := a.guid(), b.guid(), c.guid()
	if ga != gb || ga == gc || !graph.IsGUID(ga) {
		t.Errorf("guids %s %s %s", ga, gb, gc)
	}
}
