package load

import (
	"runtime"

	"github.com/callcheck/callcheck/load/result"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestSeriesCountsAnswersWhenTheyCame: a result counts in the bucket of
// its scheduled time, and its answer in the bucket of the time it came
// (scheduled time plus the latency counted from it), so a backlog sent in a
// burst is seen where it happened.
func TestSeriesCountsAnswersWhenTheyCame(t *testing.T) {
	origin := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := newSeriesAcc(origin, time.Second)
	for i := range 4 { // due at 0, 1, 2 and 3 s, all answered at 3.5 s
		due := origin.Add(time.Duration(i) * time.Second)
		s.addResult(&vegeta.Result{Timestamp: due, Latency: origin.Add(3500 * time.Millisecond).Sub(due), Code: 201})
	}
	got := s.series()
	if len(got.Buckets) != 4 {
		t.Fatalf("buckets: got %d, want 4", len(got.Buckets))
	}
	for i, b := range got.Buckets {
		wantAnswered := uint64(0)
		if i == 3 {
			wantAnswered = 4
		}
		if b.Requests != 1 || b.Codes["201"] != 1 || b.Answered != wantAnswered || b.AnsweredCodes["201"] != wantAnswered {
			t.Errorf("bucket %d: requests %d codes %v answered %d %v; want 1 scheduled, %d answered", i, b.Requests, b.Codes, b.Answered, b.AnsweredCodes, wantAnswered)
		}
	}
}

// TestSeriesHoldsDigestsForAWindow: a live run seals the buckets behind a
// horizon, so the digests it holds stay bounded however long it runs, and
// sealing changes no figure of a bucket whose values were all in.
func TestSeriesHoldsDigestsForAWindow(t *testing.T) {
	origin := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	const horizon = 30 * time.Second
	live, whole := newSeriesAcc(origin, time.Second), newSeriesAcc(origin, time.Second)
	most := 0
	for sec := range 600 {
		for i := range 100 { // 100 calls a second, answered within 40 ms, established within 200 ms
			due := origin.Add(time.Duration(sec)*time.Second + time.Duration(i)*10*time.Millisecond)
			res := &vegeta.Result{Timestamp: due, Latency: time.Duration(1+(sec*7+i)%40) * time.Millisecond, Code: 201}
			rec := &result.Record{Scheduled: due, EstablishedNs: int64(time.Duration(1+(sec*3+i)%200) * time.Millisecond), Outcome: result.OutcomeOK}
			for _, s := range []*seriesAcc{live, whole} {
				s.addResult(res)
				s.addRecord(rec)
			}
		}
		live.seal(origin.Add(time.Duration(sec+1)*time.Second - horizon))
		most = max(most, live.digests())
	}
	if limit := int(horizon/time.Second) + 2; most > limit {
		t.Errorf("a live series held digests for %d buckets at once; want at most %d (the horizon's)", most, limit)
	}
	got, want := live.series(), whole.series()
	if len(got.Buckets) != len(want.Buckets) {
		t.Fatalf("buckets: got %d, want %d", len(got.Buckets), len(want.Buckets))
	}
	for i := range want.Buckets {
		g, w := got.Buckets[i], want.Buckets[i]
		if g.P50 != w.P50 || g.P99 != w.P99 || g.E2EP50 != w.E2EP50 || g.E2EP99 != w.E2EP99 || g.Requests != w.Requests || g.Max != w.Max {
			t.Fatalf("bucket %d sealed differs: got %+v, want %+v", i, g, w)
		}
	}
}

// BenchmarkSeriesLiveRun reports the heap a live run's series holds after
// ten minutes at 100 calls a second, sealed as a run seals it
// (B/series): bounded by the horizon rather than by the run's length.
func BenchmarkSeriesLiveRun(b *testing.B) {
	origin := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var held uint64
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s := newSeriesAcc(origin, time.Second)
		for sec := range 600 {
			for i := range 100 {
				due := origin.Add(time.Duration(sec)*time.Second + time.Duration(i)*10*time.Millisecond)
				s.addResult(&vegeta.Result{Timestamp: due, Latency: time.Duration(1+i%40) * time.Millisecond, Code: 201})
				s.addRecord(&result.Record{Scheduled: due, EstablishedNs: int64(time.Duration(1+i%200) * time.Millisecond), Outcome: result.OutcomeOK})
			}
			s.seal(origin.Add(time.Duration(sec+1)*time.Second - 2*time.Minute - 50*time.Second))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		held = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(s)
	}
	b.ReportMetric(float64(held), "B/series")
}
