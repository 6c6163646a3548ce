// Package loadreport renders load runs and capacity searches (a merged
// result.Summary) as a section of a report page: Markdown for a job summary,
// and HTML with inline SVG charts — latency over time, the latency
// distribution by percentile, status codes and errors over time, end-to-end
// notification latency, and for a capacity search the curve with its knee,
// objective and conclusion.
package loadreport

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/callcheck/callcheck/load/result"
	"github.com/callcheck/callcheck/report"
	"github.com/callcheck/callcheck/report/chart"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// templates are the section's HTML templates, parsed once.
var templates = template.Must(template.New("load").Funcs(template.FuncMap{
	"mark":    report.MarkHTML,
	"banner":  report.BannerHTML,
	"dur":     dur,
	"rate":    rate,
	"percent": percent,
	"count":   count,
	"join":    strings.Join,
	"notes":   notificationRows,
}).ParseFS(templateFS, "templates/*.tmpl"))

// notificationRow is one kind's line of the notifications table.
type notificationRow struct {
	Kind string
	result.NotificationCounts
}

// notificationRows are the notification counts by kind, then their total;
// nil when the summary counts none.
func notificationRows(t result.NotificationTally) []notificationRow {
	if len(t) == 0 {
		return nil
	}
	var rows []notificationRow
	for _, k := range t.Kinds() {
		rows = append(rows, notificationRow{k, *t[k]})
	}
	return append(rows, notificationRow{"all", t.Total()})
}

// errNoSummary is the error of a section made of a nil summary.
var errNoSummary = errors.New("loadreport: no load summary (nil)")

// Section returns the report section of a merged load summary.
func Section(sum *result.Summary) report.Section { return section{sum} }

type section struct{ s *result.Summary }

// hasRequests reports whether the summary holds request results (a
// summary of capacity searches alone has none).
func (x section) hasRequests() bool {
	return x.s != nil && (x.s.Requests.Count > 0 || len(x.s.Runs) > 0)
}

// Heading implements report.Section: "Load", or "Capacity" for capacity
// searches alone.
func (x section) Heading() string {
	if x.s != nil && !x.hasRequests() && len(x.s.Capacity) > 0 {
		return "Capacity"
	}
	return "Load"
}

// Outcome is the thresholds' verdict; a run without thresholds was
// measured, not gated, and says so as skipped.
func (x section) Outcome() report.Verdict {
	switch {
	case x.s == nil:
		return report.Failed
	case len(x.s.Verdicts) == 0:
		return report.Skipped
	case x.s.Passed:
		return report.Passed
	}
	return report.Failed
}

// banner says whether the thresholds held, which broke, and the run in numbers.
func (x section) banner() report.Banner {
	s := x.s
	b := report.Banner{Verdict: x.Outcome()}
	var broken, held []string
	for _, v := range s.Verdicts {
		text := fmt.Sprintf("%s (actual %s)", v.Expr, v.Actual)
		if v.Passed {
			held = append(held, text)
		} else {
			broken = append(broken, text)
		}
	}
	switch {
	case len(s.Verdicts) == 0:
		b.Big, b.Sentence = "MEASURED", "No thresholds were given, so nothing is gated (add --threshold)."
	case len(broken) > 0:
		b.Big = "THRESHOLDS BREACHED"
		b.Sentence = fmt.Sprintf("%d of %d thresholds breached: %s.", len(broken), len(s.Verdicts), strings.Join(broken, ", "))
	default:
		b.Big = "THRESHOLDS HELD"
		b.Sentence = fmt.Sprintf("All %d thresholds held: %s.", len(held), strings.Join(held, ", "))
	}
	if x.hasRequests() {
		b.Sentence += " " + x.numbers()
	}
	if !x.hasRequests() {
		for _, c := range s.Capacity {
			b.Sentence += " " + c.Conclusion
		}
	}
	return b
}

// numbers is the run in one sentence.
func (x section) numbers() string {
	r := &x.s.Requests
	out := fmt.Sprintf("%s requests", count(r.Count))
	if r.OfferedRate > 0 {
		out += fmt.Sprintf(" at %s offered, %s achieved (%s)", rate(r.OfferedRate), rate(r.Rate), percent(r.Achieved))
	}
	out += fmt.Sprintf(", %s success, p99 %s", percent(r.Success), dur(r.Latency.P99))
	if e := x.s.E2E; e != nil {
		out += fmt.Sprintf("; end to end p99 %s, %s lost", dur(e.Latency.P99), count(e.Lost))
	}
	return out + "."
}

// WriteMarkdown implements report.Section.
func (x section) WriteMarkdown(w io.Writer) error {
	if x.s == nil {
		return errNoSummary
	}
	var b bytes.Buffer
	writeMarkdown(&b, x)
	_, err := w.Write(b.Bytes())
	return err
}

// view is what the section template reads.
type view struct {
	ID       string
	S        *result.Summary
	Banner   report.Banner
	Requests bool
	Codes    []codeCount
	Warnings []string
	Charts   []figure
	Capacity []capacityView
}

type codeCount struct {
	Code, Name string
	N          uint64
	Share      string
}

type capacityView struct {
	ID     string
	C      *result.CapacityResult
	Charts []figure
	Points []result.CurvePoint
}

// HTML implements report.Section: the banner, key numbers, thresholds,
// warnings, the charts with their data, the details and each capacity search.
func (x section) HTML(id string) (template.HTML, error) {
	if x.s == nil {
		return "", errNoSummary
	}
	v := view{ID: id, S: x.s, Banner: x.banner(), Requests: x.hasRequests(), Codes: codes(&x.s.Requests), Warnings: warnings(x.s)}
	var err error
	if v.Charts, err = x.charts(id); err != nil {
		return "", err
	}
	for i, c := range x.s.Capacity {
		cv, err := capacity(fmt.Sprintf("%s-cap%d", id, i+1), c)
		if err != nil {
			return "", err
		}
		v.Capacity = append(v.Capacity, cv)
	}
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, "load", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // html/template escaped every value
}

// charts draws the charts the summary has data for.
func (x section) charts(id string) ([]figure, error) {
	s := x.s
	var cs []*chart.Chart
	overTime := s.Series != nil && len(s.Series.Buckets) > 0 && s.Requests.Count > 0
	if overTime {
		cs = append(cs, latencyOverTime(id+"-latency", s.Series, s.Verdicts))
	}
	if len(s.Requests.Distribution) > 0 {
		cs = append(cs, distribution(id+"-distribution", s))
	}
	if overTime {
		cs = append(cs, statusCodes(id+"-codes", s.Series))
	}
	if overTime && s.E2E != nil && s.E2E.Calls > 0 {
		cs = append(cs, e2eOverTime(id+"-e2e", s.Series, s.Verdicts))
		if s.E2E.Lost > 0 {
			cs = append(cs, callOutcomes(id+"-outcomes", s.Series))
		}
	}
	return drawAll(cs)
}

func drawAll(cs []*chart.Chart) ([]figure, error) {
	var out []figure
	for _, c := range cs {
		f, err := draw(c)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// capacity draws a capacity search's curve.
func capacity(id string, c *result.CapacityResult) (capacityView, error) {
	v := capacityView{ID: id, C: c, Points: sortedPoints(c)}
	if len(c.Points) == 0 {
		return v, nil
	}
	var err error
	v.Charts, err = drawAll([]*chart.Chart{offeredAchieved(id+"-rate", c), latencyCurve(id+"-latency", c)})
	return v, err
}

// codes lists the status codes in numeric order with their shares.
func codes(r *result.RequestStats) []codeCount {
	var out []codeCount
	for _, c := range sortedCodes(r.StatusCodes) {
		n := r.StatusCodes[c]
		out = append(out, codeCount{Code: c, Name: codeName(c), N: n, Share: percent(float64(n) / float64(max(r.Count, 1)))})
	}
	return out
}

// sortedCodes returns status codes in numeric order.
func sortedCodes(m map[string]uint64) []string {
	out := make([]string, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { a, _ := strconv.Atoi(out[i]); b, _ := strconv.Atoi(out[j]); return a < b })
	return out
}

// warnings gathers what a reader must know: the merge's notes and the runs'
// own warnings (an achieved rate short of the offered one).
func warnings(s *result.Summary) []string {
	out := append([]string(nil), s.Notes...)
	for _, m := range s.Runs {
		for _, w := range m.Warnings {
			out = append(out, fmt.Sprintf("shard %s: %s", m.Shard, w))
		}
		if m.Error != "" {
			out = append(out, fmt.Sprintf("shard %s stopped early: %s", m.Shard, m.Error))
		}
	}
	return out
}
