package certify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/report"
	tgt "github.com/callcheck/callcheck/target"
)

// lenientViolations make the emulated Graph create a call even from a
// request the service would refuse for a rule certify-bot judges itself
// (a missing field, an http callback, a missing permission, another tenant):
// the outbound checks fail such a request all the same, and the inbound
// checks can still run on the call (docs/certify-bot.md, "The emulated Graph").
var lenientViolations = []tgt.Violation{
	tgt.VMissingFieldsAccepted, tgt.VHTTPCallbackAccepted, tgt.VTooManyTargetsAccepted,
	tgt.VMissingRoleAccepted, tgt.VTenantMismatchAccepted,
}

// maxRequestRecords bounds the requests the emulated Graph keeps (each with
// its whole body, at most Limits.MaxBodyBytes).
const maxRequestRecords = 256

// Session is a certification in progress: the emulated Graph listening, and
// the notification sender that plays Graph's callbacks. Make it with Start,
// configure the bot with Endpoints, run Certify, then Close it.
type Session struct {
	cfg      Config
	emu      *tgt.Emulator
	arrivals *broadcast
	sender   *notify.Sender
	doer     *captureDoer
	status   *http.Client
	rng      *rand.Rand
	now      func() time.Time
	sink     func(report.Check)     // where finished checks go (Certify's)
	runCtx   context.Context        // Certify's: once it is done, a check that did not pass was interrupted
	activity atomic.Pointer[string] // what the session waits on now (a trigger), for InFlight
	lastDone atomic.Pointer[string] // the id of the last check recorded
}

// InFlight says what the session is doing, for a process that stops
// before the session ends: the command it waits on, and the last check it
// finished. It is safe to call from any goroutine.
func (s *Session) InFlight() string {
	var parts []string
	if a := s.activity.Load(); a != nil {
		parts = append(parts, *a)
	}
	if d := s.lastDone.Load(); d != nil {
		parts = append(parts, "the checks after "+*d)
	} else {
		parts = append(parts, "every check (none had finished)")
	}
	return strings.Join(parts, "; ")
}

// Endpoints are what the bot must be configured with: the emulated Graph's
// URLs, its token endpoint and notification keys, and the app registration
// (App, with its secret: never log it).
type Endpoints = tgt.Endpoints

// Start validates cfg, starts the emulated Graph on cfg.Listen and returns
// the session. The emulator's own notification channel is off: certify-bot
// posts every notification itself, seeded and recorded.
func Start(ctx context.Context, cfg Config) (*Session, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Session{cfg: cfg, arrivals: newBroadcast(), now: cfg.Now,
		rng: rand.New(rand.NewPCG(uint64(cfg.Seed), 0x63657274))}
	if s.now == nil {
		s.now = time.Now
	}
	// The emulated Graph listens on cfg.Listen (empty: a free loopback port,
	// never every interface by accident) and signals every request it
	// recorded, for the waits of the checks.
	emu, err := tgt.StartEmulatorTLS(ctx, s.emulatorConfig(), cfg.Listen, s.arrivals.signal, cfg.TLS)
	var le *tgt.ListenError
	switch {
	case errors.As(err, &le):
		return nil, fmt.Errorf("certify: listen on %s: %w", le.Addr, le.Err)
	case err != nil:
		return nil, fmt.Errorf("certify: %w", err)
	}
	s.emu = emu
	if err := s.setupSender(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// emulatorConfig is cfg.Emulator with what certification needs.
func (s *Session) emulatorConfig() tgt.EmulatorConfig {
	e := s.cfg.Emulator.Clone()
	e.Apps = []tgt.App{s.cfg.App}
	e.Seed = uint64(s.cfg.Seed)
	// Every notification of the emulator's own sequences is applied to its
	// state but never posted: certify-bot is the notification channel.
	e.Faults.Drop = 1
	e.Violations = append(e.Violations, lenientViolations...)
	// The whole body of each request is kept, to be judged; a certification
	// makes a few requests per scenario, so fewer records bound the memory
	// that whole bodies take.
	e.Limits.RecordBodyBytes = int(e.Limits.MaxBodyBytes)
	e.Limits.RequestRecords = min(e.Limits.RequestRecords, maxRequestRecords)
	// The bot under test must not drive the emulator through its admin API.
	e.AdminToken = tgt.NewSecret()
	return e
}

// Endpoints returns what the bot must be configured with.
func (s *Session) Endpoints() Endpoints {
	return tgt.EndpointsOf(s.emu)
}

// triggerEnv is the environment of a trigger for key and callID.
func (s *Session) triggerEnv(key Key, callID string) TriggerEnv {
	ep := s.Endpoints()
	return TriggerEnv{Scenario: key, CallID: callID, GraphURL: ep.GraphURLs["v1.0"], TokenURL: ep.TokenURL,
		OpenIDConfigURL: ep.OpenIDConfigURL, TenantID: s.cfg.App.TenantID, ClientID: s.cfg.App.ClientID,
		ClientSecret: s.cfg.App.ClientSecret}
}

// Close stops the emulated Graph and the sender.
func (s *Session) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	if s.sender != nil {
		errs = append(errs, s.sender.Close(ctx))
	}
	errs = append(errs, s.emu.Shutdown(ctx))
	return errors.Join(errs...)
}

// Run starts a session, prints the endpoints to cfg.Progress, certifies the
// bot and closes the session: the whole of `callcheck certify-bot`.
func Run(ctx context.Context, cfg Config) (*report.Certificate, error) {
	s, err := Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if cfg.Started != nil {
		cfg.Started(s)
	}
	s.printEndpoints()
	return s.Certify(ctx)
}

// broadcast wakes every waiter each time something happens.
type broadcast struct {
	mu sync.Mutex
	ch chan struct{}
}

func newBroadcast() *broadcast { return &broadcast{ch: make(chan struct{})} }

// signal wakes the current waiters.
func (b *broadcast) signal() {
	b.mu.Lock()
	close(b.ch)
	b.ch = make(chan struct{})
	b.mu.Unlock()
}

// wait returns when done() holds (checked after every signal), or false
// when ctx ends first.
func (b *broadcast) wait(ctx context.Context, done func() bool) bool {
	for {
		b.mu.Lock()
		ch := b.ch
		b.mu.Unlock()
		if done() {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return done()
		}
	}
}
