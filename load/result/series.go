package result

import "time"

// Series limits: a series aims at SeriesTarget buckets of at least a second,
// and never holds more than MaxSeriesBuckets (later times fall in the last).
const (
	SeriesTarget     = 600
	MaxSeriesBuckets = 2 * SeriesTarget
)

// SeriesWidth returns the bucket width for a run of length d: a whole number
// of seconds, at least one, giving about SeriesTarget buckets.
func SeriesWidth(d time.Duration) time.Duration {
	w := (d + SeriesTarget - 1) / SeriesTarget
	return max(time.Second, w.Round(time.Second))
}

// Series is a run over time, in buckets of the scheduled send time (and,
// for the responses, also of the time they were answered): what the charts
// of latency, status codes, errors and end-to-end latency over time are
// drawn from.
type Series struct {
	Origin  time.Time `json:"origin"`
	Width   Duration  `json:"width"`
	Buckets []Bucket  `json:"buckets"`
}

// Bucket is one interval of a Series.
type Bucket struct {
	// Offset is the bucket's start from the series' origin.
	Offset Duration `json:"offset"`
	// Requests scheduled in the bucket, those that failed, and their codes.
	Requests uint64            `json:"requests"`
	Errors   uint64            `json:"errors"`
	Codes    map[string]uint64 `json:"codes,omitempty"`
	// Answered are the responses (or transport errors) that came in the
	// bucket, whenever they were scheduled, and AnsweredCodes their codes:
	// a generator that stalled and then sent its backlog in a burst shows
	// here as a gap and a spike, where the scheduled buckets look steady.
	Answered      uint64            `json:"answered,omitempty"`
	AnsweredCodes map[string]uint64 `json:"answeredCodes,omitempty"`
	// P50, P99 and Max are the requests' latencies.
	P50 Duration `json:"p50"`
	P99 Duration `json:"p99"`
	Max Duration `json:"max"`
	// Calls are the e2e records scheduled in the bucket, Lost those whose
	// established never arrived, E2EP50 and E2EP99 the established latencies.
	Calls  uint64   `json:"calls,omitempty"`
	Lost   uint64   `json:"lost,omitempty"`
	E2EP50 Duration `json:"e2eP50,omitempty"`
	E2EP99 Duration `json:"e2eP99,omitempty"`
}
