package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
)

// maxExcerpt bounds the body excerpt of a Rejection.
const maxExcerpt = 512

// TokenVerifier verifies the Authorization header of a notification POST;
// *identity.NotificationVerifier is one. Errors matching
// identity.ErrInvalidToken are answered 401, others 503.
type TokenVerifier interface {
	Verify(ctx context.Context, authorization string) (*identity.NotificationClaims, error)
}

// ReceiverStats counts what a Receiver has seen.
type ReceiverStats struct {
	// Posts is every request; Accepted and Rejected split them.
	Posts, Accepted, Rejected uint64
	// Notifications is the number of notifications in accepted posts.
	Notifications uint64
	// Uncorrelated counts notifications whose resourceUrl names no call.
	Uncorrelated uint64
	// Stray counts the refused requests that named no call at all: another
	// method than POST (a HEAD / or GET / of a probe or scanner), an empty
	// body, a body naming no call. They are logged with the rejections
	// (CallIDs empty) and belong to no call's watch.
	Stray uint64
	// Unwatched counts notifications of calls no watch was open for.
	Unwatched uint64
	// PendingDropped counts events and rejections of unwatched calls
	// dropped by the PendingLimits.
	PendingDropped uint64
	// Watches is the number of open watches.
	Watches int
}

// Receiver is callcheck's callback endpoint (an http.Handler): it verifies
// each POST's token, parses the commsNotifications envelope strictly,
// answers 202 (as the samples do: graph-calls-facts §6), 401 on a token
// failure and 400 on a bad body, and streams the notifications as Events to
// the event hook and to the CallWatch of their call. Every refused POST is
// kept as a Rejection. It is safe for concurrent use.
type Receiver struct {
	verifier    TokenVerifier
	now         func() time.Time
	maxBody     int64
	onEvent     func(Event)
	onRejection func(Rejection)
	watchLimit  int
	rejections  *Ring[Rejection]

	posts, accepted, rejected, notifications, uncorrelated, unwatched, stray atomic.Uint64

	mu      sync.Mutex
	watches map[string][]*CallWatch
	pending *pendingStore
	closed  bool
}

// NewReceiver returns a Receiver verifying tokens with v. Options:
// WithEventHook, WithRejectionHook, WithMaxBodyBytes, WithPendingLimits,
// WithWatchLimit, WithRejectionHistory, WithClock.
func NewReceiver(v TokenVerifier, opts ...Option) (*Receiver, error) {
	if v == nil {
		return nil, errors.New("notify: NewReceiver: nil token verifier (every notification must be verified)")
	}
	s := newSettings(opts)
	if s.maxBody < 1 {
		return nil, fmt.Errorf("notify: NewReceiver: max body bytes %d must be positive", s.maxBody)
	}
	return &Receiver{
		verifier: v, now: s.now, maxBody: s.maxBody, onEvent: s.onEvent, onRejection: s.onRejection,
		watchLimit: s.watchLimit, rejections: NewRing[Rejection](s.rejectionLog),
		watches: make(map[string][]*CallWatch), pending: newPendingStore(s.pending),
	}, nil
}

// ServeHTTP handles one notification POST.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	received := r.now()
	r.posts.Add(1)
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		r.reject(w, req, received, http.StatusMethodNotAllowed, fmt.Errorf("method %s, want POST", req.Method), nil)
		return
	}
	body, status, err := r.readBody(w, req)
	if err != nil {
		r.reject(w, req, received, status, err, body)
		return
	}
	claims, err := r.verifier.Verify(req.Context(), req.Header.Get("Authorization"))
	if err != nil {
		r.reject(w, req, received, verifyStatus(w, err), err, body)
		return
	}
	batch, err := decodeEnvelope(body)
	if err != nil {
		r.reject(w, req, received, http.StatusBadRequest, err, body)
		return
	}
	if !r.dispatch(received, req, claims, batch) {
		r.reject(w, req, received, http.StatusServiceUnavailable, ErrClosed, body)
		return
	}
	r.accepted.Add(1)
	w.WriteHeader(http.StatusAccepted)
}

func (r *Receiver) readBody(w http.ResponseWriter, req *http.Request) ([]byte, int, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, r.maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return body, http.StatusRequestEntityTooLarge, fmt.Errorf("body larger than %d bytes", r.maxBody)
	case err != nil:
		return body, http.StatusBadRequest, fmt.Errorf("reading the body: %w", err)
	}
	return body, 0, nil
}

func verifyStatus(w http.ResponseWriter, err error) int {
	if errors.Is(err, identity.ErrInvalidToken) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		return http.StatusUnauthorized
	}
	return http.StatusServiceUnavailable
}

// decodeEnvelope parses a commsNotifications batch strictly: a JSON object
// with a "value" array of notification objects, and no other @odata.type.
func decodeEnvelope(body []byte) (graph.CommsNotifications, error) {
	var batch graph.CommsNotifications
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return batch, errors.New("body is not a JSON object")
	}
	if err := json.Unmarshal(body, &batch); err != nil {
		return batch, fmt.Errorf("body is not a commsNotifications envelope: %w", err)
	}
	if batch.Value == nil {
		return batch, errors.New(`body is not a commsNotifications envelope: no "value" array`)
	}
	if batch.ODataType != "" && !graph.SameType(batch.ODataType, graph.TypeCommsNotifications) {
		return batch, fmt.Errorf("body @odata.type is %q, want %q", batch.ODataType, graph.TypeCommsNotifications)
	}
	return batch, nil
}

// dispatch streams the batch's events; false when the receiver is closed.
func (r *Receiver) dispatch(received time.Time, req *http.Request, claims *identity.NotificationClaims, batch graph.CommsNotifications) bool {
	if r.isClosed() {
		return false
	}
	msgID, chainID := req.Header.Get(messageIDKey), req.Header.Get(chainIDKey)
	r.notifications.Add(uint64(len(batch.Value)))
	for i, n := range batch.Value {
		e := Event{Received: received, Notification: n, Index: i, BatchSize: len(batch.Value),
			MessageID: msgID, ChainID: chainID, Claims: claims, Header: req.Header}
		e.Resource, _ = resourceOf(&n)
		e.CallID = e.Resource.CallID
		if r.onEvent != nil {
			r.onEvent(e)
		}
		if e.CallID == "" {
			r.uncorrelated.Add(1)
			continue
		}
		r.route(e)
	}
	return true
}

// resourceOf parses resourceUrl, or else the legacy resource (§2).
func resourceOf(n *graph.CommsNotification) (graph.Resource, bool) {
	if res, ok := graph.ParseResourceURL(n.ResourceURL); ok {
		return res, true
	}
	return graph.ParseResourceURL(n.Resource)
}

// route hands an event to its call's watches, or keeps it pending.
func (r *Receiver) route(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ws := r.watches[e.CallID]
	if len(ws) == 0 {
		r.unwatched.Add(1)
		if r.pending.enabled() {
			r.pending.addEvent(e, e.Received)
		}
		return
	}
	for _, w := range ws {
		w.addEvent(e)
	}
}

func (r *Receiver) reject(w http.ResponseWriter, req *http.Request, received time.Time, status int, err error, body []byte) {
	r.rejected.Add(1)
	if req.Method != http.MethodPost {
		body = nil // a probe's body names no call, whatever it holds
	}
	rej := Rejection{
		Received: received, Status: status, Reason: err.Error(), Err: err,
		CallIDs: callIDsOf(body), MessageID: req.Header.Get(messageIDKey),
		ChainID: req.Header.Get(chainIDKey), RemoteAddr: req.RemoteAddr,
		Excerpt: string(body[:min(len(body), maxExcerpt)]),
	}
	if len(rej.CallIDs) == 0 {
		r.stray.Add(1)
	}
	r.rejections.Add(rej)
	if r.onRejection != nil {
		r.onRejection(rej)
	}
	r.routeRejection(rej)
	http.Error(w, http.StatusText(status)+": "+rej.Reason, status)
}

// callIDsOf reads, without trusting the body, the calls it names: those of
// a commsNotifications envelope's notifications, of a bare notification
// object, or of an array of them (a malformed batch still names its calls,
// so the call's watch learns it was refused). A body naming no call gives
// none.
func callIDsOf(body []byte) []string {
	var list []graph.CommsNotification
	var batch graph.CommsNotifications
	var one graph.CommsNotification
	switch {
	case len(body) == 0:
		return nil
	case json.Unmarshal(body, &batch) == nil && len(batch.Value) > 0:
		list = batch.Value
	case json.Unmarshal(body, &one) == nil:
		list = []graph.CommsNotification{one}
	case json.Unmarshal(body, &list) != nil:
		return nil
	}
	var ids []string
	for i := range list {
		if res, ok := resourceOf(&list[i]); ok && res.CallID != "" && !containsString(ids, res.CallID) {
			ids = append(ids, res.CallID)
		}
	}
	return ids
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (r *Receiver) routeRejection(rej Rejection) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range rej.CallIDs {
		ws := r.watches[id]
		if len(ws) == 0 && r.pending.enabled() {
			r.pending.addRejection(id, rej, rej.Received)
		}
		for _, w := range ws {
			w.addRejection(rej)
		}
	}
}

// Watch starts watching the call callID: the returned watch first holds what
// arrived for it before (kept pending, or seen by another open watch of the
// same call), then everything that arrives. Close it when done. On a closed
// Receiver the watch is closed already.
func (r *Receiver) Watch(callID string) *CallWatch {
	w := newCallWatch(r, callID, r.watchLimit)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		w.close()
		return w
	}
	if others := r.watches[callID]; len(others) > 0 {
		w.events, w.rejections = others[0].Events(), others[0].Rejections()
	} else if p := r.pending.take(callID); p != nil {
		w.events, w.rejections = p.events, p.rejections
	}
	r.watches[callID] = append(r.watches[callID], w)
	return w
}

func (r *Receiver) unwatch(w *CallWatch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ws := r.watches[w.callID]
	for i, o := range ws {
		if o == w {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(r.watches, w.callID)
	} else {
		r.watches[w.callID] = ws
	}
}

// Rejections returns the last rejected POSTs, oldest first.
func (r *Receiver) Rejections() []Rejection { return r.rejections.Snapshot() }

// Stats returns the counters.
func (r *Receiver) Stats() ReceiverStats {
	r.mu.Lock()
	watches, dropped := 0, r.pending.evicted
	for _, ws := range r.watches {
		watches += len(ws)
	}
	r.mu.Unlock()
	return ReceiverStats{
		Posts: r.posts.Load(), Accepted: r.accepted.Load(), Rejected: r.rejected.Load(),
		Notifications: r.notifications.Load(), Uncorrelated: r.uncorrelated.Load(),
		Unwatched: r.unwatched.Load(), Stray: r.stray.Load(), PendingDropped: dropped, Watches: watches,
	}
}

func (r *Receiver) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

// Close closes every watch (waking their waiters with ErrWatchClosed), drops
// what is pending, and makes later POSTs fail with 503.
func (r *Receiver) Close() {
	r.mu.Lock()
	r.closed = true
	all := r.watches
	r.watches = make(map[string][]*CallWatch)
	r.pending = newPendingStore(PendingLimits{})
	r.mu.Unlock()
	for _, ws := range all {
		for _, w := range ws {
			w.close()
		}
	}
}
