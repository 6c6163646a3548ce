package load

import (
	"fmt"
	"strings"
	"time"

	"github.com/callcheck/callcheck/load/result"
)

// overlap returns the stretch the schedules of runs share (each from its
// Start for its Duration), nil for fewer than two runs. Runs that share no
// time are an error: the merge adds their rates as if they ran side by side,
// which they did not. dirs name the runs in the message.
func overlap(runs []*result.Manifest, dirs []string) (*result.Overlap, error) {
	if len(runs) < 2 {
		return nil, nil
	}
	var first, last, latestStart, earliestEnd time.Time
	var longest time.Duration
	for i, m := range runs {
		start, end := m.Start, m.Start.Add(time.Duration(m.Duration))
		if i == 0 || start.Before(first) {
			first = start
		}
		if i == 0 || end.After(last) {
			last = end
		}
		if i == 0 || start.After(latestStart) {
			latestStart = start
		}
		if i == 0 || end.Before(earliestEnd) {
			earliestEnd = end
		}
		longest = max(longest, time.Duration(m.Duration))
	}
	if !earliestEnd.After(latestStart) {
		return nil, fmt.Errorf("the %d runs did not overlap, so their rates do not add up and no merged rate is computed: %s; start every shard with the same --start-at (or $%s)",
			len(runs), spans(runs, dirs), StartAtEnv)
	}
	o := &result.Overlap{Start: latestStart, End: earliestEnd, Duration: result.Duration(earliestEnd.Sub(latestStart)), Span: result.Duration(last.Sub(first))}
	if longest > 0 {
		o.Ratio = float64(o.Duration) / float64(longest)
	}
	return o, nil
}

// spans lists when each run's schedule ran.
func spans(runs []*result.Manifest, dirs []string) string {
	parts := make([]string, len(runs))
	for i, m := range runs {
		start := m.Start.UTC()
		parts[i] = fmt.Sprintf("%s (shard %s) ran %s to %s", dirs[i], m.Shard,
			start.Format(time.RFC3339Nano), start.Add(time.Duration(m.Duration)).Format(time.RFC3339Nano))
	}
	return strings.Join(parts, ", ")
}

// overlapNote says how much of their schedules the merged runs shared.
func overlapNote(o *result.Overlap, runs int) string {
	return fmt.Sprintf("the %d runs overlap for %s (%.1f%% of the longest schedule), from %s to %s; their rates add up only over that stretch",
		runs, time.Duration(o.Duration).Round(time.Millisecond), 100*o.Ratio, o.Start.UTC().Format(time.RFC3339Nano), o.End.UTC().Format(time.RFC3339Nano))
}
