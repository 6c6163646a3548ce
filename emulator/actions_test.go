package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
)

// TestQualifiedActionNames: bound actions answer by their plain and their
// namespace-qualified OData name, spelt as Microsoft's OpenAPI spells them
// (graph-openapi/CloudCommunications.v1.0.yml: /communications/calls/
// {call-id}/microsoft.graph.keepAlive, …/microsoft.graph.answer,
// …/microsoft.graph.reject), the same way.
func TestQualifiedActionNames(t *testing.T) {
	h := newHarness(t, nil)
	for _, name := range []string{"keepAlive", "microsoft.graph.keepAlive", "Microsoft.Graph.KEEPALIVE"} {
		id := h.createOK(p2pBody(h.callback))
		if r := h.do(h.client, http.MethodPost, "/beta/communications/calls/"+id+"/"+name, nil, nil); r.status != http.StatusOK {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
		if r := h.do(h.client, http.MethodPost, "/beta/communications/calls/unknown/"+name, nil, nil); r.status != http.StatusNotFound || r.errorCode() != CodeCallNotFound {
			t.Errorf("%s of an unknown call: %d %s, want 404 %s", name, r.status, r.body, CodeCallNotFound)
		}
		if r := h.do(h.client, http.MethodGet, "/beta/communications/calls/"+id+"/"+name, nil, nil); r.status != http.StatusMethodNotAllowed {
			t.Errorf("GET %s: %d, want 405", name, r.status)
		}
	}
	answer := `{"callbackUri":"` + h.callback + `","mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"},"acceptedModalities":["audio"]}`
	id := h.incoming(t)
	w := h.watch(id)
	if r := h.do(h.client, http.MethodPost, "/v1.0/communications/calls/"+id+"/microsoft.graph.answer", []byte(answer), nil); r.status != http.StatusAccepted {
		t.Fatalf("microsoft.graph.answer: %d %s", r.status, r.body)
	}
	if _, err := w.WaitFor(ctxTimeout(t, 5*time.Second), notify.StateIs(graph.CallStateEstablished)); err != nil {
		t.Fatal(err)
	}
	id = h.incoming(t)
	w = h.watch(id)
	if r := h.do(h.client, http.MethodPost, "/v1.0/communications/calls/"+id+"/microsoft.graph.reject", []byte(`{"reason":"busy"}`), nil); r.status != http.StatusAccepted {
		t.Fatalf("microsoft.graph.reject: %d %s", r.status, r.body)
	}
	if _, err := w.WaitFor(ctxTimeout(t, 5*time.Second), notify.StateIs(graph.CallStateTerminated)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"microsoft.graph.participants", "microsoft.graph.unknownAction", "other.namespace.keepAlive"} {
		if r := h.do(h.client, http.MethodPost, "/v1.0/communications/calls/"+id+"/"+path, nil, nil); r.status != http.StatusNotFound || r.errorCode() != CodeItemNotFound {
			t.Errorf("%s: %d %s, want 404 %s", path, r.status, r.body, CodeItemNotFound)
		}
	}
}

// incoming injects an incoming call to the harness's callback.
func (h *harness) incoming(t *testing.T) string {
	t.Helper()
	id, err := h.srv.InjectIncoming(IncomingCall{CallbackURI: h.callback})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
