package load

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcheck/callcheck/load/result"
)

func TestParseStartAt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		err  string
	}{
		{"2026-12-02T16:00:00Z", time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC), ""},
		{"2026-12-02T17:00:00.5+01:00", time.Date(2026, 12, 2, 16, 0, 0, 5e8, time.UTC), ""},
		{"2026-12-02 16:00:00", time.Time{}, "not an RFC 3339 time"},
		{"+2m", time.Time{}, "not an RFC 3339 time"},
		{"", time.Time{}, "not an RFC 3339 time"},
	} {
		got, err := ParseStartAt(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseStartAt(%q) = %v, %v; want an error containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseStartAt(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// TestWaitStart: no start waits for nothing; a start already past is
// refused, naming the start, and so is one more than a day ahead; a start ahead is waited for (here 1 ms ahead
// on a fixed clock); an interrupt while waiting is ErrInterrupted.
func TestWaitStart(t *testing.T) {
	start := time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC)
	at := func(d time.Duration) func() time.Time { return func() time.Time { return start.Add(d) } }
	if err := waitStart(context.Background(), time.Time{}, at(0), nil); err != nil {
		t.Errorf("no start: %v", err)
	}
	err := waitStart(context.Background(), start, at(1500*time.Millisecond), nil)
	if err == nil || !strings.Contains(err.Error(), "2026-12-02T16:00:00Z passed 1.5s ago") {
		t.Errorf("a past start: %v", err)
	}
	if err := waitStart(context.Background(), start, at(-25*time.Hour), nil); err == nil || !strings.Contains(err.Error(), "25h0m0s ahead, more than 24h0m0s") {
		t.Errorf("a start a day away: %v", err)
	}
	var log strings.Builder
	if err := waitStart(context.Background(), start, at(-time.Millisecond), &log); err != nil || !strings.Contains(log.String(), "waiting 1ms") {
		t.Errorf("a start 1ms ahead: %v, log %q", err, log.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := waitStart(ctx, start, at(-time.Hour), nil); !errors.Is(err, ErrInterrupted) {
		t.Errorf("interrupted: %v", err)
	}
}

func manifestAt(start time.Time, d time.Duration, shard int) *result.Manifest {
	return &result.Manifest{Start: start, Duration: result.Duration(d), Shard: Shard{Index: shard, Count: 2}}
}

// TestOverlap: the shared stretch of the runs' schedules; runs that share
// none are refused with their spans; a single run has no overlap.
func TestOverlap(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC)
	dirs := []string{"a", "b"}
	o, err := overlap([]*result.Manifest{manifestAt(t0, 10*time.Second, 0), manifestAt(t0.Add(2*time.Second), 10*time.Second, 1)}, dirs)
	if err != nil || !o.Start.Equal(t0.Add(2*time.Second)) || !o.End.Equal(t0.Add(10*time.Second)) ||
		time.Duration(o.Duration) != 8*time.Second || time.Duration(o.Span) != 12*time.Second || o.Ratio != 0.8 {
		t.Errorf("overlapping: %+v, %v", o, err)
	}
	_, err = overlap([]*result.Manifest{manifestAt(t0, 10*time.Second, 0), manifestAt(t0.Add(10*time.Second), 10*time.Second, 1)}, dirs)
	if err == nil || !strings.Contains(err.Error(), "did not overlap") || !strings.Contains(err.Error(), "b (shard 1/2) ran 2026-12-02T16:00:10Z to 2026-12-02T16:00:20Z") || !strings.Contains(err.Error(), "--start-at") {
		t.Errorf("disjoint: %v", err)
	}
	if o, err := overlap([]*result.Manifest{manifestAt(t0, time.Second, 0)}, dirs[:1]); o != nil || err != nil {
		t.Errorf("one run: %+v, %v", o, err)
	}
}

// TestMergeRefusesDisjointShards: Merge of shards whose schedules did not
// overlap fails with the reason; overlapping ones carry their overlap.
func TestMergeRefusesDisjointShards(t *testing.T) {
	root := t.TempDir()
	writeRun(t, root+"/a", KindCreate, 5)
	writeRun(t, root+"/b", KindCreate, 5)
	s, err := Merge(root)
	if err != nil || s.Overlap == nil || s.Overlap.Ratio != 1 || !strings.Contains(strings.Join(s.Notes, "\n"), "overlap for 1s (100.0%") {
		t.Fatalf("overlapping runs: %v, overlap %+v, notes %q", err, s.Overlap, s.Notes)
	}
	m, err := result.ReadManifest(root + "/b")
	if err != nil {
		t.Fatal(err)
	}
	m.Start = m.Start.Add(time.Hour)
	if err := result.WriteManifest(root+"/b", m); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(root); err == nil || !strings.Contains(err.Error(), "did not overlap") {
		t.Fatalf("disjoint runs: %v", err)
	}
}

// TestCreateStartAt: two shards given one start time wait for it: each
// records it, neither begins before it, and their merge overlaps. A start
// time that passed before the run was ready is refused.
func TestCreateStartAt(t *testing.T) {
	emb := startEmulator(t, nil)
	parent := t.TempDir()
	start := time.Now().Add(2 * time.Second).Truncate(time.Millisecond) // room for both to prepare on a busy machine
	var wg sync.WaitGroup
	runs, errs := make([]*Run, 2), make([]error, 2)
	for i := range 2 {
		cfg := runConfig(t, emb, 40, time.Second)
		cfg.Shard, cfg.StartAt = Shard{Index: i, Count: 2}, start
		cfg.Out = parent + "/shard-" + string(rune('0'+i))
		wg.Go(func() { runs[i], errs[i] = Create(context.Background(), cfg) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		m := runs[i].Manifest
		if !m.StartAt.Equal(start) || m.Start.Before(start) {
			t.Errorf("shard %d: startAt %v, began %v; want %v and not before", i, m.StartAt, m.Start, start)
		}
	}
	s, err := Merge(parent)
	if err != nil || s.Overlap == nil || s.Requests.Count != 40 {
		t.Fatalf("merge: %v, overlap %+v, %d requests", err, s.Overlap, s.Requests.Count)
	}
	cfg := runConfig(t, emb, 40, time.Second)
	cfg.StartAt = time.Now().Add(-time.Second)
	if _, err := Create(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "passed") {
		t.Errorf("a past start: %v", err)
	}
}
