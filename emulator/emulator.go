package emulator

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
	"github.com/callcheck/callcheck/graph/schema"
	"github.com/callcheck/callcheck/identity"
)

// Emulator is the emulated Graph calling service. Create it with New, serve
// Handler (or use Start for a listening server), and Close it when done. Its
// methods are safe for concurrent use.
type Emulator struct {
	cfg          Config
	createRoutes [2]graphRoute // newCreateRoutes

	rulePolicyOnce sync.Once
	rulePolicy     rules.Policy // policy
	now            func() time.Time
	apps           []App
	authority      *identity.Authority
	signer         *identity.NotificationSigner
	validators     map[string]*schema.Validator // by version
	store          *store
	requests       *ring[RequestRecord]
	deliveries     *ring[Delivery]
	notifier       *notifier
	dice           dice
	vio            violationSet
	throttle       *throttler
	handler        http.Handler

	sources   sync.Map // app id → appSourceJSON
	publicURL atomic.Pointer[string]
	mode      atomic.Pointer[string] // the answer mode set at run time (ringing.go)
	// adminHosts are the loopback host:port names of the listener;
	// adminExposed is set when it listens beyond loopback.
	adminHosts   atomic.Pointer[[]string]
	adminExposed atomic.Bool
	reqOrdinal   atomic.Uint64
	callOrdinal  atomic.Uint64
	pendingSteps atomic.Int64
	closing      atomic.Bool
	stats        counters

	idleMu sync.Mutex
	idleCh chan struct{}

	janitorStop chan struct{}
	janitorDone chan struct{}
	closeOnce   sync.Once
	closeErr    error
}

// counters are running totals shown by Stats.
type counters struct {
	requests, creates, rejected, deletes atomic.Uint64
}

// Stats are running totals of the emulator's work.
type Stats struct {
	Requests     uint64 `json:"requests"`
	Creates      uint64 `json:"creates"`
	Rejected     uint64 `json:"rejected"`
	Deletes      uint64 `json:"deletes"`
	LiveCalls    int    `json:"liveCalls"`
	PendingSteps int64  `json:"pendingNotifications"`
	LastRequest  uint64 `json:"lastRequestSeq"`
	LastDelivery uint64 `json:"lastDeliverySeq"`
	// Dropped counts notifications refused by a callback's full queue
	// (notifications.maxQueue); Abandoned those given up at shutdown.
	Dropped   uint64 `json:"droppedNotifications"`
	Abandoned uint64 `json:"abandonedNotifications"`
}

// New builds an emulator from cfg (see NewConfig). It generates the signing
// keys cfg does not provide and the default app's secret when cfg registers
// no app.
func New(cfg Config) (*Emulator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	cfg = cfg.clone()
	e := &Emulator{cfg: cfg, now: cfg.Now, dice: dice{seed: cfg.Seed}, vio: newViolationSet(cfg.Violations),
		throttle: newThrottler(cfg.Faults.Throttle), idleCh: make(chan struct{})}
	if e.now == nil {
		e.now = time.Now
	}
	if e.vio.on(VNotificationNoEnvelope) {
		e.cfg.Notifications.MaxBatch = 1
	}
	if err := e.setupIdentity(); err != nil {
		return nil, err
	}
	if err := e.setupSchema(); err != nil {
		return nil, err
	}
	e.store = newStore(cfg.Limits.EndedCalls)
	e.requests = newRing[RequestRecord](cfg.Limits.RequestRecords)
	e.deliveries = newRing[Delivery](cfg.Limits.DeliveryRecords)
	poster, err := newSenderPoster(e.signer, e.cfg.Notifications, e.cfg.Safety, e.tokenViolation())
	if err != nil {
		return nil, err
	}
	e.notifier = newNotifier(e.cfg.Notifications, poster, e.deliveries)
	if cfg.PublicURL != "" {
		e.SetPublicURL(cfg.PublicURL)
	}
	e.createRoutes = e.newCreateRoutes()
	e.handler = e.routes()
	e.startJanitor()
	return e, nil
}

// clone copies the slices of c so the caller's later changes do not reach
// the emulator.
func (c Config) clone() Config {
	c.Apps = slices.Clone(c.Apps)
	for i := range c.Apps {
		c.Apps[i].Roles = slices.Clone(c.Apps[i].Roles)
	}
	c.Violations = slices.Clone(c.Violations)
	c.Safety.AllowedCallbackHosts = slices.Clone(c.Safety.AllowedCallbackHosts)
	c.Notifications.RetryStatuses = slices.Clone(c.Notifications.RetryStatuses)
	return c
}

func (e *Emulator) setupIdentity() error {
	var err error
	if e.cfg.Key == nil {
		if e.cfg.Key, err = identity.GenerateKey(); err != nil {
			return fmt.Errorf("emulator: %w", err)
		}
	}
	if e.cfg.NotificationKey == nil {
		if e.cfg.NotificationKey, err = identity.GenerateKey(); err != nil {
			return fmt.Errorf("emulator: %w", err)
		}
	}
	e.apps = e.cfg.Apps
	if len(e.apps) == 0 {
		e.apps = []App{DefaultApp(NewSecret())}
	}
	apps := make([]identity.App, len(e.apps))
	for i, a := range e.apps {
		apps[i] = a.identity()
	}
	clock := identity.WithClock(e.now)
	if e.authority, err = identity.NewAuthority(e.cfg.Key, apps, clock); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	e.signer, err = identity.NewNotificationSigner(e.cfg.NotificationKey, identity.WithIssuer(e.cfg.Notifications.Issuer), clock)
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	return nil
}

func (e *Emulator) setupSchema() error {
	e.validators = map[string]*schema.Validator{}
	for _, v := range []schema.Version{schema.Beta, schema.V1} {
		val, err := schema.Load(v)
		if err != nil {
			return fmt.Errorf("emulator: load the %s schema: %w", v, err)
		}
		e.validators[string(v)] = val
	}
	return nil
}

// tokenViolation returns the switched-on violation that spoils notification
// tokens or envelopes, if any (they exclude each other; the first wins).
func (e *Emulator) tokenViolation() Violation {
	for _, v := range []Violation{VNotificationUnsigned, VNotificationForeignKey, VNotificationWrongAudience,
		VNotificationWrongIssuer, VNotificationExpiredToken, VNotificationNoTenant, VNotificationNoEnvelope} {
		if e.vio.on(v) {
			return v
		}
	}
	return ""
}

// NewSecret returns a random client secret (32 bytes, base64url).
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Handler returns the emulator's HTTP handler: Graph, the token endpoint,
// the notification keys and the /_callcheck/ inspection API.
func (e *Emulator) Handler() http.Handler { return e.handler }

// Config returns the configuration in force (apps included, with secrets:
// do not print it).
func (e *Emulator) Config() Config { return e.cfg.clone() }

// SetPublicURL sets the base URL (scheme://host[:port]) used in Location
// headers and URLs the emulator hands out; Start sets it to the listener's.
func (e *Emulator) SetPublicURL(u string) {
	u = strings.TrimRight(u, "/")
	e.publicURL.Store(&u)
}

// PublicURL returns the base URL set by SetPublicURL, or "".
func (e *Emulator) PublicURL() string {
	if p := e.publicURL.Load(); p != nil {
		return *p
	}
	return ""
}

// Apps returns the registered apps (with their secrets).
func (e *Emulator) Apps() []App { return slices.Clone(e.apps) }

// DefaultApp returns the first registered app: the default app unless the
// configuration registered others.
func (e *Emulator) DefaultApp() App { return e.apps[0] }

// Authority returns the emulated identity platform (to mint tokens, with or
// without defects, for tests and negative contracts).
func (e *Emulator) Authority() *identity.Authority { return e.authority }

// NotificationSigner returns the signer of notification tokens.
func (e *Emulator) NotificationSigner() *identity.NotificationSigner { return e.signer }

// Requests returns the recorded requests, oldest first.
func (e *Emulator) Requests() []RequestRecord { return e.requests.since(0, 0) }

// RequestsSince returns the recorded requests with Seq above seq, at most
// limit (<= 0: all).
func (e *Emulator) RequestsSince(seq uint64, limit int) []RequestRecord {
	return e.requests.since(seq, limit)
}

// Deliveries returns the recorded delivery attempts, oldest first.
func (e *Emulator) Deliveries() []Delivery { return e.deliveries.since(0, 0) }

// DeliveriesSince returns the delivery attempts with Seq above seq.
func (e *Emulator) DeliveriesSince(seq uint64, limit int) []Delivery {
	return e.deliveries.since(seq, limit)
}

// Reset forgets the recorded requests and deliveries (sequence numbers keep growing).
func (e *Emulator) Reset() {
	e.requests.reset()
	e.deliveries.reset()
}

// Calls returns the calls the emulator holds (live, or ended and awaiting
// eviction), in no particular order.
func (e *Emulator) Calls() []CallInfo {
	all := e.store.all()
	out := make([]CallInfo, 0, len(all))
	for _, c := range all {
		c.mu.Lock()
		out = append(out, c.info())
		c.mu.Unlock()
	}
	return out
}

// EndedCalls returns the last calls that ended and were evicted, oldest first.
func (e *Emulator) EndedCalls() []CallInfo { return e.store.ended.since(0, 0) }

// Call returns the call with id, if the emulator holds it.
func (e *Emulator) Call(id string) (CallInfo, bool) {
	c, ok := e.store.get(id)
	if !ok {
		return CallInfo{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info(), true
}

// Stats returns the running totals.
func (e *Emulator) Stats() Stats {
	return Stats{Requests: e.stats.requests.Load(), Creates: e.stats.creates.Load(), Rejected: e.stats.rejected.Load(),
		Deletes: e.stats.deletes.Load(), LiveCalls: e.store.count(), PendingSteps: e.pendingSteps.Load(),
		LastRequest: e.requests.last(), LastDelivery: e.deliveries.last(),
		Dropped: e.notifier.dropped.Load(), Abandoned: e.notifier.abandoned.Load()}
}

// ErrNoCall is returned by the admin controls for an id the emulator does not hold.
var ErrNoCall = errors.New("no such call")

// ErrNotInLobby is returned by Admit and RejectFromLobby for a call that is
// not a guest waiting in the lobby.
var ErrNotInLobby = errors.New("call is not waiting in the lobby")

// Admit admits a guest join from the lobby: the bot's roster entry turns
// isInLobby false, the call is established and the meeting's roster follows
// (create-call-doc.txt Example 8: "will not receive the roster … until it's
// admitted from lobby").
func (e *Emulator) Admit(callID string) error {
	c, ok := e.store.get(callID)
	if !ok {
		return fmt.Errorf("admit %s: %w", callID, ErrNoCall)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.scenario != graph.KindGuestJoin || c.admitted || c.ending {
		return fmt.Errorf("admit %s: %w", callID, ErrNotInLobby)
	}
	c.admitted = true
	c.pending = append(c.pending, e.admittedSteps(c)...)
	e.advanceLocked(c)
	return nil
}

// RejectFromLobby turns a guest away from the lobby: the call ends with
// 200/5000 "Removed from the conversation by another participant".
func (e *Emulator) RejectFromLobby(callID string) error {
	c, ok := e.store.get(callID)
	if !ok {
		return fmt.Errorf("reject %s: %w", callID, ErrNoCall)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.scenario != graph.KindGuestJoin || c.admitted || c.ending {
		return fmt.Errorf("reject %s: %w", callID, ErrNotInLobby)
	}
	c.ending = true
	e.replaceStepsLocked(c, e.endSteps(c, resultLobbyRejected())...)
	return nil
}

// EndCall ends a call from the far side: the bot gets a deleted notification
// with state terminated and result (nil: the documented code for the
// scenario, e.g. 200/4521 for peer-to-peer, facts §3.9).
func (e *Emulator) EndCall(callID string, result *graph.ResultInfo) error {
	c, ok := e.store.get(callID)
	if !ok {
		return fmt.Errorf("end %s: %w", callID, ErrNoCall)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ending {
		return fmt.Errorf("end %s: the call is already ending: %w", callID, ErrNoCall)
	}
	if result == nil {
		result = farSideResult(c.scenario)
	}
	c.ending = true
	e.replaceStepsLocked(c, e.endSteps(c, result)...)
	return nil
}

// releasePending drops a hold on WaitIdle.
func (e *Emulator) releasePending() {
	e.pendingSteps.Add(-1)
	e.signalIdle()
}

// signalIdle wakes the waiters of WaitIdle.
func (e *Emulator) signalIdle() {
	if e.pendingSteps.Load() != 0 {
		return
	}
	e.idleMu.Lock()
	close(e.idleCh)
	e.idleCh = make(chan struct{})
	e.idleMu.Unlock()
}

// WaitIdle waits until no notification is scheduled or in flight (every
// sequence has run as far as it goes without an admin action), or ctx ends.
func (e *Emulator) WaitIdle(ctx context.Context) error {
	for {
		e.idleMu.Lock()
		ch := e.idleCh
		e.idleMu.Unlock()
		if e.pendingSteps.Load() == 0 {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("emulator: %d notifications still pending: %w", e.pendingSteps.Load(), ctx.Err())
		}
	}
}

// Close stops the emulator: no new notification is scheduled, deliveries in
// flight are drained until ctx ends (then aborted), and the janitor stops.
// It does not stop an http.Server serving Handler; Server.Shutdown does both.
func (e *Emulator) Close(ctx context.Context) error {
	e.closeOnce.Do(func() {
		e.closing.Store(true)
		close(e.janitorStop)
		<-e.janitorDone
		e.stopTimers()
		e.closeErr = e.notifier.close(ctx)
	})
	return e.closeErr
}

// stopTimers cancels the steps waiting on their timers.
func (e *Emulator) stopTimers() {
	for _, c := range e.store.all() {
		c.mu.Lock()
		if c.timer != nil && c.timer.Stop() {
			c.timer, c.busy = nil, false
			e.pendingSteps.Add(-1)
		}
		c.pending = nil
		c.mu.Unlock()
	}
	e.signalIdle()
}
