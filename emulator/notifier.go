package emulator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/notify"
)

// Delivery is one attempt to POST notifications to a callback, as recorded
// (Limits.DeliveryRecords of them, a ring buffer).
type Delivery struct {
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
	URL  string    `json:"url"`
	// CallIDs are the calls the batch's notifications are about, Kinds what
	// each notification was ("establishing", "roster", ...), in batch order.
	CallIDs []string `json:"callIds"`
	Kinds   []string `json:"kinds"`
	Attempt int      `json:"attempt"`
	// Status is the callback's HTTP status (0: no response); Acknowledged
	// is true for a 2xx.
	Status       int           `json:"status"`
	Acknowledged bool          `json:"acknowledged"`
	Latency      time.Duration `json:"latency"`
	Error        string        `json:"error,omitempty"`
	// TokenDefect names the deliberate token defect of a violation ("" none).
	TokenDefect string `json:"tokenDefect,omitempty"`
}

// DroppedByFault is the Error of a Delivery record of a notification the
// drop fault (Faults.Drop) decided never to deliver.
const DroppedByFault = "dropped (faults.drop)"

// SupersededByEnd is the Error of a Delivery record of a notification the
// emulator never sent because the call ended first (a hang-up or another
// end replaced the steps still scheduled).
const SupersededByEnd = "not sent (the call ended first)"

// outbound is one notification waiting to be delivered.
type outbound struct {
	callID  string
	chainID string // the call's callChainId
	kind    string
	body    []byte // one commsNotification, JSON
	done    func() // called once the delivery (all attempts) is over
}

// destination is where a batch goes and how its token is made.
type destination struct {
	url      string
	audience string // the app id that created the call
	tenant   string
}

// destKey groups notifications that may share a batch.
type destKey struct{ url, audience, tenant string }

type destQueue struct {
	items    []outbound
	inflight int
}

// notifier batches notifications per destination and posts them with
// bounded concurrency, retries and recording.
type notifier struct {
	cfg      NotificationConfig
	poster   poster
	records  *ring[Delivery]
	sem      chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	inflight sync.WaitGroup

	mu     sync.Mutex
	dests  map[destKey]*destQueue
	closed bool

	// dropped counts notifications refused by a full queue; abandoned
	// those still queued or being retried when close gave up on them.
	dropped, abandoned atomic.Uint64
}

// poster makes one POST of a batch; senderPoster is the real one.
type poster interface {
	post(ctx context.Context, d destination, batch []outbound) (status int, err error)
	defect() string
	close(ctx context.Context) error
}

func newNotifier(cfg NotificationConfig, p poster, records *ring[Delivery]) *notifier {
	ctx, cancel := context.WithCancel(context.Background())
	return &notifier{cfg: cfg, poster: p, records: records, sem: make(chan struct{}, cfg.Concurrency),
		ctx: ctx, cancel: cancel, dests: map[destKey]*destQueue{}}
}

// enqueue queues o for d. After close it is dropped (its done still runs).
func (n *notifier) enqueue(d destination, o outbound) {
	k := destKey{d.url, d.audience, d.tenant}
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		o.done()
		return
	}
	q := n.dests[k]
	if q == nil {
		q = &destQueue{}
		n.dests[k] = q
	}
	if len(q.items) >= n.cfg.MaxQueue {
		n.mu.Unlock()
		n.drop(d, o, fmt.Sprintf("dropped: %d notifications already wait for this callback (notifications.maxQueue)", n.cfg.MaxQueue))
		return
	}
	q.items = append(q.items, o)
	start := q.inflight < n.cfg.PerCallback
	if start {
		q.inflight++
		n.inflight.Add(1)
	}
	n.mu.Unlock()
	if start {
		go n.flush(k, q, d)
	}
}

// drop records o as never delivered, for why.
func (n *notifier) drop(d destination, o outbound, why string) {
	n.dropped.Add(1)
	n.records.add(Delivery{Time: time.Now(), URL: d.url, CallIDs: []string{o.callID}, Kinds: []string{o.kind}, Error: why},
		func(r *Delivery, seq uint64) { r.Seq = seq })
	o.done()
}

// flush posts the destination's queued notifications, a batch at a time,
// until none is left; once close gave up, what is left is abandoned.
func (n *notifier) flush(k destKey, q *destQueue, d destination) {
	defer n.inflight.Done()
	for {
		batch := n.take(k, q)
		if batch == nil {
			return
		}
		if n.ctx.Err() != nil {
			n.abandoned.Add(uint64(len(batch)))
			for _, o := range batch {
				o.done()
			}
			continue
		}
		n.deliver(d, batch)
		for _, o := range batch {
			o.done()
		}
	}
}

// take removes up to MaxBatch items; nil (and the flusher's exit) when none.
func (n *notifier) take(k destKey, q *destQueue) []outbound {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(q.items) == 0 {
		q.inflight--
		if q.inflight == 0 {
			delete(n.dests, k)
		}
		return nil
	}
	size := min(len(q.items), n.cfg.MaxBatch)
	batch := slices.Clone(q.items[:size])
	q.items = slices.Delete(q.items, 0, size)
	if len(q.items) == 0 {
		q.items = nil // let the backing array go
	}
	return batch
}

// deliver posts one batch, retrying by the policy, recording every attempt.
func (n *notifier) deliver(d destination, batch []outbound) {
	backoff := n.cfg.Backoff
	for attempt := 1; attempt <= n.cfg.Attempts; attempt++ {
		status, err := n.attempt(d, batch, attempt)
		if !n.retryable(status, err) || attempt == n.cfg.Attempts || !n.wait(backoff) {
			return
		}
		backoff *= 2
	}
}

func (n *notifier) attempt(d destination, batch []outbound, attempt int) (int, error) {
	select {
	case n.sem <- struct{}{}:
	case <-n.ctx.Done():
		return 0, n.ctx.Err()
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(n.ctx, n.cfg.Timeout)
	status, err := n.poster.post(ctx, d, batch)
	cancel()
	<-n.sem
	rec := Delivery{Time: start, URL: d.url, Attempt: attempt, Status: status, Latency: time.Since(start),
		Acknowledged: err == nil && status >= 200 && status < 300, TokenDefect: n.poster.defect()}
	for _, o := range batch {
		rec.CallIDs, rec.Kinds = append(rec.CallIDs, o.callID), append(rec.Kinds, o.kind)
	}
	if err != nil {
		rec.Error = err.Error()
	} else if !rec.Acknowledged {
		rec.Error = fmt.Sprintf("callback answered %d", status)
	}
	n.records.add(rec, func(r *Delivery, seq uint64) { r.Seq = seq })
	if err == nil && !rec.Acknowledged {
		err = errors.New(rec.Error)
	}
	return status, err
}

func (n *notifier) retryable(status int, err error) bool {
	if err == nil {
		return false
	}
	if status == 0 {
		return n.ctx.Err() == nil // a transport error, unless shutting down
	}
	return slices.Contains(n.cfg.RetryStatuses, status)
}

// wait waits d unless the notifier is closed; false when closed.
func (n *notifier) wait(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-n.ctx.Done():
		return false
	}
}

// close stops taking notifications and waits for the batches in flight,
// until ctx ends; then it aborts them.
func (n *notifier) close(ctx context.Context) error {
	n.mu.Lock()
	n.closed = true
	n.mu.Unlock()
	done := make(chan struct{})
	go func() { n.inflight.Wait(); close(done) }()
	select {
	case <-done:
		n.cancel()
		return n.poster.close(ctx)
	case <-ctx.Done():
		n.cancel()
		<-done
		_ = n.poster.close(ctx)
		return fmt.Errorf("emulator: %d notifications still queued at shutdown were abandoned, and the POSTs in flight aborted: %w", n.abandoned.Load(), ctx.Err())
	}
}

// envelope wraps notifications in a commsNotifications batch.
func envelope(batch []outbound) []byte {
	n := 64
	for _, o := range batch {
		n += len(o.body) + 1
	}
	buf := make([]byte, 0, n)
	buf = append(buf, `{"@odata.type":"`+graph.TypeCommsNotifications+`","value":[`...)
	for i, o := range batch {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, o.body...)
	}
	return append(buf, "]}"...)
}

// senderPoster posts batches through a notify.Sender: Graph's headers, a
// signed token (or the defective one a violation asks for), pooled
// keep-alive connections, redirects refused. The notifier does the retries
// and the recording, so the Sender makes one attempt per call.
type senderPoster struct {
	sender    *notify.Sender
	violation Violation
}

func newSenderPoster(signer *identity.NotificationSigner, cfg NotificationConfig, safety Safety, v Violation) (*senderPoster, error) {
	s, err := notify.NewSender(signer, notify.WithRetryPolicy(notify.NoRetry), notify.WithConcurrency(cfg.Concurrency),
		notify.WithMaxPending(cfg.Concurrency), notify.WithTimeouts(notify.Timeouts{Post: cfg.Timeout, IdleConn: 90 * time.Second}),
		notify.WithRecorder(notify.RecorderFunc(func(notify.Record) {})),
		notify.WithDialGuard(safety.DialAllowed), notify.WithResolver(cfg.Resolver))
	if err != nil {
		return nil, fmt.Errorf("emulator: notification sender: %w", err)
	}
	return &senderPoster{sender: s, violation: v}, nil
}

func (p *senderPoster) defect() string { return string(p.violation) }

// tokenDefects maps the token violations onto identity's defects.
var tokenDefects = map[Violation]identity.Defect{
	VNotificationForeignKey:    identity.DefectUnknownKey,
	VNotificationWrongAudience: identity.DefectWrongAudience,
	VNotificationWrongIssuer:   identity.DefectWrongIssuer,
	VNotificationExpiredToken:  identity.DefectExpired,
	VNotificationNoTenant:      identity.DefectMissingTenant,
}

// post hands the batch to the Sender as its body: the emulator has each
// notification's JSON already, and encoding a graph.CommsNotifications
// again through graph's open types cost more than the rest of a
// notification's delivery (BenchmarkCreateHandler).
func (p *senderPoster) post(ctx context.Context, d destination, batch []outbound) (int, error) {
	// X-Microsoft-Skype-Chain-ID is the first notification's call's callChainId.
	del := notify.Delivery{URL: d.url, AppID: d.audience, TenantID: d.tenant, ChainID: batch[0].chainID, CallID: batch[0].callID,
		Override: &notify.Override{Body: envelope(batch)}}
	switch defect, ok := tokenDefects[p.violation]; {
	case ok:
		del.Override.Defect = defect
	case p.violation == VNotificationUnsigned:
		del.Override.NoToken = true
	case p.violation == VNotificationNoEnvelope:
		del.Override.Body = batch[0].body
	}
	rec, err := p.sender.Send(ctx, del)
	return rec.Status, err
}

func (p *senderPoster) close(ctx context.Context) error { return p.sender.Close(ctx) }
