package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/notify"
)

const (
	botAppID = "0efc74f7-41c3-47a4-8775-7259bfef4241"
	tenantID = "1fdd12d0-4620-44ed-baec-459b611f84b2"
	callA    = "2e1a0b00-2db4-4022-9570-243709c565ab" // the documented establishing example's id
	callB    = "57dab8b1-894c-409a-b240-bd8beae78896" // the documented terminated example's id
)

// loop is the real thing on loopback: a signer publishing its keys over
// OpenID discovery, a verifier using them, a Receiver behind an HTTP server,
// and a Sender posting to it.
type loop struct {
	signer   *identity.NotificationSigner
	verifier *identity.NotificationVerifier
	receiver *notify.Receiver
	server   *httptest.Server
	sender   *notify.Sender
}

func newLoop(t testing.TB, receiverOpts []notify.Option, senderOpts ...notify.Option) *loop {
	t.Helper()
	signer, err := identity.NewNotificationSigner(testkit.Key(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	keys := httptest.NewServer(signer.Handler(""))
	t.Cleanup(keys.Close)
	verifier, err := identity.NewNotificationVerifier(keys.URL+"/.well-known/OpenIdConfiguration", botAppID)
	if err != nil {
		t.Fatal(err)
	}
	receiver, err := notify.NewReceiver(verifier, receiverOpts...)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(receiver)
	t.Cleanup(server.Close)
	sender, err := notify.NewSender(signer, senderOpts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sender.Close(context.Background()) })
	return &loop{signer, verifier, receiver, server, sender}
}

func (l *loop) delivery(notes ...graph.CommsNotification) notify.Delivery {
	return notify.Delivery{URL: l.server.URL + "/callback", AppID: botAppID, TenantID: tenantID, Batch: batch(notes...)}
}

func batch(notes ...graph.CommsNotification) graph.CommsNotifications {
	return graph.CommsNotifications{ODataType: graph.TypeCommsNotifications, Value: notes}
}

// callNote is a call state notification shaped like the documented ones
// (graph-calls-facts §2).
func callNote(callID string, state graph.CallState) graph.CommsNotification {
	return graph.CommsNotification{
		ODataType: graph.TypeCommsNotification, ChangeType: graph.ChangeUpdated,
		ResourceURL:  "/communications/calls/" + callID,
		ResourceData: json.RawMessage(fmt.Sprintf(`{"@odata.type":"#microsoft.graph.call","state":%q,"id":%q}`, state, callID)),
	}
}

func rosterNote(callID string) graph.CommsNotification {
	return graph.CommsNotification{
		ODataType: graph.TypeCommsNotification, ChangeType: graph.ChangeUpdated,
		ResourceURL:  "/communications/calls/" + callID + "/participants",
		ResourceData: json.RawMessage(`[{"@odata.type":"#microsoft.graph.participant","id":"p1","isInLobby":false,"isMuted":true}]`),
	}
}

// gate is an HTTP handler that holds every request until released, and
// reports arrivals and the most requests it held at once.
type gate struct {
	arrived chan struct{}
	release chan struct{}
	status  int
	mu      sync.Mutex
	now     int
	most    int
}

func newGate(status int) *gate {
	return &gate{arrived: make(chan struct{}, 1024), release: make(chan struct{}), status: status}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.now++
	g.most = max(g.most, g.now)
	g.mu.Unlock()
	g.arrived <- struct{}{}
	select {
	case <-g.release:
	case <-r.Context().Done():
	}
	g.mu.Lock()
	g.now--
	g.mu.Unlock()
	w.WriteHeader(g.status)
}

func (g *gate) mostAtOnce() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.most
}

func waitArrivals(t *testing.T, g *gate, n int) {
	t.Helper()
	ctx := testkit.Context(t, 10*time.Second)
	for range n {
		select {
		case <-g.arrived:
		case <-ctx.Done():
			t.Fatalf("fewer than %d requests arrived", n)
		}
	}
}
