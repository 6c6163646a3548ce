package load

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/callcheck/callcheck/load/result"
)

// WriteText writes a summary as aligned text, in the manner of vegeta's text
// report, with the end-to-end measurement, capacity conclusions, notes and
// threshold verdicts.
func WriteText(w io.Writer, s *result.Summary) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	writeRequests(tw, "Requests", &s.Requests, s.Runs)
	if s.E2E != nil {
		writeE2E(tw, s.E2E)
	}
	if s.Hangups != nil {
		h := s.Hangups
		fmt.Fprintf(tw, "Hangups\t[total, success, p50, p99]\t%d, %.2f%%, %s, %s\n", h.Count, 100*h.Success, round(h.Latency.P50), round(h.Latency.P99))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range s.Capacity {
		if err := WriteCapacityText(w, c); err != nil {
			return err
		}
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	return writeVerdicts(w, s.Verdicts)
}

func writeRequests(tw io.Writer, name string, r *result.RequestStats, runs []result.Manifest) {
	if len(runs) == 0 && r.Count == 0 {
		return
	}
	fmt.Fprintf(tw, "%s\t[total, offered, achieved, throughput]\t%d, %.2f/s, %.2f/s (%.1f%%), %.2f/s\n",
		name, r.Count, r.OfferedRate, r.Rate, 100*r.Achieved, r.Throughput)
	fmt.Fprintf(tw, "Duration\t[scheduled span]\t%s\n", round(time.Duration(r.Duration)))
	l := r.Latency
	fmt.Fprintf(tw, "Latencies\t[min, mean, 50, 90, 95, 99, 99.9, max]\t%s, %s, %s, %s, %s, %s, %s, %s\n",
		round(l.Min), round(l.Mean), round(l.P50), round(l.P90), round(l.P95), round(l.P99), round(l.P999), round(l.Max))
	if lag, ok := worstLag(runs); ok {
		fmt.Fprintf(tw, "Send lag\t[50, 99, max] (worst shard)\t%s, %s, %s\n", round(lag.P50), round(lag.P99), round(lag.Max))
	}
	fmt.Fprintf(tw, "Success\t[ratio]\t%.2f%%\n", 100*r.Success)
	codes := make([]string, 0, len(r.StatusCodes))
	for _, c := range sortedCodes(r.StatusCodes) {
		codes = append(codes, fmt.Sprintf("%s:%d", c, r.StatusCodes[c]))
	}
	fmt.Fprintf(tw, "Status Codes\t[code:count]\t%s\n", strings.Join(codes, "  "))
	if len(r.ErrorSet) > 0 {
		fmt.Fprintf(tw, "Error Set\t[first %d distinct]\t%s\n", result.MaxErrorSet, strings.Join(r.ErrorSet, "\n\t\t"))
	}
	if len(runs) > 0 {
		var shards []string
		for _, m := range runs {
			shards = append(shards, m.Shard.String())
		}
		fmt.Fprintf(tw, "Runs\t[shards]\t%d (%s)\n", len(runs), strings.Join(shards, ", "))
	}
}

// worstLag returns the send lag of the run that lagged most.
func worstLag(runs []result.Manifest) (result.LatencySummary, bool) {
	var worst result.LatencySummary
	for _, m := range runs {
		if m.Achieved.Lag.P99 >= worst.P99 {
			worst = m.Achieved.Lag
		}
	}
	return worst, len(runs) > 0
}

func writeE2E(tw io.Writer, e *result.E2EStats) {
	fmt.Fprintf(tw, "End to end\t[calls, established, lost, unresolved, unmatched]\t%d, %d, %d, %d, %d\n",
		e.Calls, e.Established, e.Lost, e.Unresolved, e.Unmatched)
	l := e.Latency
	fmt.Fprintf(tw, "E2E latency\t[min, mean, 50, 90, 95, 99, max]\t%s, %s, %s, %s, %s, %s, %s\n",
		round(l.Min), round(l.Mean), round(l.P50), round(l.P90), round(l.P95), round(l.P99), round(l.Max))
	for _, k := range e.Notifications.Kinds() {
		c := e.Notifications[k]
		fmt.Fprintf(tw, "Notifications %s\t[expected, arrived, late, lost, duplicates, unexpected]\t%d, %d, %d, %d, %d, %d\n",
			k, c.Expected, c.Arrived, c.Late, c.Lost, c.Duplicates, c.Unexpected)
	}
	if e.RosterExpected > 0 || e.Roster > 0 {
		fmt.Fprintf(tw, "Roster\t[expected, arrived, lost]\t%d, %d, %d\n", e.RosterExpected, e.Roster, e.RosterLost)
		r := e.RosterLatency
		fmt.Fprintf(tw, "Roster latency\t[50, 99, max]\t%s, %s, %s\n", round(r.P50), round(r.P99), round(r.Max))
	}
}

// WriteCapacityText writes a capacity result: the curve as a table and the
// conclusion.
func WriteCapacityText(w io.Writer, c *result.CapacityResult) error {
	fmt.Fprintf(w, "\nCapacity search against %s, objective %s (and achieved >= %.0f%% of offered)\n", c.Target, c.Objective, 100*c.MinAchieved)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\toffered/s\tachieved/s\tp50\tp90\tp99\terrors\te2e p99\tlost\tverdict\t")
	for _, p := range c.Points {
		verdict := "pass"
		if !p.Passed {
			verdict = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%s\t%s\t%s\t%.3f%%\t%s\t%d\t%s\t\n", p.Phase, p.Offered, p.Achieved,
			round(time.Duration(p.P50)), round(time.Duration(p.P90)), round(time.Duration(p.P99)), 100*p.ErrorRatio,
			round(time.Duration(p.E2EP99)), p.Lost, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "Stopped: %s.\nConclusion: %s\n", c.Stopped, c.Conclusion); err != nil {
		return err
	}
	return writeProcesses(w, c)
}

// writeProcesses prints the peak memory of the search's processes: the
// load generator's and the emulator child's.
func writeProcesses(w io.Writer, c *result.CapacityResult) error {
	var parts []string
	for _, p := range []struct {
		name string
		peak *result.ProcessPeak
	}{{"load process", c.Process}, {"emulator process", c.EmulatorProcess}} {
		switch {
		case p.peak == nil:
		case p.peak.MaxRSSBytes == 0:
			parts = append(parts, p.name+" peak RSS unknown")
		default:
			parts = append(parts, fmt.Sprintf("%s peak RSS %.0f MB", p.name, float64(p.peak.MaxRSSBytes)/1e6))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "Memory: %s.\n", strings.Join(parts, "; "))
	return err
}

func writeVerdicts(w io.Writer, vs []result.Verdict) error {
	if len(vs) == 0 {
		return nil
	}
	fmt.Fprintln(w, "Thresholds:")
	for _, v := range vs {
		if _, err := fmt.Fprintf(w, "  %s\n", v); err != nil {
			return err
		}
	}
	return nil
}

// sortedCodes returns the status codes in numeric order.
func sortedCodes(codes map[string]uint64) []string {
	out := make([]string, 0, len(codes))
	for c := range codes {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i])
		b, _ := strconv.Atoi(out[j])
		return a < b
	})
	return out
}

// round shortens a latency for reading: microseconds below a second.
func round(d interface{ String() string }) string {
	var v time.Duration
	switch x := d.(type) {
	case result.Duration:
		v = time.Duration(x)
	case time.Duration:
		v = x
	}
	switch {
	case v >= time.Second:
		return v.Round(time.Millisecond).String()
	case v >= time.Millisecond:
		return v.Round(10 * time.Microsecond).String()
	default:
		return v.Round(time.Microsecond).String()
	}
}
