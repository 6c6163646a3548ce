package result

import (
	"math"
	"time"
)

// SummarySchema names the version of the summary format.
const SummarySchema = "callcheck.dev/load-summary/v1"

// MaxErrorSet bounds the distinct error messages a summary lists.
const MaxErrorSet = 20

// Summary is what one or many runs (shards) measured, merged: the document
// reports are rendered from and thresholds are evaluated over. It implements
// Values.
type Summary struct {
	SchemaVersion string `json:"schemaVersion"` // SummarySchema
	// Runs are the manifests of the runs merged, one per shard.
	Runs []Manifest `json:"runs"`
	// Requests are the create (or callback) requests.
	Requests RequestStats `json:"requests"`
	// E2E is the end-to-end measurement; nil when no run made one.
	E2E *E2EStats `json:"e2e,omitempty"`
	// Hangups are the DELETEs of --hangup; nil when none were made.
	Hangups *RequestStats `json:"hangups,omitempty"`
	// Overlap is the stretch all the merged runs' schedules share; nil
	// for a single run.
	Overlap *Overlap `json:"overlap,omitempty"`
	// Series is the run over time.
	Series *Series `json:"series,omitempty"`
	// Capacity holds the capacity searches merged, if any.
	Capacity []*CapacityResult `json:"capacity,omitempty"`
	// Verdicts are the thresholds evaluated over this summary, if any.
	Verdicts []Verdict `json:"verdicts,omitempty"`
	// Passed is false when a threshold was breached.
	Passed bool `json:"passed"`
	// Notes say what a reader of the merge should know (a run cut short,
	// results without a manifest).
	Notes []string `json:"notes,omitempty"`
}

// Overlap is the stretch of time the schedules of merged runs (the shards
// of one load) share: from the latest start to the earliest end. Their
// rates add up only while they run together.
type Overlap struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Duration is End minus Start; Span the time from the earliest start to
	// the latest end; Ratio Duration over the longest schedule.
	Duration Duration `json:"duration"`
	Span     Duration `json:"span"`
	Ratio    float64  `json:"ratio"`
}

// RequestStats summarise vegeta results.
type RequestStats struct {
	Count       uint64            `json:"count"`
	Success     float64           `json:"success"` // ratio of 2xx and 3xx
	Errors      uint64            `json:"errors"`
	StatusCodes map[string]uint64 `json:"statusCodes"`
	ErrorSet    []string          `json:"errorSet,omitempty"` // distinct errors, at most MaxErrorSet
	// OfferedRate is the schedules' rate (all shards); Rate the achieved
	// send rate; Achieved their ratio; Throughput successes per second.
	OfferedRate float64 `json:"offeredRate"`
	Rate        float64 `json:"rate"`
	Achieved    float64 `json:"achieved"`
	Throughput  float64 `json:"throughput"`
	// Earliest and Latest are the first and last scheduled times; Duration
	// the span between them.
	Earliest time.Time `json:"earliest,omitzero"`
	Latest   time.Time `json:"latest,omitzero"`
	Duration Duration  `json:"duration"`
	// Latency counts from the scheduled send time to the end of the response.
	Latency      LatencySummary `json:"latency"`
	Distribution []Quantile     `json:"distribution,omitempty"`
}

// LatencySummary holds a latency distribution's usual statistics.
type LatencySummary struct {
	Min  Duration `json:"min"`
	Mean Duration `json:"mean"`
	P50  Duration `json:"p50"`
	P90  Duration `json:"p90"`
	P95  Duration `json:"p95"`
	P99  Duration `json:"p99"`
	P999 Duration `json:"p999"`
	Max  Duration `json:"max"`
}

// Quantile is one point of a latency distribution.
type Quantile struct {
	Quantile float64  `json:"quantile"`
	Value    Duration `json:"value"`
}

// E2EStats summarise the end-to-end records.
type E2EStats struct {
	// Calls is the number of calls created (records); OK those whose every
	// expected notification arrived.
	Calls uint64 `json:"calls"`
	OK    uint64 `json:"ok"`
	// Established counts established arrivals, Lost the calls without one.
	Established uint64 `json:"established"`
	Lost        uint64 `json:"lost"`
	// RosterExpected counts calls of examples that document a roster;
	// Roster the arrivals; RosterLost the calls established without one.
	RosterExpected uint64 `json:"rosterExpected"`
	Roster         uint64 `json:"roster"`
	RosterLost     uint64 `json:"rosterLost"`
	// Unresolved counts calls still waiting when the run was interrupted.
	Unresolved uint64 `json:"unresolved"`
	// Unmatched counts notifications of no call the run knew.
	Unmatched uint64 `json:"unmatched"`
	// Notifications account for every notification the calls' scenarios
	// must produce, by kind (result.NotificationKinds); nil in summaries
	// written before they were counted.
	Notifications NotificationTally `json:"notifications,omitempty"`
	// Latency is from the scheduled send time to established; RosterLatency
	// to the first roster notification.
	Latency       LatencySummary `json:"latency"`
	RosterLatency LatencySummary `json:"rosterLatency"`
	Distribution  []Quantile     `json:"distribution,omitempty"`
}

// DistributionQuantiles are the points of a distribution: HdrHistogram's
// percentile ladder, each step halving the distance to 100% (0, 50, 75,
// 87.5, ... 99.9985%), then the maximum.
func DistributionQuantiles() []float64 {
	qs := []float64{0}
	for i := 1; i <= 16; i++ {
		qs = append(qs, 1-math.Pow(0.5, float64(i)))
	}
	return append(qs, 1)
}

// Value implements Values.
func (s *Summary) Value(m Metric, ratio bool) (float64, bool) {
	if v, ok := s.latencyValue(m); ok || m.IsDuration() {
		return v, ok
	}
	if IsNotificationMetric(m) && s.E2E != nil && s.E2E.Notifications != nil {
		return s.notificationValue(m, ratio)
	}
	r := &s.Requests
	switch m {
	case MetricSuccess:
		return r.Success, r.Count > 0
	case MetricErrors:
		return countOrRatio(r.Errors, r.Count, ratio)
	case MetricRequests:
		return float64(r.Count), true
	case MetricRate:
		return r.Rate, r.Count > 0
	case MetricThroughput:
		return r.Throughput, r.Count > 0
	case MetricAchieved:
		return r.Achieved, r.OfferedRate > 0
	case MetricLost, MetricRosterLost:
		return s.lostValue(m, ratio)
	}
	return 0, false
}

func (s *Summary) lostValue(m Metric, ratio bool) (float64, bool) {
	if s.E2E == nil {
		return 0, false
	}
	if m == MetricLost {
		return countOrRatio(s.E2E.Lost, s.E2E.Calls, ratio)
	}
	return countOrRatio(s.E2E.RosterLost, s.E2E.RosterExpected, ratio)
}

func countOrRatio(n, of uint64, ratio bool) (float64, bool) {
	if !ratio {
		return float64(n), true
	}
	if of == 0 {
		return 0, false
	}
	return float64(n) / float64(of), true
}

// latencyValue returns a latency metric, ok false when it has no data.
func (s *Summary) latencyValue(m Metric) (float64, bool) {
	var l *LatencySummary
	var n uint64
	name := string(m)
	switch {
	case len(name) > 4 && name[:4] == "e2e.":
		if s.E2E == nil {
			return 0, false
		}
		l, n, name = &s.E2E.Latency, s.E2E.Established, name[4:]
	case len(name) > 7 && name[:7] == "roster.":
		if s.E2E == nil {
			return 0, false
		}
		l, n, name = &s.E2E.RosterLatency, s.E2E.Roster, name[7:]
	default:
		l, n = &s.Requests.Latency, s.Requests.Count
	}
	v, ok := map[string]Duration{"p50": l.P50, "p90": l.P90, "p95": l.P95, "p99": l.P99,
		"p999": l.P999, "max": l.Max, "min": l.Min, "mean": l.Mean}[name]
	return float64(v), ok && n > 0
}

// Evaluate checks ts over the summary, records the verdicts and returns
// whether all held.
func (s *Summary) Evaluate(ts []Threshold) bool {
	s.Verdicts, s.Passed = CheckAll(ts, s)
	return s.Passed
}

// UnmarshalJSON decodes a summary, reading the schema version under its
// older name "schema" too.
func (s *Summary) UnmarshalJSON(data []byte) error {
	type plain Summary // without this method
	return decodeVersioned(data, (*plain)(s), &s.SchemaVersion)
}
