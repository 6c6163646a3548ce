package load

import (
	"strconv"
	"time"

	"github.com/influxdata/tdigest"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load/result"
)

// seriesCompression is the t-digest compression of one bucket: coarser than
// the run's (100), as a chart's point needs less and there are many buckets.
const seriesCompression = 40

// seriesAcc accumulates a result.Series.
//
// Each bucket keeps two t-digests (about 14 KB at 100 results a second)
// until it is sealed: seal replaces the digests of the buckets that ended
// long enough ago by their quantiles, so that a live run holds digests for
// a bounded window of time rather than for its whole length. A value that
// comes for a sealed bucket still counts (requests, codes, errors, calls,
// lost, the maximum) but no longer moves its p50 and p99.
type seriesAcc struct {
	origin  time.Time
	width   time.Duration
	buckets []*bucketAcc
	sealed  int // the buckets before this index are sealed
}

type bucketAcc struct {
	b        result.Bucket
	lat, e2e *tdigest.TDigest
}

func newSeriesAcc(origin time.Time, width time.Duration) *seriesAcc {
	return &seriesAcc{origin: origin, width: width}
}

// at returns the bucket of time t (times before the origin fall in the first).
func (s *seriesAcc) at(t time.Time) *bucketAcc {
	i := 0
	if d := t.Sub(s.origin); d > 0 {
		i = min(int(d/s.width), result.MaxSeriesBuckets-1)
	}
	for len(s.buckets) <= i {
		n := len(s.buckets)
		s.buckets = append(s.buckets, &bucketAcc{b: result.Bucket{Offset: result.Duration(time.Duration(n) * s.width)}})
	}
	return s.buckets[i]
}

// isSealed reports whether b is a sealed bucket.
func (s *seriesAcc) isSealed(b *bucketAcc) bool {
	return int(time.Duration(b.b.Offset)/s.width) < s.sealed
}

// addResult adds a result whose Timestamp is its scheduled time and whose
// Latency counts from it (as the collector and the result files have them):
// it counts in the bucket of its scheduled time, and its answer in the
// bucket of the time it came, Timestamp+Latency.
func (s *seriesAcc) addResult(r *vegeta.Result) {
	code := strconv.Itoa(int(r.Code))
	a := s.at(r.Timestamp.Add(r.Latency))
	a.b.Answered++
	if a.b.AnsweredCodes == nil {
		a.b.AnsweredCodes = map[string]uint64{}
	}
	a.b.AnsweredCodes[code]++
	b := s.at(r.Timestamp)
	b.b.Requests++
	if r.Error != "" || r.Code < 200 || r.Code >= 400 {
		b.b.Errors++
	}
	if b.b.Codes == nil {
		b.b.Codes = map[string]uint64{}
	}
	b.b.Codes[code]++
	if b.lat == nil && !s.isSealed(b) {
		b.lat = tdigest.NewWithCompression(seriesCompression)
	}
	if b.lat != nil {
		b.lat.Add(float64(r.Latency), 1)
	}
	b.b.Max = max(b.b.Max, result.Duration(r.Latency))
}

func (s *seriesAcc) addRecord(r *result.Record) {
	b := s.at(r.Scheduled)
	b.b.Calls++
	d, ok := r.Established()
	if !ok {
		if r.Outcome == result.OutcomeLost {
			b.b.Lost++
		}
		return
	}
	if b.e2e == nil && !s.isSealed(b) {
		b.e2e = tdigest.NewWithCompression(seriesCompression)
	}
	if b.e2e != nil {
		b.e2e.Add(float64(d), 1)
	}
}

// quantiles fills the bucket's p50 and p99 from its digests.
func (b *bucketAcc) quantiles() {
	if b.lat != nil {
		b.b.P50, b.b.P99 = result.Duration(b.lat.Quantile(0.5)), result.Duration(b.lat.Quantile(0.99))
	}
	if b.e2e != nil {
		b.b.E2EP50, b.b.E2EP99 = result.Duration(b.e2e.Quantile(0.5)), result.Duration(b.e2e.Quantile(0.99))
	}
}

// seal seals the buckets that ended before: their quantiles are fixed and
// their digests let go.
func (s *seriesAcc) seal(before time.Time) {
	for ; s.sealed < len(s.buckets)-1; s.sealed++ { // the last bucket takes every later time
		b := s.buckets[s.sealed]
		if s.origin.Add(time.Duration(b.b.Offset) + s.width).After(before) {
			return
		}
		b.quantiles()
		b.lat, b.e2e = nil, nil
	}
}

// digests returns how many buckets hold a digest.
func (s *seriesAcc) digests() int {
	n := 0
	for _, b := range s.buckets {
		if b.lat != nil || b.e2e != nil {
			n++
		}
	}
	return n
}

func (s *seriesAcc) series() *result.Series {
	out := &result.Series{Origin: s.origin, Width: result.Duration(s.width), Buckets: make([]result.Bucket, len(s.buckets))}
	for i, b := range s.buckets {
		b.quantiles()
		out.Buckets[i] = b.b
	}
	return out
}
