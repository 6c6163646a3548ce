package loadreport

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/report/chart"
)

// figure is a drawn chart with its data table.
type figure struct {
	ID, Title, Desc string
	SVG, Table      template.HTML
}

// draw renders c; both parts are escaped by the chart package.
func draw(c *chart.Chart) (figure, error) {
	svg, err := c.SVG()
	if err != nil {
		return figure{}, err
	}
	return figure{ID: c.ID, Title: c.Title, Desc: c.Desc, SVG: template.HTML(svg), Table: template.HTML(c.Table())}, nil
}

// timeAxis is the x axis of the charts over time: seconds since the start.
func timeAxis() chart.Axis { return chart.Axis{Label: "time since start (s)", Format: seconds} }

// latencyAxis is a latency y axis in milliseconds.
func latencyAxis(scale chart.Scale) chart.Axis {
	return chart.Axis{Label: "latency", Scale: scale, Format: msLabel}
}

// bucketX is a bucket's x: the middle of its interval, in seconds.
func bucketX(s *result.Series, b *result.Bucket) float64 {
	return (float64(b.Offset) + float64(s.Width)/2) / 1e9
}

// latencyOverTime draws the requests' p50, p99 and max per bucket; buckets
// without requests leave gaps. Latency thresholds are drawn as rules.
func latencyOverTime(id string, s *result.Series, ts []result.Verdict) *chart.Chart {
	var p50, p99, mx []chart.Point
	worst, at, highest := 0.0, 0.0, 0.0
	for i := range s.Buckets {
		b := &s.Buckets[i]
		x := bucketX(s, b)
		if b.Requests == 0 {
			p50, p99, mx = append(p50, gap(x)), append(p99, gap(x)), append(mx, gap(x))
			continue
		}
		p50 = append(p50, chart.Point{X: x, Y: ms(b.P50)})
		p99 = append(p99, chart.Point{X: x, Y: ms(b.P99)})
		mx = append(mx, chart.Point{X: x, Y: ms(b.Max)})
		highest = max(highest, ms(b.Max))
		if ms(b.P99) > worst {
			worst, at = ms(b.P99), x
		}
	}
	rules, off := latencyRules(ts, "", highest)
	return &chart.Chart{ID: id, Title: "Request latency over time",
		Desc: fmt.Sprintf("p50, p99 and the maximum of the create requests' latency (from the scheduled send time) in %s buckets; the worst p99, %s, is at %s.%s",
			dur(s.Width), msLabel(worst), seconds(at), off),
		X: timeAxis(), Y: latencyAxis(chart.Linear),
		Series: []chart.Series{{Name: "p50", Points: p50, Class: "s1"}, {Name: "p99", Points: p99, Class: "s2"},
			{Name: "max", Points: mx, Class: "s7", Style: "dotted"}},
		Rules: rules}
}

func gap(x float64) chart.Point { return chart.Point{X: x, Y: math.NaN()} }

// latencyRules turns the latency thresholds of a prefix ("" for requests,
// "e2e.") into horizontal rules, red when breached. A limit more than
// twice the highest value drawn would squash the data to the axis: it is
// left off the chart and named in the returned sentence instead.
func latencyRules(vs []result.Verdict, prefix string, highest float64) ([]chart.Rule, string) {
	var out []chart.Rule
	var off []string
	for _, v := range vs {
		t, ok := thresholdOf(v)
		if !ok || !v.Metric.IsDuration() || !hasPrefix(v.Metric, prefix) {
			continue
		}
		limit := t.Limit() / 1e6
		if limit > 2*highest {
			off = append(off, v.Expr)
			continue
		}
		class := "ok"
		if !v.Passed {
			class = "bad"
		}
		out = append(out, chart.Rule{Horizontal: true, Value: limit, Label: "threshold " + v.Expr, Class: class})
	}
	if len(off) == 0 {
		return out, ""
	}
	return out, fmt.Sprintf(" Far below the threshold %s (off the chart).", strings.Join(off, ", "))
}

// hasPrefix reports whether m is a latency of that family: "" is the
// requests' own (p99, max…), "e2e." the end-to-end ones.
func hasPrefix(m result.Metric, prefix string) bool {
	s := string(m)
	if prefix == "" {
		return len(s) < 4 || (s[:4] != "e2e." && (len(s) < 7 || s[:7] != "roster."))
	}
	return len(s) > len(prefix) && s[:len(prefix)] == prefix
}

// thresholdOf parses a verdict's threshold back (its parsed form is not in
// the JSON of a summary).
func thresholdOf(v result.Verdict) (result.Threshold, bool) {
	if v.Threshold.Metric != "" {
		return v.Threshold, true
	}
	ts, err := result.ParseThresholds(v.Expr)
	if err != nil || len(ts) != 1 {
		return result.Threshold{}, false
	}
	return ts[0], true
}

// distribution draws latency against HdrHistogram's percentile axis, for
// the requests and, when measured, end to end. The maximum (quantile 1)
// has no place on that axis: it is drawn as a rule.
func distribution(id string, sum *result.Summary) *chart.Chart {
	c := &chart.Chart{ID: id, Title: "Latency distribution by percentile",
		X: chart.Axis{Label: "percentile", Scale: chart.Percentile, Format: chart.PercentLabel}}
	positive := true
	add := func(name, class string, qs []result.Quantile) {
		var pts []chart.Point
		for _, q := range qs {
			if q.Quantile < 1 {
				pts = append(pts, chart.Point{X: q.Quantile, Y: ms(q.Value)})
				positive = positive && q.Value > 0
			}
		}
		c.Series = append(c.Series, chart.Series{Name: name, Points: pts, Class: class, Dots: true})
	}
	add("create requests", "s1", sum.Requests.Distribution)
	c.Rules = append(c.Rules, chart.Rule{Horizontal: true, Value: ms(sum.Requests.Latency.Max), Label: "requests' max " + dur(sum.Requests.Latency.Max), Class: "note"})
	desc := fmt.Sprintf("Requests: p50 %s, p99 %s, p99.9 %s, max %s", dur(sum.Requests.Latency.P50), dur(sum.Requests.Latency.P99),
		dur(sum.Requests.Latency.P999), dur(sum.Requests.Latency.Max))
	if e := sum.E2E; e != nil && len(e.Distribution) > 0 {
		add("end to end (established)", "s2", e.Distribution)
		desc += fmt.Sprintf("; end to end: p50 %s, p99 %s, max %s", dur(e.Latency.P50), dur(e.Latency.P99), dur(e.Latency.Max))
	}
	c.Desc = desc + ". Each step right halves the distance to 100%, as HdrHistogram plots do."
	c.Y = latencyAxis(chart.Linear)
	if positive {
		c.Y = latencyAxis(chart.Log)
	}
	return c
}

// codeClass colours a status code: 2xx green, 3xx blue, 4xx orange, 5xx
// red, 0 (no response) black.
func codeClass(code string) string {
	n, _ := strconv.Atoi(code)
	switch {
	case n >= 200 && n < 300:
		return "ok"
	case n >= 300 && n < 400:
		return "s6"
	case n >= 400 && n < 500:
		return "s5"
	case n >= 500:
		return "bad"
	}
	return "s7"
}

// codeName names a code in a legend: "0" is no response at all.
func codeName(code string) string {
	if code == "0" {
		return "no response (transport error)"
	}
	return code
}

// statusCodes draws responses per second by status code, stacked, by the
// time each response came (Bucket.AnsweredCodes): a generator that stalled
// and then sent its backlog in a burst shows as a gap and a spike, which
// the same requests counted by their scheduled time would hide behind a
// steady rate. A series written before answer times were kept is drawn by
// scheduled time, and says so.
func statusCodes(id string, s *result.Series) *chart.Chart {
	answered := false
	for i := range s.Buckets {
		answered = answered || s.Buckets[i].Answered > 0
	}
	codesOf := func(b *result.Bucket) map[string]uint64 {
		if answered {
			return b.AnsweredCodes
		}
		return b.Codes
	}
	seen := map[string]uint64{}
	for i := range s.Buckets {
		for c, n := range codesOf(&s.Buckets[i]) {
			seen[c] += n
		}
	}
	codes := sortedCodes(seen)
	width := float64(s.Width) / 1e9
	var series []chart.Series
	var errors uint64
	for _, code := range codes {
		sr := chart.Series{Name: codeName(code), Class: codeClass(code)}
		for i := range s.Buckets {
			b := &s.Buckets[i]
			sr.Points = append(sr.Points, chart.Point{X: bucketX(s, b), Y: float64(codesOf(b)[code]) / width})
		}
		series = append(series, sr)
	}
	for _, b := range s.Buckets {
		errors += b.Errors
	}
	by := "by the time each response came (a stalled load generator's catch-up burst shows as a gap and a spike)"
	if !answered {
		by = "by each request's scheduled send time (this run kept no answer times: a stalled load generator's late burst looks like a steady rate)"
	}
	return &chart.Chart{ID: id, Title: "Status codes and errors over time", Stacked: true,
		Desc: fmt.Sprintf("Responses per second by status code, stacked, %s; %s failed in all (codes other than 2xx and 3xx, and requests without a response).", by, count(errors)),
		X:    timeAxis(), Y: chart.Axis{Label: "responses per second"}, Series: series}
}

// e2eOverTime draws the end-to-end latency per bucket, with the e2e thresholds.
func e2eOverTime(id string, s *result.Series, vs []result.Verdict) *chart.Chart {
	var p50, p99 []chart.Point
	var lost uint64
	highest := 0.0
	for i := range s.Buckets {
		b := &s.Buckets[i]
		x := bucketX(s, b)
		lost += b.Lost
		if b.Calls == b.Lost {
			p50, p99 = append(p50, gap(x)), append(p99, gap(x))
			continue
		}
		p50 = append(p50, chart.Point{X: x, Y: ms(b.E2EP50)})
		p99 = append(p99, chart.Point{X: x, Y: ms(b.E2EP99)})
		highest = max(highest, ms(b.E2EP99))
	}
	rules, off := latencyRules(vs, "e2e.", highest)
	return &chart.Chart{ID: id, Title: "End-to-end notification latency over time",
		Desc: fmt.Sprintf("From each create request's scheduled send time to its established notification arriving at callcheck's receiver, p50 and p99 per bucket; %s lost (never established).%s", plural(int(lost), "call", "calls"), off),
		X:    timeAxis(), Y: latencyAxis(chart.Linear),
		Series: []chart.Series{{Name: "e2e p50", Points: p50, Class: "s1"}, {Name: "e2e p99", Points: p99, Class: "s2"}},
		Rules:  rules}
}

// callOutcomes draws calls per second, established or lost, stacked.
func callOutcomes(id string, s *result.Series) *chart.Chart {
	width := float64(s.Width) / 1e9
	est := chart.Series{Name: "established", Class: "ok"}
	lost := chart.Series{Name: "lost", Class: "bad"}
	for i := range s.Buckets {
		b := &s.Buckets[i]
		x := bucketX(s, b)
		est.Points = append(est.Points, chart.Point{X: x, Y: float64(b.Calls-b.Lost) / width})
		lost.Points = append(lost.Points, chart.Point{X: x, Y: float64(b.Lost) / width})
	}
	return &chart.Chart{ID: id, Title: "Calls established and lost over time", Stacked: true,
		Desc: "Calls created per second, by whether their established notification arrived.",
		X:    timeAxis(), Y: chart.Axis{Label: "calls per second"}, Series: []chart.Series{est, lost}}
}
