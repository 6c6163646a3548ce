package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/callcheck/callcheck/graph"
)

// maxNotificationBody bounds what the receiver reads of one POST.
const maxNotificationBody = 1 << 20

// Call states the receiver counts, as bits.
const (
	sawEstablishing uint8 = 1 << iota
	sawEstablished
)

// receiver is the counting receiver: it acknowledges every POST with 202
// and records, per call id (from each notification's resourceUrl, or the
// legacy resource), which of establishing and established arrived. It does
// not verify the notifications' tokens: it counts, and what the emulator
// signs is checked by the conformance suites, not here.
type receiver struct {
	mu       sync.Mutex
	calls    map[string]uint8
	notes    int
	posts    int // POSTs received (batches, good or bad)
	bad      int // POSTs that were not a notification batch
	changed  chan struct{}
	srv      *http.Server
	ln       net.Listener
	callback string
}

// notificationBatchIn is what the receiver reads of a batch.
type notificationBatchIn struct {
	Value []struct {
		ResourceURL  string `json:"resourceUrl"`
		Resource     string `json:"resource"`
		ResourceData struct {
			State string `json:"state"`
		} `json:"resourceData"`
	} `json:"value"`
}

// startReceiver listens on a free loopback port.
func startReceiver() (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rc := &receiver{calls: map[string]uint8{}, changed: make(chan struct{}, 1), ln: ln,
		callback: "http://" + ln.Addr().String() + "/callback"}
	rc.srv = &http.Server{Handler: rc, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() { _ = rc.srv.Serve(ln) }()
	return rc, nil
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusOK)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxNotificationBody))
	var batch notificationBatchIn
	if err == nil {
		err = json.Unmarshal(body, &batch)
	}
	rc.note(batch, err) // before the answer: a sender that got its 202 has been counted
	w.WriteHeader(http.StatusAccepted)
}

// note records a decoded batch (or a bad POST).
func (rc *receiver) note(batch notificationBatchIn, err error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.posts++
	if err != nil {
		rc.bad++
		return
	}
	for _, n := range batch.Value {
		rc.notes++
		res, ok := graph.ParseResourceURL(n.ResourceURL)
		if !ok {
			res, ok = graph.ParseResourceURL(n.Resource)
		}
		if !ok || res.Sub != "" {
			continue
		}
		switch strings.ToLower(n.ResourceData.State) {
		case "establishing":
			rc.calls[res.CallID] |= sawEstablishing
		case "established":
			rc.calls[res.CallID] |= sawEstablished
			select {
			case rc.changed <- struct{}{}:
			default:
			}
		}
	}
}

// reset forgets every call and count (between steps).
func (rc *receiver) reset() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	clear(rc.calls)
	rc.notes, rc.posts, rc.bad = 0, 0, 0
}

// missing returns the calls of created with no established notification yet.
func (rc *receiver) missing(created []string) []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, id := range created {
		if rc.calls[id]&sawEstablished == 0 {
			out = append(out, id)
		}
	}
	return out
}

// waitEstablished waits until every call of created has its established
// notification, or ctx ends; it returns how many are still missing. Each
// pass looks only at the calls still missing after the last.
func (rc *receiver) waitEstablished(ctx context.Context, created []string) int {
	left := rc.missing(created)
	for len(left) > 0 {
		select {
		case <-rc.changed:
		case <-ctx.Done():
			return len(rc.missing(left))
		}
		left = rc.missing(left)
	}
	return 0
}

// counts returns the notifications, POSTs and bad POSTs received since the
// reset.
func (rc *receiver) counts() (notes, posts, bad int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.notes, rc.posts, rc.bad
}

// close stops the receiver, waiting for its handlers until ctx ends.
func (rc *receiver) close(ctx context.Context) error {
	err := rc.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		_ = rc.srv.Close()
	}
	return err
}
