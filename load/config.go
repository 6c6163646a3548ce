package load

import (
	"errors"
	"fmt"
	"io"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/oauth2"
)

// Target is where create requests go and how they are authorised.
type Target struct {
	// BaseURL is the Graph base URL including the version segment
	// (https://graph.microsoft.com/beta).
	BaseURL string
	// Tokens yields each request's bearer token (reused while fresh).
	Tokens oauth2.TokenSource
	// TenantID fills the bodies' tenantId; empty keeps the documented one
	// where it is a GUID.
	TenantID string
	// AppID fills source.identity.application.id; empty keeps the documented.
	AppID string
	// Embedded marks the embedded emulator, for the manifest.
	Embedded bool
}

// Timeouts bound every wait of a run.
type Timeouts struct {
	// Probe bounds each check before the attack (target, token, keys).
	Probe time.Duration
	// Grace is how long after its creation a call's established (and
	// roster) notification may arrive before it counts as lost.
	Grace time.Duration
	// Stop is how long requests in flight may finish after an interrupt.
	Stop time.Duration
	// Hangup bounds one DELETE of --hangup.
	Hangup time.Duration
	// Shutdown bounds closing the receiver and the hangups at the end.
	Shutdown time.Duration
}

// DefaultTimeouts returns the default Timeouts.
func DefaultTimeouts() Timeouts {
	return Timeouts{Probe: DefaultProbeTimeout, Grace: DefaultGrace, Stop: DefaultStopGrace,
		Hangup: 10 * time.Second, Shutdown: 10 * time.Second}
}

// Config configures a create run (callcheck load create). Build it with
// NewConfig and set at least Target and Pacer.
type Config struct {
	// Target is what is attacked.
	Target Target
	// Pacer is the whole schedule; this process sends Shard's part of it.
	Pacer Pacer
	Shard Shard
	// Mix is the documented examples the requests come from.
	Mix Mix
	// E2E switches the end-to-end measurement on (a receiver, a callbackUri
	// that reaches it, one Record per call); Receiver configures it.
	E2E      bool
	Receiver ReceiverConfig
	// Hangup deletes each call once it is established.
	Hangup bool
	// Attack tunes vegeta's attacker.
	Attack AttackOptions
	// Timeouts bound the waits.
	Timeouts Timeouts
	// Out is the directory the result files go to; empty writes none.
	Out string
	// Name is vegeta's attack name in the results; empty: "create".
	Name string
	// Kind is the manifest's kind (KindCreate by default).
	Kind string
	// Progress receives a progress line per ProgressInterval; nil prints
	// none. On a terminal the line is rewritten in place; with
	// ProgressLines each is a line of its own, for logs (CI).
	Progress         io.Writer
	ProgressInterval time.Duration
	ProgressLines    bool
	// Log receives the start line and the warnings; nil prints nothing.
	Log io.Writer
	// MeasureFrom excludes the hits due in the schedule's first stretch
	// from the summary (a capacity step's stabilisation period).
	MeasureFrom time.Duration
	// StartAt, when set, is when hit 0 of the schedule is due: the run
	// prepares (probe, token, receiver, files), then waits until StartAt,
	// so shards started apart run their schedules together. A StartAt that
	// has passed when the run is ready is an error: that shard would not
	// overlap the others.
	StartAt time.Time
	// MaxPending bounds the calls waiting for notifications at once.
	MaxPending int
	// MinAchieved is the achieved/offered ratio below which the run warns.
	MinAchieved float64

	// targets, when set, makes the requests instead of the create bodies
	// of Mix (a callback flood).
	targets targetSource
}

// targetSource makes a run's requests.
type targetSource interface {
	targeter() vegeta.Targeter
	// Err returns the failure that stopped the targeter, if any.
	Err() error
}

// DefaultMinAchieved is the achieved/offered rate ratio below which a run
// warns that the load generator fell short.
const DefaultMinAchieved = 0.95

// NewConfig returns the defaults: the whole load, every example,
// end-to-end measurement on, vegeta's attack defaults.
func NewConfig() Config {
	mix, _ := ParseMix("all")
	return Config{Shard: Whole, Mix: mix, E2E: true, Attack: DefaultAttackOptions(), Timeouts: DefaultTimeouts(),
		Kind: KindCreate, ProgressInterval: DefaultProgressInterval, MaxPending: DefaultMaxPending, MinAchieved: DefaultMinAchieved}
}

// Validate reports the first missing or invalid setting.
func (c *Config) Validate() error {
	switch {
	case c.Target.BaseURL == "":
		return errors.New("no target base URL")
	case c.Target.Tokens == nil:
		return errors.New("no token source for the target")
	case c.Pacer == nil:
		return errors.New("no schedule (pacer)")
	case !c.Shard.Valid():
		return fmt.Errorf("shard %s is not INDEX/COUNT with 0 <= INDEX < COUNT", c.Shard)
	case c.Mix.Len() == 0:
		return errors.New("no example to send")
	case c.Timeouts.Grace <= 0 || c.Timeouts.Probe <= 0:
		return errors.New("timeouts: grace and probe must be positive")
	case c.Attack.Timeout <= 0:
		return errors.New("attack timeout must be positive")
	case c.MaxPending <= 0:
		return errors.New("max pending must be positive")
	}
	return nil
}
