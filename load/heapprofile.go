package load

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

// HeapProfileEnv names a debugging aid: when it holds a directory, a load
// run writes a heap profile there every HeapProfileEvery of its schedule
// (heap-0060s.pprof, …) and one when its attack ends, before the
// notifications still due are waited for (heap-end.pprof), for
// `go tool pprof -top -diff_base` between two of them. It is read by the
// load process alone and changes nothing else of the run.
const HeapProfileEnv = "CALLCHECK_HEAP_PROFILE"

// HeapProfileEvery is how often a run writes a heap profile when
// HeapProfileEnv is set.
const HeapProfileEvery = 30 * time.Second

// heapProfileRate is the sampling rate of the heap profiles HeapProfileEnv
// asks for: one sample per 4 KiB allocated rather than the runtime's 512
// KiB, so that the difference between two profiles of a run that holds a
// few tens of MB is not sampling noise.
const heapProfileRate = 4 << 10

func init() {
	// The rate is set before the program allocates much, as the runtime
	// asks; it is read here, at start, for that reason alone.
	if os.Getenv(HeapProfileEnv) != "" {
		runtime.MemProfileRate = heapProfileRate
	}
}

// heapProfiler writes heap profiles into dir at most once per interval.
type heapProfiler struct {
	dir   string
	start time.Time
	next  time.Time
	err   error // the first error; later profiles are not tried
}

// newHeapProfiler returns the profiler HeapProfileEnv asks for, or nil.
func newHeapProfiler(start time.Time) *heapProfiler {
	dir := os.Getenv(HeapProfileEnv)
	if dir == "" {
		return nil
	}
	return &heapProfiler{dir: dir, start: start, next: start.Add(HeapProfileEvery)}
}

// tick writes a profile when the interval has passed by now.
func (h *heapProfiler) tick(now time.Time) {
	if h == nil || h.err != nil || now.Before(h.next) {
		return
	}
	h.next = h.next.Add(HeapProfileEvery)
	h.write(fmt.Sprintf("heap-%04.0fs.pprof", now.Sub(h.start).Seconds()))
}

// end writes the profile of the attack's end.
func (h *heapProfiler) end() {
	if h == nil || h.err != nil {
		return
	}
	h.write("heap-end.pprof")
}

func (h *heapProfiler) write(name string) {
	if h.err = os.MkdirAll(h.dir, 0o755); h.err != nil {
		return
	}
	f, err := os.Create(filepath.Join(h.dir, name))
	if err != nil {
		h.err = err
		return
	}
	runtime.GC() // the profile then shows what is live, not what awaits collection
	h.err = pprof.Lookup("heap").WriteTo(f, 0)
	if err := f.Close(); h.err == nil {
		h.err = err
	}
	if h.err == nil { // what the heap profile does not show: stacks, idle heap, goroutines
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		line := fmt.Sprintf("goroutines %d  heap in use %d KiB  stacks %d KiB  heap idle not released %d KiB  runtime total %d KiB\n",
			runtime.NumGoroutine(), ms.HeapInuse>>10, ms.StackInuse>>10, (ms.HeapIdle-ms.HeapReleased)>>10, ms.Sys>>10)
		h.err = os.WriteFile(filepath.Join(h.dir, strings.TrimSuffix(name, ".pprof")+".txt"), []byte(line), 0o644)
	}
}
