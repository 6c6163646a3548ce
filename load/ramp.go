package load

import (
	"fmt"
	"math"
	"time"
)

// RampPacer changes the rate linearly from From to To hits per second over
// Duration (vegeta's LinearPacer, with an end and a schedule).
type RampPacer struct {
	From, To float64       // hits per second, >= 0, not both 0
	Duration time.Duration // > 0
}

// NewRampPacer returns a RampPacer, checking its fields.
func NewRampPacer(from, to float64, d time.Duration) (RampPacer, error) {
	p := RampPacer{From: from, To: to, Duration: d}
	switch {
	case from < 0 || to < 0 || from > MaxRate || to > MaxRate:
		return p, fmt.Errorf("ramp %s..%s: rates must be between 0/s and %g/s", FormatRate(from), FormatRate(to), float64(MaxRate))
	case from == 0 && to == 0:
		return p, fmt.Errorf("ramp %s..%s sends nothing", FormatRate(from), FormatRate(to))
	case d <= 0:
		return p, fmt.Errorf("ramp duration %s must be positive", d)
	}
	return p, nil
}

// slope is the rate's change per second.
func (p RampPacer) slope() float64 { return (p.To - p.From) / p.Duration.Seconds() }

// Due solves From·t + slope·t²/2 = n for t, in the form that stays exact as
// the slope goes to 0: t = 2n / (From + √(From² + 2·slope·n)).
func (p RampPacer) Due(n uint64) (time.Duration, bool) {
	if n == 0 {
		return 0, true
	}
	disc := p.From*p.From + 2*p.slope()*float64(n)
	if disc < 0 { // a falling ramp that ends (at rate 0) before hit n
		return 0, false
	}
	at := seconds(2 * float64(n) / (p.From + math.Sqrt(disc)))
	return at, at < p.Duration
}

// Pace implements vegeta.Pacer.
func (p RampPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	return pace(p, elapsed, hits)
}

// Rate returns the rate at elapsed (vegeta.Pacer).
func (p RampPacer) Rate(elapsed time.Duration) float64 {
	return p.From + p.slope()*min(elapsed, p.Duration).Seconds()
}

// Length returns Duration.
func (p RampPacer) Length() time.Duration { return p.Duration }

// String describes the pacer.
func (p RampPacer) String() string {
	return fmt.Sprintf("ramp %s..%s over %s", FormatRate(p.From), FormatRate(p.To), p.Duration)
}
