package notify_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
)

// A conformance check waiting for the establishing and established
// notifications of one call, which "may arrive out of order": a Sender plays
// Graph, a Receiver plays callcheck's callback endpoint.
func ExampleCallWatch() {
	const appID, tenant, callID = "0efc74f7-41c3-47a4-8775-7259bfef4241", "1fdd12d0-4620-44ed-baec-459b611f84b2", "2e1a0b00-2db4-4022-9570-243709c565ab"
	key, _ := identity.GenerateKey()
	signer, _ := identity.NewNotificationSigner(key)
	keys := httptest.NewServer(signer.Handler(""))
	defer keys.Close()
	verifier, _ := identity.NewNotificationVerifier(keys.URL+"/.well-known/OpenIdConfiguration", appID)

	receiver, _ := notify.NewReceiver(verifier)
	callback := httptest.NewServer(receiver)
	defer callback.Close()
	sender, _ := notify.NewSender(signer)
	defer sender.Close(context.Background())

	// Graph's side: established first, then establishing.
	for _, state := range []graph.CallState{graph.CallStateEstablished, graph.CallStateEstablishing} {
		note := graph.CommsNotification{ChangeType: graph.ChangeUpdated, ResourceURL: "/communications/calls/" + callID,
			ResourceData: []byte(`{"@odata.type":"#microsoft.graph.call","state":"` + string(state) + `"}`)}
		_, err := sender.Send(context.Background(), notify.Delivery{URL: callback.URL, AppID: appID, TenantID: tenant,
			Batch: graph.CommsNotifications{Value: []graph.CommsNotification{note}}})
		if err != nil {
			panic(err)
		}
	}

	// The check's side: the watch may start after the notifications arrived.
	watch := receiver.Watch(callID)
	defer watch.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, want := range []graph.CallState{graph.CallStateEstablishing, graph.CallStateEstablished} {
		e, err := watch.WaitFor(ctx, notify.StateIs(want))
		if err != nil {
			panic(err)
		}
		fmt.Println(e.State(), e.Claims.Audience == appID)
	}
	fmt.Println(len(watch.Rejections()), "rejected")
	// Output:
	// establishing true
	// established true
	// 0 rejected
}
