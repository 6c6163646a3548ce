package result

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Metric names a quantity of a load run that a Threshold compares.
type Metric string

// The metrics. Latencies count from the scheduled send time (the open
// model); e2e and roster latencies run from it to the arrival of the call's
// established and first roster notification at callcheck's receiver.
const (
	MetricP50    Metric = "p50" // create latency percentiles, mean, min, max
	MetricP90    Metric = "p90"
	MetricP95    Metric = "p95"
	MetricP99    Metric = "p99"
	MetricP999   Metric = "p999" // the 99.9th percentile
	MetricMax    Metric = "max"
	MetricMin    Metric = "min"
	MetricMean   Metric = "mean"
	MetricE2EP50 Metric = "e2e.p50" // end to end, to the established notification
	MetricE2EP90 Metric = "e2e.p90"
	MetricE2EP95 Metric = "e2e.p95"
	MetricE2EP99 Metric = "e2e.p99"
	MetricE2EMax Metric = "e2e.max"
	MetricE2EMin Metric = "e2e.min"
	// MetricE2EMean is the mean end-to-end latency to established.
	MetricE2EMean    Metric = "e2e.mean"
	MetricRosterP50  Metric = "roster.p50" // end to end, to the first roster notification
	MetricRosterP99  Metric = "roster.p99"
	MetricRosterMax  Metric = "roster.max"
	MetricSuccess    Metric = "success"    // ratio of 2xx/3xx responses
	MetricErrors     Metric = "errors"     // failed requests: a count, or a ratio with %
	MetricRequests   Metric = "requests"   // requests sent
	MetricRate       Metric = "rate"       // achieved send rate, per second
	MetricThroughput Metric = "throughput" // successful responses per second
	MetricAchieved   Metric = "achieved"   // achieved over offered rate
	// MetricLost counts the notifications lost, of every kind (a count, or
	// a ratio of those expected with %); "lost.terminated" and the like
	// count one kind, as do "duplicates", "late" and "unexpected".
	MetricLost       Metric = "lost"
	MetricRosterLost Metric = "roster.lost" // calls whose documented roster never arrived
)

// valueKind is what a metric's value is and how a threshold writes it.
type valueKind int

const (
	kindDuration     valueKind = iota // "200ms"
	kindRatio                         // "99.9%" or "0.999"
	kindCount                         // "0", "1000"
	kindCountOrRatio                  // "0" (a count) or "0.1%" (a ratio)
	kindRate                          // "100" or "100/s"
)

// metricKinds holds every metric and its kind.
var metricKinds = map[Metric]valueKind{
	MetricP50: kindDuration, MetricP90: kindDuration, MetricP95: kindDuration, MetricP99: kindDuration,
	MetricP999: kindDuration, MetricMax: kindDuration, MetricMin: kindDuration, MetricMean: kindDuration,
	MetricE2EP50: kindDuration, MetricE2EP90: kindDuration, MetricE2EP95: kindDuration, MetricE2EP99: kindDuration,
	MetricE2EMax: kindDuration, MetricE2EMin: kindDuration, MetricE2EMean: kindDuration,
	MetricRosterP50: kindDuration, MetricRosterP99: kindDuration, MetricRosterMax: kindDuration,
	MetricSuccess: kindRatio, MetricErrors: kindCountOrRatio, MetricRequests: kindCount,
	MetricRate: kindRate, MetricThroughput: kindRate, MetricAchieved: kindRatio,
	MetricLost: kindCountOrRatio, MetricRosterLost: kindCountOrRatio,
}

// Metrics returns every metric name, sorted.
func Metrics() []Metric {
	ms := make([]Metric, 0, len(metricKinds))
	for m := range metricKinds {
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i] < ms[j] })
	return ms
}

// IsDuration reports whether m is a latency.
func (m Metric) IsDuration() bool { return metricKinds[m] == kindDuration }

// Op is a comparison.
type Op string

// The comparisons.
const (
	OpLess      Op = "<"
	OpLessEq    Op = "<="
	OpGreater   Op = ">"
	OpGreaterEq Op = ">="
	OpEqual     Op = "=="
	OpNotEqual  Op = "!="
)

// holds reports whether actual op limit.
func (o Op) holds(actual, limit float64) bool {
	switch o {
	case OpLess:
		return actual < limit
	case OpLessEq:
		return actual <= limit
	case OpGreater:
		return actual > limit
	case OpGreaterEq:
		return actual >= limit
	case OpEqual:
		return actual == limit
	case OpNotEqual:
		return actual != limit
	}
	return false
}

// Threshold is one parsed expression: Metric Op Value ("p99<200ms").
type Threshold struct {
	Metric Metric
	Op     Op
	// Value is the limit as written: nanoseconds for a latency, a count, hits
	// per second, or, when Percent is set, a percentage (99.9 for "99.9%");
	// a ratio written without % ("0.999") is kept as the fraction.
	Value float64
	// Percent is set when the value was written with %.
	Percent bool
}

// Limit returns the value in the metric's unit: a percentage becomes a
// fraction.
func (t Threshold) Limit() float64 {
	if t.Percent {
		return t.Value / 100
	}
	return t.Value
}

// Ratio reports whether the threshold compares a ratio (a percentage, or a
// ratio metric such as success).
func (t Threshold) Ratio() bool {
	return t.Percent || metricKinds[t.Metric] == kindRatio
}

// String writes the threshold as ParseThresholds reads it.
func (t Threshold) String() string {
	return string(t.Metric) + string(t.Op) + t.formatValue(t.Value)
}

// FormatThresholds writes thresholds as ParseThresholds reads them,
// comma-separated.
func FormatThresholds(ts []Threshold) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, ",")
}

// formatValue writes v (in the threshold's written unit) for the metric,
// exactly, so that the text parses back to v.
func (t Threshold) formatValue(v float64) string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	switch {
	case t.Percent:
		return num(v) + "%"
	case metricKinds[t.Metric] == kindDuration:
		return time.Duration(v).String()
	case metricKinds[t.Metric] == kindRate:
		return num(v) + "/s"
	}
	return num(v)
}

// Values gives a threshold the measured value of a metric; ratio asks for
// the ratio form of a count-or-ratio metric (errors, lost), written with %.
// Ratio metrics (success, achieved) are fractions either way. ok is false when the run has no
// data for it (no end-to-end records, for instance).
type Values interface {
	Value(m Metric, ratio bool) (v float64, ok bool)
}

// Verdict is a threshold evaluated over a run.
type Verdict struct {
	Threshold Threshold `json:"-"`
	// Metric is the threshold's metric.
	Metric Metric `json:"metric"`
	// Expr is the threshold as written canonically ("p99<200ms").
	Expr string `json:"threshold"`
	// Actual is the measured value, written like the threshold's.
	Actual string `json:"actual"`
	// Passed is whether it held; a threshold with no data fails.
	Passed bool `json:"passed"`
	// Reason says why it failed ("no data: ...").
	Reason string `json:"reason,omitempty"`
}

// String formats the verdict on one line.
func (v Verdict) String() string {
	mark := "ok  "
	if !v.Passed {
		mark = "FAIL"
	}
	s := fmt.Sprintf("%s %s (actual %s)", mark, v.Expr, v.Actual)
	if v.Reason != "" {
		s += ": " + v.Reason
	}
	return s
}

// Check evaluates t over vs.
func (t Threshold) Check(vs Values) Verdict {
	v := Verdict{Threshold: t, Metric: t.Metric, Expr: t.String()}
	actual, ok := vs.Value(t.Metric, t.Percent)
	if !ok || math.IsNaN(actual) {
		v.Actual, v.Reason = "none", "no data for "+string(t.Metric)
		return v
	}
	written := actual
	if t.Percent {
		written = actual * 100
	}
	v.Actual = t.formatActual(written)
	v.Passed = t.Op.holds(actual, t.Limit())
	return v
}

func (t Threshold) formatActual(v float64) string {
	switch {
	case t.Percent:
		return strconv.FormatFloat(v, 'f', 3, 64) + "%"
	case metricKinds[t.Metric] == kindDuration:
		return time.Duration(v).Round(time.Microsecond).String()
	case metricKinds[t.Metric] == kindRate:
		return strconv.FormatFloat(v, 'f', 1, 64) + "/s"
	case metricKinds[t.Metric] == kindRatio:
		return strconv.FormatFloat(v, 'f', 5, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// CheckAll evaluates every threshold; passed is true when all held.
func CheckAll(ts []Threshold, vs Values) (verdicts []Verdict, passed bool) {
	passed = true
	for _, t := range ts {
		v := t.Check(vs)
		passed = passed && v.Passed
		verdicts = append(verdicts, v)
	}
	return verdicts, passed
}
