package loadreport

import (
	"fmt"
	"sort"

	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/report/chart"
)

// sortedPoints returns a capacity search's points by offered rate (the
// search runs them out of order: steps up, then bisection).
func sortedPoints(c *result.CapacityResult) []result.CurvePoint {
	pts := append([]result.CurvePoint(nil), c.Points...)
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].Offered < pts[j].Offered })
	return pts
}

// rateAxis is an axis of hits per second.
func rateAxis(label string) chart.Axis { return chart.Axis{Label: label, Format: chart.Number} }

// capacityMarks are the knee (the capacity) and the first failure, on a
// chart whose y value of a point is y.
func capacityMarks(c *result.CapacityResult, y func(*result.CurvePoint) float64) ([]chart.Rule, []chart.Marker) {
	var rules []chart.Rule
	var marks []chart.Marker
	if c.Knee != nil {
		rules = append(rules, chart.Rule{Value: c.Knee.Offered, Label: "capacity " + rate(c.Capacity), Class: "ok"})
		marks = append(marks, chart.Marker{X: c.Knee.Offered, Y: y(c.Knee), Label: "knee", Class: "ok"})
	}
	if f := c.FirstFailure; f != nil {
		marks = append(marks, chart.Marker{X: f.Offered, Y: y(f), Label: "first failure", Class: "bad"})
	}
	return rules, marks
}

// offeredAchieved draws the achieved rate against the offered one, with the
// ideal (achieved = offered) dotted: where the curve leaves it, the target
// (or the generator) could not take the rate.
func offeredAchieved(id string, c *result.CapacityResult) *chart.Chart {
	pts := sortedPoints(c)
	got := chart.Series{Name: "achieved", Class: "s1", Dots: true}
	ideal := chart.Series{Name: "offered (ideal)", Class: "note", Style: "dotted"}
	for _, p := range pts {
		got.Points = append(got.Points, chart.Point{X: p.Offered, Y: p.Achieved})
		ideal.Points = append(ideal.Points, chart.Point{X: p.Offered, Y: p.Offered})
	}
	rules, marks := capacityMarks(c, func(p *result.CurvePoint) float64 { return p.Achieved })
	return &chart.Chart{ID: id, Title: "Offered vs achieved rate",
		Desc: fmt.Sprintf("The rate each step sent against the rate it offered, %s; the dotted line is the ideal, achieved = offered. %s",
			plural(len(pts), "step", "steps"), kneeWords(c)),
		X: rateAxis("offered rate (calls/s)"), Y: rateAxis("achieved rate (calls/s)"),
		Series: []chart.Series{ideal, got}, Rules: rules, Markers: marks}
}

// latencyCurve draws p50 and p99 (and end-to-end p99 when measured)
// against the offered rate, with the objective's latency limits.
func latencyCurve(id string, c *result.CapacityResult) *chart.Chart {
	pts := sortedPoints(c)
	p50 := chart.Series{Name: "p50", Class: "s1", Dots: true}
	p99 := chart.Series{Name: "p99", Class: "s2", Dots: true}
	e2e := chart.Series{Name: "e2e p99", Class: "s4", Style: "dashed", Dots: true}
	positive := true
	for _, p := range pts {
		p50.Points = append(p50.Points, chart.Point{X: p.Offered, Y: ms(p.P50)})
		p99.Points = append(p99.Points, chart.Point{X: p.Offered, Y: ms(p.P99)})
		e2e.Points = append(e2e.Points, chart.Point{X: p.Offered, Y: ms(p.E2EP99)})
		positive = positive && p.P50 > 0 && p.P99 > 0 && (p.E2EP99 > 0 || !hasE2E(c))
	}
	series := []chart.Series{p50, p99}
	if hasE2E(c) {
		series = append(series, e2e)
	}
	rules, marks := capacityMarks(c, func(p *result.CurvePoint) float64 { return ms(p.P99) })
	rules = append(rules, objectiveRules(c)...)
	y := latencyAxis(chart.Linear)
	if positive { // saturation makes latency jump by orders of magnitude
		y = latencyAxis(chart.Log)
	}
	return &chart.Chart{ID: id, Title: "Latency vs offered rate",
		Desc: fmt.Sprintf("p50 and p99 of each step against its offered rate, with the objective %s. %s", c.Objective, kneeWords(c)),
		X:    rateAxis("offered rate (calls/s)"), Y: y, Series: series, Rules: rules, Markers: marks}
}

func hasE2E(c *result.CapacityResult) bool {
	for _, p := range c.Points {
		if p.E2EP99 > 0 {
			return true
		}
	}
	return false
}

// objectiveRules are the objective's latency limits as horizontal rules.
func objectiveRules(c *result.CapacityResult) []chart.Rule {
	ts, err := result.ParseThresholds(c.Objective)
	if err != nil {
		return nil
	}
	var out []chart.Rule
	for _, t := range ts {
		if t.Metric.IsDuration() {
			out = append(out, chart.Rule{Horizontal: true, Value: t.Limit() / 1e6, Label: "objective " + t.String(), Class: "bad"})
		}
	}
	return out
}

// kneeWords says where the knee is in a sentence.
func kneeWords(c *result.CapacityResult) string {
	switch {
	case c.Knee == nil && c.FirstFailure != nil:
		return fmt.Sprintf("No rate met the objective; the lowest tried, %s, failed.", rate(c.FirstFailure.Offered))
	case c.Knee == nil:
		return "No step completed."
	case c.FirstFailure == nil:
		return fmt.Sprintf("Every rate tried met the objective, up to %s.", rate(c.Capacity))
	}
	return fmt.Sprintf("The knee is at %s; %s failed first.", rate(c.Capacity), rate(c.FirstFailure.Offered))
}
