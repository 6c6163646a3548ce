package load

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/load/result"
)

// The per-hit costs of the load generator's own work. vegeta's attacker
// adds its own; load/bench/compare.sh measures the whole against the vegeta
// CLI.

// BenchmarkCreateTargeter: one create request built (token, mix, fresh id).
func BenchmarkCreateTargeter(b *testing.B) {
	ts, _ := identity.StaticTokenSource("bench")
	mix, _ := ParseMix("all")
	ct, err := newCreateTargets("http://127.0.0.1:1/beta", mix, ts, BodyValues{CallbackURI: "http://127.0.0.1:2/callback", TenantID: DocumentedTenant})
	if err != nil {
		b.Fatal(err)
	}
	tr := ct.targeter()
	b.ReportAllocs()
	for b.Loop() {
		var t vegeta.Target
		if err := tr(&t); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCollect: one result collected: moved onto its schedule, its call
// registered for the end-to-end measurement, aggregated and gob-encoded.
func BenchmarkCollect(b *testing.B) {
	p, _ := NewConstantPacer(1e6, time.Hour)
	sched := newSchedule(p)
	sched.Pace(0, 0)
	tk := newTracker(time.Minute, DefaultMaxPending, func(*result.Record) {})
	var mu sync.Mutex
	agg := newAggregate(sched.Began(), time.Second)
	c := &collector{sched: sched, agg: agg, tracker: tk, aggMu: &mu, encode: vegeta.NewEncoder(io.Discard)}
	hdr := http.Header{"Location": {"http://127.0.0.1:1/beta/communications/calls/2e1a0b00-b3c5-4b0f-99b3-c133bc1e6116"}}
	b.ReportAllocs()
	var seq uint64
	for b.Loop() {
		r := &vegeta.Result{Seq: seq, Code: 201, Timestamp: sched.Scheduled(seq).Add(time.Microsecond), Latency: time.Millisecond,
			URL: "http://127.0.0.1:1/beta/communications/calls#example-3", Headers: hdr, Body: []byte(`{"id":"x"}`)}
		if err := c.add(r); err != nil {
			b.Fatal(err)
		}
		seq++
		if seq%4096 == 0 { // keep the pending calls bounded, as the grace does
			tk.abandon()
		}
	}
}

// BenchmarkTrackerEvent: one established notification matched to its call.
func BenchmarkTrackerEvent(b *testing.B) {
	tk := newTracker(time.Minute, DefaultMaxPending, func(*result.Record) {})
	now := time.Now()
	events := make([]result.Record, 1024)
	for i := range events {
		events[i] = result.Record{CallID: "call-" + strconv.Itoa(i)}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		rec := events[i%len(events)]
		rec.CallID += "-" + strconv.Itoa(i)
		tk.Created(rec, now, now)
		tk.OnEvent(event(rec.CallID, "established", now))
		i++
	}
}

// BenchmarkMerge: one result read back from a gob file and merged.
func BenchmarkMerge(b *testing.B) {
	dir := b.TempDir()
	const n = 20000
	f, err := os.Create(filepath.Join(dir, result.ResultsFile))
	if err != nil {
		b.Fatal(err)
	}
	enc := vegeta.NewEncoder(f)
	start := time.Now()
	for i := range n {
		_ = enc.Encode(&vegeta.Result{Seq: uint64(i), Code: 201, Timestamp: start.Add(time.Duration(i) * time.Millisecond), Latency: time.Millisecond,
			URL: "http://127.0.0.1:1/beta/communications/calls#example-1", Method: "POST"})
	}
	f.Close()
	m := &result.Manifest{SchemaVersion: result.ManifestSchema, Kind: KindCreate, Shard: Whole, Start: start, Duration: result.Duration(n * time.Millisecond), Complete: true, Files: result.Files{Results: result.ResultsFile}}
	if err := result.WriteManifest(dir, m); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := Merge(dir)
		if err != nil || s.Requests.Count != n {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/result")
}
