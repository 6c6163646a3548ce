package load

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultRate and DefaultDuration are the schedule of a run that names none:
// 50 hits per second for 10 seconds.
const (
	DefaultRate     = 50.0
	DefaultDuration = 10 * time.Second
)

// Pacing is a schedule as the command line gives it: exactly one of Rate
// ("100/s"), Ramp ("10/s..500/s") and Steps ("100,200,400@10s"), and a
// Duration for Rate and Ramp (0: DefaultDuration). All empty means
// DefaultRate for Duration.
type Pacing struct {
	Rate     string
	Ramp     string
	Steps    string
	Duration time.Duration
}

// Pacer builds the schedule. Errors name the flag at fault (--rate, --ramp,
// --steps, --duration).
func (pc Pacing) Pacer() (Pacer, error) {
	n := 0
	for _, s := range []string{pc.Rate, pc.Ramp, pc.Steps} {
		if strings.TrimSpace(s) != "" {
			n++
		}
	}
	if n > 1 {
		return nil, errors.New("--rate, --ramp and --steps are exclusive; give one")
	}
	if pc.Duration < 0 {
		return nil, fmt.Errorf("--duration %s is negative", pc.Duration)
	}
	d := pc.Duration
	if d == 0 {
		d = DefaultDuration
	}
	switch {
	case strings.TrimSpace(pc.Steps) != "":
		return pc.steps()
	case strings.TrimSpace(pc.Ramp) != "":
		return pc.ramp(d)
	default:
		return pc.constant(d)
	}
}

func (pc Pacing) constant(d time.Duration) (Pacer, error) {
	r := DefaultRate
	if strings.TrimSpace(pc.Rate) != "" {
		var err error
		if r, err = ParseRate(pc.Rate); err != nil {
			return nil, fmt.Errorf("--rate: %w", err)
		}
	}
	p, err := NewConstantPacer(r, d)
	if err != nil {
		return nil, fmt.Errorf("--rate %s: %w", pc.Rate, err)
	}
	return p, nil
}

func (pc Pacing) ramp(d time.Duration) (Pacer, error) {
	from, to, err := ParseRamp(pc.Ramp)
	if err != nil {
		return nil, fmt.Errorf("--ramp: %w", err)
	}
	p, err := NewRampPacer(from, to, d)
	if err != nil {
		return nil, fmt.Errorf("--ramp: %w", err)
	}
	return p, nil
}

func (pc Pacing) steps() (Pacer, error) {
	if pc.Duration != 0 {
		return nil, errors.New("--steps sets its own duration (RATE@DURATION); drop --duration")
	}
	steps, err := ParseSteps(pc.Steps)
	if err != nil {
		return nil, fmt.Errorf("--steps: %w", err)
	}
	p, err := NewStepsPacer(steps)
	if err != nil {
		return nil, fmt.Errorf("--steps: %w", err)
	}
	return p, nil
}

// ParseRamp reads "FROM..TO", two rates: "10/s..500/s".
func ParseRamp(s string) (from, to float64, err error) {
	a, b, ok := strings.Cut(s, "..")
	if !ok {
		return 0, 0, fmt.Errorf("%q: want FROM..TO, e.g. 10/s..500/s", s)
	}
	if from, err = ParseRate(a); err != nil {
		return 0, 0, err
	}
	if to, err = ParseRate(b); err != nil {
		return 0, 0, err
	}
	return from, to, nil
}

// ParseSteps reads a comma-separated list of RATE[@DURATION]: "100/s@5s,
// 200/s@10s". A step without its own duration holds for the last duration
// the list gives, so "100,200,400@10s" is three 10-second steps.
func ParseSteps(s string) ([]Step, error) {
	items := strings.Split(s, ",")
	steps := make([]Step, len(items))
	var last time.Duration
	for i, item := range items {
		rate, dur, hasDur := strings.Cut(strings.TrimSpace(item), "@")
		r, err := ParseRate(rate)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", i+1, err)
		}
		steps[i].PerSecond = r
		if hasDur {
			d, err := time.ParseDuration(strings.TrimSpace(dur))
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("step %d (%q): %q is not a positive duration (e.g. 10s)", i+1, item, dur)
			}
			steps[i].For, last = d, d
		}
	}
	if last == 0 {
		return nil, fmt.Errorf("%q gives no duration: end the list with @DURATION, e.g. 100,200,400@10s", s)
	}
	for i := range steps {
		if steps[i].For == 0 {
			steps[i].For = last
		}
	}
	return steps, nil
}
