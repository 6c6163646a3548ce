package load

import (
	"fmt"
	"github.com/callcheck/callcheck/load/result"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/term"

	"github.com/callcheck/callcheck/fixtures"
)

// DefaultProgressInterval is how often progress is printed on a terminal.
const DefaultProgressInterval = time.Second

// DefaultLogProgressInterval is how often a progress line is printed to a
// log (not a terminal): often enough that a CI job never looks hung, rarely
// enough that its log stays readable.
const DefaultLogProgressInterval = 5 * time.Second

// IsTerminal reports whether w is a terminal: progress is then rewritten in
// place, else printed a line at a time.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// window holds the results since the last progress line.
type window struct {
	lat          vegeta.LatencyMetrics
	n, errs      uint64
	total, fails uint64
}

func (w *window) add(r *vegeta.Result) {
	w.n++
	w.total++
	w.lat.Add(r.Latency)
	if r.Error != "" || r.Code < 200 || r.Code >= 400 {
		w.errs++
		w.fails++
	}
}

// progress prints one line per interval to a terminal: elapsed time, the
// rate achieved over the interval against the one offered, p99 over the
// interval, errors, and the end-to-end state.
type progress struct {
	w       io.Writer
	start   time.Time
	last    time.Time
	win     *window
	offered func(time.Duration) float64
	e2e     func() string
	lines   bool // a line each (a log), not one rewritten in place (a terminal)
	wrote   bool
}

func (p *progress) tick(now time.Time) {
	if p.w == nil || p.win.n == 0 && p.win.total == 0 {
		p.last = now
		return
	}
	secs := now.Sub(p.last).Seconds()
	elapsed := now.Sub(p.start)
	line := fmt.Sprintf("%7s  sent %d  rate %.1f/s (offered %.1f/s)  p99 %s  errors %d",
		elapsed.Round(time.Second), p.win.total, float64(p.win.n)/secs, p.offered(elapsed),
		p.win.lat.Quantile(0.99).Round(10*time.Microsecond), p.win.fails)
	if p.e2e != nil {
		line += "  " + p.e2e()
	}
	if p.lines {
		fmt.Fprintln(p.w, "progress: "+strings.TrimSpace(line))
	} else {
		fmt.Fprint(p.w, "\r"+line+"\x1b[K")
	}
	p.wrote, p.last = true, now
	p.win.n, p.win.errs, p.win.lat = 0, 0, vegeta.LatencyMetrics{}
}

// done ends the progress line.
func (p *progress) done() {
	if p.w != nil && p.wrote && !p.lines {
		fmt.Fprintln(p.w)
	}
}

// heapInUse returns the heap in use now.
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// rosterTable says which examples document a roster notification.
var rosterTable = sync.OnceValue(func() map[int]bool {
	t := map[int]bool{}
	for _, ex := range fixtures.All() {
		t[ex.Number] = ex.Expect.Roster
	}
	return t
})

// expectedKinds are the notification kinds example n's scenario must
// produce before any hang-up, from the fixtures' Expect facts: the states
// (establishing, established) and the roster where documented; a guest is
// first held in the lobby (Example 8: the lobby roster, and no roster
// "until it's admitted"), so the lobby roster comes too. A run needs its
// guests admitted (the embedded emulator admits them by itself,
// DefaultAutoAdmit); otherwise their established is lost.
func expectedKinds(n int) []string { return expectedTable()[n] }

var expectedTable = sync.OnceValue(func() map[int][]string {
	t := map[int][]string{}
	for _, ex := range fixtures.All() {
		e := ex.Expect
		switch {
		case e.Lobby:
			t[ex.Number] = append([]string{result.KindLobby}, e.States...)
		default:
			t[ex.Number] = append([]string(nil), e.States...)
		}
		if e.Roster {
			t[ex.Number] = append(t[ex.Number], result.KindRoster)
		}
	}
	return t
})

// rosterExpected reports whether example n documents a roster notification.
func rosterExpected(n int) bool { return rosterTable()[n] }
