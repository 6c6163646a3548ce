package load

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/callcheck/callcheck/load/result"
)

// conclude finds the knee and the first failure of r and writes the
// conclusion.
func conclude(r *result.CapacityResult) {
	r.End = time.Now()
	r.Capacity, r.Knee, r.FirstFailure, r.FailedFirst = 0, nil, nil, nil
	for i := range r.Points {
		p := &r.Points[i]
		if !p.Passed && (r.FirstFailure == nil || p.Offered < r.FirstFailure.Offered) {
			r.FirstFailure = p
		}
	}
	// The capacity is the highest rate that held below the lowest that did
	// not: a step that held above a failure (noise on a busy machine) is no
	// evidence the target sustains that rate.
	for i := range r.Points {
		p := &r.Points[i]
		if p.Passed && p.Offered > r.Capacity && (r.FirstFailure == nil || p.Offered < r.FirstFailure.Offered) {
			r.Capacity, r.Knee = p.Offered, p
		}
	}
	if r.FirstFailure != nil {
		r.FailedFirst = criteria(r.FirstFailure)
	}
	r.Conclusion = sentence(r)
}

// criteria returns the kinds of the thresholds p breached, in the order of
// the Criterion constants.
func criteria(p *result.CurvePoint) []result.Criterion {
	seen := map[result.Criterion]bool{}
	var out []result.Criterion
	for _, v := range p.Verdicts {
		if c := criterionOf(v.Metric); !v.Passed && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	order := map[result.Criterion]int{result.CriterionLatency: 0, result.CriterionE2ELatency: 1, result.CriterionSuccess: 2, result.CriterionAchievedRate: 3, result.CriterionLost: 4}
	sort.Slice(out, func(i, j int) bool { return order[out[i]] < order[out[j]] })
	return out
}

// criterionNames are the criteria in words.
var criterionNames = map[result.Criterion]string{
	result.CriterionLatency:      "the latency objective",
	result.CriterionE2ELatency:   "the end-to-end latency objective",
	result.CriterionSuccess:      "the success objective",
	result.CriterionAchievedRate: "the achieved rate (the target could not take the offered rate)",
	result.CriterionLost:         "notification delivery (lost notifications)",
}

func sentence(r *result.CapacityResult) string {
	switch {
	case len(r.Points) == 0:
		return "No step completed, so nothing can be said about the capacity."
	case r.Knee == nil:
		return fmt.Sprintf("Does not meet %s even at the lowest rate tried, %s: %s fails (%s).",
			r.Objective, FormatRate(r.FirstFailure.Offered), failedWords(r), failedText(r.FirstFailure))
	case r.FirstFailure == nil:
		return fmt.Sprintf("Sustains at least %s (the highest rate tried) at %s: p99 %s, achieved %.1f/s.",
			FormatRate(r.Capacity), r.Objective, round(r.Knee.P99), r.Knee.Achieved)
	}
	return fmt.Sprintf("Sustains %s at %s (p99 %s, achieved %.1f/s); beyond that, at %s, %s fails first (%s).",
		FormatRate(r.Capacity), r.Objective, round(r.Knee.P99), r.Knee.Achieved,
		FormatRate(r.FirstFailure.Offered), failedWords(r), failedText(r.FirstFailure))
}

func failedWords(r *result.CapacityResult) string {
	var words []string
	for _, c := range r.FailedFirst {
		words = append(words, criterionNames[c])
	}
	return strings.Join(words, " and ")
}
