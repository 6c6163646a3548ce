package load

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Step is one constant-rate stretch of a StepsPacer.
type Step struct {
	PerSecond float64       `json:"perSecond"` // hits per second, >= 0 (0 pauses)
	For       time.Duration `json:"for"`       // > 0
}

// String writes the step as ParseSteps reads it: "100/s@10s".
func (s Step) String() string { return FormatRate(s.PerSecond) + "@" + s.For.String() }

// StepsPacer holds each of its Steps' rates for the step's duration, in order.
type StepsPacer struct {
	steps []Step
	start []time.Duration // start[i]: when step i begins
	hits  []float64       // hits[i]: hits due before step i begins
}

// NewStepsPacer returns a StepsPacer, checking the steps.
func NewStepsPacer(steps []Step) (*StepsPacer, error) {
	if len(steps) == 0 {
		return nil, fmt.Errorf("steps: no step given")
	}
	p := &StepsPacer{steps: append([]Step(nil), steps...)}
	var at time.Duration
	var hits float64
	for i, s := range steps {
		if s.PerSecond < 0 || s.PerSecond > MaxRate {
			return nil, fmt.Errorf("step %d (%s): rate must be between 0/s and %g/s", i+1, s, float64(MaxRate))
		}
		if s.For <= 0 {
			return nil, fmt.Errorf("step %d (%s): duration must be positive", i+1, s)
		}
		p.start, p.hits = append(p.start, at), append(p.hits, hits)
		at += s.For
		hits += s.PerSecond * s.For.Seconds()
	}
	if hits < 1 {
		return nil, fmt.Errorf("steps %s send no hit", p.list())
	}
	p.start, p.hits = append(p.start, at), append(p.hits, hits)
	return p, nil
}

// Steps returns a copy of the steps.
func (p *StepsPacer) Steps() []Step { return append([]Step(nil), p.steps...) }

// Due finds the step hit n falls in and its place there.
func (p *StepsPacer) Due(n uint64) (time.Duration, bool) {
	x := float64(n)
	// the first step that ends after hit n is due
	i := sort.Search(len(p.steps), func(i int) bool { return p.hits[i+1] > x })
	if i == len(p.steps) {
		return 0, false
	}
	return p.start[i] + seconds((x-p.hits[i])/p.steps[i].PerSecond), true
}

// Pace implements vegeta.Pacer.
func (p *StepsPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	return pace(p, elapsed, hits)
}

// Rate returns the rate of the step at elapsed (vegeta.Pacer); 0 after the end.
func (p *StepsPacer) Rate(elapsed time.Duration) float64 {
	i := sort.Search(len(p.steps), func(i int) bool { return p.start[i+1] > elapsed })
	if i == len(p.steps) {
		return 0
	}
	return p.steps[i].PerSecond
}

// Length returns the sum of the steps' durations.
func (p *StepsPacer) Length() time.Duration { return p.start[len(p.steps)] }

// String describes the pacer.
func (p *StepsPacer) String() string { return "steps " + p.list() }

func (p *StepsPacer) list() string {
	parts := make([]string, len(p.steps))
	for i, s := range p.steps {
		parts[i] = s.String()
	}
	return strings.Join(parts, ",")
}
