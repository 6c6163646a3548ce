package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/callcheck/callcheck/load/result"
)

// TestMergeShards: two shards of one schedule, run side by side against one
// emulator, send every hit once between them, interleaved, and merge into
// the whole run.
func TestMergeShards(t *testing.T) {
	emb := startEmulator(t, nil)
	parent := t.TempDir()
	var wg sync.WaitGroup
	runs := make([]*Run, 2)
	errs := make([]error, 2)
	for i := range 2 {
		cfg := runConfig(t, emb, 100, time.Second)
		cfg.Shard, cfg.Out = Shard{Index: i, Count: 2}, filepath.Join(parent, "shard-"+string(rune('0'+i)))
		wg.Go(func() { runs[i], errs[i] = Create(context.Background(), cfg) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		for _, r := range readResults(t, filepath.Join(runs[i].Dir, result.ResultsFile)) {
			// shard i sends the whole schedule's hits 2k+i: due at (2k+i) × 10 ms
			at := r.Timestamp.Sub(runs[i].Manifest.Start)
			if want := time.Duration(2*r.Seq+uint64(i)) * 10 * time.Millisecond; at != want {
				t.Fatalf("shard %d seq %d due at %s, want %s", i, r.Seq, at, want)
			}
		}
	}
	s, err := Merge(parent)
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests.Count != 100 || len(s.Runs) != 2 || s.Requests.OfferedRate != 100 || s.E2E.Calls != 100 || s.E2E.OK != 100 {
		t.Fatalf("merged: %d requests, %d runs, offered %v, e2e %+v; want the whole run of 100 at 100/s", s.Requests.Count, len(s.Runs), s.Requests.OfferedRate, s.E2E)
	}
	// The shards' achieved rates add up (each is measured by its own run,
	// and a loaded machine lowers them, so the sum is compared, not 100/s).
	if sum := s.Runs[0].Achieved.Rate + s.Runs[1].Achieved.Rate; s.Requests.Rate != sum || sum <= 0 || sum > 100 {
		t.Errorf("merged achieved rate %.1f/s, want the shards' sum %.1f/s, above 0 and at most the offered 100/s", s.Requests.Rate, sum)
	}
}

// writeRun writes a run directory by hand: a manifest of kind and n results.
func writeRun(t *testing.T, dir, kind string, n int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, result.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	enc := vegeta.NewEncoder(f)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		if err := enc.Encode(&vegeta.Result{Seq: uint64(i), Code: 201, Timestamp: start.Add(time.Duration(i) * time.Millisecond), Latency: time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	m := &result.Manifest{SchemaVersion: result.ManifestSchema, Kind: kind, Shard: Whole, Start: start, Duration: result.Duration(time.Second),
		OfferedRate: 1000, Complete: true, Files: result.Files{Results: result.ResultsFile}}
	if err := result.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
}

func TestMergeInputs(t *testing.T) {
	root := t.TempDir()
	writeRun(t, filepath.Join(root, "a"), KindCreate, 10)
	writeRun(t, filepath.Join(root, "nested", "b"), KindCreate, 5)
	writeRun(t, filepath.Join(root, "cb"), KindCallbacks, 5)
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	junk := filepath.Join(root, "junk.txt")
	os.WriteFile(junk, []byte("not results\n"), 0o644)
	bare := filepath.Join(root, "bare.json")
	bf, _ := os.Create(bare)
	enc := vegeta.NewJSONEncoder(bf)
	for i := range 3 {
		enc.Encode(&vegeta.Result{Seq: uint64(i), Code: 200, Timestamp: time.Unix(int64(i), 0), Latency: time.Millisecond})
	}
	bf.Close()
	cut := filepath.Join(root, "cut")
	writeRun(t, cut, KindCreate, 50)
	data, _ := os.ReadFile(filepath.Join(cut, result.ResultsFile))
	os.WriteFile(filepath.Join(cut, result.ResultsFile), data[:len(data)-7], 0o644)

	for _, tc := range []struct {
		name    string
		paths   []string
		count   uint64 // merged requests, or
		wantErr string
		note    string // a note the summary must carry
	}{
		{"a run directory", []string{filepath.Join(root, "a")}, 10, "", ""},
		{"directories found below, a manifest given as a file", []string{filepath.Join(root, "nested"), filepath.Join(root, "a", result.ManifestFile)}, 15, "", ""},
		{"the same run twice counts once", []string{filepath.Join(root, "a"), filepath.Join(root, "a")}, 10, "", ""},
		{"a bare vegeta file (JSON encoding)", []string{bare}, 3, "", "no manifest"},
		{"a file cut short keeps what it holds", []string{cut}, 49, "", "cut short"},
		{"runs of different kinds", []string{filepath.Join(root, "a"), filepath.Join(root, "cb")}, 0, "cannot merge", ""},
		{"a directory without results", []string{empty}, 0, "holds no load results", ""},
		{"a file that is not results", []string{junk}, 0, "not a vegeta results file", ""},
		{"a missing path", []string{filepath.Join(root, "nope")}, 0, "no such file", ""},
		{"nothing", nil, 0, "no result files", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Merge(tc.paths...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Requests.Count != tc.count {
				t.Errorf("%d requests, want %d", s.Requests.Count, tc.count)
			}
			if tc.note != "" && !strings.Contains(strings.Join(s.Notes, "\n"), tc.note) {
				t.Errorf("notes %q lack %q", s.Notes, tc.note)
			}
		})
	}
}
