package chart

import (
	"fmt"
	"math"
	"strconv"
)

// Scale is how an axis maps values to positions.
type Scale int

// The scales.
const (
	// Linear spaces values evenly.
	Linear Scale = iota
	// Log spaces powers of ten evenly; every value must be positive.
	Log
	// Percentile is HdrHistogram's percentile axis for quantiles in [0, 1):
	// 0%, 90%, 99%, 99.9%… evenly spaced, that is -log10(1-q).
	Percentile
)

// Axis describes one axis.
type Axis struct {
	// Label names the axis and its unit ("latency (ms)").
	Label string
	// Scale is Linear, Log or Percentile.
	Scale Scale
	// Min and Max fix the range; when both are zero it comes from the data
	// (a linear axis of non-negative data starts at zero).
	Min, Max float64
	// Format writes tick labels; nil uses Number.
	Format func(float64) string
}

// transform maps a value into the axis' linear space.
func (a *Axis) transform(v float64) float64 {
	switch a.Scale {
	case Log:
		return math.Log10(v)
	case Percentile:
		return -math.Log10(1 - v)
	}
	return v
}

// check reports a value the axis cannot show.
func (a *Axis) check(v float64) error {
	switch {
	case math.IsInf(v, 0):
		return fmt.Errorf("value %v is infinite", v)
	case a.Scale == Log && v <= 0:
		return fmt.Errorf("value %v on a log axis (values must be positive)", v)
	case a.Scale == Percentile && (v < 0 || v >= 1):
		return fmt.Errorf("quantile %v outside [0, 1)", v)
	}
	return nil
}

func (a *Axis) format(v float64) string {
	if a.Format != nil {
		return a.Format(v)
	}
	return Number(v)
}

// span is an axis' range in its linear space, with its ticks.
type span struct {
	lo, hi float64
	ticks  []float64 // in data space
}

// newSpan fits the axis to the data range [lo, hi] (data space).
func (a *Axis) newSpan(lo, hi float64) span {
	if a.Min != 0 || a.Max != 0 {
		lo, hi = a.Min, a.Max
	} else if a.Scale == Linear && lo >= 0 {
		lo = 0
	}
	switch a.Scale {
	case Log:
		return logSpan(lo, hi)
	case Percentile:
		return percentileSpan(hi)
	}
	if a.Min == 0 && a.Max == 0 && hi > lo {
		hi += (hi - lo) * 0.03 // room above the highest value, so that it does not sit on the frame
	}
	return linearSpan(lo, hi)
}

// linearSpan has about five ticks at 1, 2 or 5 times a power of ten.
func linearSpan(lo, hi float64) span {
	if hi <= lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / 5)
	s := span{lo: math.Floor(lo/step) * step, hi: math.Ceil(hi/step) * step}
	decimals := max(0, int(-math.Floor(math.Log10(step))))
	for k := math.Round(s.lo / step); k*step <= s.hi+step/2; k++ {
		v, _ := strconv.ParseFloat(strconv.FormatFloat(k*step, 'f', decimals, 64), 64) // 0.6, not 0.6000000000000001
		s.ticks = append(s.ticks, v)
	}
	return s
}

func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// logSpan spans whole decades, with ticks at powers of ten (and at 2 and 5
// times them when there are fewer than three decades).
func logSpan(lo, hi float64) span {
	a, b := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if b <= a {
		b = a + 1
	}
	s := span{lo: a, hi: b}
	for d := a; d <= b; d++ {
		p := math.Pow(10, d)
		s.ticks = append(s.ticks, p)
		if b-a < 3 && d < b {
			s.ticks = append(s.ticks, 2*p, 5*p)
		}
	}
	return s
}

// percentileSpan runs from 0% to the first "nines" at or above hi.
func percentileSpan(hi float64) span {
	n := math.Max(2, math.Ceil(-math.Log10(1-hi)-1e-9))
	s := span{lo: 0, hi: n}
	for i := 0.0; i <= n; i++ {
		s.ticks = append(s.ticks, 1-math.Pow(10, -i))
	}
	return s
}

// Number writes v briefly: 1.5, 20, 1.2k, 3M.
func Number(v float64) string {
	switch av := math.Abs(v); {
	case av >= 1e6:
		return trim(v/1e6) + "M"
	case av >= 1e4:
		return trim(v/1e3) + "k"
	}
	return trim(v)
}

func trim(v float64) string {
	s := fmt.Sprintf("%.3g", v)
	if math.Abs(v) >= 1000 {
		s = fmt.Sprintf("%.0f", v)
	}
	return s
}

// PercentLabel writes a quantile as a percentile: 0.999 → "99.9%".
func PercentLabel(q float64) string {
	s := fmt.Sprintf("%.4f", 100*q)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s + "%"
}
