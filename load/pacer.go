package load

import (
	"fmt"
	"math"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Pacer is a vegeta.Pacer that knows when each hit is due. vegeta's own
// pacers only say how long to wait for the next hit, and answer "now" when
// the attack is behind, which loses the time the late hit was due at; Due
// keeps it, so latencies can be counted from the schedule (the open model,
// see the package documentation).
//
// Pace, for every Pacer here, waits until Due(hits) and stops when Due has no
// such hit, so an attack sends exactly the hits of the schedule, late ones
// included, and its duration is the Pacer's.
type Pacer interface {
	vegeta.Pacer
	// Due returns when hit n (counted from 0) is due, from the start of the
	// attack; ok is false when the schedule ends before hit n.
	Due(n uint64) (at time.Duration, ok bool)
	// Length is how long the schedule lasts.
	Length() time.Duration
	// String describes the schedule: "constant 100/s for 10s".
	String() string
}

// pace implements vegeta.Pacer.Pace for a Pacer: wait until hit hits is
// due, or stop after the last one.
func pace(p Pacer, elapsed time.Duration, hits uint64) (time.Duration, bool) {
	due, ok := p.Due(hits)
	if !ok {
		return 0, true
	}
	return due - elapsed, false
}

// seconds converts a duration in (fractional) seconds to a Duration,
// saturating instead of overflowing.
func seconds(s float64) time.Duration {
	if ns := s * 1e9; ns < math.MaxInt64 {
		return time.Duration(ns)
	}
	return time.Duration(math.MaxInt64)
}

// ConstantPacer sends Rate hits per second for Duration, the first at once.
type ConstantPacer struct {
	PerSecond float64       // hits per second, > 0
	Duration  time.Duration // > 0
}

// NewConstantPacer returns a ConstantPacer, checking its fields.
func NewConstantPacer(rate float64, d time.Duration) (ConstantPacer, error) {
	p := ConstantPacer{PerSecond: rate, Duration: d}
	switch {
	case !(rate > 0) || rate > MaxRate:
		return p, fmt.Errorf("rate %s must be above 0/s and at most %g/s", FormatRate(rate), float64(MaxRate))
	case d <= 0:
		return p, fmt.Errorf("duration %s must be positive", d)
	}
	return p, nil
}

// Due returns n/PerSecond.
func (p ConstantPacer) Due(n uint64) (time.Duration, bool) {
	at := seconds(float64(n) / p.PerSecond)
	return at, at < p.Duration
}

// Pace implements vegeta.Pacer.
func (p ConstantPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	return pace(p, elapsed, hits)
}

// Rate returns the constant rate (vegeta.Pacer).
func (p ConstantPacer) Rate(time.Duration) float64 { return p.PerSecond }

// Length returns Duration.
func (p ConstantPacer) Length() time.Duration { return p.Duration }

// String describes the pacer.
func (p ConstantPacer) String() string {
	return fmt.Sprintf("constant %s for %s", FormatRate(p.PerSecond), p.Duration)
}
