package notify_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/fixtures/field"
	"github.com/callcheck/callcheck/graph"
)

// TestFieldNotificationsAccepted feeds every complete notification of the
// field corpus (fixtures/field), byte for byte as Graph sent it, to a
// Receiver over real HTTP with a token signed by a published key, and
// checks that each is accepted (202) and correlated to its call: by
// resourceUrl, or by the legacy resource where the notification carries
// only that (comms-samples #95). Excerpts (the copy read ends inside the
// payload) cannot be sent as they are; they are listed, and their shapes
// are covered by the emulator's field profile, whose notifications the
// same receiver takes in the emulator's tests.
func TestFieldNotificationsAccepted(t *testing.T) {
	l := newLoop(t, nil)
	token, err := l.signer.Token(botAppID, tenantID)
	if err != nil {
		t.Fatal(err)
	}
	fed := 0
	for _, e := range field.OfKind(field.KindNotification) {
		if !e.IsJSON() {
			t.Logf("%s: an excerpt (%s), not sent", e.ID, e.Source)
			continue
		}
		fed++
		w := l.receiver.Watch(e.CallID)
		status := postRaw(t, l.server.URL+"/api/calling/notification", token, e.Body())
		if status != http.StatusAccepted {
			t.Errorf("%s: status %d, want 202; rejections %+v", e.ID, status, l.receiver.Rejections())
			w.Close()
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		ev, err := w.Next(ctx)
		cancel()
		w.Close()
		if err != nil {
			t.Errorf("%s: no event for call %s: %v", e.ID, e.CallID, err)
			continue
		}
		batch, _ := e.Notifications()
		want := strings.ToLower(string(mustCall(t, batch.Value[0]).State))
		if ev.CallID != e.CallID || !ev.IsCall() || strings.ToLower(string(ev.State())) != want {
			t.Errorf("%s: event for call %q (call event %v, state %q), want call %s in state %s", e.ID, ev.CallID, ev.IsCall(), ev.State(), e.CallID, want)
		}
	}
	if fed == 0 {
		t.Fatal("the corpus has no complete notification to send")
	}
	if st := l.receiver.Stats(); st.Rejected != 0 || st.Uncorrelated != 0 || st.Accepted != uint64(fed) {
		t.Errorf("stats %+v, want %d accepted, none rejected or uncorrelated", st, fed)
	}
}

// TestFieldShapesAccepted sends, through the same real receiver, the shapes
// the corpus's excerpts show, built from the excerpts' own values: PascalCase
// changeType and state (msteams-docs #9170, #9159), resource beside
// resourceUrl (comms-samples #667, #721), no id in resourceData (#667's
// terminated notification shows none among its fields), numeric resultInfo
// (#667). Each must be accepted, correlated, and read in its documented
// spelling.
func TestFieldShapesAccepted(t *testing.T) {
	l := newLoop(t, nil)
	token, err := l.signer.Token(botAppID, tenantID)
	if err != nil {
		t.Fatal(err)
	}
	const call = "711f6300-7b5a-4b19-bd2e-b4f1ff7ac0c5" // comms-samples #667's call
	for _, tc := range []struct {
		name, body string
		change     graph.ChangeType
		state      graph.CallState
	}{
		// PascalCase changeType and state, resourceUrl before resource (#9170, #9159).
		{"pascal case", `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"Updated","resourceUrl":"/communications/calls/` + call + `","resource":"/app/calls/` + call + `","resourceData":{"@odata.type":"#microsoft.graph.call","state":"Established"}}]}`,
			graph.ChangeUpdated, graph.CallStateEstablished},
		// Terminated without an id, numeric resultInfo, resource first (#667).
		{"no id", `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"deleted","resource":"/app/calls/` + call + `","resourceUrl":"/communications/calls/` + call + `","resourceData":{"@odata.type":"#microsoft.graph.call","state":"terminated","resultInfo":{"@odata.type":"#microsoft.graph.resultInfo","code":500,"subcode":7106,"message":"Server Internal Error. DiagCode: 3003#7106.@"},"terminationReason":"CallTerminated","direction":"incoming"}}]}`,
			graph.ChangeDeleted, graph.CallStateTerminated},
	} {
		w := l.receiver.Watch(call)
		if status := postRaw(t, l.server.URL+"/callback", token, []byte(tc.body)); status != http.StatusAccepted {
			t.Fatalf("%s: status %d; rejections %+v", tc.name, status, l.receiver.Rejections())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		ev, err := w.Next(ctx)
		cancel()
		w.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if ev.CallID != call || ev.Notification.ChangeType != tc.change || ev.State() != tc.state {
			t.Errorf("%s: call %q change %q state %q, want %s %s %s", tc.name, ev.CallID, ev.Notification.ChangeType, ev.State(), call, tc.change, tc.state)
		}
	}
}

func mustCall(t *testing.T, n graph.CommsNotification) *graph.Call {
	t.Helper()
	c, err := n.Call()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// postRaw POSTs body as Graph does (facts §2: its headers), returning the status.
func postRaw(t *testing.T, url, token string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Microsoft-Skype/3.0,(Calling/1.0)")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
