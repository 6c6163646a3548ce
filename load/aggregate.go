package load

import (
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load/result"
)

// requestAcc accumulates vegeta results into RequestStats, in bounded memory
// (vegeta's Metrics keeps a t-digest of the latencies).
type requestAcc struct {
	m      vegeta.Metrics
	codes  map[string]uint64
	errors uint64
	seen   map[string]bool
	set    []string
}

func newRequestAcc() *requestAcc {
	return &requestAcc{codes: map[string]uint64{}, seen: map[string]bool{}}
}

func (a *requestAcc) add(r *vegeta.Result) {
	a.m.Add(r)
	a.codes[strconv.Itoa(int(r.Code))]++
	if r.Error != "" || r.Code < 200 || r.Code >= 400 {
		a.errors++
	}
	if r.Error != "" && !a.seen[r.Error] && len(a.set) < result.MaxErrorSet {
		a.seen[r.Error] = true
		a.set = append(a.set, r.Error)
	}
}

// stats closes the metrics and returns the statistics; offered and achieved
// rates are the caller's (they come from manifests).
func (a *requestAcc) stats() result.RequestStats {
	a.m.Close()
	s := result.RequestStats{
		Count: a.m.Requests, Success: a.m.Success, Errors: a.errors, StatusCodes: a.codes, ErrorSet: a.set,
		Rate: a.m.Rate, Throughput: a.m.Throughput,
		Earliest: a.m.Earliest, Latest: a.m.Latest, Duration: result.Duration(a.m.Duration),
		Latency:      summarize(&a.m.Latencies, a.m.Requests),
		Distribution: distribution(&a.m.Latencies, a.m.Requests),
	}
	return s
}

// e2eAcc accumulates end-to-end records into E2EStats.
type e2eAcc struct {
	s           result.E2EStats
	est, roster vegeta.LatencyMetrics
}

func (a *e2eAcc) add(r *result.Record) {
	a.s.Calls++
	if len(r.Expected) > 0 || len(r.Arrivals) > 0 {
		if a.s.Notifications == nil {
			a.s.Notifications = result.NotificationTally{}
		}
		a.s.Notifications.AddAll(r.Tally())
	}
	switch r.Outcome {
	case result.OutcomeOK:
		a.s.OK++
	case result.OutcomeLost:
		a.s.Lost++
	case result.OutcomeRosterLost:
		a.s.RosterLost++
	case result.OutcomeUnresolved:
		a.s.Unresolved++
	}
	if r.RosterExpected {
		a.s.RosterExpected++
	}
	if d, ok := r.Established(); ok {
		a.s.Established++
		a.est.Add(d)
	}
	if d, ok := r.Roster(); ok {
		a.s.Roster++
		a.roster.Add(d)
	}
}

func (a *e2eAcc) stats() *result.E2EStats {
	s := a.s
	if a.s.Notifications != nil { // a copy: stats may be called again
		s.Notifications = result.NotificationTally{}
		s.Notifications.AddAll(a.s.Notifications)
	}
	s.Latency = summarize(&a.est, s.Established)
	s.RosterLatency = summarize(&a.roster, s.Roster)
	s.Distribution = distribution(&a.est, s.Established)
	return &s
}

// aggregate builds a result.Summary from results, records and manifests, in
// whatever order they come.
type aggregate struct {
	requests *requestAcc
	e2e      *e2eAcc
	hangups  *requestAcc
	series   *seriesAcc
	runs     []result.Manifest
	capacity []*result.CapacityResult
}

// newAggregate returns an aggregate whose series starts at origin with
// buckets of width (no series when width is 0).
func newAggregate(origin time.Time, width time.Duration) *aggregate {
	a := &aggregate{requests: newRequestAcc()}
	if width > 0 {
		a.series = newSeriesAcc(origin, width)
	}
	return a
}

func (a *aggregate) addResult(r *vegeta.Result) {
	a.requests.add(r)
	if a.series != nil {
		a.series.addResult(r)
	}
}

func (a *aggregate) addRecord(r *result.Record) {
	if a.e2e == nil {
		a.e2e = &e2eAcc{}
	}
	a.e2e.add(r)
	if a.series != nil {
		a.series.addRecord(r)
	}
}

func (a *aggregate) addHangup(r *vegeta.Result) {
	if a.hangups == nil {
		a.hangups = newRequestAcc()
	}
	a.hangups.add(r)
}

func (a *aggregate) addRun(m result.Manifest) { a.runs = append(a.runs, m) }

// summary closes the accumulators. Offered and achieved rates are summed
// over the runs' manifests (shards run side by side); without manifests the
// achieved rate is vegeta's, over the scheduled times.
func (a *aggregate) summary() *result.Summary {
	s := &result.Summary{SchemaVersion: result.SummarySchema, Runs: a.runs, Requests: a.requests.stats(), Capacity: a.capacity, Passed: true}
	var offered, achieved float64
	var unmatched uint64
	for _, m := range a.runs {
		offered += m.OfferedRate
		achieved += m.Achieved.Rate
		if m.E2E != nil {
			unmatched += m.E2E.Unmatched
		}
	}
	if len(a.runs) > 0 {
		s.Requests.OfferedRate, s.Requests.Rate = offered, achieved
	}
	if s.Requests.OfferedRate > 0 {
		s.Requests.Achieved = s.Requests.Rate / s.Requests.OfferedRate
	}
	if a.e2e != nil {
		s.E2E = a.e2e.stats()
		s.E2E.Unmatched = unmatched
		addAfterRecords(s.E2E, a.runs)
	}
	if a.hangups != nil {
		h := a.hangups.stats()
		s.Hangups = &h
	}
	if a.series != nil {
		s.Series = a.series.series()
	}
	return s
}

// addAfterRecords adds the notifications that arrived after their call's
// record was written: a late one was counted lost by its record, and moves
// from lost to late.
func addAfterRecords(e *result.E2EStats, runs []result.Manifest) {
	for _, m := range runs {
		if m.E2E == nil || len(m.E2E.AfterRecords) == 0 {
			continue
		}
		if e.Notifications == nil {
			e.Notifications = result.NotificationTally{}
		}
		for k, after := range m.E2E.AfterRecords {
			if after == nil {
				continue
			}
			c := e.Notifications.Of(k)
			moved := min(after.Late, c.Lost)
			c.Lost -= moved
			c.Late += after.Late
			c.Duplicates += after.Duplicates
			c.Unexpected += after.Unexpected
		}
	}
}

// summarize turns vegeta latency metrics into a result.LatencySummary.
func summarize(l *vegeta.LatencyMetrics, n uint64) result.LatencySummary {
	if n == 0 {
		return result.LatencySummary{}
	}
	return result.LatencySummary{
		Min: result.Duration(l.Min), Max: result.Duration(l.Max), Mean: result.Duration(l.Total / time.Duration(n)),
		P50: result.Duration(l.Quantile(0.5)), P90: result.Duration(l.Quantile(0.9)), P95: result.Duration(l.Quantile(0.95)),
		P99: result.Duration(l.Quantile(0.99)), P999: result.Duration(l.Quantile(0.999)),
	}
}

// distribution returns l at DistributionQuantiles, with the exact min and max.
func distribution(l *vegeta.LatencyMetrics, n uint64) []result.Quantile {
	if n == 0 {
		return nil
	}
	var out []result.Quantile
	for _, q := range result.DistributionQuantiles() {
		v := l.Quantile(q)
		switch q {
		case 0:
			v = l.Min
		case 1:
			v = l.Max
		}
		out = append(out, result.Quantile{Quantile: q, Value: result.Duration(v)})
	}
	return out
}
