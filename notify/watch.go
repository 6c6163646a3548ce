package notify

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Errors of a CallWatch.
var (
	// ErrWatchClosed: the watch (or its Receiver) was closed.
	ErrWatchClosed = errors.New("notify: watch closed")
	// ErrWatchOverflow: nothing kept matches, and events were dropped
	// because the watch held its limit, so the match may have been lost.
	ErrWatchOverflow = errors.New("notify: watch overflowed; events were dropped")
)

// CallWatch streams the notifications of one call, in arrival order,
// including those that arrived before the watch was made (within the
// Receiver's PendingLimits). It keeps every event it streams (up to the
// watch limit), so WaitFor can match an event that arrived before it was
// called: establishing and established "may arrive out of order"
// (create-call-doc, graph-calls-facts §3.2), and waiting for each in turn
// works whatever their order. Close releases it. It is safe for concurrent
// use.
type CallWatch struct {
	r      *Receiver
	callID string
	limit  int

	mu         sync.Mutex
	events     []Event
	rejections []Rejection
	cursor     int           // next event for Next
	changed    chan struct{} // closed and replaced whenever something arrives
	dropped    int
	closed     bool
}

func newCallWatch(r *Receiver, callID string, limit int) *CallWatch {
	return &CallWatch{r: r, callID: callID, limit: max(limit, 1), changed: make(chan struct{})}
}

// CallID returns the id of the call watched.
func (w *CallWatch) CallID() string { return w.callID }

func (w *CallWatch) addEvent(e Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	if len(w.events) >= w.limit {
		w.dropped++
	} else {
		w.events = append(w.events, e)
	}
	w.signal()
}

func (w *CallWatch) addRejection(r Rejection) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	if len(w.rejections) >= w.limit {
		w.dropped++
	} else {
		w.rejections = append(w.rejections, r)
	}
	w.signal()
}

// signal wakes every waiter; the caller holds w.mu.
func (w *CallWatch) signal() {
	close(w.changed)
	w.changed = make(chan struct{})
}

// Next returns the next event in arrival order, waiting until one arrives,
// ctx is done (an error naming the call and what was seen) or the watch is
// closed (ErrWatchClosed).
func (w *CallWatch) Next(ctx context.Context) (Event, error) {
	for {
		w.mu.Lock()
		if w.cursor < len(w.events) {
			e := w.events[w.cursor]
			w.cursor++
			w.mu.Unlock()
			return e, nil
		}
		changed, err := w.stateLocked()
		w.mu.Unlock()
		if err != nil {
			return Event{}, err
		}
		if err := w.wait(ctx, changed, "the next notification"); err != nil {
			return Event{}, err
		}
	}
}

// WaitFor returns the first event, of all the watch has seen or will see,
// for which match is true. It does not move Next's cursor.
func (w *CallWatch) WaitFor(ctx context.Context, match func(Event) bool) (Event, error) {
	seen := 0
	for {
		w.mu.Lock()
		changed, err := w.stateLocked()
		var kept []Event
		if !w.closed { // close releases the events: nothing is left to match
			kept = w.events[seen:len(w.events):len(w.events)]
			seen = len(w.events)
		}
		w.mu.Unlock()
		for _, e := range kept { // events are never changed once kept
			if match(e) {
				return e, nil
			}
		}
		if err != nil {
			return Event{}, err
		}
		if err := w.wait(ctx, changed, "a matching notification"); err != nil {
			return Event{}, err
		}
	}
}

// stateLocked returns the channel to wait on, or why waiting is pointless.
func (w *CallWatch) stateLocked() (<-chan struct{}, error) {
	if w.closed {
		return nil, fmt.Errorf("call %s: %w", w.callID, ErrWatchClosed)
	}
	if w.dropped > 0 {
		return nil, fmt.Errorf("call %s: %w (%d dropped)", w.callID, ErrWatchOverflow, w.dropped)
	}
	return w.changed, nil
}

func (w *CallWatch) wait(ctx context.Context, changed <-chan struct{}, what string) error {
	select {
	case <-changed:
		return nil
	case <-ctx.Done():
		w.mu.Lock()
		n, rej := len(w.events), len(w.rejections)
		w.mu.Unlock()
		return fmt.Errorf("notify: call %s: gave up waiting for %s after %d notifications and %d rejected posts: %w",
			w.callID, what, n, rej, ctx.Err())
	}
}

// Events returns every event kept so far, in arrival order.
func (w *CallWatch) Events() []Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Event(nil), w.events...)
}

// Rejections returns the refused POSTs whose body named this call (a
// notification for it that failed verification, for instance).
func (w *CallWatch) Rejections() []Rejection {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Rejection(nil), w.rejections...)
}

// Dropped returns how many events or rejections exceeded the watch limit.
func (w *CallWatch) Dropped() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.dropped
}

// Close stops the watch, wakes its waiters with ErrWatchClosed and releases
// what it kept. It is idempotent.
func (w *CallWatch) Close() {
	w.r.unwatch(w)
	w.close()
}

func (w *CallWatch) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.closed = true
	w.events, w.rejections = nil, nil
	w.signal()
}
