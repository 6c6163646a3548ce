package load

import (
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
