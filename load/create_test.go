package load

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/emulator"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/testkit/emutest"
	"github.com/callcheck/callcheck/load/result"
)

// startEmulator starts the embedded emulator, with mutate applied to its
// configuration, for the test.
func startEmulator(t *testing.T, mutate func(*emulator.Config)) *Embedded {
	t.Helper()
	cfg := EmbeddedConfig()
	cfg.Key, cfg.NotificationKey = emutest.Keys(t)
	if mutate != nil {
		mutate(&cfg)
	}
	emb, err := StartEmbedded(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := emb.Close(ctx); err != nil {
			t.Errorf("closing the emulator: %v", err)
		}
	})
	return emb
}

// runConfig is a create run against emb at rate for d, writing to a
// temporary directory.
func runConfig(t *testing.T, emb *Embedded, rate float64, d time.Duration) Config {
	t.Helper()
	cfg := NewConfig()
	cfg.Target, cfg.Receiver = emb.Target, emb.Receiver
	p, err := NewConstantPacer(rate, d)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Pacer, cfg.Out = p, t.TempDir()
	return cfg
}

// readResults decodes a vegeta results file.
func readResults(t *testing.T, path string) []vegeta.Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.NewDecoder(f)
	var out []vegeta.Result
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, r)
	}
}

// readRecords decodes an e2e records file.
func readRecords(t *testing.T, path string) []result.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := result.NewRecordDecoder(f, path)
	var out []result.Record
	for {
		var r result.Record
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
}

// TestCreateEndToEnd: every documented example against the embedded
// emulator, with hangups: every call is created, established (and its
// roster arrives where documented), deleted, and the files say so; the
// results sit exactly on the schedule; merging the directory gives what
// the run summarised in process.
func TestCreateEndToEnd(t *testing.T) {
	emb := startEmulator(t, nil)
	cfg := runConfig(t, emb, 100, time.Second)
	cfg.Hangup = true
	run, err := Create(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := run.Summary
	if s.Requests.Count != 100 || s.Requests.StatusCodes["201"] != 100 {
		t.Fatalf("requests %d, codes %v; want 100 × 201", s.Requests.Count, s.Requests.StatusCodes)
	}
	if e := s.E2E; e == nil || e.Calls != 100 || e.OK != 100 || e.Lost != 0 || e.RosterExpected != 60 || e.Roster != 60 {
		t.Fatalf("e2e %+v; want 100 calls all ok, 60 with a documented roster (Examples 3-8)", e)
	}
	if s.Hangups == nil || s.Hangups.StatusCodes["204"] != 100 || emb.Server.Stats().Deletes != 100 {
		t.Fatalf("hangups %+v, emulator deletes %d; want 100 × 204", s.Hangups, emb.Server.Stats().Deletes)
	}
	results := readResults(t, filepath.Join(run.Dir, result.ResultsFile))
	sort.Slice(results, func(i, j int) bool { return results[i].Seq < results[j].Seq })
	perExample := map[int]int{}
	for k, r := range results {
		// the open model: each result stands at its scheduled time, k × 10 ms from the start
		if want := run.Manifest.Start.Add(time.Duration(k) * 10 * time.Millisecond); !r.Timestamp.Equal(want) || r.Seq != uint64(k) {
			t.Fatalf("result %d (seq %d) at %s, want the scheduled %s", k, r.Seq, r.Timestamp, want)
		}
		perExample[ExampleOf(r.URL)]++
	}
	// The mix is a round robin over the targeter's calls; vegeta numbers a
	// hit (Seq) before its worker calls the targeter, so under load two
	// workers may swap examples between neighbouring hits: each example
	// is sent exactly 10 times, not necessarily at seq k%10.
	for ex := 1; ex <= 10; ex++ {
		if perExample[ex] != 10 {
			t.Errorf("example %d sent %d times, want 10 (round robin over 100 hits): %v", ex, perExample[ex], perExample)
		}
	}
	records := readRecords(t, filepath.Join(run.Dir, result.E2EFile))
	if len(records) != 100 {
		t.Fatalf("%d e2e records, want 100", len(records))
	}
	for _, r := range records {
		if !(r.CreatedNs > 0 && r.EstablishedNs > 0) || r.RosterExpected != (r.RosterNs > 0) {
			t.Fatalf("record %+v: want created and established times, and a roster time exactly when one is documented", r)
		}
	}
	merged, err := Merge(run.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if merged.Requests.Count != 100 || merged.E2E.OK != 100 || merged.Requests.Latency.Max != s.Requests.Latency.Max ||
		merged.E2E.Latency.Max != s.E2E.Latency.Max || merged.Hangups.Count != 100 || merged.Requests.Rate != s.Requests.Rate {
		t.Errorf("merging the files differs from the run's own summary:\nfiles %+v\nrun   %+v", merged.Requests, s.Requests)
	}
}

// TestCreateLostNotifications: notifications that never come are lost once
// the grace runs out, and a lost==0 threshold fails.
func TestCreateLostNotifications(t *testing.T) {
	emb := startEmulator(t, func(c *emulator.Config) { c.Faults.Drop = 1 })
	cfg := runConfig(t, emb, 50, 400*time.Millisecond)
	cfg.Timeouts.Grace = 100 * time.Millisecond
	run, err := Create(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if e := run.Summary.E2E; e.Calls != 20 || e.Lost != 20 || e.Established != 0 {
		t.Fatalf("e2e %+v; want 20 calls, all lost", e)
	}
	ts, _ := result.ParseThresholds("lost==0,success>=100%")
	if run.Summary.Evaluate(ts) || !run.Summary.Verdicts[1].Passed {
		t.Errorf("verdicts %v: want lost==0 breached and success held", run.Summary.Verdicts)
	}
}

// slowTarget answers one request at a time, each after service (simulated
// work), with a 201 and a Location.
func slowTarget(t *testing.T, service time.Duration) *httptest.Server {
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			return // the probe
		}
		mu.Lock()
		defer mu.Unlock()
		time.Sleep(service) // simulated service time, not a wait for an event
		w.Header().Set("Location", "http://x/communications/calls/"+identity.NewGUID())
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// staticTokens is a token source for a target that checks none.
func staticTokens(t *testing.T) Target {
	ts, err := identity.StaticTokenSource("test-token")
	if err != nil {
		t.Fatal(err)
	}
	return Target{Tokens: ts, TenantID: "11111111-2222-3333-4444-555555555555"}
}

// TestCreateOpenModel: a load generator held back (one worker) by a slow
// target cannot keep to the schedule; latencies counted from the schedule
// show the queueing (a closed-model tool would report the 20 ms service
// time), and the run warns that the achieved rate fell short.
func TestCreateOpenModel(t *testing.T) {
	srv := slowTarget(t, 20*time.Millisecond)
	cfg := NewConfig()
	cfg.Target = staticTokens(t)
	cfg.Target.BaseURL = srv.URL + "/beta"
	cfg.Pacer, _ = NewConstantPacer(100, 300*time.Millisecond)
	cfg.E2E, cfg.Attack.Workers, cfg.Attack.MaxWorkers = false, 1, 1
	var log strings.Builder
	cfg.Log = &log
	run, err := Create(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, m := run.Summary, run.Manifest
	if s.Requests.Count != 30 {
		t.Fatalf("%d requests, want 30", s.Requests.Count)
	}
	if p50 := time.Duration(s.Requests.Latency.P50); p50 < 100*time.Millisecond {
		t.Errorf("p50 %s: the queueing behind a slow target is hidden (service time is 20ms)", p50)
	}
	if m.Achieved.Ratio > 0.7 || m.Achieved.Lag.Max < result.Duration(200*time.Millisecond) {
		t.Errorf("achieved %+v: want a ratio near 0.5 and a send lag of hundreds of ms", m.Achieved)
	}
	if len(m.Warnings) == 0 || !strings.Contains(log.String(), "WARNING: the achieved rate") {
		t.Errorf("no loud warning about the shortfall: %v / %q", m.Warnings, log.String())
	}
}

// TestCreateUnreachable: a target nobody listens at fails before the
// attack, with a message naming it, and leaves no files.
func TestCreateUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := NewConfig()
	cfg.Target = staticTokens(t)
	cfg.Target.BaseURL = "http://" + addr + "/beta"
	cfg.Pacer, _ = NewConstantPacer(10, time.Second)
	cfg.Out = filepath.Join(t.TempDir(), "out")
	start := time.Now()
	_, err = Create(context.Background(), cfg)
	var pe *ProbeError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), addr) {
		t.Fatalf("err = %v; want a ProbeError naming %s", err, addr)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("failing took %s: not fast", time.Since(start))
	}
	if _, err := os.Stat(cfg.Out); !os.IsNotExist(err) {
		t.Errorf("the output directory was created for a run that never started")
	}
}

// TestCreateInterrupted: cancelling the context stops the attack at once
// and still writes what was gathered.
func TestCreateInterrupted(t *testing.T) {
	emb := startEmulator(t, nil)
	cfg := runConfig(t, emb, 200, 30*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // cancel once 20 calls were created
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for range tick.C {
			if emb.Server.Stats().Creates >= 20 {
				cancel()
				return
			}
		}
	}()
	run, err := Create(ctx, cfg)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	m, err := result.ReadManifest(run.Dir)
	if err != nil {
		t.Fatal(err)
	}
	// Stopped at once: far from the 6000 hits of the 30 s schedule (a count,
	// not a time, so a loaded machine cannot change it).
	if m.Sent >= m.Scheduled/2 {
		t.Fatalf("the interrupted run sent %d of its %d hits", m.Sent, m.Scheduled)
	}
	results := readResults(t, filepath.Join(run.Dir, result.ResultsFile))
	if !m.Interrupted || !m.Complete || m.Sent < 20 || uint64(len(results)) != m.Sent || m.Sent >= m.Scheduled {
		t.Fatalf("manifest interrupted=%v complete=%v sent=%d of %d, %d results in the file", m.Interrupted, m.Complete, m.Sent, m.Scheduled, len(results))
	}
	if n := len(readRecords(t, filepath.Join(run.Dir, result.E2EFile))); n == 0 {
		t.Errorf("no e2e records written on interrupt")
	}
}

// TestCreateTimeout: a request the target does not answer within
// --timeout fails with a deadline error instead of waiting.
func TestCreateTimeout(t *testing.T) {
	srv := slowTarget(t, 300*time.Millisecond)
	cfg := NewConfig()
	cfg.Target = staticTokens(t)
	cfg.Target.BaseURL = srv.URL + "/beta"
	cfg.Pacer, _ = NewConstantPacer(20, 100*time.Millisecond)
	cfg.E2E, cfg.Attack.Timeout = false, 50*time.Millisecond
	run, err := Create(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := run.Summary.Requests
	if r.Count != 2 || r.Errors != 2 || len(r.ErrorSet) == 0 || !strings.Contains(r.ErrorSet[0], "deadline exceeded") {
		t.Fatalf("requests %d, errors %d %v; want both to time out", r.Count, r.Errors, r.ErrorSet)
	}
	if max := time.Duration(r.Latency.Max); max > 250*time.Millisecond {
		t.Errorf("a request took %s despite the 50ms timeout", max)
	}
}
