package load

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/load/result"
)

// TestCapacitySearchOnAModel: the search steps up from --start, bisects
// and names the criterion that failed first, on a model of a target that
// refuses what it receives above 300/s. The model answers every step the
// same way on any machine, so the exact curve can be asserted.
func TestCapacitySearchOnAModel(t *testing.T) {
	cc := NewCapacityConfig(NewConfig())
	cc.SLO, _ = result.ParseThresholds("success>=99%,p99<1s")
	cc.Start, cc.Max, cc.Precision, cc.MaxSteps = 100, 1000, 0.2, 6
	s := &search{cfg: cc, res: &result.CapacityResult{Objective: result.FormatThresholds(cc.SLO)}}
	s.measure = func(_ context.Context, rate float64) (*result.Summary, error) {
		success := min(1, 300/rate)
		return &result.Summary{Requests: result.RequestStats{Count: uint64(rate), Success: success, Rate: rate, OfferedRate: rate,
			Achieved: 1, Latency: result.LatencySummary{P99: result.Duration(5 * time.Millisecond)}}}, nil
	}
	if err := s.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	conclude(s.res)
	var offered []float64
	for _, p := range s.res.Points {
		offered = append(offered, p.Offered)
	}
	// Step up ×2 from 100/s until 400/s fails, then bisect 200..400.
	if want := []float64{100, 200, 400, 300, 350}; !slices.Equal(offered, want) {
		t.Errorf("offered rates %v, want %v", offered, want)
	}
	if s.res.Capacity != 300 || !slices.Equal(s.res.FailedFirst, []result.Criterion{result.CriterionSuccess}) ||
		!strings.Contains(s.res.Conclusion, "the success objective fails first") {
		t.Errorf("capacity %v, failed first %v, conclusion %q; want 300, success", s.res.Capacity, s.res.FailedFirst, s.res.Conclusion)
	}
}

// TestCapacityFindsTheThrottle: an emulator that throttles above 50
// requests per second (429) has a capacity between 20/s and 80/s under a
// success objective, and success is among what failed first. The steps
// are short and real; the exact search is TestCapacitySearchOnAModel's.
func TestCapacityFindsTheThrottle(t *testing.T) {
	emb := startEmulator(t, func(c *emulator.Config) { c.Faults.Throttle = emulator.Throttle{Rate: 50, Burst: 5} })
	run := NewConfig()
	run.Target, run.Receiver, run.E2E = emb.Target, emb.Receiver, false
	cc := NewCapacityConfig(run)
	// The objective is success alone: under -race and busy loops a 100/s
	// step of a starved generator measured p99 3.3 s, which says nothing
	// about the throttle this test is about.
	cc.SLO, _ = result.ParseThresholds("success>=99%")
	cc.Start, cc.Max, cc.Precision, cc.MaxSteps = 20, 200, 0.2, 6
	cc.StepDuration, cc.Stabilize = MinStepDuration, 200*time.Millisecond
	// The throttle is low (50/s) so that a starved generator still offers
	// rates above it: at 300/s one sent 138/s of 200/s, under the throttle,
	// and 400/s "held". A step that cannot send 80% of its rate fails on
	// the achieved rate, never passes.
	cc.MinAchieved = 0.8
	cc.Out = t.TempDir()
	res, err := Capacity(context.Background(), cc)
	if err != nil {
		t.Fatal(err)
	}
	if res.Capacity < 20 || res.Capacity >= 80 || res.Knee == nil {
		t.Fatalf("capacity %v, want 20 to 80 (throttle at 50/s); curve %+v", res.Capacity, res.Points)
	}
	if !slices.Contains(res.FailedFirst, result.CriterionSuccess) || !strings.Contains(res.Conclusion, "the success objective") {
		t.Errorf("failed first %v, conclusion %q; want success", res.FailedFirst, res.Conclusion)
	}
	if res.Points[0].Phase != "step" || res.Points[0].Offered != 20 || res.Points[1].Offered != 40 {
		t.Errorf("the search does not step up from --start: %+v", res.Points[:2])
	}
	if _, err := os.Stat(filepath.Join(cc.Out, result.CapacityFile)); err != nil {
		t.Fatal(err)
	}
	s, err := Merge(cc.Out)
	if err != nil || len(s.Capacity) != 1 || s.Capacity[0].Capacity != res.Capacity {
		t.Fatalf("merging the capacity result: %v, %+v", err, s)
	}
}

func TestCapacityConclusion(t *testing.T) {
	pass := func(rate float64) result.CurvePoint {
		return result.CurvePoint{Offered: rate, Achieved: rate, P99: result.Duration(5 * time.Millisecond), Passed: true}
	}
	fail := func(rate float64, metrics ...result.Metric) result.CurvePoint {
		p := result.CurvePoint{Offered: rate, Achieved: rate}
		for _, m := range metrics {
			p.Verdicts = append(p.Verdicts, result.Verdict{Metric: m, Expr: string(m) + "<x", Actual: "y"})
		}
		return p
	}
	for _, tc := range []struct {
		name     string
		points   []result.CurvePoint
		capacity float64
		first    []result.Criterion
		words    string
	}{
		{"nothing measured", nil, 0, nil, "No step completed"},
		{"every step passed", []result.CurvePoint{pass(100), pass(200)}, 200, nil, "Sustains at least 200/s"},
		{"the first step failed", []result.CurvePoint{fail(100, result.MetricLost)}, 0, []result.Criterion{result.CriterionLost}, "even at the lowest rate tried, 100/s"},
		{"latency fails first, below a later success failure",
			[]result.CurvePoint{pass(100), fail(400, result.MetricSuccess), fail(300, result.MetricP99), pass(250)}, 250,
			[]result.Criterion{result.CriterionLatency}, "Sustains 250/s at p99<10ms (p99 5ms, achieved 250.0/s); beyond that, at 300/s, the latency objective fails first"},
		{"several criteria at once, in a fixed order",
			[]result.CurvePoint{pass(10), fail(20, result.MetricAchieved, result.MetricE2EP99, result.MetricErrors)}, 10,
			[]result.Criterion{result.CriterionE2ELatency, result.CriterionSuccess, result.CriterionAchievedRate}, "the end-to-end latency objective and the success objective and the achieved rate"},
		// 400/s held once after 300/s failed: noise, not capacity.
		{"a step that held above a failure is not the capacity",
			[]result.CurvePoint{pass(100), pass(200), fail(300, result.MetricSuccess), pass(400)}, 200,
			[]result.Criterion{result.CriterionSuccess}, "Sustains 200/s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &result.CapacityResult{Objective: "p99<10ms", Points: tc.points}
			conclude(r)
			if r.Capacity != tc.capacity || !slices.Equal(r.FailedFirst, tc.first) || !strings.Contains(r.Conclusion, tc.words) {
				t.Errorf("capacity %v, failed first %v, conclusion %q; want %v, %v, %q", r.Capacity, r.FailedFirst, r.Conclusion, tc.capacity, tc.first, tc.words)
			}
		})
	}
}

func TestCapacityConfigValidate(t *testing.T) {
	slo, _ := result.ParseThresholds("p99<1s")
	for _, tc := range []struct {
		mutate func(*CapacityConfig)
		flag   string
	}{
		{func(c *CapacityConfig) { c.SLO = nil }, "--slo"},
		{func(c *CapacityConfig) { c.Start = 0 }, "--start"},
		{func(c *CapacityConfig) { c.Max = c.Start / 2 }, "--max"},
		{func(c *CapacityConfig) { c.Factor = 1 }, "--factor"},
		{func(c *CapacityConfig) { c.Precision = 0 }, "--precision"},
		{func(c *CapacityConfig) { c.MaxSteps = 0 }, "--max-steps"},
		{func(c *CapacityConfig) { c.StepDuration = 0 }, "--step-duration"},
		{func(c *CapacityConfig) { c.StepDuration = 300 * time.Millisecond }, "--step-duration 300ms is too short"},
		{func(c *CapacityConfig) { c.Stabilize = -time.Second }, "--stabilize"},
		{func(c *CapacityConfig) { c.MinAchieved = 1.5 }, "--min-achieved"},
	} {
		c := NewCapacityConfig(NewConfig())
		c.SLO = slo
		tc.mutate(&c)
		if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), tc.flag) {
			t.Errorf("Validate() = %v, want an error naming %s", err, tc.flag)
		}
	}
}

// TestAchievedNeverAboveOffered: a generator that stalled and then sent its
// hits in a burst achieved the schedule's rate at most, never more (the
// burst's own rate was 10 times the offered one).
func TestAchievedNeverAboveOffered(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &collector{}
	for i := range 100 { // 100/s for a second, all sent in the last 100 ms
		due := start.Add(time.Duration(i) * 10 * time.Millisecond)
		c.noteSend(due, start.Add(900*time.Millisecond+time.Duration(i)*time.Millisecond))
	}
	a := c.achieved()
	if offered := 100.0; a.Rate > offered || a.Rate < 99 || a.Ratio != 1 {
		t.Errorf("achieved %.1f/s (ratio %.2f) after a burst; want the offered %.0f/s at most, ratio 1", a.Rate, a.Ratio, offered)
	}
	slow := &collector{}
	for i := range 100 { // due over a second, sent over two
		due := start.Add(time.Duration(i) * 10 * time.Millisecond)
		slow.noteSend(due, start.Add(time.Duration(i)*20*time.Millisecond))
	}
	if a := slow.achieved(); a.Rate > 51 || a.Ratio > 0.51 {
		t.Errorf("a generator sending at half the rate achieved %.1f/s (ratio %.2f); want 50/s, 0.5", a.Rate, a.Ratio)
	}
}

// TestStepWorkers: a step's workers are capped at StepConcurrencyFactor
// times what its latency objective needs in flight (Little's law), by the
// attack's timeout without one, and by --max-workers when lower.
func TestStepWorkers(t *testing.T) {
	slo, err := result.ParseThresholds("p99<100ms,success>=99.9%,e2e.p99<5s")
	if err != nil {
		t.Fatal(err)
	}
	o := DefaultAttackOptions()
	for _, tc := range []struct {
		name string
		rate float64
		slo  []result.Threshold
		max  uint64
		want uint64
	}{
		{"p99 bounds the requests in flight", 1000, slo, 0, 2*100 + MinStepWorkers},
		{"a lower --max-workers is kept", 1000, slo, 100, 100},
		{"a higher --max-workers is not", 1000, slo, 100000, 2*100 + MinStepWorkers},
		{"no latency objective: the timeout", 10, slo[1:2], 0, 2*10*30 + MinStepWorkers},
	} {
		o.MaxWorkers = tc.max
		if got := stepWorkers(tc.rate, tc.slo, o); got != tc.want {
			t.Errorf("%s: got %d workers, want %d", tc.name, got, tc.want)
		}
	}
}
