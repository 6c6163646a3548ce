package emulator

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Faults are the fault profiles a user switches on; all are off by default.
// Every random decision is drawn from Config.Seed and the ordinal of what it
// applies to (the n-th request, the n-th call, the k-th notification of a
// call), so a run with the same seed and the same traffic makes the same
// decisions whatever the goroutine interleaving.
type Faults struct {
	// Latency adds a delay before a Graph request is answered.
	Latency RateDelay `yaml:"latency" json:"latency"`
	// Throttle answers 429 TooManyRequests with Retry-After when an app
	// exceeds its token bucket (facts §4.3: limits are per app per tenant).
	Throttle Throttle `yaml:"throttle" json:"throttle"`
	// ServerErrors answers a Graph request with a 5xx.
	ServerErrors ServerErrors `yaml:"serverErrors" json:"serverErrors"`
	// Drop is the probability that a notification is never delivered.
	Drop float64 `yaml:"drop" json:"drop"`
	// Duplicate is the probability that a notification is delivered twice.
	Duplicate float64 `yaml:"duplicate" json:"duplicate"`
	// Reorder is the probability that a call's established notification is
	// sent before its establishing one ("may arrive out of order", facts §3.2).
	Reorder float64 `yaml:"reorder" json:"reorder"`
	// NotificationDelay delays a notification by an extra random time.
	NotificationDelay RateDelay `yaml:"notificationDelay" json:"notificationDelay"`
	// Stuck leaves a call in establishing and then terminates it with a
	// server error (facts §3.9: "stuck in establishing ~1 minute then
	// terminated with 500#7117").
	Stuck Stuck `yaml:"stuck" json:"stuck"`
}

// RateDelay applies a Delay to a fraction Rate (0..1) of what it affects.
type RateDelay struct {
	Rate  float64 `yaml:"rate" json:"rate"`
	Delay Delay   `yaml:"delay" json:"delay"`
}

// Throttle is a per-app token bucket: Rate requests per second with Burst.
// Rate 0 switches the bucket off. FirstAttempt, independently, answers the
// first attempt of every request 429 with Retry-After: 1 and lets its
// retries through: a retry is a request with a client-request-id already
// seen (Graph clients resend a request with its headers; a request without
// one is never throttled by this mode). It tests that a client retries as
// Graph expects (facts §4.3) without making it wait on a bucket.
type Throttle struct {
	Rate         float64 `yaml:"rate" json:"rate"`
	Burst        int     `yaml:"burst" json:"burst"`
	FirstAttempt bool    `yaml:"firstAttempt" json:"firstAttempt"`
}

// ServerErrors answers a fraction Rate of Graph requests with Status (500 or
// 503; 503 carries Retry-After).
type ServerErrors struct {
	Rate   float64 `yaml:"rate" json:"rate"`
	Status int     `yaml:"status" json:"status"`
}

// Stuck leaves a fraction Rate of calls in establishing for For, then ends
// them with resultInfo 500/7117.
type Stuck struct {
	Rate float64       `yaml:"rate" json:"rate"`
	For  time.Duration `yaml:"for" json:"for"`
}

func (f *Faults) validate() error {
	for name, p := range map[string]float64{"latency.rate": f.Latency.Rate, "serverErrors.rate": f.ServerErrors.Rate,
		"drop": f.Drop, "duplicate": f.Duplicate, "reorder": f.Reorder,
		"notificationDelay.rate": f.NotificationDelay.Rate, "stuck.rate": f.Stuck.Rate} {
		if p < 0 || p > 1 || math.IsNaN(p) {
			return fmt.Errorf("faults.%s must be a probability between 0 and 1, got %v", name, p)
		}
	}
	for name, d := range map[string]Delay{"latency.delay": f.Latency.Delay, "notificationDelay.delay": f.NotificationDelay.Delay} {
		if d.Min < 0 || d.Max < d.Min {
			return fmt.Errorf("faults.%s: want 0 <= min <= max, got min %v max %v", name, d.Min, d.Max)
		}
	}
	if f.Throttle.Rate < 0 || (f.Throttle.Rate > 0 && f.Throttle.Burst < 1) {
		return fmt.Errorf("faults.throttle: want rate >= 0 and, when rate > 0, burst >= 1; got rate %v burst %d", f.Throttle.Rate, f.Throttle.Burst)
	}
	if s := f.ServerErrors.Status; f.ServerErrors.Rate > 0 && s != 500 && s != 503 {
		return fmt.Errorf("faults.serverErrors.status must be 500 or 503, got %d", s)
	}
	if f.Stuck.Rate > 0 && f.Stuck.For <= 0 {
		return fmt.Errorf("faults.stuck.for must be positive when faults.stuck.rate is set, got %v", f.Stuck.For)
	}
	return nil
}

// Decision kinds: each random decision has its own stream.
const (
	streamLatency uint64 = iota + 1
	streamLatencyDelay
	streamServerError
	streamDrop
	streamDuplicate
	streamReorder
	streamNotifDelay
	streamNotifDelayAmount
	streamStuck
	streamTiming
)

// dice draws reproducible random numbers: a pure function of the seed, the
// decision's stream and the ordinal of what it decides about.
type dice struct{ seed uint64 }

// float returns a number in [0, 1).
func (d dice) float(stream, ordinal uint64) float64 {
	return float64(splitmix64(d.seed^stream*0x9e3779b97f4a7c15^ordinal*0xbf58476d1ce4e5b9)>>11) / (1 << 53)
}

// hit reports whether an event of probability p happens.
func (d dice) hit(p float64, stream, ordinal uint64) bool {
	return p > 0 && d.float(stream, ordinal) < p
}

// delay draws a delay from dl.
func (d dice) delay(dl Delay, stream, ordinal uint64) time.Duration {
	if dl.Max <= dl.Min {
		return dl.Min
	}
	return dl.Min + time.Duration(d.float(stream, ordinal)*float64(dl.Max-dl.Min))
}

// splitmix64 is the SplitMix64 finaliser (Steele, Lea, Flood 2014).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// throttler holds one token bucket per app, and the client-request-ids
// seen when the first attempts are throttled.
type throttler struct {
	rate  float64
	burst float64
	first bool
	mu    sync.Mutex
	b     map[string]*bucket
	seen  map[string]bool
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the throttler's memory; beyond it buckets are reset.
const maxBuckets = 10_000

func newThrottler(t Throttle) *throttler {
	if t.Rate <= 0 && !t.FirstAttempt {
		return nil
	}
	return &throttler{rate: t.Rate, burst: float64(t.Burst), first: t.FirstAttempt, b: map[string]*bucket{}, seen: map[string]bool{}}
}

// take decides whether app's request, sent with client-request-id crid,
// is served: a first attempt is refused when first attempts are
// throttled, then a token of app's bucket is spent. When refused it returns
// false and how long until the request may be sent again.
func (t *throttler) take(app, crid string, now time.Time) (bool, time.Duration) {
	if t == nil {
		return true, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.first && crid != "" && !t.seen[crid] {
		if len(t.seen) >= maxBuckets {
			clear(t.seen)
		}
		t.seen[crid] = true
		return false, time.Second
	}
	if t.rate <= 0 {
		return true, 0
	}
	b, ok := t.b[app]
	if !ok {
		if len(t.b) >= maxBuckets {
			clear(t.b)
		}
		b = &bucket{tokens: t.burst, last: now}
		t.b[app] = b
	}
	b.tokens = min(t.burst, b.tokens+now.Sub(b.last).Seconds()*t.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / t.rate * float64(time.Second))
}

// retryAfterSeconds renders a wait as a Retry-After value: whole seconds,
// rounded up, at least 1 (RFC 9110 delay-seconds; clients parse integers).
func retryAfterSeconds(d time.Duration) string {
	return fmt.Sprint(max(1, int64(math.Ceil(d.Seconds()))))
}
