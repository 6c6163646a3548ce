package load

import (
	"strconv"
	"time"

	"github.com/influxdata/tdigest"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Series limits: a series aims at SeriesTarget buckets of at least a second,
// and never holds more than MaxSeriesBuckets (later times fall in the last).
const (
	SeriesTarget     = 600
	MaxSeriesBuckets = 2 * SeriesTarget
)

// seriesCompression is the t-digest compression of one bucket: coarser than
// the run's (100), as a chart's point needs less and there are many buckets.
const seriesCompression = 40

// SeriesWidth returns the bucket width for a run of length d: a whole number
// of seconds, at least one, giving about SeriesTarget buckets.
func SeriesWidth(d time.Duration) time.Duration {
	w := (d + SeriesTarget - 1) / SeriesTarget
	return max(time.Second, w.Round(time.Second))
}

// Series is a run over time, in buckets of the scheduled send time: what the
// charts of latency, status codes, errors and end-to-end latency over time
// are drawn from.
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

// seriesAcc accumulates a Series.
type seriesAcc struct {
	origin  time.Time
	width   time.Duration
	buckets []*bucketAcc
}

type bucketAcc struct {
	b        Bucket
	lat, e2e *tdigest.TDigest
}

func newSeriesAcc(origin time.Time, width time.Duration) *seriesAcc {
	return &seriesAcc{origin: origin, width: width}
}

// at returns the bucket of time t (times before the origin fall in the first).
func (s *seriesAcc) at(t time.Time) *bucketAcc {
	i := 0
	if d := t.Sub(s.origin); d > 0 {
		i = min(int(d/s.width), MaxSeriesBuckets-1)
	}
	for len(s.buckets) <= i {
		n := len(s.buckets)
		s.buckets = append(s.buckets, &bucketAcc{b: Bucket{Offset: Duration(time.Duration(n) * s.width)}})
	}
	return s.buckets[i]
}

func (s *seriesAcc) addResult(r *vegeta.Result) {
	b := s.at(r.Timestamp)
	b.b.Requests++
	if r.Error != "" || r.Code < 200 || r.Code >= 400 {
		b.b.Errors++
	}
	if b.b.Codes == nil {
		b.b.Codes = map[string]uint64{}
	}
	b.b.Codes[strconv.Itoa(int(r.Code))]++
	if b.lat == nil {
		b.lat = tdigest.NewWithCompression(seriesCompression)
	}
	b.lat.Add(float64(r.Latency), 1)
	b.b.Max = max(b.b.Max, Duration(r.Latency))
}

func (s *seriesAcc) addRecord(r *Record) {
	b := s.at(r.Scheduled)
	b.b.Calls++
	d, ok := r.Established()
	if !ok {
		if r.Outcome == OutcomeLost {
			b.b.Lost++
		}
		return
	}
	if b.e2e == nil {
		b.e2e = tdigest.NewWithCompression(seriesCompression)
	}
	b.e2e.Add(float64(d), 1)
}

func (s *seriesAcc) series() *Series {
	out := &Series{Origin: s.origin, Width: Duration(s.width), Buckets: make([]Bucket, len(s.buckets))}
	for i, b := range s.buckets {
		if b.lat != nil {
			b.b.P50, b.b.P99 = Duration(b.lat.Quantile(0.5)), Duration(b.lat.Quantile(0.99))
		}
		if b.e2e != nil {
			b.b.E2EP50, b.b.E2EP99 = Duration(b.e2e.Quantile(0.5)), Duration(b.e2e.Quantile(0.99))
		}
		out.Buckets[i] = b.b
	}
	return out
}
