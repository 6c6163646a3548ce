package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// maxCreateBody bounds what the bare and minimal handlers read of a body.
const maxCreateBody = 1 << 20

// callID returns the id of the n-th call a handler creates: a GUID-shaped
// string unique within the process.
func callID(n uint64) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// answerCreated writes the canned 201: a Location naming the call and a
// small call body with its id.
func answerCreated(w http.ResponseWriter, r *http.Request, id string) {
	h := w.Header()
	h.Set("Location", "http://"+r.Host+"/beta/communications/calls/"+id)
	h.Set("Content-Type", "application/json")
	body := `{"@odata.type":"#microsoft.graph.call","id":"` + id + `","state":"establishing"}`
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, body)
}

// bareHandler is the ceiling: it reads the body and answers a canned 201,
// nothing else.
func bareHandler() http.Handler {
	var n atomic.Uint64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusOK)
			return
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxCreateBody))
		answerCreated(w, r, callID(n.Add(1)))
	})
}

// Notification batch template of the minimal handler: establishing then
// established for one call, shaped as the emulator's (and the doc's)
// commsNotifications; the call id goes between the parts.
const (
	batchHead = `{"value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":"/communications/calls/`
	batchMid  = `","resourceData":{"@odata.type":"#microsoft.graph.call","state":"establishing"}},` +
		`{"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":"/communications/calls/`
	batchTail = `","resourceData":{"@odata.type":"#microsoft.graph.call","state":"established"}}]}`
)

// notificationBatch returns the canned batch for call id.
func notificationBatch(id string) []byte {
	b := make([]byte, 0, len(batchHead)+len(batchMid)+len(batchTail)+2*len(id))
	b = append(b, batchHead...)
	b = append(b, id...)
	b = append(b, batchMid...)
	b = append(b, id...)
	return append(b, batchTail...)
}

// minimal is the floor of what an emulator must do: decode the body, answer
// a canned 201, and POST one canned notification batch (establishing +
// established) to the body's callbackUri over a pooled keep-alive client.
type minimal struct {
	client  *http.Client
	n       atomic.Uint64
	sem     chan struct{} // bounds the deliveries in flight
	wg      sync.WaitGroup
	failed  atomic.Uint64 // deliveries that did not get a 2xx
	timeout time.Duration
}

// minimalConcurrency bounds the minimal handler's deliveries in flight, as
// the emulator's notifications.concurrency default does.
const minimalConcurrency = 256

func newMinimal() *minimal {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        minimalConcurrency,
		MaxIdleConnsPerHost: minimalConcurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	return &minimal{client: &http.Client{Transport: tr}, sem: make(chan struct{}, minimalConcurrency), timeout: 5 * time.Second}
}

// createRequest is what the minimal handler decodes of a create body: the
// whole body is parsed (syntax checked), the one member it needs kept.
type createRequest struct {
	CallbackURI string `json:"callbackUri"`
}

func (m *minimal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusOK)
		return
	}
	var req createRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxCreateBody)).Decode(&req); err != nil || req.CallbackURI == "" {
		http.Error(w, `{"error":{"code":"BadRequest","message":"body is not a create request with a callbackUri"}}`, http.StatusBadRequest)
		return
	}
	id := callID(m.n.Add(1))
	answerCreated(w, r, id)
	m.wg.Add(1)
	go m.deliver(req.CallbackURI, id)
}

// deliver POSTs the call's batch; a failure is counted, not retried (the
// receiver's count shows it).
func (m *minimal) deliver(uri, id string) {
	defer m.wg.Done()
	m.sem <- struct{}{}
	defer func() { <-m.sem }()
	ctx, cancel := context.WithTimeout(context.Background(), m.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, uri, bytes.NewReader(notificationBatch(id)))
	if err != nil {
		m.failed.Add(1)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.client.Do(req)
	if err != nil {
		m.failed.Add(1)
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		m.failed.Add(1)
	}
}

// wait waits for the deliveries in flight (each bounded by its timeout).
func (m *minimal) wait() {
	m.wg.Wait()
	m.client.CloseIdleConnections()
}
