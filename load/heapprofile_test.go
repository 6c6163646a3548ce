package load

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHeapProfiler: with HeapProfileEnv set, a run writes a heap profile
// (and its runtime figures) once per HeapProfileEvery and one at its end;
// without it, nothing.
func TestHeapProfiler(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	t.Setenv(HeapProfileEnv, "")
	if h := newHeapProfiler(start); h != nil {
		t.Fatal("a profiler without the variable")
	}
	dir := filepath.Join(t.TempDir(), "heap")
	t.Setenv(HeapProfileEnv, dir)
	h := newHeapProfiler(start)
	h.tick(start.Add(HeapProfileEvery - time.Second)) // too early
	h.tick(start.Add(HeapProfileEvery))
	h.tick(start.Add(HeapProfileEvery + time.Second)) // within the same interval
	h.end()
	if h.err != nil {
		t.Fatal(h.err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"heap-0030s.pprof", "heap-0030s.txt", "heap-end.pprof", "heap-end.txt"}
	if len(names) != len(want) {
		t.Fatalf("files: got %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("files: got %v, want %v", names, want)
		}
	}
}
