package loadreport

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/report"
)

// sparkBars are the eight heights of a sparkline.
var sparkBars = []rune("▁▂▃▄▅▆▇█")

// sparkline draws values as a line of block characters, at most width of
// them (buckets are merged by their maximum); it returns "" without data.
func sparkline(vs []float64, width int) string {
	if len(vs) == 0 {
		return ""
	}
	per := (len(vs) + width - 1) / width
	var merged []float64
	for i := 0; i < len(vs); i += per {
		m := vs[i]
		for _, v := range vs[i:min(i+per, len(vs))] {
			m = max(m, v)
		}
		merged = append(merged, m)
	}
	lo, hi := merged[0], merged[0]
	for _, v := range merged {
		lo, hi = min(lo, v), max(hi, v)
	}
	var b strings.Builder
	for _, v := range merged {
		i := 0
		if hi > lo {
			i = int((v - lo) / (hi - lo) * float64(len(sparkBars)-1))
		}
		b.WriteRune(sparkBars[i])
	}
	return b.String()
}

// writeMarkdown writes the section: the verdict, the key numbers, the
// thresholds, sparklines of the run over time, and each capacity search.
func writeMarkdown(b *bytes.Buffer, x section) {
	s := x.s
	banner := x.banner()
	fmt.Fprintf(b, "## %s %s: %s\n\n%s\n", report.MarkdownMark(banner.Verdict), x.Heading(), strings.ToLower(banner.Big), mdText(banner.Sentence))
	if x.hasRequests() {
		writeNumbersMarkdown(b, s)
	}
	if len(s.Verdicts) > 0 {
		fmt.Fprintln(b, "\n| threshold | actual | verdict |\n|---|--:|:-:|")
		for _, v := range s.Verdicts {
			mark := report.MarkdownMark(report.Passed)
			if !v.Passed {
				mark = report.MarkdownMark(report.Failed)
			}
			fmt.Fprintf(b, "| %s | %s | %s |\n", report.MarkdownCode(v.Expr), mdText(v.Actual), mark)
		}
	}
	for _, w := range warnings(s) {
		fmt.Fprintf(b, "\n> ⚠️ %s\n", mdText(w))
	}
	if s.Series != nil && len(s.Series.Buckets) > 0 && s.Requests.Count > 0 {
		writeSparklinesMarkdown(b, s.Series, s.E2E != nil)
	}
	for _, c := range s.Capacity {
		writeCapacityMarkdown(b, c)
	}
}

func writeNumbersMarkdown(b *bytes.Buffer, s *result.Summary) {
	r := &s.Requests
	fmt.Fprintln(b, "\n| requests | offered | achieved | success | p50 | p99 | max | e2e p99 | lost |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	e2eP99, lost := "—", "—"
	if s.E2E != nil {
		e2eP99, lost = dur(s.E2E.Latency.P99), count(s.E2E.Lost)
	}
	offered := "—"
	if r.OfferedRate > 0 {
		offered = rate(r.OfferedRate)
	}
	fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", count(r.Count), offered, rate(r.Rate), percent(r.Success),
		dur(r.Latency.P50), dur(r.Latency.P99), dur(r.Latency.Max), e2eP99, lost)
	var codes []string
	for _, c := range sortedCodes(r.StatusCodes) {
		codes = append(codes, fmt.Sprintf("%s × %s", mdText(codeName(c)), count(r.StatusCodes[c])))
	}
	fmt.Fprintf(b, "\nStatus codes: %s\n", strings.Join(codes, ", "))
	if s.E2E != nil {
		writeNotificationsMarkdown(b, s.E2E.Notifications)
	}
	if len(r.ErrorSet) > 0 {
		fmt.Fprint(b, "\n<details><summary>Distinct errors</summary>\n\n")
		for _, e := range r.ErrorSet {
			fmt.Fprintf(b, "- %s\n", report.MarkdownCode(e))
		}
		fmt.Fprintln(b, "\n</details>")
	}
}

// writeNotificationsMarkdown accounts for the notifications by kind.
func writeNotificationsMarkdown(b *bytes.Buffer, t result.NotificationTally) {
	rows := notificationRows(t)
	if rows == nil {
		return
	}
	fmt.Fprintln(b, "\n| notifications | expected | arrived | late | lost | duplicates | unexpected |\n|---|--:|--:|--:|--:|--:|--:|")
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", r.Kind, count(r.Expected), count(r.Arrived), count(r.Late),
			count(r.Lost), count(r.Duplicates), count(r.Unexpected))
	}
}

// writeSparklinesMarkdown draws the run over time in characters: p99, errors, e2e p99.
func writeSparklinesMarkdown(b *bytes.Buffer, s *result.Series, e2e bool) {
	var p99, errs, e2e99 []float64
	for _, bk := range s.Buckets {
		p99 = append(p99, ms(bk.P99))
		errs = append(errs, float64(bk.Errors))
		e2e99 = append(e2e99, ms(bk.E2EP99))
	}
	fmt.Fprintf(b, "\nOver time (%s per character at most; the HTML report has the charts):\n\n", dur(s.Width))
	fmt.Fprintf(b, "| | | range |\n|---|---|---|\n| p99 | `%s` | %s |\n", sparkline(p99, 60), spread(p99, msLabel))
	fmt.Fprintf(b, "| errors | `%s` | %s |\n", sparkline(errs, 60), spread(errs, func(v float64) string { return fmt.Sprintf("%.0f", v) }))
	if e2e {
		fmt.Fprintf(b, "| e2e p99 | `%s` | %s |\n", sparkline(e2e99, 60), spread(e2e99, msLabel))
	}
}

// spread writes the range of vs: "1.2 ms – 35 ms".
func spread(vs []float64, f func(float64) string) string {
	lo, hi := vs[0], vs[0]
	for _, v := range vs {
		lo, hi = min(lo, v), max(hi, v)
	}
	return f(lo) + " – " + f(hi)
}

func writeCapacityMarkdown(b *bytes.Buffer, c *result.CapacityResult) {
	fmt.Fprintf(b, "\n### Capacity search against %s\n\n**%s**\n\nObjective %s; steps of %s after %s of stabilisation; stopped: %s.\n",
		report.MarkdownCode(c.Target), mdText(c.Conclusion), report.MarkdownCode(c.Objective), dur(c.StepDuration), dur(c.Stabilize), mdText(c.Stopped))
	if len(c.Points) == 0 {
		return
	}
	fmt.Fprintln(b, "\n| offered | achieved | p50 | p99 | errors | e2e p99 | lost | verdict |\n|--:|--:|--:|--:|--:|--:|--:|---|")
	for _, p := range sortedPoints(c) {
		verdict := report.MarkdownMark(report.Passed)
		if !p.Passed {
			verdict = report.MarkdownMark(report.Failed) + " " + mdText(failedExprs(&p))
		}
		if c.Knee != nil && p.Offered == c.Knee.Offered {
			verdict += " **knee**"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", rate(p.Offered), rate(p.Achieved), dur(p.P50), dur(p.P99),
			percent(p.ErrorRatio), dur(p.E2EP99), count(p.Lost), verdict)
	}
}

// failedExprs lists a point's breached thresholds (or why it could not run).
func failedExprs(p *result.CurvePoint) string {
	if p.Error != "" {
		return p.Error
	}
	var out []string
	for _, v := range p.Verdicts {
		if !v.Passed {
			out = append(out, v.Expr+" (actual "+v.Actual+")")
		}
	}
	return strings.Join(out, ", ")
}

func mdText(s string) string { return report.MarkdownText(s) }
