package main

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/callcheck/callcheck/load"
)

// The held criteria: a subject holds a step when the generator achieved at
// least minAchieved of the offered rate, at least minSuccess of the creates
// succeeded, the 99th percentile latency (counted from each hit's scheduled
// time) stayed under the step's bound (defaultMaxP99 unless --max-p99 says
// otherwise), and every created call's established notification arrived
// (for the subjects that notify).
const (
	minAchieved   = 0.99
	minSuccess    = 0.999
	defaultMaxP99 = 50 * time.Millisecond
)

// stepResult is what one constant-rate step of one subject measured.
type stepResult struct {
	Rate     float64       // offered, hits/s
	Requests int           // hits sent
	Achieved float64       // hits/s actually sent
	Success  float64       // fraction of 2xx answers
	Created  int           // 201 answers carrying a call id
	P99      time.Duration // from the scheduled time to the end of the response
	MaxP99   time.Duration // the bound P99 must stay under; 0: defaultMaxP99
	// Notifies is false for a subject that posts no notifications (the
	// bare handler): Established and Missing do not apply to it.
	Notifies bool
	// Established counts the created calls whose established notification
	// arrived; Missing the created calls whose did not (within the grace).
	Established, Missing int
	// Notifications is every notification received during the step, in
	// Posts POSTs (a subject that batches the notifications of several
	// calls makes fewer POSTs than calls).
	Notifications, Posts int
}

// failures names each held criterion the step missed; none: it held.
func (s stepResult) failures() []string {
	var f []string
	if s.Requests == 0 {
		return []string{"no request sent"}
	}
	if s.Achieved < minAchieved*s.Rate {
		f = append(f, fmt.Sprintf("achieved %.0f/s < %.0f%% of offered", s.Achieved, minAchieved*100))
	}
	if s.Success < minSuccess {
		f = append(f, fmt.Sprintf("success %.4f < %.3f", s.Success, minSuccess))
	}
	if bound := cmp.Or(s.MaxP99, defaultMaxP99); s.P99 >= bound {
		f = append(f, fmt.Sprintf("p99 %s >= %s", s.P99.Round(time.Millisecond/10), bound))
	}
	if s.Notifies && (s.Missing > 0 || s.Established < s.Created) {
		f = append(f, fmt.Sprintf("%d of %d established notifications missing", s.Created-s.Established, s.Created))
	}
	return f
}

// held reports whether the step met every criterion.
func (s stepResult) held() bool { return len(s.failures()) == 0 }

// stepping is the rate ladder: from Start, adding Step (or, when Factor is
// above 1, multiplying by it), up to Max.
type stepping struct {
	Start, Step, Factor, Max float64
	// MaxSteps bounds the ladder whatever the rates say.
	MaxSteps int
}

// validate names the first invalid setting as the flags spell it.
func (s stepping) validate() error {
	switch {
	case !(s.Start > 0) || s.Start > load.MaxRate:
		return fmt.Errorf("--start %s must be above 0/s and at most %g/s", load.FormatRate(s.Start), float64(load.MaxRate))
	case s.Max < s.Start || s.Max > load.MaxRate:
		return fmt.Errorf("--max %s must be at least --start %s and at most %g/s", load.FormatRate(s.Max), load.FormatRate(s.Start), float64(load.MaxRate))
	case s.Factor != 0 && !(s.Factor > 1):
		return fmt.Errorf("--factor %g must be above 1 (or 0 to add --step)", s.Factor)
	case s.Factor == 0 && !(s.Step > 0):
		return fmt.Errorf("--step %s must be above 0/s", load.FormatRate(s.Step))
	case s.MaxSteps < 1:
		return fmt.Errorf("--max-steps %d must be at least 1", s.MaxSteps)
	}
	return nil
}

// rates returns the ladder: at most MaxSteps rates, ascending, the last
// one Max when the ladder reaches it.
func (s stepping) rates() []float64 {
	var out []float64
	for r := s.Start; len(out) < s.MaxSteps; {
		out = append(out, r)
		if r >= s.Max {
			break
		}
		next := r + s.Step
		if s.Factor > 1 {
			next = r * s.Factor
		}
		r = math.Min(math.Round(next*100)/100, s.Max)
	}
	return out
}

// heldRate returns the highest rate held before the first step that did not
// hold (0: none held).
func heldRate(steps []stepResult) float64 {
	best := 0.0
	for _, s := range steps {
		if !s.held() {
			break
		}
		best = s.Rate
	}
	return best
}

// ratio is a/b written for the summary; "n/a" when b held nothing.
func ratio(a, b float64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// ladderText writes the ladder for the header line: "1000/s, 2000/s, …".
func ladderText(rates []float64) string {
	parts := make([]string, len(rates))
	for i, r := range rates {
		parts[i] = load.FormatRate(r)
	}
	return strings.Join(parts, ", ")
}
