package loadreport

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/internal/testkit"
	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/report"
)

// golden compares got with testdata/name (testkit.Golden).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), got)
}

// realRun is the merged summary of a real 20 s ramp (20/s to 200/s) with
// hang-ups and a real capacity search, both against the embedded emulator,
// gated by three thresholds (callcheck report --json).
func realRun(t *testing.T) *result.Summary {
	t.Helper()
	data, err := os.ReadFile("testdata/summary-create-capacity.json")
	if err != nil {
		t.Fatal(err)
	}
	var s result.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func d(ms float64) result.Duration {
	return result.Duration(time.Duration(ms * float64(time.Millisecond)))
}

// troubled is a run that went wrong in every way a page must show: a burst
// of 503s and transport errors, lost notifications, breached thresholds, a
// shard that fell behind, and a capacity search that met its objective at
// no rate at all.
func troubled() *result.Summary {
	s := &result.Summary{SchemaVersion: result.SummarySchema, Passed: false,
		Requests: result.RequestStats{Count: 600, Success: 0.9, Errors: 60, OfferedRate: 20, Rate: 18.5, Achieved: 0.925,
			StatusCodes: map[string]uint64{"201": 540, "503": 50, "0": 10}, ErrorSet: []string{"dial tcp: connection refused", "read: `reset` <by peer>"},
			Latency: result.LatencySummary{Min: d(1), Mean: d(40), P50: d(12), P90: d(90), P95: d(150), P99: d(800), P999: d(2000), Max: d(2500)}},
		E2E: &result.E2EStats{Calls: 540, OK: 520, Established: 530, Lost: 10, Latency: result.LatencySummary{P50: d(30), P90: d(120), P99: d(900), Max: d(3000)}},
		Verdicts: []result.Verdict{{Metric: "p99", Expr: "p99<200ms", Actual: "800ms"}, {Metric: "success", Expr: "success>=99.9%", Actual: "90%"},
			{Metric: "e2e.p99", Expr: "e2e.p99<1s", Actual: "900ms", Passed: true}, {Metric: "lost", Expr: "lost==0", Actual: "10"}},
		Runs:  []result.Manifest{{Kind: "create", Shard: result.Shard{Index: 1, Count: 2}, Target: "https://target.test/beta", Pacing: "constant 20/s for 30s", OfferedRate: 10, Achieved: result.Achieved{Rate: 8.5}, Sent: 255, Complete: true, Warnings: []string{"achieved 8.5/s, 85% of the offered 10/s"}}},
		Notes: []string{"host-b/run is incomplete: the run stopped before writing its final manifest"},
	}
	var qs []result.Quantile
	for i, q := range result.DistributionQuantiles() {
		qs = append(qs, result.Quantile{Quantile: q, Value: d(1 + float64(i*i*10))})
	}
	s.Requests.Distribution = qs
	s.E2E.Distribution = qs[:10]
	s.Series = &result.Series{Width: result.Duration(time.Second)}
	for i := 0; i < 30; i++ {
		b := result.Bucket{Offset: result.Duration(time.Duration(i) * time.Second), Requests: 20, Codes: map[string]uint64{"201": 20},
			P50: d(10 + float64(i%5)), P99: d(50 + float64(i*10)), Max: d(80 + float64(i*20)), Calls: 18, E2EP50: d(25), E2EP99: d(100 + float64(i))}
		switch {
		case i == 7: // nothing was scheduled in this second
			b = result.Bucket{Offset: b.Offset}
		case i >= 15 && i < 20: // the target failed for five seconds
			b.Codes = map[string]uint64{"201": 8, "503": 10, "0": 2}
			b.Errors, b.Lost = 12, 2
		}
		b.Answered, b.AnsweredCodes = b.Requests, b.Codes // answered in the second they were due
		s.Series.Buckets = append(s.Series.Buckets, b)
	}
	fail := []result.Verdict{{Metric: "p99", Expr: "p99<5ms", Actual: "12ms"}}
	s.Capacity = []*result.CapacityResult{{SchemaVersion: result.CapacitySchema, Target: "https://target.test/beta", Objective: "p99<5ms,success>=99.9%",
		MinAchieved: 0.95, StepDuration: result.Duration(10 * time.Second), Stabilize: result.Duration(2 * time.Second), Stopped: "bounds within 1/s",
		Points: []result.CurvePoint{{Phase: "step", Offered: 50, Achieved: 50, Requests: 500, P50: d(3), P99: d(12), Verdicts: fail},
			{Phase: "bisect", Offered: 25, Achieved: 25, Requests: 250, P50: d(2), P99: d(9), Verdicts: fail},
			{Phase: "bisect", Offered: 12.5, Achieved: 0, Error: "connection refused"}},
		Conclusion: "Does not meet p99<5ms,success>=99.9% even at the lowest rate tried, 12.5/s."}}
	s.Capacity[0].FirstFailure = &s.Capacity[0].Points[2]
	return s
}

func page(sum *result.Summary) *report.Page {
	return &report.Page{Harness: "callcheck test", Generated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Sections: []report.Section{Section(sum)}}
}

func render(t *testing.T, sum *result.Summary) (md, html string) {
	t.Helper()
	var m, h bytes.Buffer
	p := page(sum)
	if err := p.WriteMarkdown(&m); err != nil {
		t.Fatal(err)
	}
	if err := p.WriteHTML(&h); err != nil {
		t.Fatal(err)
	}
	return m.String(), h.String()
}

func capacityOnly(t *testing.T) *result.Summary {
	s := realRun(t)
	return &result.Summary{SchemaVersion: result.SummarySchema, Capacity: s.Capacity, Passed: true}
}

func TestLoadGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		sum  func(*testing.T) *result.Summary
	}{
		{"load-real", realRun}, // a real ramp and capacity search, thresholds held
		{"load-troubled", func(*testing.T) *result.Summary { return troubled() }}, // errors, lost calls, breaches, no knee
		{"capacity-only", capacityOnly},                                           // a capacity search alone: no requests section
	} {
		t.Run(tc.name, func(t *testing.T) {
			md, html := render(t, tc.sum(t))
			golden(t, tc.name+".md.golden", []byte(md))
			golden(t, tc.name+".html.golden", []byte(html))
		})
	}
}

func TestLoadPageShowsEveryChart(t *testing.T) {
	_, html := render(t, troubled())
	for _, id := range []string{"latency", "distribution", "codes", "e2e", "outcomes", "cap1-rate", "cap1-latency"} {
		if !strings.Contains(html, `<svg class="chart" id="s1-load-`+id+`"`) {
			t.Errorf("no %s chart", id)
		}
	}
	for _, want := range []string{
		"THRESHOLDS BREACHED", "3 of 4 thresholds breached: p99&lt;200ms (actual 800ms)",
		"no response (transport error)",                                // code 0 in words
		"shard 1/2: achieved 8.5/s, 85% of the offered 10/s",           // a shard's warning
		"Does not meet p99&lt;5ms",                                     // the capacity conclusion
		"No rate met the objective; the lowest tried, 12.5/s, failed.", // the chart's description
		"read: `reset` &lt;by peer&gt;",                                // the error set, escaped
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestLoadMarkdown(t *testing.T) {
	md, _ := render(t, realRun(t))
	for _, want := range []string{
		"## ✅ Load: thresholds held",
		"| 2,200 | 110/s | 110/s | 100% |",
		"Sustains 1600/s at p99&lt;25ms,success&gt;=99.9%",
		"| 1600/s | 1601/s |",
		"✅ **knee**",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	md, _ = render(t, capacityOnly(t))
	if !strings.HasPrefix(md, "## ⏭️ Capacity: measured") || strings.Contains(md, "| requests |") {
		t.Errorf("a capacity search alone:\n%s", md)
	}
}

func TestOutcome(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    result.Summary
		want report.Verdict
	}{
		{"no thresholds", result.Summary{Passed: true}, report.Skipped},                                            // measured, not gated
		{"held", result.Summary{Passed: true, Verdicts: []result.Verdict{{Passed: true}}}, report.Passed},          // every threshold held
		{"breached", result.Summary{Passed: false, Verdicts: []result.Verdict{{Passed: true}, {}}}, report.Failed}, // one breached
	} {
		if got := Section(&tc.s).Outcome(); got != tc.want {
			t.Errorf("%s: Outcome = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSparkline(t *testing.T) {
	for _, tc := range []struct {
		in    []float64
		width int
		want  string
	}{
		{nil, 10, ""},                           // no data
		{[]float64{1, 1, 1}, 10, "▁▁▁"},         // flat
		{[]float64{0, 7, 14}, 10, "▁▄█"},        // low, middle, high
		{[]float64{0, 5, 1, 1, 9, 2}, 3, "▄▁█"}, // merged two by two, by their maximum
	} {
		if got := sparkline(tc.in, tc.width); got != tc.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

func TestFormats(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 0.85: "850 µs", 3.842: "3.84 ms", 1090: "1.09 s", 25000: "25 s"} {
		if got := msLabel(in); got != want {
			t.Errorf("msLabel(%v) = %q, want %q", in, got, want)
		}
	}
	if got := count(1234567); got != "1,234,567" {
		t.Errorf("count = %s", got)
	}
	if got := percent(0.99951); got != "99.951%" {
		t.Errorf("percent = %s", got)
	}
}

// BenchmarkLoadPage renders the page of a real run (a 20 s ramp with 20
// buckets and a capacity search of 9 steps) as HTML and as Markdown.
func BenchmarkLoadPage(b *testing.B) {
	data, err := os.ReadFile("testdata/summary-create-capacity.json")
	if err != nil {
		b.Fatal(err)
	}
	var s result.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		b.Fatal(err)
	}
	p := page(&s)
	b.Run("html", func(b *testing.B) {
		for b.Loop() {
			if err := p.WriteHTML(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("markdown", func(b *testing.B) {
		for b.Loop() {
			if err := p.WriteMarkdown(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLongRunPage renders a run as long as a series gets: 1200
// buckets (MaxSeriesBuckets), the worst case of the charts and data tables.
func BenchmarkLongRunPage(b *testing.B) {
	s := troubled()
	for len(s.Series.Buckets) < result.MaxSeriesBuckets {
		bk := s.Series.Buckets[len(s.Series.Buckets)%30]
		bk.Offset = result.Duration(time.Duration(len(s.Series.Buckets)) * time.Second)
		s.Series.Buckets = append(s.Series.Buckets, bk)
	}
	p := page(s)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := p.WriteHTML(&buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// TestOddSummariesRender: summaries a merge does not make, but a file
// edited by hand or a future version could hold, render or fail with an
// error, never a panic.
func TestOddSummariesRender(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    *result.Summary
	}{
		{"empty", &result.Summary{}}, // nothing measured
		{"requests without a series", &result.Summary{Requests: result.RequestStats{Count: 3, StatusCodes: map[string]uint64{"201": 3}}}}, // no buckets
		{"empty series", &result.Summary{Requests: result.RequestStats{Count: 1}, Series: &result.Series{Width: result.Duration(time.Second)}}},
		{"e2e without calls", &result.Summary{Requests: result.RequestStats{Count: 1}, E2E: &result.E2EStats{}}},
		{"capacity without points", &result.Summary{Capacity: []*result.CapacityResult{{Objective: "p99<1ms"}}}},
		{"capacity of failed steps", &result.Summary{Capacity: []*result.CapacityResult{{Objective: "nonsense", Points: []result.CurvePoint{{Offered: 10, Error: "refused"}}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			md, html := render(t, tc.s)
			if !strings.Contains(md, "## ") || !strings.Contains(html, "</html>") {
				t.Errorf("incomplete output:\n%s", md)
			}
		})
	}
	var b bytes.Buffer
	if err := page(nil).WriteHTML(&b); err == nil || !strings.Contains(err.Error(), "no load summary") {
		t.Errorf("a nil summary: %v", err)
	}
}

// TestNotificationsShown: the notifications accounted for by kind are in
// the Markdown and the HTML, each kind's counts and their total.
func TestNotificationsShown(t *testing.T) {
	sum := troubled()
	sum.E2E.Notifications = result.NotificationTally{
		result.KindEstablished: {Expected: 540, Arrived: 530, Lost: 10, Duplicates: 7},
		result.KindTerminated:  {Expected: 530, Arrived: 480, Late: 5, Lost: 45, Duplicates: 3, Unexpected: 1},
	}
	md, html := render(t, sum)
	for _, want := range []string{"| terminated | 530 | 480 | 5 | 45 | 3 | 1 |", "| all | 1,070 | 1,010 | 5 | 55 | 10 | 1 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	for _, want := range []string{`<th scope="row">terminated</th><td class="num">530</td><td class="num">480</td><td class="num">5</td><td class="num">45</td>`, `<th scope="row">all</th>`} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}
