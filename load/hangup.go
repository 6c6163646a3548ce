package load

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/oauth2"
)

// Defaults of a hanger.
const (
	// DefaultHangupWorkers is how many DELETEs run at once.
	DefaultHangupWorkers = 16
	// DefaultHangupQueue bounds the calls waiting to be deleted; beyond it
	// a hangup is skipped and counted.
	DefaultHangupQueue = 8192
)

// hanger deletes established calls (--hangup), DELETE
// {base}/communications/calls/{id}, with bounded workers and queue, and
// streams each DELETE as a vegeta Result.
type hanger struct {
	base    string
	tokens  oauth2.TokenSource
	client  *http.Client
	queue   chan string
	wg      sync.WaitGroup
	seq     atomic.Uint64
	skipped atomic.Uint64
	emit    func(*vegeta.Result) // called from the workers, serialised by the caller
}

func newHanger(ctx context.Context, base string, tokens oauth2.TokenSource, timeout time.Duration, emit func(*vegeta.Result)) *hanger {
	h := &hanger{
		base: strings.TrimRight(base, "/") + "/communications/calls/", tokens: tokens, emit: emit,
		client: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: DefaultHangupWorkers, ForceAttemptHTTP2: true}},
		queue:  make(chan string, DefaultHangupQueue),
	}
	for range DefaultHangupWorkers {
		h.wg.Add(1)
		go h.work(ctx)
	}
	return h
}

// Enqueue asks for callID to be deleted; it never blocks.
func (h *hanger) Enqueue(callID string) {
	select {
	case h.queue <- callID:
	default:
		h.skipped.Add(1)
	}
}

// EnqueueWait asks for callID to be deleted, waiting for room until ctx
// ends; false when it ended first.
func (h *hanger) EnqueueWait(ctx context.Context, callID string) bool {
	select {
	case h.queue <- callID:
		return true
	case <-ctx.Done():
		return false
	}
}

// Close stops taking calls and waits for the queued DELETEs (which ctx, given
// to newHanger, bounds).
func (h *hanger) Close() {
	close(h.queue)
	h.wg.Wait()
	h.client.CloseIdleConnections()
}

func (h *hanger) work(ctx context.Context) {
	defer h.wg.Done()
	for id := range h.queue {
		h.emit(h.hangup(ctx, id))
	}
}

// hangup deletes one call and returns the result.
func (h *hanger) hangup(ctx context.Context, id string) *vegeta.Result {
	res := &vegeta.Result{Attack: "hangup", Seq: h.seq.Add(1) - 1, Method: http.MethodDelete, URL: h.base + id, Timestamp: time.Now()}
	defer func() { res.Latency = time.Since(res.Timestamp) }()
	tok, err := h.tokens.Token()
	if err != nil {
		res.Error = "getting a token: " + err.Error()
		return res
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, res.URL, nil)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	req.Header.Set("Authorization", tok.Type()+" "+tok.AccessToken)
	resp, err := h.client.Do(req)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, DefaultMaxBody))
	resp.Body.Close()
	res.Code, res.BytesIn = uint16(resp.StatusCode), uint64(n)
	if res.Code < 200 || res.Code >= 300 {
		res.Error = resp.Status
	}
	return res
}
